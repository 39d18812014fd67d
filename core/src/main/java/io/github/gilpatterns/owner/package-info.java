/**
 * One thread owns a state; everyone else talks to it through a mailbox.
 *
 * <p>{@link io.github.gilpatterns.owner.Owner} is Raymond Hettinger's counter manager as a type:
 * the state lives on exactly one thread, other threads {@code tell} it messages (or {@code ask} it
 * questions) through a lock-free multi-producer single-consumer mailbox, and {@code join()} waits
 * until every message sent so far has run, like Python's {@code Queue.join()}. Because only the
 * owner thread touches the state, the state needs no synchronization of its own.
 * {@link io.github.gilpatterns.owner.SerialExecutor} is the same thread and mailbox without a
 * state: an {@link java.util.concurrent.ExecutorService} that runs {@code Runnable}s one at a
 * time, in order.
 *
 * <p>Both have {@link java.util.concurrent.ExecutorService}'s lifecycle ({@code shutdown},
 * {@code shutdownNow}, {@code awaitTermination}, {@code isShutdown}, {@code isTerminated},
 * {@code close}), take a {@link java.util.concurrent.ThreadFactory} (virtual threads on JDK 21 and
 * later), and keep one promise: a send either runs exactly once or is refused with
 * {@link java.util.concurrent.RejectedExecutionException}; an accepted message that can no longer
 * run is returned by {@code shutdownNow()}, or reported.
 *
 * <h2>Conventions of this package's implementation</h2>
 *
 * <ul>
 *   <li><b>Padding.</b> Fields written by one side and read by the other on every message (the
 *       mailbox's producer and consumer indices, the processed count, the run state and the
 *       parked flag) sit between 128 bytes of padding: two cache lines, for the adjacent-line
 *       prefetcher. The JVM lays out superclass fields first and, within a class, {@code long}s
 *       first, so padding is a chain of small classes ({@code SerialPadding},
 *       {@code SerialHotFields}, {@code MailboxPad0} ...), as in JCTools.</li>
 *   <li><b>Accessor names</b> say the memory ordering, as in JCTools: {@code lv} a volatile
 *       (or acquire) load, {@code lp} a plain load, {@code so} an ordered (release) store,
 *       {@code sv} a volatile store, {@code cas} a compare-and-set. {@code relaxed} methods may
 *       miss an element whose producer has claimed its slot but not yet stored into it.</li>
 *   <li><b>Who writes what.</b> The producer index: any sender, by CAS; its closed bit:
 *       {@code shutdown}, by CAS; its resizing bit: the one sender switching chunks. The consumer
 *       index, the processed count and the owned state: the owner thread only. The lock of an
 *       owner guards only the slow paths (senders blocked on a full mailbox, joiners); it is
 *       never held while a message runs. Each class's implementation overview gives the rest.</li>
 *   <li><b>Nullness and return values.</b> Everything is non-null unless annotated
 *       {@code @Nullable}; a result that is a bug to ignore is checked, and methods whose result
 *       may be ignored say so with {@code @CanIgnoreReturnValue}.</li>
 * </ul>
 */
@CheckReturnValue
@NullMarked
package io.github.gilpatterns.owner;

import com.google.errorprone.annotations.CheckReturnValue;
import org.jspecify.annotations.NullMarked;
