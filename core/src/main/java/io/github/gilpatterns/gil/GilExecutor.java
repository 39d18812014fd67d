package io.github.gilpatterns.gil;

import com.google.common.util.concurrent.AbstractListeningExecutorService;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import io.github.gilpatterns.join.Lifecycle;
import io.github.gilpatterns.join.Threads;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A thread pool whose tasks run holding a {@link Gil}: Python's
 * {@code concurrent.futures.ThreadPoolExecutor} when every worker shares one GIL
 * ({@link #create(Gil, int)}), and Python 3.14's {@code InterpreterPoolExecutor} (one
 * interpreter, so one GIL, per worker: PEP 684, the {@code multiprocessing} cure) with
 * {@link #perInterpreter(int)}.
 *
 * <p><b>Running tasks.</b> A worker takes its GIL before each task and releases it when the
 * task ends, normally or by an exception; inside the task, {@link Gil#checkpoint()} lets
 * other workers in and {@link Gil#releasing(CheckedCallable)} runs blocking calls without
 * the GIL; {@link Gil#current()} returns the worker's GIL, so that one task serves every
 * mode. Under one shared {@link Gil#create() GIL}, CPU-bound tasks therefore run one at a
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
 * reused. By default they are non-daemon platform threads named Python-style
 * {@code ThreadPoolExecutor-P_T} (or {@code InterpreterPoolExecutor-P_T}), {@code P}
 * counting executors and {@code T} workers. An executor given a name
 * ({@link #create(String, Gil, int)}, {@link #perInterpreter(String, int)},
 * {@link Builder#name(String)}) names them {@code name_0}, {@code name_1}, ... as Python's
 * {@code thread_name_prefix} does, so that a trace or a thread dump says whose they are;
 * {@link Builder#threadFactory(ThreadFactory)} takes them from a {@link ThreadFactory}
 * instead. The queue of waiting tasks is unbounded.
 *
 * <p><b>Virtual workers.</b> With {@code Thread.ofVirtual().factory()} (JDK 21 or later) the
 * workers are virtual threads, and three things change. They are daemon threads, as every
 * virtual thread is: they do not keep the JVM alive, so {@link #close()} the executor
 * before {@code main} returns or queued tasks are lost with the JVM. A worker that waits
 * (for work, for its GIL, inside {@link Gil#releasing(CheckedCallable)}) parks and frees its
 * carrier thread: the executor and {@link Gil} block only in
 * {@code java.util.concurrent.locks}, never in {@code synchronized}, so they pin no carrier
 * on any JDK. And CPU-bound tasks are not time-sliced: a task that never blocks keeps its
 * carrier, and a GIL waiter needs a free carrier to notice that its switch interval has
 * passed, so on a single carrier the holder is never asked to drop the GIL.
 *
 * <p><b>Waiting for tasks.</b> Never wait for a task of a GIL executor while holding that
 * GIL: the task cannot run until you drop it. {@link #awaitTermination(long, TimeUnit)},
 * {@link #close()}, {@code invokeAll} and {@code invokeAny} drop any GIL the calling
 * thread holds while they wait (a blocking call, as {@code Future.result()} and
 * {@code Thread.join()} are in CPython) and take it back before returning; for a future,
 * wait with {@code gil.releasing(() -> future.get())}, which throws {@code Exception}: a block
 * that throws two checked exceptions makes {@code releasing} throw their common supertype.
 * ({@code future::get} names two methods, so the compiler cannot choose an overload of
 * {@code releasing} for it.)
 *
 * <p><b>Shutdown.</b> The library's one {@link Lifecycle} contract, with tasks as its work:
 * {@link #shutdown()}, {@link #shutdownNow()}, {@link #awaitTermination(long, TimeUnit)} and
 * {@link #close()} have the semantics of {@link ThreadPoolExecutor}'s and of Java 19's
 * {@code ExecutorService.close()}. When
 * {@code shutdownNow()} returns, every task accepted before it either has started (it holds
 * its GIL and runs) or is in the returned list: the list holds the tasks still queued
 * <em>and</em> those a worker had taken but not started, because it was waiting for the GIL
 * or had only just taken them. Those workers give up the wait and never run them, so no
 * worker is left waiting for a GIL and {@code awaitTermination} does not depend on the
 * holder dropping it. A submission that races {@code shutdownNow()} is either accepted and
 * accounted for in that way, or rejected. Tasks already running are interrupted; one that is
 * inside {@link Gil#checkpoint()} waiting to take the GIL back keeps waiting
 * (uninterruptibly) until the holder drops it, and finishes with its interrupt status set.
 *
 * <p>Sample usage: two CPU-bound tasks under one GIL take twice as long as one, as two
 * CPython threads do; per interpreter, on two free cores, they take about as long as one.
 * With {@code fib} of the {@link Gil} sample (which checkpoints on every call),
 * {@code fib(40)} lasts about a second, so that the JIT's warm-up does not blur the
 * difference. On a 2-core machine one run printed {@code one GIL 2.38 s, per interpreter
 * 1.08 s}.
 * <pre> {@code
 * static double seconds(GilExecutor pool) throws Exception {
 *   long start = System.nanoTime();
 *   try (pool) {
 *     ListenableFuture<Long> a = pool.submit(() -> fib(40));
 *     ListenableFuture<Long> b = pool.submit(() -> fib(40));
 *     a.get();                                // from a thread that holds no GIL
 *     b.get();
 *   }
 *   return (System.nanoTime() - start) / 1e9;
 * }
 *
 * System.out.printf("one GIL %.2f s, per interpreter %.2f s%n",
 *     seconds(GilExecutor.create("gil", Gil.create(), 2)),
 *     seconds(GilExecutor.perInterpreter("interp", 2)));
 * }</pre>
 *
 * <p><b>Memory consistency effects:</b> actions in a thread prior to submitting a task
 * <i>happen-before</i> the task begins, and the task's actions <i>happen-before</i> its
 * result is retrieved via {@code Future.get()} and before
 * {@link #awaitTermination(long, TimeUnit)} returns {@code true}, as for any
 * {@link java.util.concurrent.ExecutorService}.
 *
 * @see Gil
 */
public final class GilExecutor extends AbstractListeningExecutorService
    implements Lifecycle<Runnable> {
  /*
   * Implementation overview.
   *
   * A fixed ThreadPoolExecutor (core = max = maxWorkers) runs a GilTask around every command;
   * Guava's AbstractListeningExecutorService turns submit/invokeAll into ListenableFutures that
   * reach execute() as Runnables.
   *
   * Every task goes through the queue. execute() never hands the pool a task to run directly
   * (TPE's firstTask, which no queue or worker field would show): it grows the pool with
   * prestartCoreThread() while fewer than maxWorkers workers were started, offers the task to
   * the WorkQueue, and then re-checks for a shutdown as TPE's execute() does. A task offered
   * while a shutdown began is withdrawn (CAS NEW -> ABANDONED, then removed) and rejected,
   * unless a worker has already started it or shutdownNow() has returned it.
   *
   * GilTask state machine (a volatile int): NEW -> RUNNING (CAS by the worker once it holds the
   * GIL) or NEW -> ABANDONED (CAS by shutdownNow(), which returns the command, or by a
   * withdrawing execute(), which rejects it). A worker that finds its task ABANDONED, before
   * or after it won the GIL, does not run it.
   *
   * Workers. Every worker thread has a Worker record (through the `worker` thread-local, and
   * listed in `workers`): its thread, its GIL (the shared one, or gils[k % n] for the k-th
   * thread the factory makes, per interpreter), the task it holds but has not started
   * (`waitingFor`), and the `taking` mark. WorkQueue.take() sets `taking` before it dequeues and clears it
   * only after it has recorded the dequeued task in `waitingFor`; a task leaves
   * `waitingFor` only once it is RUNNING or ABANDONED. So at any moment a task that has been
   * accepted and not started is in the queue, or in some worker's `waitingFor`, or inside a
   * dequeue whose worker is marked `taking`.
   *
   * shutdownNow() relies on exactly that. pool.shutdownNow() sets STOP, interrupts every
   * worker and drains the queue: those tasks are returned. A worker that dequeued a task
   * before the drain had set `taking` before it (the queue's takeLock orders the two), so
   * shutdownNow() then waits for each worker's `taking` to be clear (a worker still taking
   * wakes from its interrupt, or finishes a dequeue that cannot block, within microseconds)
   * and after it reads `waitingFor`: every task taken before the drain is found there and
   * claimed (CAS NEW -> ABANDONED). The claimed worker is interrupted once more, after the
   * claim, because the interrupt of pool.shutdownNow() may have reached it before the claim
   * and been taken for an ordinary interrupt. A task offered after the drain is no one's
   * to return: its execute() sees the shutdown in its re-check and withdraws it, and then
   * interrupts whichever worker has taken it. Either way, when shutdownNow() returns, every
   * task accepted before it either holds its GIL and runs, or is in the returned list, and no
   * worker keeps waiting for a GIL to run a task that will not run.
   *
   * Per task this costs the worker a thread-local lookup and four plain or release stores
   * (taking, waitingFor and task.worker at the take, waitingFor again at the start) and one
   * CAS; on x86 none of the stores is a fence. The Probe (null outside tests, where it lets a
   * test stop a thread inside each of the windows above) adds a null check per take.
   *
   * Since a GilTask never lets an exception escape, workers are never replaced, and k < n for
   * the life of a per-interpreter pool. Thread names come from the factory; the default one is
   * named(name): name_T, the executor's name being kind-P by default, P counting unnamed
   * executors of that kind in the JVM, and T the workers of this one.
   *
   * The blocking waits (awaitTermination, invokeAll, invokeAny) drop the caller's GIL with
   * Gil.releaseCurrent() in try-with-resources rather than with a releasing(..) lambda: a
   * lambda that throws two checked exceptions makes releasing throw their common supertype,
   * Exception, which these methods cannot declare.
   */

  private static final System.Logger LOG = System.getLogger(GilExecutor.class.getName());

  private static final int NEW = 0;
  private static final int RUNNING = 1;
  private static final int ABANDONED = 2;

  private final ThreadPoolExecutor pool;
  private final WorkQueue queue = new WorkQueue();
  private final int maxWorkers;
  /** Held while the pool grows, so that one submission at a time asks the factory. */
  private final ReentrantLock growLock = new ReentrantLock();
  /** Workers started so far; written under growLock, read without it by execute(). */
  private volatile int startedWorkers;
  /** Set by shutdownNow() before it stops the pool; read by a withdrawing execute(). */
  private volatile boolean stopping;
  /** Test hook at the racy points named in {@link Probe}; null outside tests. */
  private final @Nullable Probe probe;
  /** The shared GIL, or null per interpreter. */
  private final @Nullable Gil sharedGil;
  private final List<Gil> gils;
  /** The Worker of the current thread, if it is a worker of this executor. */
  private final ThreadLocal<Worker> worker = new ThreadLocal<>();
  /** Every worker ever created; read by shutdownNow(). */
  private final ConcurrentLinkedQueue<Worker> workers = new ConcurrentLinkedQueue<>();
  /** "ThreadPoolExecutor" or "InterpreterPoolExecutor". */
  private final String kind;
  private final String name;

  private GilExecutor(String name, String kind, @Nullable Gil sharedGil, List<Gil> gils,
      int maxWorkers, ThreadFactory threadFactory, @Nullable Probe probe) {
    this.name = name;
    this.probe = probe;
    this.sharedGil = sharedGil;
    this.gils = gils;
    this.kind = kind;
    this.maxWorkers = maxWorkers;
    // The k-th thread the factory makes gets the k-th GIL. The pool asks the factory only from
    // addWorker(), one call at a time under growLock, so the order is the order of the calls
    // (not of the threads' first runs, which the scheduler decides). A call that returns no
    // thread takes no GIL from the per-interpreter rotation. The Worker record is made on the
    // worker thread as it starts.
    AtomicInteger made = new AtomicInteger();
    ThreadFactory factory = r -> {
      Gil gil = sharedGil != null ? sharedGil : gils.get(made.get() % gils.size());
      Thread thread = threadFactory.newThread(() -> {
        Worker w = new Worker(Thread.currentThread(), gil);
        worker.set(w);
        workers.add(w);
        r.run();
      });
      if (thread != null) {
        made.incrementAndGet();
      }
      return thread;
    };
    this.pool = new ThreadPoolExecutor(maxWorkers, maxWorkers, 0L, TimeUnit.MILLISECONDS,
        queue, factory);
  }

  /**
   * Returns a new executor of up to {@code maxWorkers} threads that all run their tasks
   * holding {@code gil} (Python's {@code ThreadPoolExecutor(max_workers)}), named
   * {@code ThreadPoolExecutor-P}: its workers are non-daemon platform threads named
   * {@code ThreadPoolExecutor-P_T}. Equivalent to
   * {@code GilExecutor.builder().gil(gil).maxWorkers(maxWorkers).build()}.
   *
   * @param gil the GIL every task runs under; {@link Gil#freeThreaded()} for PEP 703
   * @param maxWorkers the maximum number of worker threads
   * @return a new executor
   * @throws NullPointerException if {@code gil} is null
   * @throws IllegalArgumentException if {@code maxWorkers} is less than 1
   */
  public static GilExecutor create(Gil gil, int maxWorkers) {
    return builder().gil(gil).maxWorkers(maxWorkers).build();
  }

  /**
   * Returns a new executor named {@code name} of up to {@code maxWorkers} threads that all run
   * their tasks holding {@code gil}; its workers are non-daemon platform threads named
   * {@code name_0}, {@code name_1}, ..., as Python's
   * {@code ThreadPoolExecutor(max_workers, thread_name_prefix)} names them. Equivalent to
   * {@code GilExecutor.builder().name(name).gil(gil).maxWorkers(maxWorkers).build()}.
   *
   * @param name the executor's name, and the start of every worker's name
   * @param gil the GIL every task runs under; {@link Gil#freeThreaded()} for PEP 703
   * @param maxWorkers the maximum number of worker threads
   * @return a new executor
   * @throws NullPointerException if {@code name} or {@code gil} is null
   * @throws IllegalArgumentException if {@code name} is empty or {@code maxWorkers} is less
   *     than 1
   */
  public static GilExecutor create(String name, Gil gil, int maxWorkers) {
    return builder().name(name).gil(gil).maxWorkers(maxWorkers).build();
  }

  /**
   * Returns a new executor of {@code interpreters} threads, each running its tasks under its
   * own new default {@link Gil} (one interpreter per worker: PEP 684, Python 3.14's
   * {@code InterpreterPoolExecutor}, the {@code multiprocessing} analogue), so CPU-bound tasks
   * run in parallel. It is named {@code InterpreterPoolExecutor-P}, and its workers are
   * non-daemon platform threads named {@code InterpreterPoolExecutor-P_T}. Equivalent to
   * {@code GilExecutor.builder().perInterpreter(interpreters).build()}.
   *
   * @param interpreters the number of workers, hence of GILs
   * @return a new executor
   * @throws IllegalArgumentException if {@code interpreters} is less than 1
   */
  public static GilExecutor perInterpreter(int interpreters) {
    return builder().perInterpreter(interpreters).build();
  }

  /**
   * Returns a new executor named {@code name} of {@code interpreters} threads, each with its
   * own GIL, as {@link #perInterpreter(int)}; its workers are named {@code name_0},
   * {@code name_1}, ...
   *
   * @param name the executor's name, and the start of every worker's name
   * @param interpreters the number of workers, hence of GILs
   * @return a new executor
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if {@code name} is empty or {@code interpreters} is less
   *     than 1
   */
  public static GilExecutor perInterpreter(String name, int interpreters) {
    return builder().name(name).perInterpreter(interpreters).build();
  }

  /**
   * Returns a builder of GIL executors.
   *
   * @return a new builder with the defaults: one new {@link Gil#create() default GIL} shared by
   *     up to {@code min(32, cores + 4)} workers (Python's default {@code max_workers}),
   *     non-daemon platform workers, and the name {@code ThreadPoolExecutor-P} (or
   *     {@code InterpreterPoolExecutor-P} per interpreter)
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder of {@link GilExecutor}s: one GIL shared by every worker ({@link #gil(Gil)},
   * {@link #maxWorkers(int)}), or one GIL per worker ({@link #perInterpreter(int)},
   * {@link #gils(Supplier)}), which exclude each other. Not thread-safe; each {@link #build()}
   * makes a new executor (which starts its workers as tasks arrive). A setter that throws
   * changes nothing.
   */
  public static final class Builder {
    private @Nullable String name;
    private @Nullable Gil gil;
    private int maxWorkers;
    private int interpreters;
    private @Nullable Supplier<Gil> gils;
    private @Nullable ThreadFactory threadFactory;
    private @Nullable Probe probe;

    private Builder() {}

    /**
     * Names the executor; its workers are named {@code name_0}, {@code name_1}, ... in the
     * order they start, as Python's {@code thread_name_prefix} names them, unless a
     * {@linkplain #threadFactory(ThreadFactory) thread factory} names them.
     *
     * @param name the executor's name
     * @return this builder
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is empty
     */
    @CanIgnoreReturnValue
    public Builder name(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("name must not be empty");
      }
      this.name = name;
      return this;
    }

    /**
     * Makes every worker run its tasks holding {@code gil} (default: a new
     * {@link Gil#create() default GIL}).
     *
     * @param gil the GIL every task runs under; {@link Gil#freeThreaded()} for PEP 703
     * @return this builder
     * @throws NullPointerException if {@code gil} is null
     * @throws IllegalStateException if {@link #perInterpreter(int)} was set
     */
    @CanIgnoreReturnValue
    public Builder gil(Gil gil) {
      Objects.requireNonNull(gil, "gil");
      checkShared();
      this.gil = gil;
      return this;
    }

    /**
     * Sets the maximum number of workers sharing the GIL (default {@code min(32, cores + 4)},
     * Python's).
     *
     * @param maxWorkers the maximum number of worker threads
     * @return this builder
     * @throws IllegalArgumentException if {@code maxWorkers} is less than 1
     * @throws IllegalStateException if {@link #perInterpreter(int)} was set
     */
    @CanIgnoreReturnValue
    public Builder maxWorkers(int maxWorkers) {
      if (maxWorkers < 1) {
        throw new IllegalArgumentException("maxWorkers must be at least 1: " + maxWorkers);
      }
      checkShared();
      this.maxWorkers = maxWorkers;
      return this;
    }

    /**
     * Gives each of {@code interpreters} workers a GIL of its own (PEP 684): CPU-bound tasks
     * run in parallel. The k-th worker the thread factory makes gets the k-th GIL of
     * {@link GilExecutor#gils()}.
     *
     * @param interpreters the number of workers, hence of GILs
     * @return this builder
     * @throws IllegalArgumentException if {@code interpreters} is less than 1
     * @throws IllegalStateException if {@link #gil(Gil)} or {@link #maxWorkers(int)} was set
     */
    @CanIgnoreReturnValue
    public Builder perInterpreter(int interpreters) {
      if (interpreters < 1) {
        throw new IllegalArgumentException("interpreters must be at least 1: " + interpreters);
      }
      if (gil != null || maxWorkers != 0) {
        throw new IllegalStateException(
            "perInterpreter(..) gives each worker its own GIL: it excludes gil(..) and maxWorkers(..)");
      }
      this.interpreters = interpreters;
      return this;
    }

    /**
     * With {@link #perInterpreter(int)}, makes the GILs with {@code gils}, called once per
     * interpreter when the executor is built (default {@link Gil#create()}): for instance
     * {@code Gil.builder().trace(true)::build} for GILs whose {@link Gil#trace() trace} shows
     * each interpreter's timeline, read back with {@link GilExecutor#gils()}.
     *
     * @param gils makes one new GIL per call
     * @return this builder
     * @throws NullPointerException if {@code gils} is null
     * @throws IllegalStateException if {@link #gil(Gil)} or {@link #maxWorkers(int)} was set
     */
    @CanIgnoreReturnValue
    public Builder gils(Supplier<Gil> gils) {
      Objects.requireNonNull(gils, "gils");
      if (gil != null || maxWorkers != 0) {
        throw new IllegalStateException("gils(..) makes one GIL per interpreter: it excludes "
            + "gil(..) and maxWorkers(..)");
      }
      this.gils = gils;
      return this;
    }

    private void checkShared() {
      if (interpreters != 0 || gils != null) {
        throw new IllegalStateException("gil(..) and maxWorkers(..) share one GIL: they exclude "
            + "perInterpreter(..) and gils(..)");
      }
    }

    /**
     * Makes the workers with {@code threadFactory}, as
     * {@code Executors.newFixedThreadPool(int, ThreadFactory)} does: on JDK 21 or later,
     * {@code Thread.ofVirtual().factory()} gives virtual workers (see the class documentation
     * for what changes then). The factory decides the workers' names, kind and daemon status;
     * {@link Threads#factory(String, ThreadFactory)} keeps the Python-style names on threads of
     * any kind.
     *
     * <p>The factory must return a new, unstarted thread that runs the {@code Runnable} it is
     * given. It is called on a submitting thread, once per submission while fewer than the
     * maximum workers have started, never twice at a time. If it throws, that submission is
     * rejected with a {@link RejectedExecutionException} whose cause is the factory's
     * exception, and the next submission asks it again. If it returns null, the task is queued
     * for the workers that exist, and rejected if there are none. (This is
     * {@link ThreadPoolExecutor}'s behaviour, except that a factory's exception reaches the
     * caller as the cause of the rejection.)
     *
     * @param threadFactory makes the worker threads
     * @return this builder
     * @throws NullPointerException if {@code threadFactory} is null
     */
    @CanIgnoreReturnValue
    public Builder threadFactory(ThreadFactory threadFactory) {
      this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
      return this;
    }

    /** For tests of this package: the executor's racy points call {@code probe}. */
    @CanIgnoreReturnValue
    Builder probe(Probe probe) {
      this.probe = Objects.requireNonNull(probe, "probe");
      return this;
    }

    /**
     * Makes a new executor with this builder's settings; its workers start as tasks arrive.
     *
     * @return a new executor
     * @throws NullPointerException if the {@linkplain #gils(Supplier) GIL supplier} returns null
     * @throws IllegalArgumentException if the GIL supplier returns the same GIL twice (the
     *     interpreters would share it)
     */
    public GilExecutor build() {
      if (interpreters == 0 && gils == null) {
        Gil shared = gil != null ? gil : Gil.create();
        int n = maxWorkers != 0 ? maxWorkers
            : Math.min(32, Runtime.getRuntime().availableProcessors() + 4);
        return make("ThreadPoolExecutor", shared, List.of(shared), n);
      }
      int n = interpreters != 0 ? interpreters : Runtime.getRuntime().availableProcessors();
      Supplier<Gil> supplier = gils != null ? gils : Gil::create;
      List<Gil> own = new ArrayList<>(n);
      Set<Gil> seen = Collections.newSetFromMap(new IdentityHashMap<>());
      for (int i = 0; i < n; i++) {
        Gil g = Objects.requireNonNull(supplier.get(), "the GIL supplier returned null");
        if (!seen.add(g)) {
          throw new IllegalArgumentException(
              "the GIL supplier returned " + g + " twice; each interpreter needs its own GIL");
        }
        own.add(g);
      }
      return make("InterpreterPoolExecutor", null, List.copyOf(own), n);
    }

    private GilExecutor make(String kind, @Nullable Gil shared, List<Gil> gils, int n) {
      String executorName = name != null ? name
          : kind + "-" + EXECUTOR_NUMBERS.computeIfAbsent(kind, k -> new AtomicInteger())
              .getAndIncrement();
      ThreadFactory factory = threadFactory != null ? threadFactory : named(executorName);
      return new GilExecutor(executorName, kind, shared, gils, n, factory, probe);
    }
  }

  /** Numbers the executors of each kind that were not given a name, from 0, across the JVM. */
  private static final ConcurrentHashMap<String, AtomicInteger> EXECUTOR_NUMBERS =
      new ConcurrentHashMap<>();

  /**
   * Returns a factory of non-daemon platform threads named {@code prefix_0}, {@code prefix_1},
   * ..., Python's {@code thread_name_prefix} naming.
   */
  private static ThreadFactory named(String prefix) {
    AtomicInteger number = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, prefix + "_" + number.getAndIncrement());
      thread.setDaemon(false); // not inherited from the submitting thread
      return thread;
    };
  }

  /**
   * Points where the tests stop a thread to force an interleaving that timing alone
   * reaches too rarely to test. Called on the thread at that point.
   */
  interface Probe {
    /** A worker has dequeued a task and not yet recorded it (it is still marked taking). */
    default void dequeued() {}

    /** A worker waiting to run a NEW task took an interrupt for an ordinary one. */
    default void interruptedWhileWaiting() {}

    /** shutdownNow() has stopped the pool (interrupted, drained) and not yet claimed. */
    default void drained() {}
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
   * future. May be called by any thread, including a task of this executor; does not wait
   * for the GIL. Below {@code maxWorkers} started workers it starts one more (see
   * {@link Builder#threadFactory(ThreadFactory)} for a factory that fails). Once this returns,
   * the task will run, or {@link #shutdownNow()} returns it.
   *
   * <p>IMPLEMENTATION NOTES: blocking only on the queue's put lock (held for an enqueue by
   * another submitter) and, while fewer than {@code maxWorkers} workers have started, on the
   * lock under which one submission at a time calls the thread factory.
   *
   * @param command the task to run
   * @throws NullPointerException if {@code command} is null
   * @throws RejectedExecutionException if this executor has been shut down, or if the
   *     thread factory threw (the cause) or returned null while no worker exists
   */
  @Override
  public void execute(Runnable command) {
    GilTask task = new GilTask(Objects.requireNonNull(command, "command"));
    if (pool.isShutdown()) {
      throw rejected(command);
    }
    if (startedWorkers < maxWorkers) {
      addWorker(command);
    }
    queue.offer(task);
    if (pool.isShutdown() && withdraw(task)) {
      throw rejected(command);
    }
  }

  private RejectedExecutionException rejected(Runnable command) {
    return new RejectedExecutionException(kind + " is shut down; rejected " + command);
  }

  /**
   * Starts one more worker, as ThreadPoolExecutor does on each submission below its core
   * size, but with no first task. Rejects the submission if the factory throws, or if it
   * returns null while no worker exists to run the task.
   */
  private void addWorker(Runnable command) {
    growLock.lock();
    try {
      if (startedWorkers >= maxWorkers) {
        return;
      }
      boolean started;
      try {
        started = pool.prestartCoreThread();
      } catch (RuntimeException e) {
        throw new RejectedExecutionException(
            "the thread factory of " + kind + " failed; rejected " + command, e);
      }
      if (started) {
        startedWorkers = startedWorkers + 1;
      } else if (startedWorkers == 0 && !pool.isShutdown()) {
        throw new RejectedExecutionException("the thread factory of " + kind
            + " returned no thread and no worker exists; rejected " + command);
      }
    } finally {
      growLock.unlock();
    }
  }

  /**
   * Takes back a task whose offer raced a shutdown. Returns false if a worker has already
   * started it or shutdownNow() has returned it: then it was accepted.
   */
  private boolean withdraw(GilTask task) {
    if (!task.compareAndSetState(NEW, ABANDONED)) {
      return false;
    }
    if (!queue.remove(task) && stopping) {
      // A worker took it after shutdownNow() drained the queue: end its wait for the GIL.
      releaseWaiters(null);
    }
    return true;
  }

  /**
   * Starts an orderly shutdown: tasks already submitted run, new ones are rejected. Does
   * not wait; use {@link #awaitTermination(long, TimeUnit)} or {@link #close()}. May be
   * called by any thread, any number of times.
   */
  @Override
  public void shutdown() {
    pool.shutdown();
  }

  /**
   * Attempts to stop all tasks: rejects new ones, interrupts the workers, and returns the
   * tasks that never started, both those still queued and those a worker had taken but not
   * started (it was waiting for the GIL, or had just taken the task); those workers give up
   * the wait. When this returns, every task accepted before the call has started or is in
   * the list. Running tasks are interrupted; it is up to them to stop.
   *
   * <p>May be called by any thread, including a task of this executor. Blocks only while a
   * worker finishes taking a task from the queue (a few instructions, unless the thread is
   * descheduled there): it spins, yields, then parks briefly. An interrupt does not end that
   * wait; the interrupt status is kept. The returned tasks' futures, for tasks
   * submitted with {@code submit}, are left incomplete, as {@link ThreadPoolExecutor} leaves
   * them.
   *
   * @return the tasks that never started, in no particular order
   */
  @Override
  @CanIgnoreReturnValue
  public List<Runnable> shutdownNow() {
    stopping = true;
    List<Runnable> notRun = new ArrayList<>();
    for (Runnable r : pool.shutdownNow()) {
      GilTask t = (GilTask) r;
      if (t.compareAndSetState(NEW, ABANDONED)) { // else withdrawn by its execute()
        notRun.add(t.command);
      }
    }
    if (probe != null) {
      probe.drained();
    }
    releaseWaiters(notRun);
    return notRun;
  }

  /**
   * For every worker, once it is not between dequeuing a task and recording it: if the task it
   * holds has not started, claims it into {@code claimed} (when not null); then, if that task
   * is abandoned, interrupts the worker so that it gives up waiting for the GIL.
   */
  private void releaseWaiters(@Nullable List<Runnable> claimed) {
    for (Worker w : workers) {
      awaitNotTaking(w);
      @Nullable GilTask t = (GilTask) WAITING_FOR.getAcquire(w);
      if (t == null) {
        continue;
      }
      if (claimed != null && t.compareAndSetState(NEW, ABANDONED)) {
        claimed.add(t.command);
      }
      if (t.state == ABANDONED) {
        w.thread.interrupt();
      }
    }
  }

  /**
   * Waits while {@code w} is inside WorkQueue's dequeue-and-record: spins, yields, then parks
   * for 10 us at a time. Parking matters on virtual threads: a worker woken by this thread
   * may be queued on this thread's carrier, which a yield does not give up. An interrupt
   * does not end the wait (the window is a few instructions long) and is kept.
   */
  private static void awaitNotTaking(Worker w) {
    boolean interrupted = false;
    for (int spins = 0; (boolean) TAKING.getAcquire(w); spins++) {
      if (spins < 100) {
        Thread.onSpinWait();
      } else if (spins < 200) {
        Thread.yield();
      } else {
        interrupted |= Thread.interrupted(); // parkNanos returns at once while interrupted
        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(10));
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Returns this executor's name: the one given to {@link #create(String, Gil, int)},
   * {@link #perInterpreter(String, int)} or the builder, or {@code ThreadPoolExecutor-P}
   * ({@code InterpreterPoolExecutor-P}), {@code P} counting such executors in the JVM.
   *
   * @return the name
   */
  @Override
  public String name() {
    return name;
  }

  /**
   * Returns whether this executor has been shut down. Does not block.
   *
   * @return {@code true} after {@link #shutdown()}, {@link #shutdownNow()} or
   *     {@link #close()}
   */
  @Override
  public boolean isShutdown() {
    return pool.isShutdown();
  }

  /**
   * Returns whether every task has completed after a shutdown. Does not block. Once it
   * returns {@code true}, the actions of every task <i>happen-before</i> the return.
   *
   * @return {@code true} if this executor is shut down and all its workers have ended
   */
  @Override
  public boolean isTerminated() {
    return pool.isTerminated();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here a calling thread that holds a {@link Gil} drops it while waiting and takes it back
   * (uninterruptibly) before returning or throwing. A task of this executor gets
   * {@link IllegalStateException}: it has not completed, so the executor cannot terminate
   * while it waits.
   */
  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    Objects.requireNonNull(unit, "unit");
    if (worker.get() != null) {
      throw new IllegalStateException("awaitTermination() called by a task of " + name
          + ", which would wait for itself");
    }
    Gil.Released released = Gil.releaseCurrent();
    try (released) {
      return pool.awaitTermination(timeout, unit);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Declared here, though the contract's default does the work, because Guava's
   * {@code ListeningExecutorService} has a default of its own.
   */
  @Override
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return Lifecycle.super.awaitTermination(timeout);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here the calling thread's {@link Gil}, if it holds one, is dropped while it waits, so that
   * the tasks can run. (Declared here, though the contract's default does the work, so that the
   * JDK 19+ {@code ExecutorService.close()} default is not inherited beside it.)
   */
  @Override
  public void close() {
    Lifecycle.super.close();
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
    Gil.Released released = Gil.releaseCurrent();
    try (released) {
      return super.invokeAll(tasks);
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
    Gil.Released released = Gil.releaseCurrent();
    try (released) {
      return super.invokeAll(tasks, timeout, unit);
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
    Gil.Released released = Gil.releaseCurrent();
    try (released) {
      return super.invokeAny(tasks);
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
    Gil.Released released = Gil.releaseCurrent();
    try (released) {
      return super.invokeAny(tasks, timeout, unit);
    }
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
    return kind + "[" + name + ", " + state + ", workers=" + pool.getPoolSize() + "/" + pool.getMaximumPoolSize()
        + ", queued=" + pool.getQueue().size()
        + (sharedGil != null ? ", gil=" + sharedGil : ", gils=" + gils.size()) + "]";
  }

  /** A worker thread's GIL, and the task it has taken but not started. */
  private static final class Worker {
    final Thread thread;
    final Gil gil;
    /**
     * The task this worker has taken and not yet started or given up, else null. Written
     * (release) by the worker; read (acquire) by shutdownNow() and withdraw().
     */
    volatile @Nullable GilTask waitingFor;
    /**
     * True while the worker is inside WorkQueue.take(): set (plain) before the dequeue, which
     * the queue's lock publishes, cleared (release) after waitingFor is recorded. Read
     * (acquire) by shutdownNow() and withdraw().
     */
    boolean taking;

    Worker(Thread thread, Gil gil) {
      this.thread = thread;
      this.gil = gil;
    }
  }

  private static final VarHandle WAITING_FOR;
  private static final VarHandle TAKING;
  private static final VarHandle STATE;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      WAITING_FOR = lookup.findVarHandle(Worker.class, "waitingFor", GilTask.class);
      TAKING = lookup.findVarHandle(Worker.class, "taking", boolean.class);
      STATE = lookup.findVarHandle(GilTask.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * The pool's queue: a worker's dequeue and the record of what it dequeued happen inside its
   * {@code taking} mark. Only the pool's workers call take() and poll(timeout).
   */
  private final class WorkQueue extends LinkedBlockingQueue<Runnable> {
    @Override
    public Runnable take() throws InterruptedException {
      Worker w = worker.get();
      w.taking = true;
      try {
        Runnable r = super.take();
        if (probe != null) {
          probe.dequeued();
        }
        return record(w, r);
      } finally {
        TAKING.setRelease(w, false);
      }
    }

    @Override
    public @Nullable Runnable poll(long timeout, TimeUnit unit) throws InterruptedException {
      Worker w = worker.get();
      w.taking = true;
      try {
        Runnable r = super.poll(timeout, unit);
        return r == null ? null : record(w, r);
      } finally {
        TAKING.setRelease(w, false);
      }
    }

    private GilTask record(Worker w, Runnable r) {
      GilTask t = (GilTask) r;
      t.worker = w;
      WAITING_FOR.setRelease(w, t);
      return t;
    }
  }

  /** A command wrapped to run holding the worker's GIL. */
  private final class GilTask implements Runnable {
    final Runnable command;
    /** NEW, RUNNING or ABANDONED; see the implementation overview. */
    volatile int state; // NEW == 0
    /** The worker that took this task; written and read by that worker only. */
    @Nullable Worker worker;

    GilTask(Runnable command) {
      this.command = command;
    }

    boolean compareAndSetState(int expected, int value) {
      return STATE.compareAndSet(this, expected, value);
    }

    @Override
    public void run() {
      Worker w = Objects.requireNonNull(worker, "run before WorkQueue.take() recorded it");
      if (state != NEW) { // withdrawn or claimed before the worker came to it
        WAITING_FOR.setRelease(w, null);
        return;
      }
      Gil gil = w.gil;
      boolean interrupted = false;
      while (true) {
        try {
          gil.acquire();
          break;
        } catch (InterruptedException e) {
          interrupted = true; // not ours to swallow: the task, or the pool, sees it
          if (state == ABANDONED) {
            // shutdownNow() or execute() has taken this task back: give up the wait.
            WAITING_FOR.setRelease(w, null);
            Thread.currentThread().interrupt();
            return;
          }
          if (probe != null) {
            probe.interruptedWhileWaiting();
          }
        }
      }
      boolean start = compareAndSetState(NEW, RUNNING);
      WAITING_FOR.setRelease(w, null);
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      if (!start) {
        // Taken back after we won the GIL: do not run it.
        gil.release();
        return;
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
        int holds = gil.releaseFully();
        if (holds != 1) {
          LOG.log(System.Logger.Level.WARNING,
              "task {0} left {1} extra hold(s) of {2}; released them", command, holds - 1, gil);
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
