package io.github.gilpatterns.join;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.ListenableFutureTask;
import com.google.common.util.concurrent.Uninterruptibles;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A scope that runs each forked task on its own thread and waits for all of them, cancelling
 * the rest when one fails: Python's {@code asyncio.TaskGroup} (and Java 21's structured
 * {@code StructuredTaskScope.ShutdownOnFailure}) for Java 17 threads.
 *
 * <p><b>Failure.</b> The first task that fails (throws anything) puts the group in the
 * <em>failed</em> state: every other unfinished task is cancelled, which interrupts its thread;
 * {@link #join()} then throws an {@link ExecutionException} whose cause is that first failure,
 * with the failures of other tasks added to it as {@linkplain Throwable#getSuppressed()
 * suppressed} exceptions. A task that ends with {@link InterruptedException} or
 * {@link CancellationException} after the group cancelled it is a cancelled task, not a
 * failure.
 *
 * <p><b>Closing.</b> {@link #close()} never leaves a forked thread running: it cancels
 * (interrupts) the tasks that have not ended and waits until every forked thread has ended. Use
 * the group in try-with-resources and call {@code join()} inside; if the body throws before
 * {@code join()}, the forked tasks are cancelled instead of leaking:
 *
 * <pre> {@code
 * try (TaskGroup group = new TaskGroup("fetch")) {
 *   ListenableFuture<String> a = group.fork(() -> download("a"));
 *   ListenableFuture<String> b = group.fork(() -> download("b"));
 *   group.join();                       // throws if either failed; the other was cancelled
 *   return Futures.getDone(a) + Futures.getDone(b);
 * }
 * }</pre>
 *
 * <p>This is <em>not</em> {@code ExecutorService.close()}, which waits for the tasks to
 * complete. Try-with-resources calls {@code close()} also when the body threw before
 * {@code join()}, and waiting then could wait forever for tasks that the failed body was meant
 * to feed or stop; Python's {@code TaskGroup} cancels its tasks when its body raises, and
 * {@code StructuredTaskScope.close()} does the same. To let the tasks finish, call
 * {@code join()} (or {@link #shutdown()} and {@link #awaitTermination(Duration)}) before
 * the group closes.
 *
 * <p><b>Lifecycle.</b> The names are {@link java.util.concurrent.ExecutorService}'s, with the
 * meanings a structured scope gives them. {@link #shutdown()} refuses new forks and lets
 * running tasks go on; {@link #shutdownNow()} also cancels every unfinished task and returns
 * those whose thread had not yet begun them; {@link #awaitTermination(long, TimeUnit)} waits
 * until the group is shut down and every forked thread has ended; {@link #isShutdown()} is
 * true once forks are refused (after a failure, too), {@link #isTerminated()} once the
 * group is shut down and no forked thread is alive. A refused fork throws
 * {@link IllegalStateException}, as Python's {@code TaskGroup} raises {@code RuntimeError},
 * not {@code RejectedExecutionException}: a group is a scope, not an executor.
 *
 * <p><b>Threads.</b> Every fork starts a thread at once. {@link #TaskGroup(String)} makes
 * non-daemon platform threads named {@code name-0}, {@code name-1}, ...;
 * {@link #TaskGroup(String, ThreadFactory)} takes them from a factory, which names them.
 * With {@code Thread.ofVirtual().factory()} (JDK 21 or later) the tasks run on virtual
 * threads: those are daemon threads (they do not keep the JVM alive; close the group before
 * {@code main} returns); a task blocked in {@code java.util.concurrent} parks and frees its
 * carrier, while one blocked in {@code synchronized} or {@code Object.wait} pins the carrier
 * on JDK 21 to 23 (JEP 491, in JDK 24, removed that); and CPU-bound tasks are not
 * time-sliced. The group itself blocks only in {@code java.util.concurrent.locks} and
 * {@link Thread#join()}.
 *
 * <p>Any thread may call any method, including the forked tasks themselves (a task may fork
 * siblings, or shut the group down); a task must not call {@code join()}, {@code close()} or
 * {@code awaitTermination} on its own group, which would wait for itself (it gets an
 * {@link IllegalStateException}).
 *
 * <p><b>Memory consistency effects:</b> actions before {@code fork} happen-before the task
 * runs; a task's actions happen-before {@code join()} or {@code close()} returns, before
 * {@code awaitTermination} returns {@code true} and {@code isTerminated()} returns
 * {@code true}, and before its future completes.
 */
public final class TaskGroup implements AutoCloseable {

  /*
   * Implementation overview.
   *
   * State is guarded by lock: the live forked threads with their tasks, the failures in the
   * order they happened, the lifecycle (OPEN -> FAILED on the first failure, OPEN -> SHUTDOWN
   * on shutdown() or shutdownNow(), any -> CLOSED in close(); every state but OPEN refuses
   * forks) and `cancelled` (every unfinished task has been cancelled, by the first failure,
   * shutdownNow() or close(); from then on a task ending with an interrupt or a cancellation
   * is not a failure). A task wrapper records its failure before its future completes, so a
   * failure is never lost to a cancellation racing with it; the first failure cancels every
   * other live future (outside the lock). The thread then moves itself from `live` to
   * `exiting` in a finally block, signalling `allDone` when `live` becomes empty. join(),
   * close() and awaitTermination() wait on `allDone` (which shutdown signals too), then
   * Thread.join() the threads in `exiting`, so when they return no forked thread is alive,
   * not merely done with its task. fork() prunes threads that have terminated from
   * `exiting`, so a group that is never joined does not keep them.
   *
   * Each Forked task has a `claimed` flag, set by whichever comes first: its thread, as the
   * future's callable begins, or shutdownNow(), after it has cancelled the future. So a task
   * shutdownNow() returns never begins, and one it does not return had begun (and was
   * interrupted by the cancellation) or had ended.
   */

  private static final AtomicInteger GROUP_NUMBERS = new AtomicInteger();

  private enum State { OPEN, FAILED, SHUTDOWN, CLOSED }

  private final String name;
  private final ThreadFactory threadFactory;
  private final ReentrantLock lock = new ReentrantLock();
  /** Signalled when `live` becomes empty, and on shutdown. */
  private final Condition allDone = lock.newCondition();

  /** Guarded by lock. */
  private State state = State.OPEN;
  /** Whether every unfinished task has been cancelled. Guarded by lock. */
  private boolean cancelled;
  /** Threads whose task has not ended, with the task. Guarded by lock. */
  private final Map<Thread, Forked<?>> live = new LinkedHashMap<>();
  /** Threads whose task has ended, possibly still alive for a moment. Guarded by lock. */
  private final Set<Thread> exiting = new LinkedHashSet<>();
  /** Failures in the order they happened; the first is the one join() throws. Guarded by lock. */
  private final List<Throwable> failures = new ArrayList<>();

  /**
   * Creates a group named {@code TaskGroup-N}, N counting groups from 0 in this JVM, whose
   * threads are non-daemon platform threads named {@code TaskGroup-N-0}, {@code TaskGroup-N-1},
   * ...
   */
  public TaskGroup() {
    this("TaskGroup-" + GROUP_NUMBERS.getAndIncrement());
  }

  /**
   * Creates a group whose threads are non-daemon platform threads named {@code name-0},
   * {@code name-1}, ...
   *
   * @param name the group's name
   * @throws NullPointerException if {@code name} is null
   */
  public TaskGroup(String name) {
    this.name = Objects.requireNonNull(name, "name");
    AtomicInteger taskNumbers = new AtomicInteger();
    this.threadFactory = task -> {
      Thread thread = new Thread(task, name + "-" + taskNumbers.getAndIncrement());
      thread.setDaemon(false);
      return thread;
    };
  }

  /**
   * Creates a group whose threads come from {@code threadFactory}, one per fork; on JDK 21 or
   * later, {@code Thread.ofVirtual().factory()} runs the tasks on virtual threads (see the
   * class documentation for what changes then). The factory names the threads; {@code name}
   * names the group in messages. The factory must return a new, unstarted thread that runs
   * the {@code Runnable} it is given; it is called on the forking thread. If it returns null
   * or throws, that fork is refused (see {@link #fork(Callable)}).
   *
   * @param name the group's name
   * @param threadFactory makes the thread of each forked task
   * @throws NullPointerException if {@code name} or {@code threadFactory} is null
   */
  public TaskGroup(String name, ThreadFactory threadFactory) {
    this.name = Objects.requireNonNull(name, "name");
    this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
  }

  /**
   * Returns this group's name.
   *
   * @return the name given at construction
   */
  public String name() {
    return name;
  }

  /**
   * Starts {@code task} on a new thread of this group. Returns at once; blocks only briefly
   * on the group's lock and for as long as the thread factory takes.
   *
   * @param task the task
   * @param <T> the task's result type
   * @return a future of the task's result; cancelling it with {@code mayInterruptIfRunning}
   *     interrupts the task's thread, and a cancelled task is not a failure of the group.
   *     Ignoring it is fine: {@link #join()} reports the task's failure
   * @throws NullPointerException if {@code task} is null (nothing is forked)
   * @throws IllegalStateException if the group has failed, is shut down or closed (nothing
   *     is forked), as Python's TaskGroup refuses new tasks once it is shutting down
   * @throws RejectedExecutionException if the thread factory returned null, or threw (its
   *     exception is the cause); nothing is forked
   */
  @CanIgnoreReturnValue
  public <T> ListenableFuture<T> fork(Callable<T> task) {
    Objects.requireNonNull(task, "task");
    lock.lock();
    try {
      checkOpen();
    } finally {
      lock.unlock();
    }
    Forked<T> forked = new Forked<>(task);
    Thread thread = Threads.newThread(threadFactory, forked);
    lock.lock();
    try {
      checkOpen();
      exiting.removeIf(t -> !t.isAlive());
      live.put(thread, forked);
      try {
        thread.start();
      } catch (Throwable startFailure) {
        live.remove(thread);
        throw startFailure;
      }
    } finally {
      lock.unlock();
    }
    return forked.future;
  }

  /** Called under lock. */
  private void checkOpen() {
    if (state != State.OPEN) {
      throw new IllegalStateException("TaskGroup " + name + " is "
          + (state == State.FAILED ? "shutting down after a failure"
              : state == State.SHUTDOWN ? "shut down" : "closed"));
    }
  }

  private <T> T runRecorded(Callable<T> task) throws Exception {
    try {
      return task.call();
    } catch (Throwable failure) {
      recordFailure(failure);
      throw failure;
    }
  }

  private void exit() {
    lock.lock();
    try {
      live.remove(Thread.currentThread());
      exiting.add(Thread.currentThread());
      if (live.isEmpty()) {
        allDone.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  private void recordFailure(Throwable failure) {
    List<Forked<?>> toCancel = List.of();
    lock.lock();
    try {
      boolean cancellation = failure instanceof InterruptedException
          || failure instanceof CancellationException;
      if (cancelled && cancellation) {
        return;
      }
      failures.add(failure);
      if (!cancelled) {
        cancelled = true;
        if (state == State.OPEN) {
          state = State.FAILED;
        }
        toCancel = new ArrayList<>(live.size());
        for (Map.Entry<Thread, Forked<?>> entry : live.entrySet()) {
          if (entry.getKey() != Thread.currentThread()) {
            toCancel.add(entry.getValue());
          }
        }
      }
    } finally {
      lock.unlock();
    }
    for (Forked<?> forked : toCancel) {
      forked.future.cancel(true);
    }
  }

  /**
   * Waits until every task forked so far has ended, then throws the first failure if any task
   * failed. Tasks may still be forked after a successful {@code join()}. Blocks on the group's
   * condition and in {@link Thread#join()}.
   *
   * @throws ExecutionException if a task failed; its cause is the first failure, with later
   *     failures added to the cause as suppressed exceptions
   * @throws InterruptedException if the calling thread is interrupted while waiting; the
   *     interrupt status is cleared and the tasks keep running
   * @throws IllegalStateException if called from one of this group's own tasks
   */
  public void join() throws InterruptedException, ExecutionException {
    List<Thread> ended;
    lock.lock();
    try {
      checkNotOwnTask();
      while (!live.isEmpty()) {
        allDone.await();
      }
      ended = new ArrayList<>(exiting);
    } finally {
      lock.unlock();
    }
    for (Thread thread : ended) {
      thread.join();
    }
    lock.lock();
    try {
      exiting.removeAll(ended);
      throwFirstFailure();
    } finally {
      lock.unlock();
    }
  }

  /** Called under lock. */
  private void throwFirstFailure() throws ExecutionException {
    if (failures.isEmpty()) {
      return;
    }
    Throwable first = failures.get(0);
    for (Throwable other : failures.subList(1, failures.size())) {
      if (other != first && !List.of(first.getSuppressed()).contains(other)) {
        first.addSuppressed(other);
      }
    }
    throw new ExecutionException("task of " + name + " failed", first);
  }

  /** Called under lock. */
  private void checkNotOwnTask() {
    if (live.containsKey(Thread.currentThread())) {
      throw new IllegalStateException("a task of " + name + " cannot wait for its own group");
    }
  }

  /**
   * Refuses new forks; tasks already forked go on running. Does not wait: use
   * {@link #join()} or {@link #awaitTermination(Duration)}. Idempotent; may be called by any
   * thread, including a task of this group.
   */
  public void shutdown() {
    lock.lock();
    try {
      if (state == State.OPEN) {
        state = State.SHUTDOWN;
      }
      allDone.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Refuses new forks, cancels every unfinished task (interrupting the threads of those
   * running) and returns the tasks that never ran: those whose thread had not yet begun
   * them, which now never will. Their futures are cancelled, unlike those of the tasks
   * {@code ExecutorService.shutdownNow()} returns, so that every future of the group ends.
   * A task that had begun is interrupted; it is up to it to stop. Does not wait: use
   * {@link #awaitTermination(Duration)}. May be called by any thread, including a task of
   * this group (whose own task is then cancelled, and its thread interrupted, too).
   *
   * @return the tasks, as given to {@link #fork(Callable)}, that never ran, in fork order
   */
  @CanIgnoreReturnValue
  public List<Callable<?>> shutdownNow() {
    return cancelAll(State.SHUTDOWN);
  }

  /** Refuses forks (entering {@code next} if open), cancels the unfinished tasks. */
  private List<Callable<?>> cancelAll(State next) {
    List<Forked<?>> unfinished;
    lock.lock();
    try {
      if (state == State.OPEN || next == State.CLOSED) {
        state = next;
      }
      cancelled = true;
      unfinished = new ArrayList<>(live.values());
      allDone.signalAll();
    } finally {
      lock.unlock();
    }
    List<Callable<?>> neverRan = new ArrayList<>();
    for (Forked<?> forked : unfinished) {
      // Cancel first: a thread that has not entered the future's callable by now never will,
      // so only a thread already inside it can win `claimed` from here on.
      forked.future.cancel(true);
      if (forked.claimed.compareAndSet(false, true)) {
        neverRan.add(forked.task);
      }
    }
    return neverRan;
  }

  /**
   * Blocks until the group is shut down (by {@link #shutdown()}, {@link #shutdownNow()},
   * {@link #close()} or a failure) and every forked thread has ended, or the timeout
   * elapses, or the calling thread is interrupted. Failures are not thrown here; call
   * {@link #join()} to see them. Blocks on the group's condition and in
   * {@link Thread#join(long)}.
   *
   * @param timeout the maximum time to wait; zero or negative means do not wait
   * @param unit the unit of {@code timeout}
   * @return {@code true} if the group terminated (every task's actions happen-before the
   *     return), {@code false} if the timeout elapsed first
   * @throws InterruptedException if the calling thread is interrupted while waiting; the
   *     interrupt status is cleared and the tasks keep running
   * @throws IllegalStateException if called from one of this group's own tasks
   * @throws NullPointerException if {@code unit} is null
   */
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    long nanos = unit.toNanos(timeout);
    List<Thread> ended;
    lock.lock();
    try {
      checkNotOwnTask();
      while (state == State.OPEN || !live.isEmpty()) {
        if (nanos <= 0L) {
          return false;
        }
        nanos = allDone.awaitNanos(nanos);
      }
      ended = new ArrayList<>(exiting);
    } finally {
      lock.unlock();
    }
    boolean allEnded = Threads.joinAll(ended, nanos, TimeUnit.NANOSECONDS).isEmpty();
    lock.lock();
    try {
      exiting.removeIf(t -> !t.isAlive());
    } finally {
      lock.unlock();
    }
    return allEnded;
  }

  /**
   * Blocks as {@link #awaitTermination(long, TimeUnit)} does, with the timeout as a
   * {@link Duration} (one too long for a {@code long} of nanoseconds waits for about 292
   * years).
   *
   * @param timeout the maximum time to wait; zero or negative means do not wait
   * @return {@code true} if the group terminated, {@code false} if the timeout elapsed first
   * @throws InterruptedException if the calling thread is interrupted while waiting; the
   *     interrupt status is cleared and the tasks keep running
   * @throws IllegalStateException if called from one of this group's own tasks
   * @throws NullPointerException if {@code timeout} is null
   */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return awaitTermination(
        TimeUnit.NANOSECONDS.convert(Objects.requireNonNull(timeout, "timeout")),
        TimeUnit.NANOSECONDS);
  }

  /**
   * Returns whether the group refuses new forks: after {@link #shutdown()},
   * {@link #shutdownNow()}, {@link #close()}, or the first failure of a task. Blocks only
   * briefly on the group's lock.
   *
   * @return {@code true} if {@link #fork(Callable)} would throw {@link IllegalStateException}
   */
  public boolean isShutdown() {
    lock.lock();
    try {
      return state != State.OPEN;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns whether the group is shut down and every forked thread has ended. Blocks only
   * briefly on the group's lock. Once it returns {@code true}, every task's actions
   * happen-before the return.
   *
   * @return {@code true} if the group is terminated
   */
  public boolean isTerminated() {
    lock.lock();
    try {
      exiting.removeIf(t -> !t.isAlive());
      return state != State.OPEN && live.isEmpty() && exiting.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Closes the group: refuses new forks, cancels (interrupts) every task that has not ended,
   * and waits until every forked thread has ended: {@link #shutdownNow()}, then an
   * uninterruptible wait for termination. After a successful {@code join()} there is nothing
   * to cancel and this returns at once. Idempotent. Failures are not thrown here; call
   * {@code join()} to see them. See the class documentation for why this cancels, where
   * {@code ExecutorService.close()} waits for the tasks to complete.
   *
   * <p>The wait is not ended by an interrupt: if the calling thread is interrupted meanwhile,
   * it keeps waiting and its interrupt status is set again before returning. A task that
   * ignores interrupts therefore delays {@code close()} until it ends on its own.
   *
   * @throws IllegalStateException if called from one of this group's own tasks
   */
  @Override
  public void close() {
    lock.lock();
    try {
      checkNotOwnTask();
    } finally {
      lock.unlock();
    }
    cancelAll(State.CLOSED);
    boolean interrupted = false;
    List<Thread> ended;
    lock.lock();
    try {
      while (!live.isEmpty()) {
        try {
          allDone.await();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      ended = new ArrayList<>(exiting);
      exiting.clear();
    } finally {
      lock.unlock();
    }
    for (Thread thread : ended) {
      Uninterruptibles.joinUninterruptibly(thread);
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Returns a description of this group: its name, state and number of unfinished tasks.
   *
   * @return a string describing this group
   */
  @Override
  public String toString() {
    lock.lock();
    try {
      return "TaskGroup[" + name + ", " + state.name().toLowerCase(Locale.ROOT)
          + ", unfinished=" + live.size() + "]";
    } finally {
      lock.unlock();
    }
  }

  /** A forked task: what its thread runs. */
  private final class Forked<T> implements Runnable {
    final Callable<T> task;
    final ListenableFutureTask<T> future;
    /** Set by the thread as the task begins, or by shutdownNow() taking it back. */
    final AtomicBoolean claimed = new AtomicBoolean();

    Forked(Callable<T> task) {
      this.task = task;
      this.future = ListenableFutureTask.create(() -> {
        if (!claimed.compareAndSet(false, true)) {
          throw new CancellationException("taken back by shutdownNow()"); // future already cancelled
        }
        return runRecorded(task);
      });
    }

    @Override
    public void run() {
      try {
        future.run();
      } finally {
        exit();
      }
    }
  }
}
