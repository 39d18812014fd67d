package io.github.gilpatterns.examples;

import io.github.gilpatterns.gil.Gil;
import io.github.gilpatterns.join.Threads;
import java.io.PrintStream;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * CPython and the emulated GIL side by side, measured in one sitting: each experiment's
 * samples alternate between a CPython process running the examples' own script and the same
 * experiment in Java, and the medians are compared with the fidelity targets. Without a
 * CPython interpreter the CPython column shows a named reference run instead.
 *
 * <p>The experiments: k CPU-bound threads each computing fib, wall time over one sequential
 * run (k = 1, 2, 4, 8); notebook 000's runthreads timing only {@code start()}, as a ratio to
 * one thread; the convoy effect of bpo-7946 (round trips per second of an I/O thread pair
 * beside 0, 1 and 2 CPU-bound threads, and the drop against 0); two threads sleeping over one;
 * two threads blocked in a select() inside {@code releasing} over one;
 * and Hettinger's counter manager fed through a queue from 4 threads.
 */
final class Compare {
  private Compare() {}

  /** How a figure is judged against CPython's. */
  enum Target {
    /** Within 15% of CPython's figure. */
    WITHIN_15_PERCENT("within 15%"),
    /** Within a factor of 2 of CPython's figure, either way. */
    WITHIN_2X("within 2x"),
    /** About 1, as CPython's: both within 0.8 to 1.25. */
    ABOUT_ONE("about 1, as CPython"),
    /** Shown for information. */
    NONE("-");

    final String text;

    Target(String text) {
      this.text = text;
    }

    /** Whether {@code emulation} meets this target against {@code cpython}; true for NONE. */
    boolean met(double cpython, double emulation) {
      switch (this) {
        case WITHIN_15_PERCENT:
          return Math.abs(emulation / cpython - 1) <= 0.15;
        case WITHIN_2X:
          return Math.max(emulation / cpython, cpython / emulation) <= 2;
        case ABOUT_ONE:
          return within(cpython, 0.8, 1.25) && within(emulation, 0.8, 1.25);
        default:
          return true;
      }
    }

    private static boolean within(double x, double low, double high) {
      return x >= low && x <= high;
    }
  }

  /** One line of the table: an experiment's CPython and emulated medians, and their target. */
  record Row(String experiment, String setting, double cpython, double emulation, Target target,
      double cpythonAgain) {
    double ratio() {
      return emulation / cpython;
    }

    boolean met() {
      return target.met(cpython, emulation);
    }

    /** Whether CPython's second set of samples meets the target against its first; false without one. */
    boolean cpythonMetAgainstItself() {
      return !Double.isNaN(cpythonAgain) && target.met(cpython, cpythonAgain);
    }
  }

  /**
   * The CPython figures of a reference run on the project's 2-core machine kind, shown when no
   * interpreter is found: CPython 3.11.7, 2026-12-01, idle machine (load below 1), 5 repeats,
   * fib(30), and select; sleep and the counter manager from another sitting whose load was not
   * recorded.
   */
  static final String REFERENCE_RUN = "reference run: CPython 3.11.7 on a 2-core machine of this project's"
      + " CI kind, 2026-12-01, idle (load below 1), 5 repeats, fib(30), and select; sleep and counter from another"
      + " sitting, load not recorded";
  static final int[] FIB_THREADS = {1, 2, 4, 8};
  static final double[] REFERENCE_FIB = Reference.CPYTHON_FIB30;
  static final int[] START_THREADS = Reference.NB000_THREADS;
  static final double[] REFERENCE_START = Reference.CPYTHON_START_ONLY;
  static final int[] CONVOY_CPU_THREADS = {0, 1, 2};
  static final double[] REFERENCE_CONVOY = {48_803, 103, 57};
  static final double REFERENCE_SLEEP = Reference.CPYTHON_SLEEP;
  /** CPython 3.11.7, select.select for 0.05 s, two threads / one: median of 5, 2026-12-01, load 0.85. */
  static final double REFERENCE_SELECT = 1.03;
  static final double REFERENCE_COUNTER = Reference.CPYTHON_COUNTER_PER_SECOND;

  /** The experiments' sizes. */
  record Sizes(int fib, int repeats, double convoySeconds, double sleepSeconds, int increments) {
    static Sizes of(Size size, Integer repeats) {
      int r = repeats != null ? repeats : size.pick(1, 5, 5);
      return size.pick(new Sizes(18, r, 0.05, 0.01, 4_000), new Sizes(29, r, 0.5, 0.05, 100_000),
          new Sizes(30, r, 1.0, 0.05, 200_000));
    }

    /**
     * The Java fib argument that takes about as long as CPython's fib({@link #fib}): on this
     * project's 2-core machine kind, idle, Java's fib(36) with a checkpoint per call took
     * 0.15 s and CPython 3.11's fib(29) 0.14 s (best of 5 and of 3).
     */
    int javaFib() {
      return fib + 7;
    }
  }

  /** A sample of one experiment, on one side. */
  @FunctionalInterface
  private interface Sample {
    double take() throws Exception;
  }

  /** A sample of several figures of one experiment, on one side. */
  @FunctionalInterface
  private interface Samples {
    double[] take() throws Exception;
  }

  /**
   * Runs every experiment and prints the table.
   *
   * @param s where to print and plot
   * @param python the interpreter, or null to show the reference run
   * @param sizes the experiments' sizes
   * @return the rows, in the order printed
   */
  static List<Row> run(Session s, CPython python, Sizes sizes) throws Exception {
    PrintStream out = s.out();
    String cpythonName = python == null ? "CPython (reference run)" : "CPython " + python.version();
    out.println();
    out.println("=".repeat(92));
    out.printf(Locale.ROOT, "Compare: %s and the emulated GIL, %d repeats alternating, medians%n",
        cpythonName, sizes.repeats());
    out.printf(Locale.ROOT, "cores: %d   load average: %s   Java %s   fib(%d) in CPython, fib(%d) in Java%n",
        Runtime.getRuntime().availableProcessors(), Session.loadAverage(), System.getProperty("java.version"),
        sizes.fib(), sizes.javaFib());
    out.println(s.measureCapacity().header());
    if (python == null) {
      out.println("CPython column: " + REFERENCE_RUN + ".");
    } else if (!python.gil()) {
      out.println("Note: this CPython runs without its GIL (free-threaded build); the emulation has a GIL.");
    }
    out.println("=".repeat(92));
    warmUp(sizes);
    int settings = FIB_THREADS.length + START_THREADS.length + 2 * CONVOY_CPU_THREADS.length + 3;
    try (Session.Progress progress = s.progress("compare", settings * sizes.repeats())) {
      return measure(s, python, sizes, cpythonName, progress);
    }
  }

  private static List<Row> measure(Session s, CPython python, Sizes sizes, String cpythonName,
      Session.Progress progress) throws Exception {
    PrintStream out = s.out();
    List<Row> rows = new ArrayList<>();
    int n = sizes.fib();
    int jn = sizes.javaFib();

    double[][] fib = new double[3][FIB_THREADS.length]; // CPython, emulation, CPython again
    for (int i = 0; i < FIB_THREADS.length; i++) {
      int k = FIB_THREADS[i];
      double[] m = medians(progress, sizes.repeats(), python == null ? null : () -> python.sample("ratio", "fib", n, k),
          () -> {
            // As the script does: the base is the mean of a sequential run before and one after.
            double before = Measure.sequential(() -> Notebook001WayOneThreads.fibonacci(jn));
            double wall = Measure.threads(Mode.GIL, k, () -> Notebook001WayOneThreads.fibonacci(jn));
            return wall / ((before + Measure.sequential(() -> Notebook001WayOneThreads.fibonacci(jn))) / 2);
          });
      fib[0][i] = python == null ? REFERENCE_FIB[i] : m[0];
      fib[1][i] = m[1];
      fib[2][i] = m[2];
      rows.add(new Row("fib on k threads, wall / one run", k + (k == 1 ? " thread" : " threads"), fib[0][i],
          fib[1][i], Target.WITHIN_15_PERCENT, fib[2][i]));
    }

    double[][] seconds = new double[3][START_THREADS.length];
    for (int i = 0; i < START_THREADS.length; i++) {
      int k = START_THREADS[i];
      double[] m = medians(progress, sizes.repeats(), python == null ? null : () -> python.sample("start_s", "start", n, k),
          () -> startOnly(k, jn));
      seconds[0][i] = m[0];
      seconds[1][i] = m[1];
      seconds[2][i] = m[2];
    }
    double[][] start = new double[3][START_THREADS.length]; // as ratios to one thread
    for (int i = 0; i < START_THREADS.length; i++) {
      start[0][i] = python == null ? REFERENCE_START[i] : seconds[0][i] / seconds[0][0];
      start[1][i] = seconds[1][i] / seconds[1][0];
      start[2][i] = seconds[2][i] / seconds[2][0];
    }
    for (int i = 1; i < START_THREADS.length; i++) {
      rows.add(new Row("runthreads start() only, / 1 thread", START_THREADS[i] + " threads", start[0][i],
          start[1][i], Target.WITHIN_2X, start[2][i]));
    }

    double[][] convoy = new double[3][CONVOY_CPU_THREADS.length];
    double[][] slowShare = new double[2][CONVOY_CPU_THREADS.length]; // NaN for the reference run
    for (int i = 0; i < CONVOY_CPU_THREADS.length; i++) {
      int k = CONVOY_CPU_THREADS[i];
      double[][] m = medians(progress, sizes.repeats(), 2, true,
          python == null ? null
              : () -> python.sample(List.of("round_trips_per_s", "slow_share"), "convoy", sizes.convoySeconds(), k),
          () -> {
            Convoy.Result r = Convoy.run(sizes.convoySeconds(), k, false);
            return new double[] {r.roundTripsPerSecond(), r.slowShare()};
          });
      convoy[0][i] = python == null ? REFERENCE_CONVOY[i] : m[0][0];
      convoy[1][i] = m[1][0];
      convoy[2][i] = m[2][0];
      slowShare[0][i] = m[0][1];
      slowShare[1][i] = m[1][1];
    }
    for (int i = 0; i < CONVOY_CPU_THREADS.length; i++) {
      int k = CONVOY_CPU_THREADS[i];
      rows.add(new Row("convoy: I/O round trips per s", "beside " + k + " CPU", convoy[0][i], convoy[1][i],
          Target.NONE, convoy[2][i]));
    }
    for (int i = 1; i < CONVOY_CPU_THREADS.length; i++) {
      rows.add(new Row("convoy: drop against 0 CPU threads", "beside " + CONVOY_CPU_THREADS[i] + " CPU",
          convoy[0][0] / convoy[0][i], convoy[1][0] / convoy[1][i], Target.WITHIN_2X, convoy[2][0] / convoy[2][i]));
    }

    // Beazley's proposed fix, against the default, samples alternating in this sitting.
    double[][] fix = new double[2][CONVOY_CPU_THREADS.length]; // [default, I/O priority]
    for (int i = 0; i < CONVOY_CPU_THREADS.length; i++) {
      int k = CONVOY_CPU_THREADS[i];
      double[][] m = medians(progress, sizes.repeats(), 1, false,
          () -> new double[] {Convoy.roundTripsPerSecond(sizes.convoySeconds(), k, true)},
          () -> new double[] {Convoy.roundTripsPerSecond(sizes.convoySeconds(), k, false)});
      fix[0][i] = m[1][0];
      fix[1][i] = m[0][0];
    }

    double[] sleep = medians(progress, sizes.repeats(),
        python == null ? null : () -> python.sample("ratio", "sleep", sizes.sleepSeconds()),
        () -> sleepRatio(sizes.sleepSeconds()));
    rows.add(new Row("sleep: two threads / one", "2 threads", python == null ? REFERENCE_SLEEP : sleep[0], sleep[1],
        Target.ABOUT_ONE, sleep[2]));

    double[] select = medians(progress, sizes.repeats(),
        python == null ? null : () -> python.sample("ratio", "select", sizes.sleepSeconds()),
        () -> selectRatio(sizes.sleepSeconds()));
    rows.add(new Row("releasing: blocking select, 2 / 1", "2 threads", python == null ? REFERENCE_SELECT : select[0],
        select[1], Target.ABOUT_ONE, select[2]));

    double[] counter = medians(progress, sizes.repeats(),
        python == null ? null : () -> python.sample("increments_per_s", "counter", sizes.increments()),
        () -> Notebook001WayOneThreads.counterThroughput(sizes.increments(), 4));
    rows.add(new Row("counter manager via a queue, per s", "4 producers",
        python == null ? REFERENCE_COUNTER : counter[0], counter[1], Target.NONE, counter[2]));

    print(out, rows, cpythonName);
    if (python != null) {
      printAgainstItself(out, rows);
    }
    printSlowShares(out, slowShare, python != null);
    out.println();
    out.println("  The convoy with Beazley's proposed fix for bpo-7946 (Gil.Builder.ioPriority: a thread back from a");
    out.println("  blocking call asks for the GIL at once and is woken first), against the default, same sitting:");
    for (int i = 0; i < CONVOY_CPU_THREADS.length; i++) {
      out.printf(Locale.ROOT, "    beside %d CPU: round trips per s, default %12s (drop %6.1fx)   I/O priority %12s"
          + " (drop %6.1fx)%n", CONVOY_CPU_THREADS[i], figure(fix[0][i]), fix[0][0] / fix[0][i], figure(fix[1][i]),
          fix[1][0] / fix[1][i]);
    }
    plot(s, cpythonName, fib, start, convoy, fix);
    return rows;
  }

  /** Runs each experiment once, untimed, so that the JIT has compiled what is timed. */
  private static void warmUp(Sizes sizes) throws Exception {
    int jn = sizes.javaFib();
    for (int i = 0; i < 3; i++) {
      Notebook001WayOneThreads.fibonacci(jn - 3);
    }
    Measure.threads(Mode.GIL, 2, () -> Notebook001WayOneThreads.fibonacci(jn - 3));
    startOnly(2, jn - 3);
    for (int k : CONVOY_CPU_THREADS) {
      Convoy.roundTripsPerSecond(Math.min(0.2, sizes.convoySeconds()), k, false);
      Convoy.roundTripsPerSecond(Math.min(0.2, sizes.convoySeconds()), k, true);
    }
    Notebook001WayOneThreads.counterThroughput(sizes.increments(), 4);
    selectRatio(0.01); // loads and links the selector's classes
  }

  /**
   * Medians of {@code repeats} samples on each side, and of a second set of {@code a}'s, the
   * three alternating; {@code [a, b, a again]}, with {@code NaN} for {@code a} when there is
   * none (no CPython).
   */
  private static double[] medians(Session.Progress progress, int repeats, Sample a, Sample b)
      throws Exception {
    double[][] m = medians(progress, repeats, 1, true, a == null ? null : () -> new double[] {a.take()},
        () -> new double[] {b.take()});
    return new double[] {m[0][0], m[1][0], m[2][0]};
  }

  /**
   * As {@link #medians(Session.Progress, int, Sample, Sample)} for samples of {@code width}
   * figures each: {@code [a, b, a again][figure]}, each figure's median on its own. In each
   * repeat {@code b}'s sample has one of {@code a}'s before it and one after, and the two
   * swap every repeat, so that both sets of {@code a} see the same conditions as {@code b}.
   * Without {@code again}, only {@code a} and {@code b} are sampled, swapping which goes first,
   * and the third row is {@code NaN}.
   */
  private static double[][] medians(Session.Progress progress, int repeats, int width, boolean again, Samples a,
      Samples b) throws Exception {
    double[][] as = new double[width][repeats];
    double[][] bs = new double[width][repeats];
    double[][] as2 = new double[width][repeats];
    for (int r = 0; r < repeats; r++) {
      boolean even = r % 2 == 0;
      if (a != null) {
        if (!even) {
          put(as, r, a.take());
        } else if (again) {
          put(as2, r, a.take());
        }
      }
      put(bs, r, b.take());
      if (a != null) {
        if (even) {
          put(as, r, a.take());
        } else if (again) {
          put(as2, r, a.take());
        }
      }
      progress.step();
    }
    double[][] m = new double[3][width];
    for (int f = 0; f < width; f++) {
      m[0][f] = a == null ? Double.NaN : Measure.median(as[f]);
      m[1][f] = Measure.median(bs[f]);
      m[2][f] = a == null || !again ? Double.NaN : Measure.median(as2[f]);
    }
    return m;
  }

  private static void put(double[][] figures, int repeat, double[] sample) {
    for (int f = 0; f < figures.length; f++) {
      figures[f][repeat] = sample[f];
    }
  }

  /**
   * CPython's second set of samples, judged against its first by the same targets: how much of
   * what the targets ask this machine reproduces right now. A target that CPython misses
   * against itself is tighter than this sitting's noise, and an emulation that misses it too
   * has not been shown to differ.
   */
  private static void printAgainstItself(PrintStream out, List<Row> rows) {
    out.println();
    out.println("  CPython against itself: a second set of CPython samples, taken alternating with the first and with");
    out.println("  the emulation's, judged by the same targets:");
    int targets = 0;
    int met = 0;
    for (Row r : rows) {
      if (r.target() == Target.NONE) {
        continue;
      }
      targets++;
      met += r.cpythonMetAgainstItself() ? 1 : 0;
      out.printf(Locale.ROOT, "    %-36s %-15s first %10s  again %10s  %6.2f  %-20s %s%n", r.experiment(),
          r.setting(), figure(r.cpython()), figure(r.cpythonAgain()), r.cpythonAgain() / r.cpython(),
          r.target().text, r.cpythonMetAgainstItself() ? "met" : "MISSED");
    }
    out.printf(Locale.ROOT, "  CPython met %d of %d against itself.%n", met, targets);
  }

  /**
   * The share of the convoy's round trips slower than 1 ms, beside 1 and 2 CPU-bound threads.
   * The rate depends on it: a slow round trip costs a switch interval or more, a fast one some
   * microseconds, so the share explains a drop that differs from CPython's.
   */
  private static void printSlowShares(PrintStream out, double[][] slowShare, boolean live) {
    out.println();
    out.println("  Why the convoy figures move: each hand-off of the GIL between the I/O threads is a race between");
    out.println("  the peer back from its blocking call and the CPU-bound thread the drop woke. When the CPU-bound");
    out.println("  thread wins, the round trip waits a switch interval (5 ms) or more; when the peer wins, it takes");
    out.println("  microseconds. The share of round trips slower than 1 ms sets the rate; medians, same sitting:");
    for (int i = 1; i < CONVOY_CPU_THREADS.length; i++) {
      String cpython = live ? String.format(Locale.ROOT, "%5.1f%%", 100 * slowShare[0][i]) : "not measured here";
      out.printf(Locale.ROOT, "    beside %d CPU: CPython %s   emulation %5.1f%%%n", CONVOY_CPU_THREADS[i], cpython,
          100 * slowShare[1][i]);
    }
  }

  /** Notebook 000's runthreads(k, fib(n)) on the emulated GIL, timing only the start() calls. */
  static double startOnly(int k, int n) throws Exception {
    Gil gil = Gil.create();
    List<Thread> running = new ArrayList<>();
    gil.acquire();
    try {
      double seconds = Notebook000ThreadsCanHurt.runthreadsStartOnly(gil, k, n, running);
      gil.releasing(() -> Threads.joinAll(running));
      return seconds;
    } finally {
      gil.release();
    }
  }

  /**
   * Two threads each blocked {@code seconds} in a {@link Selector#select(long)} inside
   * {@link Gil#releasing}, under one GIL, over one thread: CPython's {@code select.select([], [],
   * [], seconds)}, a system call that releases the GIL.
   */
  static double selectRatio(double seconds) throws Exception {
    long millis = Math.max(1, Math.round(seconds * 1000));
    Callable<Object> blocked = () -> {
      try (Selector selector = Selector.open()) {
        Gil.current().orElseThrow().releasing(() -> selector.select(millis));
      }
      return null;
    };
    return Measure.threads(Mode.GIL, 2, blocked) / Measure.sequential(blocked);
  }

  /** Two threads each sleeping {@code seconds} under one GIL, over one thread sleeping it. */
  static double sleepRatio(double seconds) throws Exception {
    Duration d = Duration.ofNanos((long) (seconds * 1e9));
    double one = Measure.sequential(() -> {
      Gil.sleep(d);
      return null;
    });
    double two = Measure.threads(Mode.GIL, 2, () -> {
      Gil.sleep(d);
      return null;
    });
    return two / one;
  }

  private static void print(PrintStream out, List<Row> rows, String cpythonName) {
    out.println();
    out.printf(Locale.ROOT, "  %-38s %-15s %12s %12s %9s  %-20s %s%n", "experiment", "setting", "CPython",
        "emulation", "emu/CPy", "target", "");
    int targets = 0;
    int met = 0;
    for (Row r : rows) {
      String verdict = "";
      if (r.target() != Target.NONE) {
        targets++;
        met += r.met() ? 1 : 0;
        verdict = r.met() ? "met" : "MISSED";
      }
      out.printf(Locale.ROOT, "  %-38s %-15s %12s %12s %9.2f  %-20s %s%n", r.experiment(), r.setting(),
          figure(r.cpython()), figure(r.emulation()), r.ratio(), r.target().text, verdict);
    }
    out.println();
    out.printf(Locale.ROOT, "  Targets met: %d of %d (CPython column: %s). Load average after: %s.%n", met, targets,
        cpythonName, Session.loadAverage());
  }

  static String figure(double x) {
    return x >= 1000 ? String.format(Locale.ROOT, "%,.0f", x) : String.format(Locale.ROOT, "%.2f", x);
  }

  private static void plot(Session s, String cpythonName, double[][] fib, double[][] start, double[][] convoy,
      double[][] fix) {
    double[] fibX = toDoubles(FIB_THREADS);
    Plots.LineChart fibChart = new Plots.LineChart("fib on k threads under a GIL: wall time / one run",
        "threads", "wall time / one run", fibX);
    fibChart.add(cpythonName, fibX, fib[0], 'C');
    fibChart.add("emulated GIL", fibX, fib[1], 'G');
    fibChart.law("a GIL: k", fibX, fibX);
    s.plot("compare-fib", fibChart, fibChart.renderText(60, 13));

    double[] startX = toDoubles(START_THREADS);
    Plots.LineChart startChart = new Plots.LineChart("runthreads timing only start(): time / one thread's",
        "threads", "start-only time / one thread's", startX);
    startChart.add(cpythonName, startX, start[0], 'C');
    startChart.add("emulated GIL", startX, start[1], 'G');
    s.plot("compare-start-only", startChart, startChart.renderText(60, 13));

    double[] convoyX = toDoubles(CONVOY_CPU_THREADS);
    double[][] drop = new double[2][convoyX.length];
    for (int side = 0; side < 2; side++) {
      for (int i = 0; i < convoyX.length; i++) {
        drop[side][i] = convoy[side][0] / convoy[side][i];
      }
    }
    Plots.LineChart convoyChart = new Plots.LineChart("convoy effect: I/O round trips lost beside CPU-bound threads",
        "CPU-bound threads", "round trips alone / round trips beside them", convoyX);
    double[] fixDrop = new double[convoyX.length];
    for (int i = 0; i < convoyX.length; i++) {
      fixDrop[i] = fix[1][0] / fix[1][i];
    }
    convoyChart.add(cpythonName, convoyX, drop[0], 'C');
    convoyChart.add("emulated GIL", convoyX, drop[1], 'G');
    convoyChart.add("emulated GIL, I/O priority (bpo-7946 fix)", convoyX, fixDrop, 'P');
    s.plot("compare-convoy", convoyChart, convoyChart.renderText(60, 13));
  }

  private static double[] toDoubles(int[] xs) {
    double[] d = new double[xs.length];
    for (int i = 0; i < xs.length; i++) {
      d[i] = xs[i];
    }
    return d;
  }
}
