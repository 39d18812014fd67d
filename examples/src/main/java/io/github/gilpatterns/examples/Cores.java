package io.github.gilpatterns.examples;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.Locale;

/**
 * How many cores a run actually got: the process's CPU time over the run's wall time. On a
 * shared machine other processes may hold the cores a parallel run would use; a lesson about
 * parallelism is then not measurable, and the notebooks say so instead of printing a lesson
 * their own figures contradict. {@link #shortfall(double, int, Capacity)} also asks the
 * machine's {@link Capacity}, which sees what the cores cannot: two free vCPUs that are each
 * slower when both are busy.
 */
final class Cores {
  /** A parallel run that got less than this share of the cores it wanted shows no lesson. */
  static final double ENOUGH = 0.75;

  private Cores() {}

  /** Measures the cores used over windows of time. */
  @FunctionalInterface
  interface Meter {
    /** Starts a window now. */
    Window start();
  }

  /** A window of time started by a {@link Meter}. */
  @FunctionalInterface
  interface Window {
    /**
     * The cores used since the window started: CPU time over wall time, or {@code NaN} if this
     * JVM cannot tell.
     */
    double cores();
  }

  /** The meter of this process: {@code com.sun.management}'s process CPU time, when present. */
  static Meter process() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (!(os instanceof com.sun.management.OperatingSystemMXBean)) {
      return () -> () -> Double.NaN;
    }
    com.sun.management.OperatingSystemMXBean sun = (com.sun.management.OperatingSystemMXBean) os;
    return () -> {
      long cpu0 = sun.getProcessCpuTime();
      long wall0 = System.nanoTime();
      return () -> {
        long cpu = sun.getProcessCpuTime();
        long wall = System.nanoTime() - wall0;
        return cpu < 0 || cpu0 < 0 || wall <= 0 ? Double.NaN : (cpu - cpu0) / (double) wall;
      };
    };
  }

  /**
   * The fewest cores any run of two or more threads got: {@code got[i]} is what the run of
   * {@code threads[i]} threads got.
   */
  static double least(int[] threads, double[] got) {
    double least = Double.POSITIVE_INFINITY;
    for (int i = 0; i < threads.length; i++) {
      if (threads[i] >= 2) {
        least = Math.min(least, got[i]);
      }
    }
    return least;
  }

  /** The cores {@code threads} CPU-bound threads can use on this machine. */
  static int wanted(int threads) {
    return Math.min(threads, Runtime.getRuntime().availableProcessors());
  }

  /**
   * Why a parallel run of {@code threads} threads that got {@code got} cores cannot show
   * parallelism, or {@code null} if it can. In order: the machine needs two cores or more;
   * its {@link Capacity capacity} must be enough to show parallel speedup (the rule written
   * down in {@link Capacity}); and the run needs {@link #ENOUGH} of the cores it wanted. An
   * unknown figure of cores ({@code NaN}) is given the benefit of the doubt.
   *
   * @return "not measurable on this machine: ..." or "not measurable now: ...", or null
   */
  static String shortfall(double got, int threads, Capacity capacity) {
    return shortfall(got, threads, Runtime.getRuntime().availableProcessors(), capacity);
  }

  static String shortfall(double got, int threads, int available, Capacity capacity) {
    if (threads < 2) {
      throw new IllegalArgumentException("a parallel run needs two threads or more: " + threads);
    }
    if (available < 2) {
      return "not measurable on this machine: it has one core";
    }
    String machine = capacity.shortfall();
    if (machine != null) {
      return machine;
    }
    int wanted = Math.min(threads, available);
    if (Double.isNaN(got) || got >= ENOUGH * wanted) {
      return null;
    }
    return String.format(Locale.ROOT, "not measurable now: only %.2f of the %d cores it wanted were free", got, wanted);
  }
}
