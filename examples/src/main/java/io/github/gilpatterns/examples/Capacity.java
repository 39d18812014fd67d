package io.github.gilpatterns.examples;

import java.util.Arrays;
import java.util.Locale;

/**
 * The machine's parallel capacity: how long two plain Java threads, each computing the same
 * fib, take against one thread computing it alone, with no GIL and no library code. It is
 * what the machine itself gives two CPU-bound threads, measured at the start of each notebook,
 * and what the notebooks' parallel figures are judged against.
 *
 * <p><b>Why the cores a run got are not enough.</b> {@link Cores} (CPU time over wall time)
 * sees other processes holding the cores, but not a machine whose two vCPUs are both free yet
 * each slower when both are busy (two hyperthreads of one physical core, a host that shares
 * them): both threads are on a CPU, the run got two cores, and two plain threads still take
 * 1.6 to 1.8 times one thread's time. No emulation can show a parallel speedup there.
 *
 * <p><b>The rule</b>, written down here once and used by every parallel lesson of the notebooks
 * (through {@link Cores#shortfall(double, int, Capacity)}) and, in a copy, by core's fidelity
 * test:
 * <ol>
 *   <li>The plain ratio P is two plain threads' wall time over one thread's: the median of
 *       {@value #PAIRS} pairs, the one-thread and the two-thread run swapping order every pair,
 *       after a warm-up that sizes fib so that one thread's run takes at least 10 ms. Ideal 1,
 *       none 2.
 *   <li>The machine can show parallel speedup when its two plain threads got their cores
 *       ({@link Cores#ENOUGH} of two, by their CPU time over wall time) and P is below
 *       {@value #ENOUGH}: two threads then finish at least a third sooner together than one
 *       after the other, and the gap between P and the serial 2 (at least 0.5) is wider than
 *       the noise of such ratios on a shared machine. Otherwise a parallel lesson is not
 *       measurable: "now" when other processes held the cores (P then says little, as the
 *       one-thread runs were starved too), "on this machine" when the plain threads got their
 *       two cores and each ran slower.
 *   <li>A parallel run of two threads shows parallelism when its ratio (its time over one
 *       thread's) is nearer P than 2: below (P + 2) / 2 ({@link #parallel}). An emulation
 *       about as fast as plain threads runs in parallel as far as this machine allows.
 *   <li>Two threads under a GIL take turns when their ratio is nearer 2 than 1: at least
 *       {@value #TAKING_TURNS}, whatever the machine, since a GIL serialises them
 *       ({@link #takesTurns}).
 * </ol>
 *
 * @param ratio two plain threads' time over one thread's (P above), finite and positive
 * @param cores the cores the two-thread runs got (CPU time over wall time, median), or
 *     {@code NaN} if this JVM cannot tell
 */
record Capacity(double ratio, double cores) {
  /** The plain ratio below which the machine can show parallel speedup. */
  static final double ENOUGH = 1.5;

  /** The ratio from which two threads under a GIL take turns: halfway from 1 (parallel) to 2. */
  static final double TAKING_TURNS = 1.5;

  /** Pairs of runs (one thread, two threads) whose median ratio is P. */
  static final int PAIRS = 7;

  /** The least time of one thread's run: shorter runs are mostly thread start-up and noise. */
  static final long SAMPLE_NANOS = 10_000_000L;

  /** Measures a machine's capacity; tests feed made-up ones. */
  @FunctionalInterface
  interface Probe {
    /**
     * Measures the capacity now.
     *
     * @throws InterruptedException if interrupted while waiting for the plain threads
     */
    Capacity measure() throws InterruptedException;
  }

  Capacity {
    if (!(ratio > 0) || Double.isInfinite(ratio)) {
      throw new IllegalArgumentException("the plain ratio must be finite and positive: " + ratio);
    }
  }

  /**
   * Why this machine cannot show parallel speedup now, or {@code null} if it can (rule 2):
   * "not measurable now: ..." when the plain threads did not get their cores, else "not
   * measurable on this machine: two plain threads take 1.71x one here" when P is too high.
   */
  String shortfall() {
    if (cores < Cores.ENOUGH * 2) { // false for NaN: an unknown figure is given the benefit of the doubt
      return String.format(Locale.ROOT, "not measurable now: two plain threads take %.2fx one here, getting only"
          + " %.2f of the 2 cores", ratio, cores);
    }
    if (ratio >= ENOUGH) {
      return String.format(Locale.ROOT, "not measurable on this machine: two plain threads take %.2fx one here",
          ratio);
    }
    return null;
  }

  /**
   * Whether two threads whose time was {@code twoThreadRatio} times one thread's ran in
   * parallel as far as this machine allows (rule 3): nearer the plain ratio than 2.
   */
  boolean parallel(double twoThreadRatio) {
    return twoThreadRatio < (ratio + 2) / 2;
  }

  /**
   * Whether two threads under a GIL whose time was {@code twoThreadRatio} times one thread's
   * took turns (rule 4): nearer 2 than 1.
   */
  static boolean takesTurns(double twoThreadRatio) {
    return twoThreadRatio >= TAKING_TURNS;
  }

  /**
   * The line every notebook prints under its banner: P, its scale, the cores the plain threads
   * got, and rule 2's verdict: "enough to show parallel speedup", "too little to show parallel
   * speedup" or "other processes held the cores".
   */
  String header() {
    String verdict = shortfall() == null ? "enough to show parallel speedup"
        : cores < Cores.ENOUGH * 2 ? "other processes held the cores" : "too little to show parallel speedup";
    return String.format(Locale.ROOT, "parallel capacity: two plain threads take %.2fx one thread's time here"
        + " (ideal 1.00, none 2.00)%s: %s (needs below %.2f, on %.2f of 2 cores)", ratio,
        Double.isNaN(cores) ? "" : String.format(Locale.ROOT, ", on %.2f cores", cores), verdict, ENOUGH,
        Cores.ENOUGH * 2);
  }

  /**
   * Measures this machine's capacity with plain threads (rule 1), metering the cores of the
   * two-thread runs with {@code meter}. Takes some 0.2 to 0.5 s on two cores.
   *
   * @throws InterruptedException if interrupted while waiting for the plain threads
   */
  static Capacity measure(Cores.Meter meter) throws InterruptedException {
    int n = warmUp();
    long[] one = new long[PAIRS];
    long[] two = new long[PAIRS];
    double[] cores = new double[PAIRS];
    for (int i = 0; i < PAIRS; i++) {
      if (i % 2 == 0) {
        one[i] = plainThreads(1, n);
      }
      Cores.Window window = meter.start();
      two[i] = plainThreads(2, n);
      cores[i] = window.cores();
      if (i % 2 == 1) {
        one[i] = plainThreads(1, n);
      }
    }
    return fromSamples(one, two, cores);
  }

  /**
   * The capacity of pairs of samples: the median of {@code two[i] / one[i]}, and the median
   * of the cores (NaN if any is unknown), each rounded to two decimals, so that the rule judges
   * the figures the header prints.
   */
  static Capacity fromSamples(long[] one, long[] two, double[] cores) {
    if (one.length == 0 || one.length != two.length || two.length != cores.length) {
      throw new IllegalArgumentException("one sample of each per pair: " + one.length + ", " + two.length + ", "
          + cores.length);
    }
    double[] ratios = new double[one.length];
    for (int i = 0; i < one.length; i++) {
      ratios[i] = two[i] / (double) one[i];
    }
    boolean unknown = Arrays.stream(cores).anyMatch(Double::isNaN);
    return new Capacity(Math.round(Measure.median(ratios) * 100) / 100.0,
        unknown ? Double.NaN : Math.round(Measure.median(cores) * 100) / 100.0);
  }

  private static volatile long sink;

  /** Recursive fib with nothing else in it: no checkpoint, no GIL. */
  static long plainFib(int n) {
    return n < 2 ? n : plainFib(n - 1) + plainFib(n - 2);
  }

  /**
   * Runs plainFib for 40 ms, so that the JIT has compiled it, and returns the least n from
   * 25 whose run on this thread then takes at least {@link #SAMPLE_NANOS}.
   */
  private static int warmUp() {
    long warm = System.nanoTime() + 40_000_000L;
    for (int i = 0; i < 10 || System.nanoTime() - warm < 0; i++) {
      sink = plainFib(22);
    }
    int n = 25;
    while (n < 45) {
      long t0 = System.nanoTime();
      sink = plainFib(n);
      if (System.nanoTime() - t0 >= SAMPLE_NANOS) {
        return n;
      }
      n++;
    }
    return n;
  }

  /**
   * Wall time, in nanoseconds, of {@code k} new platform threads each computing plainFib(n),
   * from the first start to the last join.
   */
  private static long plainThreads(int k, int n) throws InterruptedException {
    Thread[] threads = new Thread[k];
    long t0 = System.nanoTime();
    for (int i = 0; i < k; i++) {
      threads[i] = new Thread(() -> sink = plainFib(n), "plain-fib-" + i);
      threads[i].setDaemon(true);
      threads[i].start();
    }
    for (Thread t : threads) {
      t.join(60_000);
      if (t.isAlive()) {
        throw new IllegalStateException(t.getName() + " computed fib(" + n + ") for over a minute");
      }
    }
    return System.nanoTime() - t0;
  }
}
