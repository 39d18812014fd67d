package io.github.gilpatterns.join;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Static helpers that start and join threads the way Python's {@code threading} module does:
 * {@code Thread(target=f).start()}, {@code t.join()} over a list of threads, and the
 * {@code ThreadPoolExecutor-0_0} thread names of {@code concurrent.futures}. The threads are
 * platform threads, unless they come from a {@link ThreadFactory} given to
 * {@link #start(ThreadFactory, Runnable)} or {@link #factory(String, ThreadFactory)}.
 *
 * <p><b>Joining with a deadline.</b> {@link #joinAll(Iterable, Duration)} spends one shared
 * deadline across all the threads, as a loop of {@code t.join(timeout)} calls in Python does
 * not, and returns the threads that were still alive when it ran out, so a caller can tell a
 * hung worker from a finished one:
 *
 * <pre> {@code
 * List<Thread> workers = new ArrayList<>();
 * for (int i = 0; i < 10; i++) {
 *   workers.add(Threads.start("worker-" + i, () -> counter.tell(c -> c.count++)));
 * }
 * List<Thread> hung = Threads.joinAll(workers, Duration.ofSeconds(5));
 * if (!hung.isEmpty()) throw new IllegalStateException("still running: " + hung);
 * }</pre>
 *
 * <p><b>Virtual threads.</b> A factory such as {@code Thread.ofVirtual().factory()} (JDK 21
 * or later) gives virtual threads, which are always daemon threads, whatever
 * {@code startDaemon} or {@link #factory(String, boolean)} would say. Joining parks a
 * virtual caller, except that on JDK 21 to 23 a virtual thread that joins a
 * <em>platform</em> thread pins its carrier while it waits ({@code Thread.join} waits with
 * {@code Object.wait} there; JDK 24's JEP 491 removed that pinning).
 *
 * <p><b>Memory consistency effects:</b> actions in a thread happen-before any other thread
 * returns from {@code joinAll} having seen that thread end (the guarantee of
 * {@link Thread#join()}); actions before {@code start} happen-before the started thread's
 * first action.
 */
public final class Threads {

  /* Pool numbers of factory(prefix), one counter per prefix, as concurrent.futures keeps one
   * counter for its ThreadPoolExecutor class. The map grows by one entry per distinct prefix. */
  private static final ConcurrentHashMap<String, AtomicInteger> POOL_NUMBERS =
      new ConcurrentHashMap<>();

  private Threads() {}

  /**
   * Creates and starts a non-daemon platform thread, like Python's
   * {@code threading.Thread(target=task, name=name).start()}. May be called from any thread.
   *
   * @param name the thread's name
   * @param task what the thread runs
   * @return the started thread
   * @throws NullPointerException if {@code name} or {@code task} is null (no thread is created)
   */
  @CanIgnoreReturnValue
  public static Thread start(String name, Runnable task) {
    return start(name, task, false);
  }

  /**
   * Creates and starts a daemon platform thread, like Python's {@code daemon=True}: it never
   * keeps the JVM alive, and it is stopped abruptly when the JVM exits. May be called from any
   * thread.
   *
   * @param name the thread's name
   * @param task what the thread runs
   * @return the started thread
   * @throws NullPointerException if {@code name} or {@code task} is null (no thread is created)
   */
  @CanIgnoreReturnValue
  public static Thread startDaemon(String name, Runnable task) {
    return start(name, task, true);
  }

  /**
   * Creates a thread with {@code factory} and starts it: a virtual thread, for instance, with
   * {@code Thread.ofVirtual().factory()} on JDK 21 or later. May be called from any thread;
   * blocks only as long as the factory does.
   *
   * @param factory makes the thread, which must be new and unstarted
   * @param task what the thread runs
   * @return the started thread
   * @throws NullPointerException if {@code factory} or {@code task} is null (no thread is
   *     created)
   * @throws RejectedExecutionException if the factory returned null, or threw (its exception
   *     is the cause); no thread is started
   * @throws IllegalThreadStateException if the factory returned a thread already started
   */
  @CanIgnoreReturnValue
  public static Thread start(ThreadFactory factory, Runnable task) {
    Objects.requireNonNull(factory, "factory");
    Objects.requireNonNull(task, "task");
    Thread thread = newThread(factory, task);
    thread.start();
    return thread;
  }

  /**
   * Returns a thread from {@code factory} for {@code task}, translating the factory's failure
   * as an executor would: a {@link RejectedExecutionException} if it returned null or threw.
   */
  static Thread newThread(ThreadFactory factory, Runnable task) {
    Thread thread;
    try {
      thread = factory.newThread(task);
    } catch (RuntimeException e) {
      throw new RejectedExecutionException("thread factory " + factory + " failed", e);
    }
    if (thread == null) {
      throw new RejectedExecutionException("thread factory " + factory + " returned null");
    }
    return thread;
  }

  private static Thread start(String name, Runnable task, boolean daemon) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(task, "task");
    Thread thread = new Thread(task, name);
    thread.setDaemon(daemon);
    thread.start();
    return thread;
  }

  /**
   * Waits for every thread to end, in iteration order. Blocks for as long as the slowest
   * thread runs; threads that were never started count as ended.
   *
   * @param threads the threads to wait for
   * @throws NullPointerException if {@code threads} or any element is null (checked before
   *     waiting on any thread)
   * @throws InterruptedException if the calling thread is interrupted while waiting; the
   *     interrupt status is cleared and the remaining threads are not waited for
   */
  public static void joinAll(Iterable<Thread> threads) throws InterruptedException {
    for (Thread thread : snapshot(threads)) {
      thread.join();
    }
  }

  /**
   * Waits for every thread to end, spending at most {@code timeout} in all (one deadline
   * shared by all the threads), and returns those still alive when it ran out. May be called
   * from any thread; blocks in {@link Thread#join(long)}.
   *
   * @param threads the threads to wait for
   * @param timeout the longest time to wait in all; zero or negative means do not wait, only
   *     report which threads are alive
   * @return the threads still alive when the call returned, in iteration order; empty if all
   *     have ended
   * @throws NullPointerException if {@code threads}, any element or {@code timeout} is null
   *     (checked before waiting on any thread)
   * @throws InterruptedException if the calling thread is interrupted while waiting; the
   *     interrupt status is cleared
   */
  public static List<Thread> joinAll(Iterable<Thread> threads, Duration timeout)
      throws InterruptedException {
    List<Thread> all = snapshot(threads);
    Objects.requireNonNull(timeout, "timeout");
    return joinAll(all, TimeUnit.NANOSECONDS.convert(timeout));
  }

  /**
   * Waits as {@link #joinAll(Iterable, Duration)} does, with the timeout in {@code unit}.
   *
   * @param threads the threads to wait for
   * @param timeout the longest time to wait in all; zero or negative means do not wait, only
   *     report which threads are alive
   * @param unit the unit of {@code timeout}
   * @return the threads still alive when the call returned, in iteration order; empty if all
   *     have ended
   * @throws NullPointerException if {@code threads}, any element or {@code unit} is null
   *     (checked before waiting on any thread)
   * @throws InterruptedException if the calling thread is interrupted while waiting; the
   *     interrupt status is cleared
   */
  public static List<Thread> joinAll(Iterable<Thread> threads, long timeout, TimeUnit unit)
      throws InterruptedException {
    List<Thread> all = snapshot(threads);
    Objects.requireNonNull(unit, "unit");
    return joinAll(all, unit.toNanos(timeout));
  }

  private static List<Thread> joinAll(List<Thread> all, long timeoutNanos)
      throws InterruptedException {
    long remaining = timeoutNanos;
    long deadline = System.nanoTime() + remaining;
    for (Thread thread : all) {
      if (remaining <= 0) {
        break;
      }
      TimeUnit.NANOSECONDS.timedJoin(thread, remaining);
      remaining = deadline - System.nanoTime();
    }
    List<Thread> alive = new ArrayList<>();
    for (Thread thread : all) {
      if (thread.isAlive()) {
        alive.add(thread);
      }
    }
    return alive;
  }

  /**
   * Returns a thread factory that names threads the way Python's
   * {@code concurrent.futures.ThreadPoolExecutor} does: {@code prefix-P_T}, where {@code P}
   * numbers the factories made with this prefix (from 0, in creation order, across the JVM)
   * and {@code T} numbers the threads of this factory (from 0). {@code
   * factory("ThreadPoolExecutor")} gives {@code ThreadPoolExecutor-0_0},
   * {@code ThreadPoolExecutor-0_1}, ... and the next such factory {@code
   * ThreadPoolExecutor-1_0}. Threads are non-daemon, like Python's worker threads, which the
   * interpreter joins at exit. The factory may be called from any thread.
   *
   * @param prefix the name prefix
   * @return a new factory with the next pool number for {@code prefix}
   * @throws NullPointerException if {@code prefix} is null
   */
  public static ThreadFactory factory(String prefix) {
    return factory(prefix, false);
  }

  /**
   * Like {@link #factory(String)}, with the daemon flag of the threads chosen.
   *
   * @param prefix the name prefix
   * @param daemon whether the threads are daemon threads
   * @return a new factory with the next pool number for {@code prefix}
   * @throws NullPointerException if {@code prefix} is null
   */
  public static ThreadFactory factory(String prefix, boolean daemon) {
    return factory(prefix, task -> {
      Thread thread = new Thread(task);
      thread.setDaemon(daemon);
      return thread;
    });
  }

  /**
   * Returns a thread factory that takes its threads from {@code base} and names them as
   * {@link #factory(String)} does, {@code prefix-P_T}; everything else about the threads
   * (kind, daemon status, priority) is {@code base}'s. With
   * {@code Thread.ofVirtual().factory()} on JDK 21 or later this gives virtual threads named
   * like Python's pool threads. If {@code base} returns null, so does this factory, and no
   * thread number is used. The factory may be called from any thread.
   *
   * @param prefix the name prefix
   * @param base makes the threads
   * @return a new factory with the next pool number for {@code prefix}
   * @throws NullPointerException if {@code prefix} or {@code base} is null
   */
  public static ThreadFactory factory(String prefix, ThreadFactory base) {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(base, "base");
    int pool = POOL_NUMBERS.computeIfAbsent(prefix, p -> new AtomicInteger()).getAndIncrement();
    String stem = prefix + "-" + pool + "_";
    AtomicInteger threadNumber = new AtomicInteger();
    return task -> {
      Thread thread = base.newThread(task);
      if (thread != null) {
        thread.setName(stem + threadNumber.getAndIncrement());
      }
      return thread;
    };
  }

  private static List<Thread> snapshot(Iterable<Thread> threads) {
    Objects.requireNonNull(threads, "threads");
    List<Thread> all = new ArrayList<>();
    for (Thread thread : threads) {
      all.add(Objects.requireNonNull(thread, "threads contains null"));
    }
    return all;
  }
}
