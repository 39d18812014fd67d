package io.github.gilpatterns.examples;

import java.util.Locale;

/**
 * How big the notebooks' experiments are: {@link #FULL} as the notebooks ran them (fib(34) in
 * CPython's time, a 21 MB Emails.csv read 100 times, two-second sleeps), {@link #FAST} (the
 * default: every notebook in well under two minutes on two cores) and {@link #TEST} (the
 * smallest size that still shows each lesson, for the module's tests).
 */
enum Size {
  /** The smallest size that still shows each lesson; used by the tests. */
  TEST,
  /** The default: all five notebooks in well under two minutes on two cores. */
  FAST,
  /** The notebooks' own sizes (scaled to CPython's time where Java is faster). */
  FULL;

  /**
   * Java's recursive fib, with a checkpoint per call, is about 70 to 100 times faster than
   * CPython 3.11's on this project's machines (Java fib(30) about 2.2 ms in
   * benchmarks/RESULTS.md, CPython fib(30) 230 ms), and each +1 of n costs about 1.618 times
   * more, so fib(n + 9) in Java takes about as long as CPython's fib(n). FAST and TEST
   * shrink that so the default run stays short, while each fib still spans many 5 ms switch
   * intervals.
   *
   * @param notebookN the argument the notebook gave fib (34 in notebooks 000 and 001)
   * @return the argument the Java counterpart uses at this size
   */
  int fib(int notebookN) {
    switch (this) {
      case FULL:
        return notebookN + 9;
      case FAST:
        return notebookN + 2;
      default:
        return notebookN + 1;
    }
  }

  /**
   * Picks one of three values by size.
   *
   * @param test the value at {@link #TEST}
   * @param fast the value at {@link #FAST}
   * @param full the value at {@link #FULL}
   * @param <T> the value type
   * @return the value for this size
   */
  <T> T pick(T test, T fast, T full) {
    switch (this) {
      case FULL:
        return full;
      case FAST:
        return fast;
      default:
        return test;
    }
  }

  /**
   * Picks one of three ints by size.
   *
   * @param test the value at {@link #TEST}
   * @param fast the value at {@link #FAST}
   * @param full the value at {@link #FULL}
   * @return the value for this size
   */
  int pick(int test, int fast, int full) {
    return this == FULL ? full : this == FAST ? fast : test;
  }

  /**
   * Returns the lower-case name used on the command line.
   *
   * @return {@code test}, {@code fast} or {@code full}
   */
  String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
