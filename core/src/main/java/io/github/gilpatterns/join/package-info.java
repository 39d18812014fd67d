/**
 * Joining, and the lifecycle every service of the library shares.
 *
 * <p>{@link io.github.gilpatterns.join.Lifecycle} is the one contract of every type that runs
 * work on threads of its own ({@code Owner}, {@code SerialExecutor}, {@code GilExecutor},
 * {@code TaskGroup}, {@code JoinableQueue} and the patterns built on them):
 * {@code java.util.concurrent.ExecutorService}'s shutdown, await and close, written and
 * documented once. {@link io.github.gilpatterns.join.Joinable} is Python's {@code Queue.join()}:
 * wait until the work handed over so far is done, without ending anything.
 *
 * <p>{@link io.github.gilpatterns.join.Threads} starts and joins threads the way Python's
 * {@code threading} module does, and {@link io.github.gilpatterns.join.TaskGroup} is a
 * structured scope (Python's {@code asyncio.TaskGroup}) whose first failure cancels the other
 * tasks and whose {@code close()} never leaves a forked thread running.
 *
 * <p><b>Configuration.</b> Every service has a builder ({@code builder()}), and static shortcuts
 * for the common cases that take the name first ({@code Owner.start(name, state)},
 * {@code GilExecutor.create(name, gil, maxWorkers)}, {@code TaskGroup.create(name)}). A builder's
 * last call is {@code start()} when it starts the service's thread, {@code build()} when threads
 * start only as work arrives.
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
