package io.github.gilpatterns.owner;

import static java.util.Objects.requireNonNull;

import com.google.common.util.concurrent.AbstractListeningExecutorService;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.ListeningExecutorService;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * An executor that runs its tasks one at a time, in submission order, on one thread of its own:
 * the {@link Owner}'s mailbox and run loop without a state, as a Guava
 * {@link ListeningExecutorService}. Use it where tasks must not overlap but share no single
 * state object: one runner per key of a keyed pipeline stage, say, so that the tasks of one key
 * run in order while different keys run in parallel.
 *
 * <p>Compared with {@code Executors.newSingleThreadExecutor()}, it accepts a task with one CAS on
 * a lock-free MPSC mailbox and allocates nothing of its own per {@link #execute(Runnable)};
 * compared with Guava's {@code MoreExecutors.newSequentialExecutor(executor)}, it owns its thread
 * and has a lifecycle ({@link #shutdown()}, {@link #shutdownNow()},
 * {@link #awaitTermination(long, TimeUnit)}, {@link #close()}) and {@link #join()}, which waits
 * until every task submitted before the call has run.
 *
 * <p><b>Tasks.</b> Any thread may submit, including the executor's own thread. Tasks from one
 * thread run in the order that thread submitted them; tasks from different threads in the order
 * their enqueue operations took effect. A task run by {@code execute} that throws is passed to
 * the thread's {@linkplain Thread.UncaughtExceptionHandler uncaught-exception handler} and the
 * next task runs as usual; {@code submit} and {@code invokeAll} capture failures in their futures
 * instead. With a {@linkplain Builder#mailboxCapacity(int) bounded mailbox}, {@code execute}
 * blocks while it is full.
 *
 * <p><b>Lifecycle</b>: the library's one {@link io.github.gilpatterns.join.Lifecycle} contract,
 * with tasks as its work: {@code shutdown()}, {@code shutdownNow()}, {@code awaitTermination}
 * and {@code close()} have {@link java.util.concurrent.ExecutorService}'s meanings, with one
 * difference said out loud at {@link #shutdownNow()}: it waits for the running task to return,
 * and the futures of the tasks it returns are left as they are, as
 * {@link java.util.concurrent.ThreadPoolExecutor} leaves them. A submission racing with a
 * shutdown either is accepted, and runs exactly once, or is refused with
 * {@link RejectedExecutionException}. The thread is non-daemon unless built otherwise, and the
 * executor fails safe as an {@code Owner} does should its thread ever end unexpectedly.
 *
 * <pre> {@code
 * try (SerialExecutor log = SerialExecutor.start("audit-log")) {
 *   for (Event e : events) {
 *     log.execute(() -> writer.write(e));      // in order, never two at once
 *   }
 *   log.join();                                // every write so far has run
 * }}</pre>
 *
 * <p><b>Flight Recorder.</b> A serial executor commits the same events as an {@link Owner},
 * named after its thread: {@code io.github.gilpatterns.OwnerMessage} per task (run and time
 * queued), {@code OwnerPark}, {@code OwnerUnpark} and the periodic {@code OwnerMailbox}.
 *
 * <p><b>Memory consistency effects:</b> actions in a thread prior to submitting a task
 * <i>happen-before</i> the task runs, and the task's actions <i>happen-before</i> the next task
 * runs, a successful return from {@code join()} in a thread that called it after the submission,
 * the task's future completing, and a successful return from {@code awaitTermination} or
 * {@code close()}.
 */
public final class SerialExecutor extends SerialCore<Runnable>
    implements ListeningExecutorService {

  /*
   * Implementation overview. SerialCore does the work (see its overview); a task is the
   * Runnable itself. The ExecutorService methods that wrap tasks in futures (submit, invokeAll,
   * invokeAny) come from Guava's AbstractListeningExecutorService through `futures`, an adapter
   * whose execute() is this executor's.
   */

  private final ListeningExecutorService futures = new AbstractListeningExecutorService() {
    @Override
    public void execute(Runnable command) {
      SerialExecutor.this.execute(command);
    }

    @Override
    public void shutdown() {
      SerialExecutor.this.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
      return SerialExecutor.this.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
      return SerialExecutor.this.isShutdown();
    }

    @Override
    public boolean isTerminated() {
      return SerialExecutor.this.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
      return SerialExecutor.this.awaitTermination(timeout, unit);
    }
  };

  private SerialExecutor(Settings settings) {
    super(settings, settings.resolveName(), SerialExecutor.class);
  }

  /**
   * Starts a serial executor whose thread is named {@code name}, with an unbounded mailbox and a
   * non-daemon platform thread. Equivalent to {@code SerialExecutor.builder().name(name).start()}.
   *
   * @param name the name of the executor and of its thread
   * @return the started executor
   * @throws NullPointerException if {@code name} is {@code null}
   */
  public static SerialExecutor start(String name) {
    return builder().name(name).start();
  }

  /**
   * Returns a builder of serial executors.
   *
   * @return a new builder with the defaults: name {@code serial-N}, unbounded mailbox,
   *     non-daemon platform thread, no drain at JVM exit
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  void runMessage(Runnable task) {
    task.run();
  }

  @Override
  void reportFailure(Runnable task, Throwable failure) {
    Thread self = Thread.currentThread();
    self.getUncaughtExceptionHandler().uncaughtException(self, failure);
  }

  @Override
  String kind() {
    return "serial executor";
  }

  // ---------------------------------------------------------------------------------------------
  // Submitting

  /**
   * Runs {@code command} on this executor's thread after every task accepted before it. Returns
   * as soon as the task is in the mailbox; with a bounded mailbox, blocks while it is full (an
   * interrupt ends that wait with a {@link RejectedExecutionException} whose cause is the
   * {@link InterruptedException}, the interrupt status set again). On the executor's own thread a
   * full mailbox cannot drain, so there the task is refused at once.
   *
   * <p>IMPLEMENTATION NOTES: any thread may call it; lock-free when the mailbox has room (one
   * CAS), blocking only while a bounded mailbox is full.
   *
   * @param command the task
   * @throws NullPointerException if {@code command} is {@code null}
   * @throws RejectedExecutionException if this executor is shut down, or the wait for space was
   *     interrupted, or its own thread found the bounded mailbox full; the task was not accepted
   */
  @Override
  public void execute(Runnable command) {
    sendOrReject(requireNonNull(command, "command"));
  }

  /**
   * {@inheritDoc}
   *
   * @param task the task
   * @param <T> the type of its result
   * @return a future of the task's result, completed on this executor's thread
   * @throws RejectedExecutionException as for {@link #execute(Runnable)}
   */
  @Override
  @CanIgnoreReturnValue
  public <T extends @Nullable Object> ListenableFuture<T> submit(Callable<T> task) {
    return futures.submit(task);
  }

  /**
   * {@inheritDoc}
   *
   * @param task the task
   * @return a future completed with {@code null} once the task has run
   * @throws RejectedExecutionException as for {@link #execute(Runnable)}
   */
  @Override
  @CanIgnoreReturnValue
  public ListenableFuture<?> submit(Runnable task) {
    return futures.submit(task);
  }

  /**
   * {@inheritDoc}
   *
   * @param task the task
   * @param result the value the future completes with
   * @param <T> the type of the result
   * @return a future completed with {@code result} once the task has run
   * @throws RejectedExecutionException as for {@link #execute(Runnable)}
   */
  @Override
  @CanIgnoreReturnValue
  public <T extends @Nullable Object> ListenableFuture<T> submit(Runnable task, T result) {
    return futures.submit(task, result);
  }

  /**
   * {@inheritDoc} Must not be called on this executor's own thread, whose tasks could not run
   * while it waits.
   *
   * @param tasks the tasks
   * @param <T> the type of their results
   * @return the futures, in the order of {@code tasks}, all done
   * @throws InterruptedException if interrupted while waiting (unfinished tasks are cancelled)
   */
  @Override
  public <T extends @Nullable Object> List<Future<T>> invokeAll(
      Collection<? extends Callable<T>> tasks) throws InterruptedException {
    return futures.invokeAll(tasks);
  }

  /**
   * {@inheritDoc} Must not be called on this executor's own thread.
   *
   * @param tasks the tasks
   * @param timeout the longest time to wait
   * @param unit the unit of {@code timeout}
   * @param <T> the type of their results
   * @return the futures, in the order of {@code tasks}, all done or cancelled
   * @throws InterruptedException if interrupted while waiting (unfinished tasks are cancelled)
   */
  @Override
  public <T extends @Nullable Object> List<Future<T>> invokeAll(
      Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
      throws InterruptedException {
    return futures.invokeAll(tasks, timeout, unit);
  }

  /**
   * {@inheritDoc} Must not be called on this executor's own thread.
   *
   * @param tasks the tasks
   * @param <T> the type of their results
   * @return the result of one task that completed successfully
   * @throws InterruptedException if interrupted while waiting
   * @throws ExecutionException if no task completed successfully
   */
  @Override
  public <T extends @Nullable Object> T invokeAny(Collection<? extends Callable<T>> tasks)
      throws InterruptedException, ExecutionException {
    return futures.invokeAny(tasks);
  }

  /**
   * {@inheritDoc} Must not be called on this executor's own thread.
   *
   * @param tasks the tasks
   * @param timeout the longest time to wait
   * @param unit the unit of {@code timeout}
   * @param <T> the type of their results
   * @return the result of one task that completed successfully
   * @throws InterruptedException if interrupted while waiting
   * @throws ExecutionException if no task completed successfully
   * @throws TimeoutException if the timeout elapsed before a task completed successfully
   */
  @Override
  public <T extends @Nullable Object> T invokeAny(Collection<? extends Callable<T>> tasks,
      long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    return futures.invokeAny(tasks, timeout, unit);
  }

  // ---------------------------------------------------------------------------------------------
  // Observing

  /**
   * Returns whether the calling thread is this executor's thread.
   *
   * @return {@code true} inside a task of this executor
   */
  public boolean isExecutorThread() {
    return Thread.currentThread() == thread;
  }

  /**
   * Returns a string naming this executor and its run state.
   *
   * @return for example {@code SerialExecutor[audit-log, running, processed=10, pending=0]}
   */
  @Override
  public String toString() {
    return "SerialExecutor" + describe();
  }

  /**
   * A builder of {@link SerialExecutor}s. Not thread-safe; each {@link #start()} starts a new
   * executor. A setter that throws changes nothing.
   */
  public static final class Builder {
    private final Settings settings = new Settings("serial");

    private Builder() {}

    /**
     * Sets the name of the executor and of its thread (default {@code serial-N}).
     *
     * @param name the name
     * @return this builder
     * @throws NullPointerException if {@code name} is {@code null}
     */
    @CanIgnoreReturnValue
    public Builder name(String name) {
      settings.name(name);
      return this;
    }

    /**
     * Bounds the mailbox to {@code capacity} waiting tasks; {@code execute} blocks while it is
     * full. Memory grows in chunks of 1,024 slots as the mailbox fills, up to the bound.
     *
     * @param capacity from 1 to 2<sup>30</sup>
     * @return this builder
     * @throws IllegalArgumentException if {@code capacity} is out of that range
     */
    @CanIgnoreReturnValue
    public Builder mailboxCapacity(int capacity) {
      settings.capacity(capacity);
      return this;
    }

    /**
     * Makes the mailbox unbounded (the default).
     *
     * @return this builder
     */
    @CanIgnoreReturnValue
    public Builder unbounded() {
      settings.unbounded();
      return this;
    }

    /**
     * Sets whether the thread is a daemon (default {@code false}); see
     * {@link Owner.Builder#daemon(boolean)}.
     *
     * @param daemon {@code true} for a daemon thread
     * @return this builder
     * @throws IllegalStateException if a thread factory is set
     */
    @CanIgnoreReturnValue
    public Builder daemon(boolean daemon) {
      settings.daemon(daemon);
      return this;
    }

    /**
     * Makes the thread come from {@code threadFactory}, for example
     * {@code Thread.ofVirtual().factory()} on JDK 21 or later; see
     * {@link Owner.Builder#threadFactory(ThreadFactory)} for what changes on a virtual thread.
     *
     * @param threadFactory returns a new, unstarted thread
     * @return this builder
     * @throws NullPointerException if {@code threadFactory} is {@code null}
     * @throws IllegalStateException if {@link #daemon(boolean)} was set
     */
    @CanIgnoreReturnValue
    public Builder threadFactory(ThreadFactory threadFactory) {
      settings.threadFactory(threadFactory);
      return this;
    }

    /**
     * Drains the executor when the JVM exits, waiting at most {@code timeout}; see
     * {@link Owner.Builder#drainOnExit(Duration)}.
     *
     * @param timeout the longest time the JVM's exit waits for this executor
     * @return this builder
     * @throws NullPointerException if {@code timeout} is {@code null}
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    @CanIgnoreReturnValue
    public Builder drainOnExit(Duration timeout) {
      settings.drainOnExit(timeout);
      return this;
    }

    /**
     * Drains the executor when the JVM exits, waiting at most {@code timeout} {@code unit}s.
     *
     * @param timeout the longest time the JVM's exit waits for this executor
     * @param unit the unit of {@code timeout}
     * @return this builder
     * @throws NullPointerException if {@code unit} is {@code null}
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    @CanIgnoreReturnValue
    public Builder drainOnExit(long timeout, TimeUnit unit) {
      settings.drainOnExit(timeout, unit);
      return this;
    }

    /**
     * Creates the executor and starts its thread.
     *
     * @return the started executor
     * @throws IllegalStateException if the thread factory returned {@code null} or a started
     *     thread (nothing was started)
     */
    public SerialExecutor start() {
      SerialExecutor executor = new SerialExecutor(settings);
      executor.startThread();
      return executor;
    }
  }
}
