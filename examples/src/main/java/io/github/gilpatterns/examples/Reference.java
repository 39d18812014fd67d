package io.github.gilpatterns.examples;

/**
 * The figures the Java runs are compared with: what the notebooks printed, and what CPython
 * 3.11 measured on a 2-core machine of the kind this project is built and tested on.
 */
final class Reference {
  private Reference() {}

  /** Notebook 000, In [5]: runthreads(k, 34) for k = 1, 2, 3, 4, 8, timing only start(). */
  static final int[] NB000_THREADS = {1, 2, 3, 4, 8};
  static final double[] NB000_START_ONLY = {0.005505561828613281, 0.0312960147857666,
      0.04142189025878906, 0.15059971809387207, 0.3381540775299072};

  /** Notebook 001: fib(34) once, twice sequentially, on two threads (wall times, s). */
  static final double NB001_ONCE = 2.39;
  static final double NB001_TWICE = 4.89;
  static final double NB001_TWO_THREADS = 4.91;

  /** Notebook 003: median text read of Emails.csv, one thread and two threads (s). */
  static final double NB003_ONE = 0.043221473693847656;
  static final double NB003_TWO = 0.08028936386108398;

  /**
   * CPython 3.11.7, fib(30), wall / sequential for 1, 2, 4, 8 threads: medians of 5, on an idle
   * machine (load below 1), 2026-12-01.
   */
  static final int[] CPYTHON_THREADS = {1, 2, 4, 8};
  static final double[] CPYTHON_FIB30 = {1.03, 2.42, 3.82, 7.89};
  /**
   * CPython 3.11.7, runthreads(k, 30) timing only start(), for k = 1, 2, 3, 4, 8, as ratios to
   * one thread's: the same sitting as {@link #CPYTHON_FIB30}.
   */
  static final double[] CPYTHON_START_ONLY = {1, 2.9, 5.7, 12.9, 50.2};

  /**
   * CPython 3.11.7, notebook 003's reads of a 21 MB Emails.csv, two threads / one (medians): the
   * middle of the ranges over several sittings, 1.93 to 2.19 (text) and 2.05 to 2.25 (binary).
   */
  static final double CPYTHON_TEXT_READ = 2.06;
  static final double CPYTHON_BINARY_READ = 2.15;
  /** CPython 3.11.7, two threads sleeping 0.05 s / one: the middle of 1.04 to 1.06. */
  static final double CPYTHON_SLEEP = 1.05;
  /**
   * Counter manager via queue.Queue, 200,000 increments from 4 threads. The reads, the sleep and
   * the counter come from another sitting, whose load was not recorded.
   */
  static final double CPYTHON_COUNTER_PER_SECOND = 214_000;

  /**
   * Notebook 001's _/* printout re-run on CPython 3.11.7 on this project's 2-core machine kind,
   * with {@code buf.append(message)} in place of {@code sys.stdout.write(message)}: two
   * threads run the notebook's {@code fibonacci(n, '_')} and {@code fibonacci(n, '*')}, started
   * and joined as in its cell, then the runs of one character in {@code ''.join(buf)} are
   * counted. fib(n) and the number of runs.
   */
  static final int[] CPYTHON_INTERLEAVE_N = {15, 25, 27};
  static final int[] CPYTHON_INTERLEAVE_RUNS = {2, 6, 12};

  static String two(double x) {
    return String.format(java.util.Locale.ROOT, "%.2f", x);
  }
}
