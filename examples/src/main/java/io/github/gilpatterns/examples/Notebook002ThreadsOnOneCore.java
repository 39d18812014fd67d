package io.github.gilpatterns.examples;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import io.github.gilpatterns.gil.Gil;
import io.github.gilpatterns.gil.GilExecutor;
import io.github.gilpatterns.join.Threads;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Notebook 002, "Python threads all executing on a single core", re-run in Java. The
 * notebook has no code cells, so this program tests its claims one by one: under the GIL, N
 * CPU-bound threads use one core's worth of CPU (CPU time / wall time about 1) whatever the
 * cores; the GIL does not protect your own invariants (the Bank example: transfers lose money
 * under the GIL without a lock); and the notebook's advice, separate processes
 * ({@code multiprocessing}), runs in parallel again (here: one GIL per interpreter, and
 * free-threaded beside it).
 *
 * <p>Run it alone with {@code java -cp gilpatterns-examples.jar
 * io.github.gilpatterns.examples.Notebook002ThreadsOnOneCore [--full]} or through the
 * {@link Launcher} ({@code run 002}).
 */
public final class Notebook002ThreadsOnOneCore implements Notebook {

  /** Creates the notebook; the launcher runs it. */
  public Notebook002ThreadsOnOneCore() {}

  /**
   * Runs this notebook alone: {@code Launcher run 002} with the same options.
   *
   * @param args launcher options such as {@code --full} or {@code --out DIR}
   */
  public static void main(String[] args) {
    Launcher.main(Launcher.prepend(args, "run", "002"));
  }

  @Override
  public String id() {
    return "002";
  }

  @Override
  public String title() {
    return "Python threads all executing on a single core";
  }

  @Override
  public String source() {
    return "a Stack Overflow question of that title and its answers";
  }

  @Override
  public void run(Session s) throws Exception {
    s.notebook(id(), title(), source());
    Size size = s.size();
    int n = size.fib(34);
    int cores = Runtime.getRuntime().availableProcessors();
    for (int i = 0; i < 3; i++) {
      Notebook001WayOneThreads.fibonacci(n - 3);
    }

    s.section("Python threads all executing on a single core");
    s.say("\"Only one thread at a time can execute Python code\": then N CPU-bound threads use one core's");
    s.say("worth of CPU however many cores there are. Measured: the CPU time the threads used / wall time.");
    int[] ks = {2, 4};
    Session.Progress progress = s.progress("cores used", ks.length * Mode.values().length);
    String shortfall = null;
    for (int k : ks) {
      for (Mode m : Mode.values()) {
        double once = Measure.sequential(() -> Notebook001WayOneThreads.fibonacci(n));
        Cores.Window window = s.cores();
        double[] r = coresUsed(m, k, n);
        double got = window.cores();
        progress.step();
        s.ratio(String.format("cores used (CPU / wall), %d threads, %s", k, m.label), r[1] / r[0], null,
            m == Mode.GIL ? "1 (one thread at a time)" : "up to " + Math.min(k, cores) + " on idle cores");
        s.ratio(String.format("wall time / one fib(%d), %d threads, %s", n, k, m.label), r[0] / once, null,
            m == Mode.GIL ? s.cpython().fibRatioText(s.cpythonFib(), k, Reference.CPYTHON_FIB30[k == 2 ? 1 : 2],
                r[0] / once) : null);
        if (m != Mode.GIL) {
          String why = s.measurable(got, k, "how many cores " + k + " " + m.label + " threads use");
          shortfall = shortfall != null ? shortfall : why;
        }
      }
    }
    progress.close();
    s.say("Waiting for the GIL costs no CPU (the thread sleeps on a condition): the process looks like a");
    s.say("single-core program. On a single-core machine, that is all it could be anyway, GIL or not.");

    s.section("The GIL is there to protect the interpreter's memory, not your sanity (the Bank example)");
    s.say("Transfers between %d accounts from 4 threads; a transfer is read, compute, write (several", 4);
    s.say("bytecodes, so a GIL switch may fall between them). Money should be conserved.");
    long millis = size.pick(80, 300, 1500);
    Object[][] cases = {
        {"no lock, under the GIL", Gil.create(), false},
        {"no lock, free-threaded", Gil.freeThreaded(), false},
        {"threading.Lock around each transfer, GIL", Gil.create(), true},
    };
    for (Object[] c : cases) {
      long[] r = bank((Gil) c[1], (Boolean) c[2], millis);
      s.value("money created or lost: " + c[0], r[0], "%+.0f", String.format("after %,d transfers", r[1]));
    }
    s.say("The GIL alone lets transfers lose updates (rarely: only where a switch falls mid-transfer, so");
    s.say("the bug hides); a lock (or one owner thread per account book) keeps every invariant.");

    s.section("To get around this problem, check out Python's multiprocessing module");
    s.say("\"Does running separate python processes avoid the GIL?\" Yes: one GIL per process. Here one GIL");
    s.say("per interpreter (GilExecutor.perInterpreter, PEP 684) and, for comparison, no GIL (PEP 703), two");
    s.say("threads each, against the two plain threads of the capacity line above:");
    double[] two = new double[Mode.values().length];
    for (Mode m : Mode.values()) {
      double once = Measure.sequential(() -> Notebook001WayOneThreads.fibonacci(n));
      Cores.Window window = s.cores();
      double t = Measure.threads(m, 2, () -> Notebook001WayOneThreads.fibonacci(n));
      double got = window.cores();
      two[m.ordinal()] = t / once;
      s.ratio(String.format("2 threads / one fib(%d), %s", n, m.label), t / once, null,
          m == Mode.GIL ? s.cpython().fibRatioText(s.cpythonFib(), 2, Reference.CPYTHON_FIB30[1], t / once) : null);
      if (m != Mode.GIL) {
        String why = s.measurable(got, 2, m.label + " threads running in parallel");
        shortfall = shortfall != null ? shortfall : why;
      }
    }
    s.lesson(lesson(shortfall, s.capacity(), two[Mode.FREE_THREADED.ordinal()],
        two[Mode.PER_INTERPRETER.ordinal()]));
  }

  /**
   * The lesson, from the figures that decide its parallel half: why a parallel run could not
   * show parallelism ({@code null} if none), the machine's capacity, and the time of two
   * free-threaded and of two per-interpreter threads over one fib, judged by
   * {@link Capacity}'s rule.
   */
  static String lesson(String shortfall, Capacity capacity, double free, double perInterpreter) {
    String gil = "Under a GIL, CPU-bound threads share one core (CPU / wall about 1) and still need locks for their"
        + " own invariants; separate interpreters or processes are what run Python code in parallel";
    if (shortfall != null) {
      return gil + ", which this run could not show (" + shortfall + ").";
    }
    if (capacity.parallel(free) && capacity.parallel(perInterpreter)) {
      return gil + String.format(Locale.ROOT, ": here two of them took %.2fx and %.2fx one fib, as far as this"
          + " machine allows (two plain threads %.2fx).", free, perInterpreter, capacity.ratio());
    }
    return gil + String.format(Locale.ROOT, ", which this run did not show: two of them took %.2fx and %.2fx one"
        + " fib, where two plain threads take %.2fx here.", free, perInterpreter, capacity.ratio());
  }

  /** Wall time and total CPU time of k threads of mode each computing fib(n), in seconds. */
  static double[] coresUsed(Mode mode, int k, int n) throws Exception {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long t0 = System.nanoTime();
    double cpu = 0;
    try (GilExecutor pool = mode.executor(k)) {
      List<ListenableFuture<Long>> fs = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        fs.add(pool.submit(() -> {
          long c0 = mx.getCurrentThreadCpuTime();
          Notebook001WayOneThreads.fibonacci(n);
          return mx.getCurrentThreadCpuTime() - c0;
        }));
      }
      for (long c : Measure.await(Futures.allAsList(fs))) {
        cpu += c / 1e9;
      }
    }
    return new double[] {(System.nanoTime() - t0) / 1e9, cpu};
  }

  /**
   * Random transfers between 4 accounts from 4 threads for {@code millis}; returns the money
   * created (positive) or lost (negative), and the number of transfers.
   */
  static long[] bank(Gil gil, boolean lock, long millis) throws Exception {
    long[] balances = {1000, 1000, 1000, 1000};
    long before = 4000;
    ReentrantLock accountsLock = new ReentrantLock();
    AtomicBoolean stop = new AtomicBoolean();
    long[] transfers = new long[4];
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int me = t;
      threads.add(Threads.start("teller-" + t, () -> {
        SplittableRandom random = new SplittableRandom(me);
        try {
          gil.acquire();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        try {
          long count = 0;
          while (!stop.get()) {
            int from = random.nextInt(4);
            int to = (from + 1 + random.nextInt(3)) % 4;
            long amount = 1 + random.nextInt(10);
            if (lock) {
              gil.releasing(accountsLock::lock); // acquiring a Lock releases the GIL while blocked
              try {
                transfer(balances, from, to, amount);
              } finally {
                accountsLock.unlock();
              }
            } else {
              transfer(balances, from, to, amount);
            }
            count++;
            Gil.checkpoint();
          }
          transfers[me] = count;
        } finally {
          gil.release();
        }
      }));
    }
    Thread.sleep(millis); // the experiment's duration, not a wait for another thread
    stop.set(true);
    Threads.joinAll(threads);
    long after = 0;
    for (long b : balances) {
      after += b;
    }
    long total = 0;
    for (long c : transfers) {
      total += c;
    }
    return new long[] {after - before, total};
  }

  /** from.balance -= amount; to.balance += amount, with the eval breaker between the steps. */
  private static void transfer(long[] balances, int from, int to, long amount) {
    long f = balances[from]; // LOAD_ATTR
    Gil.checkpoint();
    balances[from] = f - amount; // BINARY_OP, STORE_ATTR
    Gil.checkpoint();
    long t = balances[to];
    Gil.checkpoint();
    balances[to] = t + amount;
  }
}
