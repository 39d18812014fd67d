/**
 * An emulated Global Interpreter Lock, faithful to CPython's {@code Python/ceval_gil.c},
 * so that Java programs can feel what CPython's threads feel, and switch the same code to
 * free-threaded (PEP 703) or one-GIL-per-interpreter (PEP 684) execution to watch the
 * difference.
 *
 * <ul>
 *   <li>{@link io.github.gilpatterns.gil.Gil}: the lock, its static eval-breaker
 *       {@link io.github.gilpatterns.gil.Gil#checkpoint() checkpoint()},
 *       {@link io.github.gilpatterns.gil.Gil#releasing(CheckedCallable) releasing(..)} and
 *       {@link io.github.gilpatterns.gil.Gil#sleep(java.time.Duration) Gil.sleep(..)} for
 *       blocking calls, {@link io.github.gilpatterns.gil.Gil#holding(CheckedCallable)
 *       holding(..)} to run a task holding it, and
 *       {@link io.github.gilpatterns.gil.Gil#current() Gil.current()};</li>
 *   <li>{@link io.github.gilpatterns.gil.CheckedCallable} and
 *       {@link io.github.gilpatterns.gil.CheckedRunnable}: the blocks those calls take, whose
 *       checked exception propagates as itself;</li>
 *   <li>{@link io.github.gilpatterns.gil.GilExecutor}: Python's {@code ThreadPoolExecutor}
 *       (tasks share one GIL) and {@code InterpreterPoolExecutor} (one GIL per worker), as a
 *       Guava {@code ListeningExecutorService};</li>
 *   <li>{@link io.github.gilpatterns.gil.GilStats} and
 *       {@link io.github.gilpatterns.gil.GilTrace}: counters with each thread's time
 *       holding the GIL, waiting for it and running without it, and a bounded log of who
 *       held the GIL when, renderable as a text timeline.</li>
 * </ul>
 *
 * <p>The GIL protects nothing but the code between checkpoints: a read-modify-write with a
 * checkpoint in the middle still loses updates, as {@code counter += 1} does in CPython.
 *
 * <p><b>Conventions of this package.</b>
 * <ul>
 *   <li><em>Nullness:</em> nothing is null unless marked {@code @Nullable}
 *       ({@code @NullMarked}); a null argument where none is allowed throws
 *       {@link java.lang.NullPointerException} before any state changes.</li>
 *   <li><em>Return values</em> are meant to be used ({@code @CheckReturnValue}), except where
 *       a method is marked {@code @CanIgnoreReturnValue}: builder setters, a
 *       {@code releasing(..)} and {@code holding(..)} called for their effect, and the list
 *       {@code shutdownNow()} returns.</li>
 *   <li><em>Timeouts</em> are taken both as a {@link java.time.Duration} and as a
 *       {@code long} with a {@link java.util.concurrent.TimeUnit}; one too large for a
 *       {@code long} of nanoseconds saturates.</li>
 *   <li><em>Who guards what:</em> each {@code Gil}'s state is guarded by its own private
 *       {@code ReentrantLock}, except the two words the eval breaker reads without it: the
 *       JVM-wide count of pending drop requests and each {@code Gil}'s drop-request flag,
 *       both written only under that lock. A {@code GilExecutor} worker's record is written
 *       by its worker and read by {@code shutdownNow()} and by a submission that races
 *       it.</li>
 *   <li><em>Field access:</em> a field accessed with other than plain or volatile semantics
 *       has a {@link java.lang.invoke.VarHandle} named after it in upper snake case
 *       ({@code STATE} for {@code state}, {@code WAITING_FOR} for {@code waitingFor}), and
 *       each use names its access mode ({@code getAcquire}, {@code setRelease},
 *       {@code compareAndSet}); where such a field is also read or written plainly, a
 *       comment says what orders that access.</li>
 *   <li><em>Padding:</em> none. The word every checkpoint reads is written only when a drop
 *       request is set or withdrawn, and a worker's record is written by one thread; neither
 *       is contended often enough to be worth a cache line of its own.</li>
 * </ul>
 */
@NullMarked
@CheckReturnValue
package io.github.gilpatterns.gil;

import com.google.errorprone.annotations.CheckReturnValue;
import org.jspecify.annotations.NullMarked;
