package io.github.gilpatterns.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * CPython's side of the notebooks' figures. With an interpreter, each figure is measured now,
 * by the examples' own script, just after the Java figure it is printed beside, so that both
 * come from one sitting; without one, it is the figure of a reference run, and says so.
 *
 * <p>Used from the launcher's thread only, as {@link Session} is.
 */
final class CPythonFigures implements AutoCloseable {
  /** Where the reference figures come from. */
  static final String REFERENCE = "reference runs of CPython 3.11.7 on a 2-core machine of this project's CI kind,"
      + " 5 ms switch interval: fib and runthreads on 2026-12-01 on an idle machine (load below 1), the reads,"
      + " sleep and counter in a sitting whose load was not recorded";

  /** One CPython figure and where it came from. */
  record Figure(double value, boolean live, String version) {
    /**
     * The figure as the CPython column prints it: {@code "3.11.7 now 2.21 (Java / CPython 0.95)"} when
     * measured in this sitting, {@code "3.11.7 reference run 2.20"} otherwise.
     */
    String text(double java, String format) {
      String v = String.format(Locale.ROOT, format, value);
      return live
          ? String.format(Locale.ROOT, "%s now %s (Java / CPython %.2f)", version, v, java / value)
          : version + " reference run " + v;
    }

    /** As {@link #text(double, String)} with two decimals. */
    String text(double java) {
      return text(java, "%.2f");
    }

    /**
     * As {@link #text(double)}, naming the fib argument: {@code liveN} when measured now, 30
     * (the reference runs') otherwise.
     */
    String text(double java, int liveN) {
      return text(java) + ", fib(" + (live ? liveN : 30) + ")";
    }
  }

  private final CPython python;
  private final String why;
  private final int samples;

  private CPythonFigures(CPython python, String why, int samples) {
    this.python = python;
    this.why = why;
    this.samples = samples;
  }

  /** Figures measured by {@code python}, each the median of {@code samples} samples. */
  static CPythonFigures live(CPython python, int samples) {
    if (samples < 1) {
      throw new IllegalArgumentException("samples must be at least 1: " + samples);
    }
    return new CPythonFigures(python, null, samples);
  }

  /** The reference run's figures, because of {@code why} (printed in the banner). */
  static CPythonFigures reference(String why) {
    return new CPythonFigures(null, why, 1);
  }

  /** Finds {@code executable}; the reference run's figures if it cannot run the script. */
  static CPythonFigures find(String executable, int samples) throws InterruptedException {
    String[] why = new String[1];
    CPython python = CPython.find(executable, why);
    return python == null ? reference("no CPython to measure here: " + why[0] + "; use --python PATH")
        : live(python, samples);
  }

  /** Whether the figures are measured now. */
  boolean live() {
    return python != null;
  }

  /** The interpreter, or null without one. */
  CPython python() {
    return python;
  }

  /** How plots name CPython's series: its version and "now" or "reference run". */
  String seriesName() {
    return live() ? "CPython " + python.version() + " (now)" : "CPython 3.11.7 (reference run)";
  }

  /** The line under each notebook's banner that says where the CPython figures come from. */
  String banner() {
    return live()
        ? String.format(Locale.ROOT, "CPython figures: measured now by CPython %s, each just after the Java figure"
            + " beside it (%s).", python.version(), samples == 1 ? "one sample" : "median of " + samples)
        : "CPython figures: " + REFERENCE + " (" + why + ").";
  }

  /** k threads each computing fib(n) in CPython, wall / one sequential fib(n) run. */
  Figure fibRatio(int n, int k, double reference) throws IOException, InterruptedException {
    return median(reference, "ratio", "fib", n, k);
  }

  /**
   * {@link #fibRatio} as the CPython column prints it beside {@code java}; null when there is
   * nothing to print: no interpreter and no reference figure ({@code NaN}) for this k.
   */
  String fibRatioText(int n, int k, double reference, double java) throws IOException, InterruptedException {
    return !live() && Double.isNaN(reference) ? null : fibRatio(n, k, reference).text(java, n);
  }

  /**
   * runthreads(k, n) timing only start(), as a ratio to one thread's, for each k of {@code ks}
   * (whose first is 1); without an interpreter, {@code reference}.
   */
  Figure[] startOnlyRatios(int n, int[] ks, double[] reference) throws IOException, InterruptedException {
    Figure[] figures = new Figure[ks.length];
    for (int i = 0; i < ks.length; i++) {
      figures[i] = median(reference[i], "start_s", "start", n, ks[i]);
    }
    if (live()) {
      double one = figures[0].value();
      for (int i = 0; i < ks.length; i++) {
        figures[i] = new Figure(figures[i].value() / one, true, python.version());
      }
    }
    return figures;
  }

  /** Two threads sleeping {@code seconds} / one. */
  Figure sleepRatio(double seconds, double reference) throws IOException, InterruptedException {
    return median(reference, "ratio", "sleep", seconds);
  }

  /**
   * The counter manager fed by queue.Queue from 4 threads, increments per second; one sample,
   * since it is shown for information only and takes seconds.
   */
  Figure counterPerSecond(int increments, double reference) throws IOException, InterruptedException {
    return median(reference, 1, "increments_per_s", "counter", increments);
  }

  /**
   * Two threads reading {@code file} at once / one thread: the medians of {@code reads} reads
   * each, in one sample.
   */
  Figure readRatio(Path file, boolean text, int reads, double reference) throws IOException, InterruptedException {
    return median(reference, 1, "ratio", "read", file.toAbsolutePath(), text ? "r" : "rb", reads);
  }

  private Figure median(double reference, String key, String experiment, Object... args)
      throws IOException, InterruptedException {
    return median(reference, samples, key, experiment, args);
  }

  private Figure median(double reference, int samples, String key, String experiment, Object... args)
      throws IOException, InterruptedException {
    if (python == null) {
      return new Figure(reference, false, "3.11.7");
    }
    return new Figure(python.median(samples, key, experiment, args), true, python.version());
  }

  @Override
  public void close() throws IOException {
    if (python != null) {
      python.close();
    }
  }
}
