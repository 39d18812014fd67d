package io.github.gilpatterns.join;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.ListenableFutureTask;
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
import org.jspecify.annotations.Nullable;

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
 * <p><b>Closing.</b> {@link #close()} never leaves a forked thread running: as for every
 * service of this library ({@link Lifecycle}), it refuses new forks and waits until every forked
 * task has ended and its thread has exited, as Python's {@code TaskGroup} waits for its tasks
 * when its block ends. Use the group in try-with-resources and call {@code join()} inside, to
 * see the failures:
 *
 * <pre> {@code
 * try (TaskGroup group = TaskGroup.create("fetch")) {
 *   ListenableFuture<String> a = group.fork(() -> download("a"));
 *   ListenableFuture<String> b = group.fork(() -> download("b"));
 *   group.join();                       // throws if either failed; the other was cancelled
 *   return Futures.getDone(a) + Futures.getDone(b);
 * }
 * }</pre>
 *
 * <p>If the body throws before {@code join()}, {@code close()} still waits for the forked tasks,
 * as {@code ExecutorService.close()} waits for its tasks. A body that must not wait then, because
 * the tasks wait for something the failed body was meant to do, cancels them first: call
 * {@link #shutdownNow()} in a {@code catch} (Python's {@code TaskGroup} does that when its body
 * raises; Java's {@code StructuredTaskScope} does it in {@code close()}).
 *
 * <p><b>Lifecycle.</b> The library's one {@link Lifecycle} contract, with the meanings a
 * structured scope gives it; the work is a forked task. {@link #shutdown()} refuses new forks and
 * lets running tasks go on; {@link #shutdownNow()} also cancels every unfinished task and returns
 * those whose thread had not yet begun them; {@link #awaitTermination(long, TimeUnit)} waits
 * until the group is shut down and every forked thread has ended; {@link #isShutdown()} is true
 * once forks are refused (after a failure, too), {@link #isTerminated()} once the group is shut
 * down and no forked thread is alive. A refused fork throws {@link IllegalStateException}, as
 * Python's {@code TaskGroup} raises {@code RuntimeError}, not
 * {@code RejectedExecutionException}: a group is a scope, not an executor.
 *
 * <p><b>Threads.</b> Every fork starts a thread at once. By default they are non-daemon platform
 * threads named {@code name-0}, {@code name-1}, ...; {@link Builder#threadFactory(ThreadFactory)}
 * takes them from a factory, which names them.
 * With {@code Thread.ofVirtual().factory()} (JDK 21 or later) the tasks run on virtual
 * threads: those are daemon threads (they do not keep the JVM alive; close the group before
 * {@code main} returns); a task blocked in {@code java.util.concurrent} parks and frees its
 * carrier, while one blocked in {@code synchronized} or {@code Object.wait} pins the carrier
 * on JDK 21 to 23 (JEP 491, in JDK 24, removed that); and CPU-bound tasks are not
 * time-sliced. The group itself blocks only in {@code java.util.concurrent.locks} and
 * {@link Thread#join()}.
 *
 * <p>Any thread may call any method, including the forked tasks themselves (a task may fork
 * siblings, or shut the group down); a task must not wait for its own group, which would wait
 * for itself: its {@code join()} and {@code awaitTermination} throw
 * {@link IllegalStateException}, and its {@code close()} shuts the group down and returns.
 *
 * <p><b>Memory consistency effects:</b> actions before {@code fork} happen-before the task
 * runs; a task's actions happen-before {@code join()} or {@code close()} returns, before
 * {@code awaitTermination} returns {@code true} and {@code isTerminated()} returns
 * {@code true}, and before its future completes.
 */
public final class TaskGroup implements Lifecycle<Callable<?>> {

  /*
   * Implementation overview.
   *
   * State is guarded by lock: the live forked threads with their tasks, the failures in the
   * order they happened, the lifecycle (OPEN -> FAILED on the first failure, OPEN -> SHUTDOWN
   * on shutdown() or shutdownNow(); every state but OPEN refuses forks) and `cancelled` (every
   * unfinished task has been cancelled, by the first failure or shutdownNow(); from then on a task ending with an interrupt or a cancellation
   * is not a failure). A task wrapper records its failure before its future completes, so a
   * failure is never lost to a cancellation racing with it; the first failure cancels every
   * other live future (outside the lock). The thread then moves itself from `live` to
   * `exiting` in a finally block, signalling `allDone` when `live` becomes empty. join() and
   * awaitTermination() (and so close()) wait on `allDone` (which shutdown signals too), then
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

  private enum State { OPEN, FAILED, SHUTDOWN }

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

  private TaskGroup(String name, ThreadFactory threadFactory) {
    this.name = name;
    this.threadFactory = threadFactory;
  }

  /**
   * Creates a group named {@code TaskGroup-N}, N counting groups from 0 in this JVM, whose
   * threads are non-daemon platform threads named {@code TaskGroup-N-0}, {@code TaskGroup-N-1},
   * ... Equivalent to {@code TaskGroup.builder().build()}.
   *
   * @return a new, open group
   */
  public static TaskGroup create() {
    return builder().build();
  }

  /**
   * Creates a group named {@code name} whose threads are non-daemon platform threads named
   * {@code name-0}, {@code name-1}, ... Equivalent to {@code TaskGroup.builder().name(name).build()}.
   *
   * @param name the group's name
   * @return a new, open group
   * @throws NullPointerException if {@code name} is null
   */
  public static TaskGroup create(String name) {
    return builder().name(name).build();
  }

  /**
   * Returns a builder of task groups.
   *
   * @return a new builder with the defaults: name {@code TaskGroup-N}, non-daemon platform
   *     threads named after the group
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder of {@link TaskGroup}s. Not thread-safe; each {@link #build()} makes a new group. A
   * setter that throws changes nothing.
   */
  public static final class Builder {
    private @Nullable String name;
    private @Nullable ThreadFactory threadFactory;

    private Builder() {}

    /**
     * Sets the group's name, which its messages show and its default threads are named after.
     *
     * @param name the group's name
     * @return this builder
     * @throws NullPointerException if {@code name} is null
     */
    @CanIgnoreReturnValue
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * Makes the thread of each forked task with {@code threadFactory}; on JDK 21 or later,
     * {@code Thread.ofVirtual().factory()} runs the tasks on virtual threads (see the class
     * documentation for what changes then). The factory names the threads. It must return a
     * new, unstarted thread that runs the {@code Runnable} it is given; it is called on the
     * forking thread. If it returns null or throws, that fork is refused (see
     * {@link TaskGroup#fork(Callable)}).
     *
     * @param threadFactory makes the thread of each forked task
     * @return this builder
     * @throws NullPointerException if {@code threadFactory} is null
     */
    @CanIgnoreReturnValue
    public Builder threadFactory(ThreadFactory threadFactory) {
      this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
      return this;
    }

    /**
     * Makes a new, open group with this builder's settings.
     *
     * @return a new group
     */
    public TaskGroup build() {
      String groupName = name != null ? name : "TaskGroup-" + GROUP_NUMBERS.getAndIncrement();
      ThreadFactory factory = threadFactory;
      if (factory == null) {
        AtomicInteger taskNumbers = new AtomicInteger();
        factory = task -> {
          Thread thread = new Thread(task, groupName + "-" + taskNumbers.getAndIncrement());
          thread.setDaemon(false);
          return thread;
        };
      }
      return new TaskGroup(groupName, factory);
    }
  }

  /**
   * Returns this group's name.
   *
   * @return the name given to the builder, or {@code TaskGroup-N}
   */
  @Override
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
          + (state == State.FAILED ? "shutting down after a failure" : "shut down"));
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
   * {@inheritDoc}
   *
   * <p>Here the work already accepted is the tasks already forked; they go on running.
   */
  @Override
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
   * {@inheritDoc}
   *
   * <p>Here it cancels every unfinished task (interrupting the threads of those running) and
   * returns the tasks, as given to {@link #fork(Callable)}, whose thread had not yet begun them,
   * in fork order. Their futures are cancelled, unlike those of the tasks
   * {@code ExecutorService.shutdownNow()} returns, so that every future of the group ends. It
   * does not wait. A task of this group may call it; its own task is then cancelled, and its
   * thread interrupted, too.
   */
  @Override
  @CanIgnoreReturnValue
  public List<Callable<?>> shutdownNow() {
    List<Forked<?>> unfinished;
    lock.lock();
    try {
      if (state == State.OPEN) {
        state = State.SHUTDOWN;
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
   * {@inheritDoc}
   *
   * <p>Here the group is shut down by {@link #shutdown()}, {@link #shutdownNow()},
   * {@link #close()} or a failure, and it has terminated once every forked thread has exited.
   * Failures are not thrown here; call {@link #join()} to see them. It blocks on the group's
   * condition and in {@link Thread#join(long)}; one of this group's own tasks gets
   * {@link IllegalStateException}.
   */
  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    long nanos = Objects.requireNonNull(unit, "unit").toNanos(timeout);
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
   * {@inheritDoc}
   *
   * <p>Here the first failure of a task shuts the group down too; a shut-down group's
   * {@link #fork(Callable)} throws {@link IllegalStateException}. Blocks only briefly on the
   * group's lock.
   */
  @Override
  public boolean isShutdown() {
    lock.lock();
    try {
      return state != State.OPEN;
    } finally {
      lock.unlock();
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here: the group is shut down and every forked thread has exited. Blocks only briefly on
   * the group's lock.
   */
  @Override
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
