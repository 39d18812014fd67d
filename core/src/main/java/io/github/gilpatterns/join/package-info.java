/**
 * Joining helpers: {@link io.github.gilpatterns.join.Threads} starts and joins threads the way
 * Python's {@code threading} module does, and {@link io.github.gilpatterns.join.TaskGroup} is a
 * structured scope (Python's {@code asyncio.TaskGroup}) whose first failure cancels the other
 * tasks and whose {@code close()} never leaves a forked thread running.
 *
 * <p>The rule both serve: to wait for threads, {@code join()} them, or the queue they drain,
 * never sleep and hope that they have finished.
 *
 * <p><b>Conventions of this package.</b>
 * <ul>
 *   <li><em>Nullness:</em> nothing is null unless marked {@code @Nullable}
 *       ({@code @NullMarked}); a null argument throws {@link java.lang.NullPointerException}
 *       before any thread is created or any state changes.</li>
 *   <li><em>Return values</em> are meant to be used ({@code @CheckReturnValue}); ignoring the
 *       threads that {@code joinAll} with a timeout returns, or the boolean of
 *       {@code awaitTermination}, loses the news that something is still running. Marked
 *       {@code @CanIgnoreReturnValue}: the thread {@code Threads.start} returns, the future
 *       {@code TaskGroup.fork} returns ({@code join()} reports the task's failure) and the
 *       list {@code TaskGroup.shutdownNow()} returns.</li>
 *   <li><em>Thread factories</em> must return new, unstarted threads. One that returns null
 *       or throws makes the call that needed a thread throw
 *       {@link java.util.concurrent.RejectedExecutionException} (the factory's exception is
 *       the cause), as an executor would; nothing is started.</li>
 *   <li><em>Timeouts</em> are taken both as a {@link java.time.Duration} and as a
 *       {@code long} with a {@link java.util.concurrent.TimeUnit}; one too large for a
 *       {@code long} of nanoseconds saturates. Interrupted waits throw
 *       {@link java.lang.InterruptedException} and clear the status; {@code close()} keeps
 *       waiting and sets the status again.</li>
 *   <li><em>Who guards what:</em> a {@code TaskGroup}'s state is guarded by its own
 *       {@code ReentrantLock}; {@code Threads} keeps only a concurrent map of pool numbers per
 *       name prefix. No field is padded and none is accessed through a {@code VarHandle}.</li>
 * </ul>
 */
@NullMarked
@CheckReturnValue
package io.github.gilpatterns.join;

import com.google.errorprone.annotations.CheckReturnValue;
import org.jspecify.annotations.NullMarked;
