package io.github.gilpatterns.join;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.ListenableFutureTask;
import com.google.common.util.concurrent.Uninterruptibles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A scope that runs each forked task on its own thread and waits for all of them, cancelling
 * the rest when one fails: Python's {@code asyncio.TaskGroup} (and Java 21's structured
 * {@code StructuredTaskScope.ShutdownOnFailure}) for Java 17 platform threads.
 *
 * <p><b>Failure.</b> The first task that fails (throws anything) puts the group in the
 * <em>failed</em> state: every other unfinished task is cancelled, which interrupts its thread;
 * {@link #join()} then throws an {@link ExecutionException} whose cause is that first failure,
 * with the failures of other tasks added to it as {@linkplain Throwable#getSuppressed()
 * suppressed} exceptions. A task that ends with {@link InterruptedException} or
 * {@link CancellationException} after the group failed is a cancelled task, not a failure.
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
 * <p>Any thread may call any method, including the forked tasks themselves (a task may fork
 * siblings); a task must not call {@code join()} or {@code close()} on its own group, which
 * would wait for itself (it gets an {@link IllegalStateException}).
 *
 * <p><b>Memory consistency effects:</b> actions before {@code fork} happen-before the task
 * runs; a task's actions happen-before {@code join()} or {@code close()} returns, and
 * happen-before its future completes.
 */
public final class TaskGroup implements AutoCloseable {

  /*
   * Implementation overview.
   *
   * State is guarded by lock: the live forked threads with their futures, the failures in the
   * order they happened, and the lifecycle (OPEN -> FAILED on the first failure; OPEN or FAILED
   * -> CLOSED in close()). A task wrapper records its failure before its future completes, so a
   * failure is never lost to a cancellation racing with it; the first failure cancels every
   * other live future (outside the lock). The thread then moves itself from `live` to
   * `exiting` in a finally block, signalling `allDone` when `live` becomes empty. join() and
   * close() wait on `allDone`, then Thread.join() every thread in `exiting`, so when they
   * return no forked thread is alive, not merely done with its task. fork() prunes threads
   * that have terminated from `exiting`, so a group that is never joined does not keep them.
   */

  private static final AtomicInteger GROUP_NUMBERS = new AtomicInteger();

  private enum State { OPEN, FAILED, CLOSED }

  private final String name;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition allDone = lock.newCondition();
  private final AtomicInteger taskNumbers = new AtomicInteger();

  /** Guarded by lock. */
  private State state = State.OPEN;
  /** Threads whose task has not ended, with the task's future. Guarded by lock. */
  private final Map<Thread, ListenableFutureTask<?>> live = new LinkedHashMap<>();
  /** Threads whose task has ended, possibly still alive for a moment. Guarded by lock. */
  private final Set<Thread> exiting = new LinkedHashSet<>();
  /** Failures in the order they happened; the first is the one join() throws. Guarded by lock. */
  private final List<Throwable> failures = new ArrayList<>();

  /** Creates a group named {@code TaskGroup-N}, N counting groups from 0 in this JVM. */
  public TaskGroup() {
    this("TaskGroup-" + GROUP_NUMBERS.getAndIncrement());
  }

  /**
   * Creates a group whose threads are named {@code name-0}, {@code name-1}, ...
   *
   * @param name the group's name
   * @throws NullPointerException if {@code name} is null
   */
  public TaskGroup(String name) {
    this.name = Objects.requireNonNull(name, "name");
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
   * Starts {@code task} on a new non-daemon thread of this group. Returns at once.
   *
   * @param task the task
   * @param <T> the task's result type
   * @return a future of the task's result; cancelling it with {@code mayInterruptIfRunning}
   *     interrupts the task's thread, and a cancelled task is not a failure of the group
   * @throws NullPointerException if {@code task} is null (nothing is forked)
   * @throws IllegalStateException if the group has failed or is closed (nothing is forked),
   *     as Python's TaskGroup refuses new tasks once it is shutting down
   */
  public <T> ListenableFuture<T> fork(Callable<T> task) {
    Objects.requireNonNull(task, "task");
    ListenableFutureTask<T> future = ListenableFutureTask.create(() -> runRecorded(task));
    Thread thread = new Thread(() -> runTask(future), name + "-" + taskNumbers.getAndIncrement());
    lock.lock();
    try {
      if (state != State.OPEN) {
        throw new IllegalStateException(
            "TaskGroup " + name + " is " + (state == State.FAILED ? "shutting down" : "closed"));
      }
      exiting.removeIf(t -> !t.isAlive());
      live.put(thread, future);
      try {
        thread.start();
      } catch (Throwable startFailure) {
        live.remove(thread);
        throw startFailure;
      }
    } finally {
      lock.unlock();
    }
    return future;
  }

  private <T> T runRecorded(Callable<T> task) throws Exception {
    try {
      return task.call();
    } catch (Throwable failure) {
      recordFailure(failure);
      throw failure;
    }
  }

  private void runTask(ListenableFutureTask<?> future) {
    try {
      future.run();
    } finally {
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
  }

  private void recordFailure(Throwable failure) {
    List<ListenableFutureTask<?>> toCancel = List.of();
    lock.lock();
    try {
      boolean cancelled = failure instanceof InterruptedException
          || failure instanceof CancellationException;
      if (state != State.OPEN && cancelled) {
        return;
      }
      failures.add(failure);
      if (state == State.OPEN) {
        state = State.FAILED;
        toCancel = new ArrayList<>(live.size());
        for (Map.Entry<Thread, ListenableFutureTask<?>> entry : live.entrySet()) {
          if (entry.getKey() != Thread.currentThread()) {
            toCancel.add(entry.getValue());
          }
        }
      }
    } finally {
      lock.unlock();
    }
    for (ListenableFutureTask<?> future : toCancel) {
      future.cancel(true);
    }
  }

  /**
   * Waits until every task forked so far has ended, then throws the first failure if any task
   * failed. Tasks may still be forked after a successful {@code join()}.
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
   * Closes the group: refuses new forks, cancels (interrupts) every task that has not ended,
   * and waits until every forked thread has ended. After a successful {@code join()} there is
   * nothing to cancel and this returns at once. Idempotent. Failures are not thrown here; call
   * {@code join()} to see them.
   *
   * <p>The wait is not ended by an interrupt: if the calling thread is interrupted meanwhile,
   * it keeps waiting and its interrupt status is set again before returning. A task that
   * ignores interrupts therefore delays {@code close()} until it ends on its own.
   *
   * @throws IllegalStateException if called from one of this group's own tasks
   */
  @Override
  public void close() {
    List<ListenableFutureTask<?>> toCancel;
    lock.lock();
    try {
      checkNotOwnTask();
      state = State.CLOSED;
      toCancel = new ArrayList<>(live.values());
    } finally {
      lock.unlock();
    }
    for (ListenableFutureTask<?> future : toCancel) {
      future.cancel(true);
    }
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
}
