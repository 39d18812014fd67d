package io.github.gilpatterns.gil;

import static io.github.gilpatterns.gil.TestSupport.fib;
import static io.github.gilpatterns.gil.TestSupport.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import io.github.gilpatterns.testing.Await;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fidelity check: does the emulated GIL give CPython's answers? Prints, for a recursive
 * {@code fib} with a checkpoint per call (where CPython checks its eval breaker) on 1, 2, 4
 * and 8 threads, wall time divided by one sequential run under {@link Gil#create()},
 * {@link Gil#freeThreaded()} and {@link GilExecutor#perInterpreter(int)}, beside the ratios
 * CPython 3.11.7 gives for the same recursive {@code fib(30)} on 1, 2, 4 and 8 threads (2
 * cores, 5 ms switch interval); then the convoy effect of bpo-7946: how many one-byte round
 * trips through a pipe an I/O thread pair makes beside 0, 1 and 2 CPU-bound threads, beside
 * CPython 3.11.7's and 3.13.0's counts for the same program.
 *
 * <p>Timing-dependent, so tagged {@code fidelity} and excluded from the default build. Run it
 * as a test: {@code mvn -B -ntp -pl core test -Dgroups=fidelity -DexcludedGroups=none}, or as
 * a program:
 * <pre>
 * mvn -B -ntp -o -q -pl core test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * java -cp core/target/test-classes:core/target/classes:$(cat core/target/test-classpath.txt) \
 *     io.github.gilpatterns.gil.GilFidelityTest
 * </pre>
 * Options (system properties): {@code gil.fidelity.n} (default 40),
 * {@code gil.fidelity.repeats} (3), {@code gil.fidelity.convoySeconds} (2),
 * {@code gil.fidelity.only} ({@code fib} or {@code convoy}).
 *
 * <p>Java's {@code fib(30)} is about 55 times faster than CPython's, so the default is
 * {@code fib(40)}: with a checkpoint per call it took 250 to 280 ms here, about as long as
 * CPython's {@code fib(30)} (230 ms), and spans 50 switch intervals per thread ({@code fib(38)},
 * about 100 ms, gave ratios that moved by 0.5 between runs on this 2-vCPU machine). Each k-thread sample is divided by a sequential run made just
 * before it. The assertions: N CPU-bound threads under one GIL take at least 0.8 N times
 * one run (what a GIL guarantees whatever the load); two threads free-threaded or per
 * interpreter run in parallel as far as the machine allows; the I/O pair beside 1 or 2
 * CPU-bound threads completes fewer than a third of its round trips alone.
 *
 * <p>The parallel check follows the examples' rule ({@code Capacity} in the examples module,
 * which core cannot depend on; {@link #plainCapacity()} is a copy of its measurement): two
 * plain threads, no GIL and no library code, are timed against one, in the same run. The check
 * is skipped, not failed, when parallelism is not measurable: on one core; "now" when those
 * plain threads, or one more free-threaded run of two, got less than 1.5 of the 2 cores (other
 * processes held them); "on this machine" when the plain threads got their cores and still
 * took 1.5 times one thread's time or more (two vCPUs that are each slower when both are
 * busy). Otherwise the free-threaded and the per-interpreter ratio of two threads must each be
 * nearer the plain threads' ratio P than 2: below (P + 2) / 2.
 */
@Tag("fidelity")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
public class GilFidelityTest {
  private static final int N = Integer.getInteger("gil.fidelity.n", 40);
  private static final int REPEATS = Integer.getInteger("gil.fidelity.repeats", 3);
  private static final int[] THREADS = {1, 2, 4, 8};
  /**
   * CPython 3.11.7, fib(30), switch interval 5 ms, on a 2-core machine of this project's CI kind,
   * idle (load below 1), 2026-12-01: wall / sequential, medians of 5.
   */
  private static final double[] CPYTHON_GIL = {1.03, 2.42, 3.82, 7.89};
  private static final double CONVOY_SECONDS = Double.parseDouble(System.getProperty("gil.fidelity.convoySeconds", "2"));

  /**
   * Runs both checks outside JUnit (see the class comment for the command).
   *
   * @param args ignored
   * @throws Exception if a check fails
   */
  public static void main(String[] args) throws Exception {
    GilFidelityTest check = new GilFidelityTest();
    String only = System.getProperty("gil.fidelity.only", "");
    AssertionError failed = null;
    if (!only.equals("convoy")) {
      try {
        check.fibRatiosTrackCPython();
      } catch (AssertionError e) {
        failed = e; // still run the convoy check, then report
      } catch (org.opentest4j.TestAbortedException e) {
        System.out.println("parallel check skipped: " + e.getMessage());
      }
    }
    if (!only.equals("fib")) {
      check.convoyEffect();
    }
    if (failed != null) {
      throw failed;
    }
  }

  @Test
  void fibRatiosTrackCPython() throws Exception {
    for (int i = 0; i < 3; i++) {
      fib(N); // warm up the JIT
    }
    double base = median(REPEATS, () -> nanos(() -> fib(N)));
    Map<String, IntFunction<GilExecutor>> modes = new LinkedHashMap<>();
    modes.put("Gil.create()", k -> GilExecutor.create(Gil.create(), k));
    modes.put("Gil.freeThreaded()", k -> GilExecutor.create(Gil.freeThreaded(), k));
    modes.put("perInterpreter(k)", GilExecutor::perInterpreter);
    Map<String, double[]> ratios = new LinkedHashMap<>();
    for (Map.Entry<String, IntFunction<GilExecutor>> mode : modes.entrySet()) {
      double[] r = new double[THREADS.length];
      for (int t = 0; t < THREADS.length; t++) {
        int k = THREADS[t];
        // Each sample is divided by a sequential run made just before it, so that
        // the load of a shared machine drifting between samples cancels out.
        r[t] = medianRatio(REPEATS, () -> runThreads(mode.getValue(), k), () -> nanos(() -> fib(N)));
      }
      ratios.put(mode.getKey(), r);
    }

    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%nGIL fidelity: fib(%d) with a checkpoint per call, sequential %.1f ms, "
        + "%d cores, load average %.2f, median of %d, %s%n",
        N, base / 1e6, Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), REPEATS,
        System.getProperty("java.version")));
    out.append(String.format(Locale.ROOT, "%-32s %8s %8s %8s %8s%n", "wall / sequential, threads:", "1", "2", "4", "8"));
    for (Map.Entry<String, double[]> e : ratios.entrySet()) {
      out.append(row(e.getKey(), e.getValue()));
    }
    out.append(row("CPython 3.11.7, idle reference", CPYTHON_GIL)); // see CPYTHON_GIL
    out.append(row("ideal GIL", new double[] {1, 2, 4, 8}));
    out.append(row("ideal parallel on 2 cores", new double[] {1, 1, 2, 4}));
    double[] plain = plainCapacity();
    out.append(String.format(Locale.ROOT, "parallel capacity: two plain threads take %.2fx one thread's time here (ideal"
        + " 1.00, none 2.00), on %.2f cores%n", plain[0], plain[1]));
    out.append(timelineOfTwoThreads());
    System.out.println(out);

    double[] gil = ratios.get("Gil.create()");
    for (int t = 1; t < THREADS.length; t++) {
      int k = THREADS[t];
      assertTrue(gil[t] >= 0.8 * k, "under one GIL, " + k + " threads took only " + gil[t] + "x one run");
    }
    // A parallel figure is only as good as the machine and the cores the run got: judge it
    // against plain threads timed in the same run, and skip (not fail) when they cannot show it.
    Assumptions.assumeTrue(Runtime.getRuntime().availableProcessors() >= 2,
        "not measurable on this machine: it has one core");
    String load = String.format(Locale.ROOT, " (load average %.2f)",
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    Assumptions.assumeFalse(plain[1] < ENOUGH_CORES, String.format(Locale.ROOT,
        "not measurable now: two plain threads take %.2fx one here, getting only %.2f of the 2 cores", plain[0],
        plain[1]) + load);
    Assumptions.assumeTrue(plain[0] < ENOUGH_PLAIN, String.format(Locale.ROOT,
        "not measurable on this machine: two plain threads take %.2fx one here", plain[0]) + load);
    double got = freeThreadedCores(2);
    Assumptions.assumeFalse(got < ENOUGH_CORES, String.format(Locale.ROOT,
        "not measurable now: only %.2f of the 2 cores it wanted were free", got) + load);
    double halfway = (plain[0] + 2) / 2;
    for (String mode : new String[] {"perInterpreter(k)", "Gil.freeThreaded()"}) {
      double two = ratios.get(mode)[1];
      assertTrue(two < halfway, String.format(Locale.ROOT, "%s: two threads took %.2fx one run, where two plain"
          + " threads take %.2fx here: not nearer them than 2 (below %.2f)", mode, two, plain[0], halfway));
    }
  }

  /** The examples' {@code Capacity.ENOUGH}: below it, two plain threads show parallel speedup. */
  private static final double ENOUGH_PLAIN = 1.5;
  /** The examples' {@code Cores.ENOUGH} of two cores: a run that got fewer was starved. */
  private static final double ENOUGH_CORES = 1.5;

  /**
   * A copy of the examples' {@code Capacity.measure}: two plain threads, each computing a plain
   * recursive fib (no checkpoint, no GIL), against one, after a 40 ms warm-up that sizes fib
   * so one thread's run takes at least 10 ms; seven pairs, alternating which goes first.
   *
   * @return the median of the pairs' ratios (two threads' wall time over one's), and the
   *     median of the cores the two-thread runs got (their threads' CPU time over wall time;
   *     NaN if the JVM cannot tell), each rounded to two decimals as printed
   */
  static double[] plainCapacity() throws InterruptedException {
    long warm = System.nanoTime() + 40_000_000L;
    for (int i = 0; i < 10 || System.nanoTime() - warm < 0; i++) {
      sink = plainFib(22);
    }
    int n = 25;
    while (n < 45) {
      long t0 = System.nanoTime();
      sink = plainFib(n);
      if (System.nanoTime() - t0 >= 10_000_000L) {
        break;
      }
      n++;
    }
    int pairs = 7;
    double[] ratios = new double[pairs];
    double[] cores = new double[pairs];
    for (int i = 0; i < pairs; i++) {
      double[] one = null;
      if (i % 2 == 0) {
        one = plainThreads(1, n);
      }
      double[] two = plainThreads(2, n);
      if (one == null) {
        one = plainThreads(1, n);
      }
      ratios[i] = two[0] / one[0];
      cores[i] = two[1];
    }
    Arrays.sort(ratios);
    Arrays.sort(cores);
    return new double[] {Math.round(ratios[pairs / 2] * 100) / 100.0,
        Double.isNaN(cores[0]) ? Double.NaN : Math.round(cores[pairs / 2] * 100) / 100.0};
  }

  private static volatile long sink;

  private static long plainFib(int n) {
    return n < 2 ? n : plainFib(n - 1) + plainFib(n - 2);
  }

  /** Wall time in ns of k new plain threads each computing plainFib(n), and the cores they got. */
  private static double[] plainThreads(int k, int n) throws InterruptedException {
    java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    boolean cpuTime = mx.isCurrentThreadCpuTimeSupported();
    long[] cpu = new long[k];
    Thread[] threads = new Thread[k];
    long t0 = System.nanoTime();
    for (int i = 0; i < k; i++) {
      int me = i;
      threads[i] = new Thread(() -> {
        long c0 = cpuTime ? mx.getCurrentThreadCpuTime() : 0;
        sink = plainFib(n);
        cpu[me] = cpuTime ? mx.getCurrentThreadCpuTime() - c0 : 0;
      }, "plain-fib-" + i);
      threads[i].setDaemon(true);
      threads[i].start();
    }
    for (Thread t : threads) {
      t.join(60_000);
      assertTrue(!t.isAlive(), () -> t.getName() + " computed fib(" + n + ") for over a minute");
    }
    long wall = System.nanoTime() - t0;
    long used = 0;
    for (long c : cpu) {
      used += c;
    }
    return new double[] {wall, cpuTime ? used / (double) wall : Double.NaN};
  }

  /**
   * The cores {@code k} free-threaded threads each computing fib(N) got: the CPU time they used
   * (each thread's own, from ThreadMXBean) over the run's wall time; NaN if the JVM cannot tell.
   */
  static double freeThreadedCores(int k) throws Exception {
    java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    if (!mx.isCurrentThreadCpuTimeSupported()) {
      return Double.NaN;
    }
    long t0 = System.nanoTime();
    long cpu = 0;
    try (GilExecutor pool = GilExecutor.create(Gil.freeThreaded(), k)) {
      List<ListenableFuture<Long>> fs = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        fs.add(pool.submit(() -> {
          long c0 = mx.getCurrentThreadCpuTime();
          fib(N);
          return mx.getCurrentThreadCpuTime() - c0;
        }));
      }
      for (long c : Futures.allAsList(fs).get(10, TimeUnit.MINUTES)) {
        cpu += c;
      }
    }
    return cpu / (double) (System.nanoTime() - t0);
  }

  private static String row(String label, double[] values) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-32s", label));
    for (double v : values) {
      sb.append(String.format(Locale.ROOT, " %8.2f", v));
    }
    return sb.append('\n').toString();
  }

  /** Wall time of k threads each computing fib(N) on a fresh executor, including start-up. */
  private static long runThreads(IntFunction<GilExecutor> executor, int k) {
    long t0 = System.nanoTime();
    try (GilExecutor pool = executor.apply(k)) {
      List<ListenableFuture<Long>> fs = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        fs.add(pool.submit(() -> fib(N)));
      }
      List<Long> results = Futures.allAsList(fs).get(10, TimeUnit.MINUTES);
      assertEquals(k, results.size());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    return System.nanoTime() - t0;
  }

  private static String timelineOfTwoThreads() throws Exception {
    Gil gil = Gil.builder().trace(true).build();
    List<TestSupport.Worker> ws = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      ws.add(start("fib-" + i, () -> {
        gil.acquire();
        try {
          return fib(N - 4);
        } finally {
          gil.release();
        }
      }));
    }
    TestSupport.joinAll(ws);
    return "\nTwo threads computing fib(" + (N - 4) + ") under one Gil.create(): " + gil.stats() + "\n"
        + gil.trace().renderTimeline(100);
  }

  /** The convoy effect: round trips per second of an I/O thread pair beside 0/1/2 CPU threads. */
  @Test
  void convoyEffect() throws Exception {
    convoy(0.3, 0); // warm up
    convoy(0.3, 1);
    double alone = convoy(CONVOY_SECONDS, 0);
    double one = convoy(CONVOY_SECONDS, 1);
    double two = convoy(CONVOY_SECONDS, 2);
    System.out.printf(Locale.ROOT, "%nConvoy (bpo-7946): round trips/s beside 0 / 1 / 2 CPU-bound threads "
            + "(%.1f s each), load average %.2f, %s%n"
            + "  emulated GIL, 5 ms:  %,10.0f / %,8.0f / %,8.0f   (%.1fx / %.1fx fewer)%n"
            + "  CPython 3.11.7, reference sittings on a 2-core machine of this project's CI kind, December 2026"
            + " (the convoy depends on the load, in CPython too):%n"
            + "    idle machine:      %,10d / %,8d / %,8d   (%.1fx / %.1fx fewer)%n"
            + "    a build beside it: %,10d / %,8d / %,8d   (%.1fx / %.1fx fewer)%n"
            + "  The examples' compare command measures CPython beside the emulation in one sitting.%n",
        CONVOY_SECONDS, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        System.getProperty("java.version"), alone, one, two, alone / one, alone / two,
        48_803, 103, 57, 48_803 / 103.0, 48_803 / 57.0,
        69_320, 13_162, 4_453, 69_320 / 13_162.0, 69_320 / 4_453.0);
    assertTrue(one < alone / 3, "no convoy effect with one CPU-bound thread");
    assertTrue(two < alone / 3, "no convoy effect with two CPU-bound threads");
  }

  /**
   * convoy.py in Java: for {@code seconds}, the test thread sends a byte through a pipe to
   * an echo thread and reads it back, each blocking call inside releasing(..); beside it,
   * {@code cpuThreads} threads spin with a checkpoint per loop. All of them hold the same
   * GIL otherwise, as Python threads do. Returns round trips per second.
   */
  private static double convoy(double seconds, int cpuThreads) throws Exception {
    Gil gil = Gil.create();
    Pipe there = Pipe.open();
    Pipe back = Pipe.open();
    AtomicBoolean stop = new AtomicBoolean();
    List<TestSupport.Worker> threads = new ArrayList<>();
    double rate;
    gil.acquire();
    try {
      for (int i = 0; i < cpuThreads; i++) {
        threads.add(start("spin-" + i, () -> {
          gil.acquire();
          try {
            long x = 0;
            Await.Deadline bound = Await.deadline("the convoy run to end",
                Duration.ofMillis((long) (seconds * 1000)).plus(Await.LIMIT));
            while (!stop.get()) {
              bound.check();
              x++;
              Gil.checkpoint();
            }
            return x;
          } finally {
            gil.release();
          }
        }));
      }
      threads.add(start("echo", () -> {
        gil.acquire();
        try {
          ByteBuffer buf = ByteBuffer.allocate(1);
          while (true) {
            buf.clear();
            int read = gil.releasing(() -> there.source().read(buf));
            if (read < 0 || buf.get(0) == 'q') { // 'q', or the test thread closed the pipe
              return null;
            }
            buf.flip();
            gil.releasing(() -> back.sink().write(buf));
            Gil.checkpoint();
          }
        } finally {
          gil.release();
        }
      }));
      ByteBuffer out = ByteBuffer.allocate(1);
      ByteBuffer in = ByteBuffer.allocate(1);
      long t0 = System.nanoTime();
      long deadline = t0 + (long) (seconds * 1e9);
      long roundTrips = 0;
      while (System.nanoTime() - deadline < 0) {
        out.clear();
        out.put((byte) 'x').flip();
        gil.releasing(() -> there.sink().write(out));
        in.clear();
        gil.releasing(() -> back.source().read(in));
        Gil.checkpoint();
        roundTrips++;
      }
      rate = roundTrips / ((System.nanoTime() - t0) / 1e9);
      out.clear();
      out.put((byte) 'q').flip();
      gil.releasing(() -> there.sink().write(out));
    } finally {
      // However the loop ended, end every thread: the spinners see stop, the echo thread reads
      // 'q' or the end of its pipe.
      stop.set(true);
      gil.release();
      there.sink().close();
      try {
        TestSupport.joinAll(threads);
      } finally {
        there.source().close();
        back.sink().close();
        back.source().close();
      }
    }
    return rate;
  }

  private interface LongSupplierX {
    long get() throws Exception;
  }

  private static double medianRatio(int repeats, LongSupplierX sample, LongSupplierX baseline)
      throws Exception {
    double[] xs = new double[repeats];
    for (int i = 0; i < repeats; i++) {
      double b = baseline.get();
      xs[i] = sample.get() / b;
    }
    Arrays.sort(xs);
    return xs[repeats / 2];
  }

  private static double median(int repeats, LongSupplierX sample) throws Exception {
    double[] xs = new double[repeats];
    for (int i = 0; i < repeats; i++) {
      xs[i] = sample.get();
    }
    Arrays.sort(xs);
    return xs[repeats / 2];
  }

  private static long nanos(Runnable r) {
    long t0 = System.nanoTime();
    r.run();
    return System.nanoTime() - t0;
  }
}
