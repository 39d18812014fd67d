package io.github.gilpatterns.examples;

import io.github.gilpatterns.gil.GilLoad;
import io.github.gilpatterns.gil.GilTrace;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a notebook prints: headings for its cells, figures beside the notebook's and CPython's
 * (in one fixed, parseable layout), the lesson, progress of long runs, and the plots it
 * writes. One session runs one or more notebooks on the launcher's thread; not thread-safe
 * (worker threads of an experiment never print through it).
 *
 * <p>Line formats (the tests parse them):
 * <pre>
 * parallel capacity: two plain threads take 1.71x one thread's time here (ideal 1.00, none 2.00), on 1.98 cores: ...
 *                                                     under each banner (see {@link Capacity})
 * In [4]: super_expensive(34) on two threads          a cell heading ("In [n]", as numbered in the notebook)
 * ## Amdahl's law                                     a markdown section of the notebook
 *   time   fib(36) once                Java 0.0891 s   notebook fib(34): 2.39 s
 *   ratio  2 threads / 1 run, GIL      Java 2.03   notebook 2.06   CPython 3.11 2.20
 *   value  hybrids seen, no lock       Java 1234   CPython -
 *   Not measurable on this machine: two plain threads take 1.71x one here, so these figures cannot show ...
 *   Lesson: ...
 * </pre>
 *
 * <p>Each banner measures the machine's parallel {@link Capacity} and prints it; the notebooks
 * judge their parallel figures against it, by the rule written down there.
 */
final class Session {
  private final PrintStream out;
  private final Size size;
  private final Path plotDir;
  private final boolean showProgress;
  private final Cores.Meter meter;
  private final Capacity.Probe probe;
  private Capacity capacity;
  private final CPythonFigures cpython;
  private final List<Path> plots = new ArrayList<>();
  private final List<Figure> figures = new ArrayList<>();
  private String notebook = "";

  /** One printed figure, kept for the summary at the end. */
  record Figure(String notebook, String kind, String label, double java) {}

  /**
   * Creates a session.
   *
   * @param out where to print
   * @param size how big the experiments are
   * @param plotDir where to write plots, or null to write none
   * @param showProgress whether to report progress of long runs on standard error
   */
  Session(PrintStream out, Size size, Path plotDir, boolean showProgress) {
    this(out, size, plotDir, showProgress, CPythonFigures.reference("no interpreter given"));
  }

  /**
   * As {@link #Session(PrintStream, Size, Path, boolean)}, with CPython's figures from
   * {@code cpython} (measured now, or a reference run's).
   */
  Session(PrintStream out, Size size, Path plotDir, boolean showProgress, CPythonFigures cpython) {
    this(out, size, plotDir, showProgress, Cores.process(), cpython);
  }

  /**
   * As {@link #Session(PrintStream, Size, Path, boolean)}, measuring cores with {@code meter}
   * and the machine's parallel capacity with {@code capacity}: tests feed made-up figures.
   */
  Session(PrintStream out, Size size, Path plotDir, boolean showProgress, Cores.Meter meter,
      Capacity.Probe capacity) {
    this(out, size, plotDir, showProgress, meter, capacity, CPythonFigures.reference("no interpreter given"));
  }

  private Session(PrintStream out, Size size, Path plotDir, boolean showProgress, Cores.Meter meter,
      CPythonFigures cpython) {
    this(out, size, plotDir, showProgress, meter, () -> Capacity.measure(meter), cpython);
  }

  private Session(PrintStream out, Size size, Path plotDir, boolean showProgress, Cores.Meter meter,
      Capacity.Probe capacity, CPythonFigures cpython) {
    Objects.requireNonNull(out, "out");
    this.meter = Objects.requireNonNull(meter, "meter");
    this.probe = Objects.requireNonNull(capacity, "capacity");
    this.cpython = Objects.requireNonNull(cpython, "cpython");
    // Anything printed while a progress line is drawn on a console first erases that line.
    this.out = new PrintStream(new java.io.FilterOutputStream(out) {
      @Override
      public void write(int b) throws java.io.IOException {
        clearProgress();
        out.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws java.io.IOException {
        clearProgress();
        out.write(b, off, len);
      }
    }, true, java.nio.charset.StandardCharsets.UTF_8);
    this.size = Objects.requireNonNull(size, "size");
    this.plotDir = plotDir;
    this.showProgress = showProgress;
  }

  Size size() {
    return size;
  }

  /** CPython's side of the figures: measured now when an interpreter was found. */
  CPythonFigures cpython() {
    return cpython;
  }

  /**
   * The CPython fib argument whose samples stay short at this size, yet long beside a thread's
   * start: fib(22), fib(25) or fib(30), about 5, 20 and 250 ms in CPython 3.11.
   */
  int cpythonFib() {
    return size.pick(22, 25, 30);
  }

  /** Starts measuring the cores a run gets (see {@link Cores}). */
  Cores.Window cores() {
    return meter.start();
  }

  /**
   * Measures the machine's parallel capacity now (see {@link Capacity}); the notebooks' parallel
   * figures are judged against it until the next measurement. Every notebook's banner does this.
   *
   * @throws InterruptedException if interrupted while the plain threads ran
   */
  Capacity measureCapacity() throws InterruptedException {
    capacity = probe.measure();
    return capacity;
  }

  /** The capacity measured at the last banner, measured now if there was none. */
  Capacity capacity() throws InterruptedException {
    return capacity != null ? capacity : measureCapacity();
  }

  /**
   * Prints the cores a parallel run of {@code threads} threads got, then does what
   * {@link #measurable} does.
   *
   * @return why the run cannot show {@code what}, or null if it can
   */
  String parallel(String label, double got, int threads, String what) throws InterruptedException {
    value("cores the run got (CPU / wall), " + label, got, "%.2f",
        "of " + Cores.wanted(threads) + " wanted");
    return measurable(got, threads, what);
  }

  /**
   * Judges whether a parallel run of {@code threads} threads that got {@code got} cores can
   * show {@code what}, by {@link Cores#shortfall(double, int, Capacity)} against this
   * notebook's capacity; if not, prints why ("Not measurable on this machine: ..." or "Not
   * measurable now: ...").
   *
   * @return why the run cannot show {@code what}, or null if it can
   */
  String measurable(double got, int threads, String what) throws InterruptedException {
    String shortfall = Cores.shortfall(got, threads, capacity());
    if (shortfall != null) {
      out.printf(Locale.ROOT, "  %s, so these figures cannot show %s.%n",
          Character.toUpperCase(shortfall.charAt(0)) + shortfall.substring(1), what);
    }
    return shortfall;
  }

  PrintStream out() {
    return out;
  }

  /**
   * Prints a notebook's banner.
   *
   * @throws InterruptedException if interrupted while measuring the machine's capacity
   */
  void notebook(String id, String title, String source) throws InterruptedException {
    notebook(id, title, source, "Notebook");
  }

  /**
   * Prints the banner of a notebook, or of what {@code kind} names, with the machine's parallel
   * capacity measured now.
   *
   * @throws InterruptedException if interrupted while measuring the machine's capacity
   */
  void notebook(String id, String title, String source, String kind) throws InterruptedException {
    this.notebook = id;
    Capacity measured = measureCapacity();
    out.println();
    out.println("=".repeat(92));
    out.printf(Locale.ROOT, "%s %s: %s (%s)%n", kind, id, title, source);
    out.printf(Locale.ROOT, "size: %s   cores: %d   load average: %s   %s%n",
        size.label(), Runtime.getRuntime().availableProcessors(), loadAverage(),
        "Java " + System.getProperty("java.version"));
    out.println(measured.header());
    out.println(cpython.banner());
    out.println("=".repeat(92));
  }

  /** Prints a code cell's heading and the notebook's code, abridged. */
  void cell(String label, String title, String... python) {
    out.println();
    out.printf(Locale.ROOT, "%s: %s%n", label, title);
    for (String line : python) {
      out.println("    | " + line);
    }
  }

  /** Prints a markdown section's heading. */
  void section(String title) {
    out.println();
    out.println("## " + title);
  }

  /** Prints indented prose. */
  void say(String format, Object... args) {
    String text = args.length == 0 ? format : String.format(Locale.ROOT, format, args);
    for (String line : text.split("\n", -1)) {
      out.println("  " + line);
    }
  }

  /** Prints a block verbatim, indented. */
  void block(String text) {
    for (String line : text.split("\n")) {
      out.println("    " + line);
    }
  }

  /** Prints a Java time beside a reference text. */
  void time(String label, double javaSeconds, String reference) {
    figures.add(new Figure(notebook, "time", label, javaSeconds));
    out.printf(Locale.ROOT, "  time   %-46s Java %.4f s%s%n", label, javaSeconds,
        reference == null ? "" : "   " + reference);
  }

  /**
   * Prints a ratio of the Java run beside the notebook's and CPython's, each {@code null} if
   * there is none.
   */
  void ratio(String label, double java, String notebookRatio, String cpython) {
    figures.add(new Figure(notebook, "ratio", label, java));
    out.printf(Locale.ROOT, "  ratio  %-46s Java %.2f   notebook %s   CPython %s%n", label, java,
        notebookRatio == null ? "-" : notebookRatio, cpython == null ? "-" : cpython);
  }

  /** Prints any other figure (a count, a rate) beside a reference text. */
  void value(String label, double java, String format, String reference) {
    figures.add(new Figure(notebook, "value", label, java));
    out.printf(Locale.ROOT, "  value  %-46s Java " + format + "%s%n", label, java,
        reference == null ? "" : "   " + reference);
  }

  /** Prints the lesson, in one sentence. */
  void lesson(String sentence) {
    out.println();
    out.println("  Lesson: " + sentence);
  }

  private Progress active;

  /** Starts reporting progress of {@code total} steps on standard error. */
  Progress progress(String what, int total) {
    active = new Progress(what, total, showProgress);
    return active;
  }

  private void clearProgress() {
    if (active != null) {
      active.erase();
    }
  }

  /**
   * Writes a chart as SVG and PNG if plots are on; prints where, and the chart as text.
   *
   * @return the files written (empty if plots are off or writing failed)
   */
  List<Path> plot(String stem, Plots.Drawing chart, String text) {
    out.println();
    out.print(indent(text));
    if (plotDir == null) {
      return List.of();
    }
    List<Path> written = new ArrayList<>();
    try {
      Files.createDirectories(plotDir);
      Path svg = plotDir.resolve(stem + ".svg");
      Plots.writeSvg(chart, svg);
      written.add(svg);
      Path png = plotDir.resolve(stem + ".png");
      String pngError = Plots.writePng(chart, png);
      if (pngError == null) {
        written.add(png);
      } else {
        out.println("  (PNG not written, " + pngError + "; the SVG has the same chart)");
      }
    } catch (IOException e) {
      out.println("  (plot not written: " + e + ")");
    }
    plots.addAll(written);
    for (Path p : written) {
      out.println("  plot: " + p);
    }
    return written;
  }

  /**
   * Shows a GIL's trace: plots its timeline (as {@link #plot} does), prints the per-thread
   * load as CPython's {@code gil_load} would, and, if plots are on, writes the trace beside
   * the plot as Chrome trace-event JSON ({@code stem.json}), which Perfetto opens.
   *
   * @return the files written (empty if plots are off)
   */
  List<Path> gilTimeline(String stem, String title, GilTrace trace) {
    List<Path> written = new ArrayList<>(plot(stem, new Plots.Timeline(title, trace),
        trace.renderTimeline(90)));
    out.print(indent(GilLoad.of(trace).toString()));
    if (plotDir == null) {
      return written;
    }
    Path json = plotDir.resolve(stem + ".json");
    try {
      Files.createDirectories(plotDir);
      Files.writeString(json, trace.toChromeTraceJson());
      written.add(json);
      plots.add(json);
      out.println("  trace: " + json + " (open it in https://ui.perfetto.dev)");
    } catch (IOException e) {
      out.println("  (trace not written: " + e + ")");
    }
    return written;
  }

  List<Path> plots() {
    return Collections.unmodifiableList(plots);
  }

  List<Figure> figures() {
    return Collections.unmodifiableList(figures);
  }

  Path plotDir() {
    return plotDir;
  }

  static String indent(String text) {
    StringBuilder sb = new StringBuilder();
    for (String line : text.split("\n")) {
      sb.append("    ").append(line).append('\n');
    }
    return sb.toString();
  }

  static String loadAverage() {
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    return load < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", load);
  }

  /** Formats seconds for people: "2.39 s", "88.1 ms", "412 us". */
  static String human(double seconds) {
    if (seconds >= 1) {
      return String.format(Locale.ROOT, "%.2f s", seconds);
    }
    if (seconds >= 1e-3) {
      return String.format(Locale.ROOT, "%.1f ms", seconds * 1e3);
    }
    return String.format(Locale.ROOT, "%.0f us", seconds * 1e6);
  }

  /**
   * Progress of a long run: on a console a line redrawn in place, otherwise a line at most
   * every two seconds; nothing when progress is off. Written to standard error so that
   * standard output stays the notebook's.
   */
  static final class Progress implements AutoCloseable {
    private final String what;
    private final int total;
    private final boolean on;
    private final boolean console = System.console() != null;
    private final long start = System.nanoTime();
    private long lastPrint = System.nanoTime();
    private int done;
    private boolean printed;

    Progress(String what, int total, boolean on) {
      this.what = what;
      this.total = total;
      this.on = on;
    }

    void step() {
      done++;
      if (!on) {
        return;
      }
      long now = System.nanoTime();
      if (console) {
        if (now - lastPrint > 100_000_000L || done == total) {
          int bar = total == 0 ? 20 : 20 * done / total;
          System.err.printf(Locale.ROOT, "\r  [%s%s] %d/%d %s, %.1f s ", "#".repeat(bar),
              " ".repeat(20 - bar), done, total, what, (now - start) / 1e9);
          lastPrint = now;
          printed = true;
        }
      } else if (now - lastPrint > 2_000_000_000L) {
        System.err.printf(Locale.ROOT, "  ... %s: %d/%d, %.0f s%n", what, done, total, (now - start) / 1e9);
        lastPrint = now;
      }
    }

    /** Erases the progress line, if drawn; the next step draws it again. */
    void erase() {
      if (on && console && printed) {
        System.err.print("\r" + " ".repeat(60 + what.length()) + "\r");
        System.err.flush();
        printed = false;
      }
    }

    @Override
    public void close() {
      erase();
    }
  }
}
