/**
 * Queues that know when the work they carried is done.
 *
 * <p>{@link io.github.gilpatterns.queue.JoinableQueue} is CPython's {@code queue.Queue} as a
 * {@link java.util.concurrent.BlockingQueue}: each insertion adds an unfinished task, consumers
 * report each task done with {@code taskDone()}, {@code join()} waits until none is left, and
 * Python 3.13's {@code shutdown(immediate)} becomes {@code shutdown()} and {@code shutdownNow()}
 * with {@link io.github.gilpatterns.queue.QueueShutdownException}, completed by the rest of
 * {@link java.util.concurrent.ExecutorService}'s life cycle ({@code isTerminated()},
 * {@code awaitTermination}, {@code close()}). It is the queue of Raymond Hettinger's worked
 * example of threads done right (the counter and print managers): one thread owns a resource,
 * everyone else talks to it through a queue, and {@code join()} waits until nothing is left.
 * Its behaviour follows CPython's {@code Lib/queue.py}, and its tests port
 * {@code Lib/test/test_queue.py}.
 *
 * <p><b>Conventions.</b> Everything in this package is non-null unless annotated
 * {@link org.jspecify.annotations.Nullable @Nullable} (JSpecify's
 * {@link org.jspecify.annotations.NullMarked @NullMarked}); a method's result should be used
 * unless the method is annotated
 * {@link com.google.errorprone.annotations.CanIgnoreReturnValue @CanIgnoreReturnValue}
 * (Error Prone's {@link com.google.errorprone.annotations.CheckReturnValue @CheckReturnValue}):
 * ignoring {@code offer}'s {@code false} or {@code awaitTermination}'s loses information,
 * ignoring {@code add}'s {@code true} or the list {@code shutdownNow()} returns does not.
 *
 * <p><b>Implementation conventions</b>, written down once here as JCTools does:
 * <ul>
 *   <li>Padding: fields written by different threads sit in separate abstract superclasses
 *       with 128 bytes of {@code long} padding between them (HotSpot lays out a superclass's
 *       fields before its subclass's; 128 bytes covers the adjacent-line prefetcher), so that
 *       producers, consumers and the shared state word do not falsely share cache lines.</li>
 *   <li>Accessor names say the memory ordering: {@code lv} load volatile, {@code cas}
 *       compare-and-set, {@code getAndAdd} atomic add (both with volatile semantics). Every
 *       write of {@code JoinableQueue}'s state word is one of the last two.</li>
 *   <li>Who guards what: {@code putLock} guards the tail and every insertion, and is held by
 *       whoever sets the shutdown state or rebalances the task count; {@code takeLock} guards
 *       the head and every take; removals from the middle and whole-queue views hold both
 *       ({@code putLock} first); {@code joinLock} guards only the joiners' wait and is always
 *       taken last. The state word is read without a lock and changed only by atomic
 *       read-modify-writes, each one an operation's linearization point.</li>
 * </ul>
 */
@NullMarked
@CheckReturnValue
package io.github.gilpatterns.queue;

import com.google.errorprone.annotations.CheckReturnValue;
import org.jspecify.annotations.NullMarked;
