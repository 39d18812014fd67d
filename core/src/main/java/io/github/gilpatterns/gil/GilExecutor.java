package io.github.gilpatterns.gil;

import com.google.common.base.Throwables;
import com.google.common.util.concurrent.AbstractListeningExecutorService;
import io.github.gilpatterns.join.Threads;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A thread pool whose tasks run holding a {@link Gil}: Python's
 * {@code concurrent.futures.ThreadPoolExecutor} when every worker shares one GIL
 * ({@link #create(Gil, int)}), and Python 3.14's {@code InterpreterPoolExecutor} (one
 * interpreter, so one GIL, per worker: PEP 684, the {@code multiprocessing} cure) with
 * {@link #perInterpreter(int)}.
 *
 * <p><b>Running tasks.</b> A worker takes its GIL before each task and releases it when the
 * task ends, normally or by an exception; inside the task, {@link Gil#checkpoint()} lets
 * other workers in and {@link Gil#releasing(Callable)} runs blocking calls without the
 * GIL. Under one shared {@link Gil#create() GIL}, CPU-bound tasks therefore run one at a
 * time; under a {@link Gil#freeThreaded() free-threaded} one, or per interpreter, in
 * parallel. Futures are Guava {@code ListenableFuture}s. A task submitted with
 * {@link #execute(Runnable)} that throws passes the exception to its worker's
 * {@linkplain Thread.UncaughtExceptionHandler uncaught-exception handler}, as
 * {@link ThreadPoolExecutor} does, but the worker survives (so that per-interpreter
 * workers keep their GIL) instead of being replaced. A task that leaves its GIL held
 * (acquires without releasing) has the extra holds released, with a {@link System.Logger}
 * warning.
 *
 * <p><b>Workers</b> are started one per submission until {@code maxWorkers} exist, then
 * reused; they are non-daemon threads named Python-style {@code ThreadPoolExecutor-P_T}
 * (or {@code InterpreterPoolExecutor-P_T}), {@code P} counting executors and {@code T}
 * workers. The queue of waiting tasks is unbounded.
 *
 * <p><b>Waiting for tasks.</b> Never wait for a task of a GIL executor while holding that
 * GIL: the task cannot run until you drop it. {@link #awaitTermination(long, TimeUnit)},
 * {@link #close()}, {@code invokeAll} and {@code invokeAny} drop any GIL the calling
 * thread holds while they wait (a blocking call, as {@code Future.result()} and
 * {@code Thread.join()} are in CPython) and take it back before returning; for a future,
 * wait with {@code gil.releasing(future::get)}.
 *
 * <p><b>Shutdown.</b> {@link #shutdown()}, {@link #shutdownNow()},
 * {@link #awaitTermination(long, TimeUnit)} and {@link #close()} have the semantics of
 * {@link ThreadPoolExecutor}'s and of Java 19's {@code ExecutorService.close()}. The tasks
 * {@code shutdownNow()} returns are the ones still queued <em>and</em> the ones whose
 * worker was still waiting for the GIL: those workers are interrupted, give up the wait
 * and never run them, so no worker is left stranded waiting for a GIL. Tasks already
 * running are interrupted; one that is inside {@link Gil#checkpoint()} waiting to take the
 * GIL back keeps waiting (uninterruptibly) until the holder drops it, and finishes with
 * its interrupt status set.
 *
 * <p>Sample usage, the seed notebooks' experiment: two CPU-bound threads under a GIL take
 * twice as long as one, per interpreter they do not.
 * <pre> {@code
 * try (GilExecutor pool = GilExecutor.create(Gil.create(), 2)) {   // or perInterpreter(2)
 *   ListenableFuture<Long> a = pool.submit(() -> fib(32));
 *   ListenableFuture<Long> b = pool.submit(() -> fib(32));
 *   System.out.println(a.get() + b.get());    // from a thread that holds no GIL
 * }}</pre>
 *
 * <p><b>Memory consistency effects:</b> actions in a thread prior to submitting a task
 * <i>happen-before</i> the task begins, and the task's actions <i>happen-before</i> its
 * result is retrieved via {@code Future.get()} and before
 * {@link #awaitTermination(long, TimeUnit)} returns {@code true}, as for any
 * {@link java.util.concurrent.ExecutorService}.
 *
 * @see Gil
 */
public final class GilExecutor extends AbstractListeningExecutorService implements AutoCloseable {
  /*
   * Implementation overview.
   *
   * A fixed ThreadPoolExecutor (core = max = maxWorkers, unbounded LinkedBlockingQueue)
   * runs a GilTask around every command; Guava's AbstractListeningExecutorService turns
   * submit/invokeAll into ListenableFutures that reach execute() as Runnables.
   *
   * GilTask state machine (a volatile int): NEW -> WAITING (the worker took it and is
   * waiting for the GIL; its Worker's `waitingFor` points to it) -> RUNNING (CAS after the GIL is
   * taken) or ABANDONED (CAS by shutdownNow(), which returns the command). shutdownNow()
   * marks before it interrupts, so an interrupted waiter can tell "shutdownNow claimed my
   * task" (give up) from any other interrupt (remember it, keep waiting, run the task with
   * the interrupt status set: an accepted task is never dropped silently). A waiter that
   * wins the GIL after being abandoned finds the CAS to RUNNING failing, drops the GIL and
   * does not run the task.
   *
   * Workers. The thread factory gives every worker thread a Worker (through the `worker`
   * thread-local, and listed in `workers` for shutdownNow()): its GIL (the shared one, or
   * gils[k % n] for the k-th worker per interpreter) and the task it is waiting for the GIL
   * to run, if any. A worker waits for at most one task at a time, so shutdownNow() finds
   * every waiting task by reading one field per worker; a task pays two release stores for
   * this (an earlier version added every task to a concurrent set and removed it again,
   * about a third of the executor's cost per task). Since a GilTask never lets an exception
   * escape, workers are never replaced and k < n for the life of the pool. A task that
   * starts waiting just after shutdownNow() read its worker's field is not returned; the
   * interrupt that follows finds it not ABANDONED, so it keeps waiting and runs with the
   * interrupt status set, as any task interrupted while waiting does: never dropped.
   *
   * Thread names come from Threads.factory(prefix): prefix-P_T, P counting executors of
   * that kind in the JVM, T the workers of this one.
   */

  private static final System.Logger LOG = System.getLogger(GilExecutor.class.getName());

  private static final int NEW = 0;
  private static final int WAITING = 1;
  private static final int RUNNING = 2;
  private static final int ABANDONED = 3;

  private final ThreadPoolExecutor pool;
  /** The shared GIL, or null per interpreter. */
  private final Gil sharedGil;
  private final List<Gil> gils;
  /** The Worker of the current thread, if it is a worker of this executor. */
  private final ThreadLocal<Worker> worker = new ThreadLocal<>();
  /** Every worker ever created; read by shutdownNow(). */
  private final ConcurrentLinkedQueue<Worker> workers = new ConcurrentLinkedQueue<>();
  /** "ThreadPoolExecutor" or "InterpreterPoolExecutor". */
  private final String kind;

  private GilExecutor(String prefix, Gil sharedGil, List<Gil> gils, int maxWorkers) {
    this.sharedGil = sharedGil;
    this.gils = gils;
    this.kind = prefix;
    ThreadFactory named = Threads.factory(prefix);
    AtomicInteger workerNumber = new AtomicInteger();
    ThreadFactory factory = r -> {
      Worker w = new Worker(
          sharedGil != null ? sharedGil : gils.get(workerNumber.getAndIncrement() % gils.size()));
      Thread t = named.newThread(() -> {
        worker.set(w);
        r.run();
      });
      workers.add(w);
      return t;
    };
    this.pool = new ThreadPoolExecutor(maxWorkers, maxWorkers, 0L, TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(), factory);
  }

  /**
   * Returns a new executor of up to {@code maxWorkers} threads that all run their tasks
   * holding {@code gil} (Python's {@code ThreadPoolExecutor(max_workers)}).
   *
   * @param gil the GIL every task runs under; {@link Gil#freeThreaded()} for PEP 703
   * @param maxWorkers the maximum number of worker threads
   * @return a new executor
   * @throws NullPointerException if {@code gil} is null
   * @throws IllegalArgumentException if {@code maxWorkers} is less than 1
   */
  public static GilExecutor create(Gil gil, int maxWorkers) {
    Objects.requireNonNull(gil, "gil");
    if (maxWorkers < 1) {
      throw new IllegalArgumentException("maxWorkers must be at least 1: " + maxWorkers);
    }
    return new GilExecutor("ThreadPoolExecutor", gil, List.of(gil), maxWorkers);
  }

  /**
   * Returns a new executor of up to {@code interpreters} threads, each running its tasks
   * under its own new default {@link Gil} (one interpreter per worker: PEP 684, Python
   * 3.14's {@code InterpreterPoolExecutor}, the {@code multiprocessing} analogue), so CPU-
   * bound tasks run in parallel.
   *
   * @param interpreters the number of workers, hence of GILs
   * @return a new executor
   * @throws IllegalArgumentException if {@code interpreters} is less than 1
   */
  public static GilExecutor perInterpreter(int interpreters) {
    if (interpreters < 1) {
      throw new IllegalArgumentException("interpreters must be at least 1: " + interpreters);
    }
    List<Gil> own = new ArrayList<>(interpreters);
    for (int i = 0; i < interpreters; i++) {
      own.add(Gil.create());
    }
    return new GilExecutor("InterpreterPoolExecutor", null, List.copyOf(own), interpreters);
  }

  /**
   * Returns the GILs of this executor: the one shared GIL, or one per worker (in worker
   * order) for {@link #perInterpreter(int)}. Read their {@link Gil#stats()} to see what
   * happened.
   *
   * @return an unmodifiable list of this executor's GILs
   */
  public List<Gil> gils() {
    return gils;
  }

  /**
   * Executes {@code command} on a worker, holding the worker's GIL, at some time in the
   * future.
   *
   * @param command the task to run
   * @throws NullPointerException if {@code command} is null
   * @throws java.util.concurrent.RejectedExecutionException if this executor has been
   *     shut down
   */
  @Override
  public void execute(Runnable command) {
    pool.execute(new GilTask(Objects.requireNonNull(command, "command")));
  }

  /**
   * Starts an orderly shutdown: tasks already submitted run, new ones are rejected. Does
   * not wait; use {@link #awaitTermination(long, TimeUnit)} or {@link #close()}.
   */
  @Override
  public void shutdown() {
    pool.shutdown();
  }

  /**
   * Attempts to stop all tasks: rejects new ones, interrupts the workers, and returns the
   * tasks that never started, both those still queued and those whose worker was waiting
   * for the GIL (those workers give up the wait). Running tasks are interrupted; it is up
   * to them to stop.
   *
   * @return the tasks that never started, in no particular order
   */
  @Override
  public List<Runnable> shutdownNow() {
    List<Runnable> notRun = new ArrayList<>();
    for (Worker w : workers) {
      GilTask t = w.waitingFor;
      if (t != null && t.compareAndSetState(WAITING, ABANDONED)) {
        notRun.add(t.command);
      }
    }
    for (Runnable r : pool.shutdownNow()) {
      notRun.add(((GilTask) r).command);
    }
    return notRun;
  }

  /**
   * Returns whether this executor has been shut down.
   *
   * @return {@code true} after {@link #shutdown()}, {@link #shutdownNow()} or
   *     {@link #close()}
   */
  @Override
  public boolean isShutdown() {
    return pool.isShutdown();
  }

  /**
   * Returns whether every task has completed after a shutdown.
   *
   * @return {@code true} if this executor is shut down and all its workers have ended
   */
  @Override
  public boolean isTerminated() {
    return pool.isTerminated();
  }

  /**
   * Blocks until all tasks have completed after a shutdown, or the timeout elapses, or
   * the current thread is interrupted. If the current thread holds a {@link Gil}, drops
   * it while waiting and takes it back before returning.
   *
   * @param timeout the maximum time to wait
   * @param unit the unit of {@code timeout}
   * @return {@code true} if this executor terminated, {@code false} if the timeout
   *     elapsed first
   * @throws InterruptedException if interrupted while waiting
   */
  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    Objects.requireNonNull(unit, "unit");
    try {
      return whileBlocked(() -> pool.awaitTermination(timeout, unit));
    } catch (Exception e) {
      Throwables.throwIfInstanceOf(e, InterruptedException.class);
      Throwables.throwIfUnchecked(e);
      throw new AssertionError(e);
    }
  }

  /**
   * Shuts down and waits for every task to complete, as Java 19's
   * {@code ExecutorService.close()} does (Python's {@code shutdown(wait=True)}); if
   * interrupted while waiting, calls {@link #shutdownNow()}, keeps waiting, and returns
   * with the interrupt status set. Drops any {@link Gil} the current thread holds while
   * it waits. Does nothing if already terminated.
   */
  @Override
  public void close() {
    boolean terminated = isTerminated();
    if (!terminated) {
      shutdown();
      boolean interrupted = false;
      while (!terminated) {
        try {
          terminated = awaitTermination(1L, TimeUnit.DAYS);
        } catch (InterruptedException e) {
          if (!interrupted) {
            shutdownNow();
            interrupted = true;
          }
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * {@inheritDoc} Drops any {@link Gil} the current thread holds while waiting.
   *
   * @param tasks the tasks
   * @param <T> the tasks' result type
   * @return the futures, in the order of {@code tasks}, all done
   * @throws InterruptedException if interrupted while waiting (unfinished tasks are
   *     cancelled)
   */
  @Override
  public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks)
      throws InterruptedException {
    try {
      return whileBlocked(() -> super.invokeAll(tasks));
    } catch (Exception e) {
      Throwables.throwIfInstanceOf(e, InterruptedException.class);
      Throwables.throwIfUnchecked(e);
      throw new AssertionError(e);
    }
  }

  /**
   * {@inheritDoc} Drops any {@link Gil} the current thread holds while waiting.
   *
   * @param tasks the tasks
   * @param timeout the maximum time to wait
   * @param unit the unit of {@code timeout}
   * @param <T> the tasks' result type
   * @return the futures, in the order of {@code tasks}, all done or cancelled
   * @throws InterruptedException if interrupted while waiting (unfinished tasks are
   *     cancelled)
   */
  @Override
  public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout,
                     TimeUnit unit) throws InterruptedException {
    try {
      return whileBlocked(() -> super.invokeAll(tasks, timeout, unit));
    } catch (Exception e) {
      Throwables.throwIfInstanceOf(e, InterruptedException.class);
      Throwables.throwIfUnchecked(e);
      throw new AssertionError(e);
    }
  }

  /**
   * {@inheritDoc} Drops any {@link Gil} the current thread holds while waiting.
   *
   * @param tasks the tasks
   * @param <T> the tasks' result type
   * @return the result of one task that completed successfully
   * @throws InterruptedException if interrupted while waiting
   * @throws ExecutionException if no task completed successfully
   */
  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks)
      throws InterruptedException, ExecutionException {
    try {
      return whileBlocked(() -> super.invokeAny(tasks));
    } catch (Exception e) {
      Throwables.throwIfInstanceOf(e, InterruptedException.class);
      Throwables.throwIfInstanceOf(e, ExecutionException.class);
      Throwables.throwIfUnchecked(e);
      throw new AssertionError(e);
    }
  }

  /**
   * {@inheritDoc} Drops any {@link Gil} the current thread holds while waiting.
   *
   * @param tasks the tasks
   * @param timeout the maximum time to wait
   * @param unit the unit of {@code timeout}
   * @param <T> the tasks' result type
   * @return the result of one task that completed successfully
   * @throws InterruptedException if interrupted while waiting
   * @throws ExecutionException if no task completed successfully
   * @throws TimeoutException if the timeout elapsed before a task completed successfully
   */
  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    try {
      return whileBlocked(() -> super.invokeAny(tasks, timeout, unit));
    } catch (Exception e) {
      Throwables.throwIfInstanceOf(e, InterruptedException.class);
      Throwables.throwIfInstanceOf(e, ExecutionException.class);
      Throwables.throwIfInstanceOf(e, TimeoutException.class);
      Throwables.throwIfUnchecked(e);
      throw new AssertionError(e);
    }
  }

  /** Runs a blocking wait without whatever Gil the current thread holds. */
  private static <T> T whileBlocked(Callable<T> wait) throws Exception {
    Gil held = Gil.heldByCurrentThread();
    return held == null ? wait.call() : held.releasing(wait);
  }

  /**
   * Returns a description of this executor: its name, state, workers and GILs.
   *
   * @return a string describing this executor
   */
  @Override
  public String toString() {
    String state =
        pool.isTerminated() ? "terminated" : pool.isShutdown() ? "shutting down" : "running";
    return kind + "[" + state + ", workers=" + pool.getPoolSize() + "/" + pool.getMaximumPoolSize()
        + ", queued=" + pool.getQueue().size()
        + (sharedGil != null ? ", gil=" + sharedGil : ", gils=" + gils.size()) + "]";
  }

  private Worker currentWorker() {
    Worker w = worker.get();
    if (w == null) {
      throw new IllegalStateException("not a worker of " + this);
    }
    return w;
  }

  /** A worker thread's GIL, and the task it is waiting for the GIL to run. */
  private static final class Worker {
    final Gil gil;
    /** Set (release) while this worker waits for the GIL to run the task, else null. */
    volatile GilTask waitingFor;

    Worker(Gil gil) {
      this.gil = gil;
    }
  }

  private static final VarHandle WAITING_FOR;
  private static final VarHandle STATE;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      WAITING_FOR = lookup.findVarHandle(Worker.class, "waitingFor", GilTask.class);
      STATE = lookup.findVarHandle(GilTask.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** A command wrapped to run holding the worker's GIL. */
  private final class GilTask implements Runnable {
    final Runnable command;
    /** NEW, WAITING, RUNNING or ABANDONED; see the implementation overview. */
    volatile int state; // NEW == 0

    GilTask(Runnable command) {
      this.command = command;
    }

    boolean compareAndSetState(int expected, int value) {
      return STATE.compareAndSet(this, expected, value);
    }

    @Override
    public void run() {
      Worker w = currentWorker();
      Gil gil = w.gil;
      if (!compareAndSetState(NEW, WAITING)) {
        return;
      }
      boolean interrupted = false;
      WAITING_FOR.setRelease(w, this);
      try {
        while (true) {
          try {
            gil.acquire();
            break;
          } catch (InterruptedException e) {
            if (state == ABANDONED) {
              // shutdownNow() has taken this task back: give up the wait.
              Thread.currentThread().interrupt();
              return;
            }
            interrupted = true; // not ours to swallow: the task sees it
          }
        }
      } finally {
        WAITING_FOR.setRelease(w, null);
      }
      if (!compareAndSetState(WAITING, RUNNING)) {
        // Abandoned by shutdownNow() after we won the GIL: do not run it.
        gil.release();
        Thread.currentThread().interrupt();
        return;
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      try {
        command.run();
      } catch (Throwable t) {
        Thread self = Thread.currentThread();
        self.getUncaughtExceptionHandler().uncaughtException(self, t);
      } finally {
        restoreGilState(gil);
      }
    }

    /** Releases the task's hold and any it leaked. */
    private void restoreGilState(Gil gil) {
      Gil held = Gil.heldByCurrentThread();
      if (held == gil) {
        String description = gil.toString();
        int holds = gil.releaseFully();
        if (holds != 1) {
          LOG.log(System.Logger.Level.WARNING,
              "task {0} left {1} extra hold(s) of {2}; released them",
              command, holds - 1, description);
        }
      } else if (held == null) {
        LOG.log(System.Logger.Level.WARNING,
            "task {0} released the GIL it runs under ({1}) and did not take it back",
            command, gil);
      } else {
        held.releaseFully();
        LOG.log(System.Logger.Level.WARNING,
            "task {0} left another GIL held ({1}); released it", command, held);
      }
    }

    @Override
    public String toString() {
      return "GilTask[" + command + "]";
    }
  }
}
