package io.github.gilpatterns.examples;

import io.github.gilpatterns.gil.Gil;
import io.github.gilpatterns.join.Threads;
import io.github.gilpatterns.owner.Owner;
import io.github.gilpatterns.patterns.CounterManager;
import io.github.gilpatterns.queue.JoinableQueue;
import io.github.gilpatterns.queue.QueueShutdownException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Notebook 001, "Way one: Threads", re-run in Java: fibonacci(34) timed once, twice and on
 * two threads under the emulated GIL (and free-threaded, and per interpreter); the _/*
 * interleaving printout with a GIL timeline; Amdahl's law as a chart of measured speedups;
 * the global-string hybrid; and Raymond Hettinger's counter/print manager worked example.
 *
 * <p>Run it alone with {@code java -cp gilpatterns-examples.jar
 * io.github.gilpatterns.examples.Notebook001WayOneThreads [--full]} or through the
 * {@link Launcher} ({@code run 001}).
 */
public final class Notebook001WayOneThreads implements Notebook {

  /** Creates the notebook; the launcher runs it. */
  public Notebook001WayOneThreads() {}

  /**
   * Runs this notebook alone: {@code Launcher run 001} with the same options.
   *
   * @param args launcher options such as {@code --full} or {@code --out DIR}
   */
  public static void main(String[] args) {
    Launcher.main(Launcher.prepend(args, "run", "001"));
  }

  @Override
  public String id() {
    return "001";
  }

  @Override
  public String title() {
    return "Way one: Threads";
  }

  @Override
  public String source() {
    return "with Raymond Hettinger's worked example of threading with queues";
  }

  /** The notebook's fibonacci, with a checkpoint per call where CPython checks its eval breaker. */
  static long fibonacci(int n) {
    Gil.checkpoint();
    if (n == 0) {
      return 0;
    } else if (n == 1) {
      return 1;
    } else {
      return fibonacci(n - 1) + fibonacci(n - 2);
    }
  }

  @Override
  public void run(Session s) throws Exception {
    s.notebook(id(), title(), source());
    Size size = s.size();
    int n = size.fib(34);

    s.cell("In [1]", "def fibonacci(n)", "if n == 0: return 0", "elif n == 1: return 1",
        "else: return fibonacci(n - 1) + fibonacci(n - 2)");
    s.say("Java: static long fibonacci(int n) { Gil.checkpoint(); ... } (a checkpoint per call, as CPython");
    s.say("checks its eval breaker on every call). fibonacci(%d) in Java takes about as long as the", n);
    s.say("notebook's fibonacci(34) %s.", size == Size.FULL ? "in CPython" : "would at --full (this run is smaller)");
    for (int i = 0; i < 3; i++) {
      fibonacci(n - 3); // warm up the JIT
    }

    s.cell("In [2]", String.format("%%%%time fibonacci(34)   (Java: fibonacci(%d))", n), "%%time", "fibonacci(34)");
    int repeats = size.pick(3, 3, 1);
    double once = medianOf(repeats, () -> Measure.sequential(() -> fibonacci(n)));
    s.time(String.format("fibonacci(%d) once%s", n, repeats > 1 ? " (median of " + repeats + ")" : ""), once,
        String.format("notebook fibonacci(34): %.2f s", Reference.NB001_ONCE));

    s.cell("In [3]", "run it twice: super_expensive(34)", "def super_expensive(n):", "    fibonacci(n)",
        "    fibonacci(n)", "%time super_expensive(34)");
    double twice = medianOf(repeats, () -> Measure.sequential(() -> fibonacci(n) + fibonacci(n)));
    s.time(String.format("fibonacci(%d) twice, one thread%s", n, repeats > 1 ? " (median of " + repeats + ")" : ""),
        twice,
        String.format("notebook: %.2f s", Reference.NB001_TWICE));
    s.ratio("twice / once", twice / once, Reference.two(Reference.NB001_TWICE / Reference.NB001_ONCE), null);

    s.cell("In [4]", "super_expensive(34) on two threads", "thread_one = threading.Thread(target=fibonacci,args=(n,))",
        "thread_two = threading.Thread(target=fibonacci,args=(n,))", "thread_one.start(); thread_two.start()",
        "thread_one.join(); thread_two.join()");
    double[] two = new double[Mode.values().length];
    double[] twoRatio = new double[Mode.values().length];
    double[] twoCores = new double[Mode.values().length];
    try (Session.Progress p = s.progress("two threads per mode", Mode.values().length * repeats)) {
      for (Mode m : Mode.values()) {
        double[] walls = new double[repeats];
        double[] ratios = new double[repeats];
        double[] cores = new double[repeats];
        for (int r = 0; r < repeats; r++) {
          double base = Measure.sequential(() -> fibonacci(n)); // just before: load drifts
          Cores.Window window = s.cores();
          walls[r] = Measure.threads(m, 2, () -> fibonacci(n));
          cores[r] = window.cores();
          ratios[r] = walls[r] / base;
          p.step();
        }
        two[m.ordinal()] = Measure.median(walls);
        twoRatio[m.ordinal()] = Measure.median(ratios);
        twoCores[m.ordinal()] = Measure.median(cores);
      }
    }
    CPythonFigures.Figure cpTwo = s.cpython().fibRatio(s.cpythonFib(), 2, Reference.CPYTHON_FIB30[1]);
    for (Mode m : Mode.values()) {
      s.time(String.format("two threads, %s%s", m.label, repeats > 1 ? " (median of " + repeats + ")" : ""),
          two[m.ordinal()],
          m == Mode.GIL ? String.format("notebook: %.2f s", Reference.NB001_TWO_THREADS) : null);
    }
    for (Mode m : Mode.values()) {
      s.ratio(String.format("two threads / once, %s", m.label), twoRatio[m.ordinal()],
          m == Mode.GIL ? Reference.two(Reference.NB001_TWO_THREADS / Reference.NB001_ONCE) : null,
          m == Mode.GIL ? cpTwo.text(twoRatio[m.ordinal()], s.cpythonFib()) : null);
    }
    s.say("Under the GIL two threads take as long as running it twice: %s",
        Capacity.takesTurns(twoRatio[Mode.GIL.ordinal()]) ? "they take turns."
            : "they should take turns (a loaded machine blurs it).");
    boolean measurable = true;
    for (Mode m : new Mode[] {Mode.FREE_THREADED, Mode.PER_INTERPRETER}) {
      measurable &= s.parallel("two threads, " + m.label, twoCores[m.ordinal()], 2,
          "whether " + m.label + " threads run in parallel") == null;
    }
    if (measurable) {
      s.say(twoThreads(s.capacity(), twoRatio[Mode.FREE_THREADED.ordinal()],
          twoRatio[Mode.PER_INTERPRETER.ordinal()]));
    }

    interleaving(s, size);
    amdahl(s, size);
    globalString(s, size);
    workedExample(s, size);

    s.section("Lessons learned");
    s.say("Threads are easy, threading is its usual self; they are OS threads and switch preemptively;");
    s.say("under a GIL they share one core; use higher-level APIs; own state on ONE thread, talk to it");
    s.say("through a queue, join() the queue to wait.");
    s.lesson(lesson(twoRatio[Mode.GIL.ordinal()], s.cpython().seriesName() + " " + Reference.two(cpTwo.value())
        + "x"));
  }

  /**
   * What In [4]'s free-threaded and per-interpreter runs showed, once measurable: whether two
   * threads' time over one run ({@code free}, {@code perInterpreter}) is nearer the machine's
   * plain threads than 2 ({@link Capacity#parallel}).
   */
  static String twoThreads(Capacity capacity, double free, double perInterpreter) {
    if (capacity.parallel(free) && capacity.parallel(perInterpreter)) {
      return String.format(Locale.ROOT, "Free-threaded and per interpreter (the multiprocessing advice) they ran in"
          + " parallel as far as this machine allows: %.2fx and %.2fx one run, two plain threads %.2fx.", free,
          perInterpreter, capacity.ratio());
    }
    return String.format(Locale.ROOT, "Free-threaded and per interpreter they took %.2fx and %.2fx one run, where"
        + " two plain threads take %.2fx here: this run does not show them in parallel.", free, perInterpreter,
        capacity.ratio());
  }

  /**
   * The lesson, about the GIL alone: two CPU-bound threads under it took {@code gil} times one
   * run, beside CPython's figure ({@code cpython}). Whether they took turns follows
   * {@link Capacity#takesTurns}.
   */
  static String lesson(double gil, String cpython) {
    String figures = Capacity.takesTurns(gil)
        ? "Two CPU-bound threads under the GIL took " + Reference.two(gil) + "x one run (the notebook's 2.05x, "
            + cpython + ")"
        : "Two CPU-bound threads under the GIL took only " + Reference.two(gil) + "x one run, where taking turns"
            + " gives about 2x (the notebook's 2.05x, " + cpython + "; this run's load blurred it)";
    return figures + ": a GIL gives concurrency, not parallelism, and sane threading means one owner per state, fed"
        + " by a queue, waited for with join().";
  }

  /** A timing that may throw. */
  @FunctionalInterface
  interface Timing {
    double seconds() throws Exception;
  }

  static double medianOf(int repeats, Timing timing) throws Exception {
    double[] xs = new double[repeats];
    for (int i = 0; i < repeats; i++) {
      xs[i] = timing.seconds();
    }
    return Measure.median(xs);
  }

  // ------------------------------------------------------------------ In [None]: _ and *

  /** What sys.stdout.write(message) appends to: one buffer, with the lock sys.stdout has. */
  static final class Stdout {
    private final char[] chars;
    private int length;

    Stdout(int capacity) {
      chars = new char[capacity];
    }

    synchronized void write(char c) {
      chars[length++] = c;
    }

    synchronized String contents() {
      return new String(chars, 0, length);
    }
  }

  static long fibonacci(int n, char message, Stdout out) {
    Gil.checkpoint();
    out.write(message);
    if (n == 0) {
      return 0;
    } else if (n == 1) {
      return 1;
    } else {
      return fibonacci(n - 1, message, out) + fibonacci(n - 2, message, out);
    }
  }

  /** Runs of one character in a row: {c, length} pairs. */
  static List<long[]> runs(String s) {
    List<long[]> runs = new ArrayList<>();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (runs.isEmpty() || runs.get(runs.size() - 1)[0] != c) {
        runs.add(new long[] {c, 0});
      }
      runs.get(runs.size() - 1)[1]++;
    }
    return runs;
  }

  /** super_expensive(n) with messages: two threads under {@code gil}; returns the output. */
  static String superExpensiveWithMessages(Gil gil, int n) throws Exception {
    long calls = 2 * fibonacci(n + 1) - 1;
    Stdout out = new Stdout((int) (2 * calls));
    List<Thread> threads = new ArrayList<>();
    char[] messages = {'_', '*'};
    for (int i = 0; i < 2; i++) {
      char message = messages[i];
      threads.add(Threads.start("thread_" + (i == 0 ? "one" : "two") + " '" + message + "'", () -> {
        try {
          gil.acquire();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        try {
          fibonacci(n, message, out);
        } finally {
          gil.release();
        }
      }));
    }
    Threads.joinAll(threads);
    return out.contents();
  }

  private static void interleaving(Session s, Size size) throws Exception {
    s.cell("In [None]", "Maybe threads are sequential... let's test it: sys.stdout.write(message) in fibonacci",
        "def fibonacci(n, message):", "    sys.stdout.write(message)", "    ...",
        "thread_one: fibonacci(n, '_'), thread_two: fibonacci(n, '*')", "%time super_expensive(15)");
    int scaled = size.pick(25, 28, 30);
    for (int n : new int[] {15, scaled}) {
      Gil gil = Gil.builder().trace(true).build();
      long t0 = System.nanoTime();
      String out = superExpensiveWithMessages(gil, n);
      double seconds = (System.nanoTime() - t0) / 1e9;
      List<long[]> runs = runs(out);
      s.say("super_expensive(%d) under the GIL: %,d characters in %s; the first 72:", n, out.length(),
          Session.human(seconds));
      s.block(out.substring(0, Math.min(72, out.length())) + (out.length() > 72 ? "..." : ""));
      int cp = Notebook000ThreadsCanHurt.indexOf(Reference.CPYTHON_INTERLEAVE_N, n);
      s.value(String.format("runs of one thread's output, fib(%d), GIL", n), runs.size(), "%.0f",
          cp >= 0 ? "CPython 3.11, reference run: " + Reference.CPYTHON_INTERLEAVE_RUNS[cp] + " runs"
              : String.format("CPython 3.11, reference run: %d runs for fib(25), %d for fib(27)",
                  Reference.CPYTHON_INTERLEAVE_RUNS[1], Reference.CPYTHON_INTERLEAVE_RUNS[2]));
      s.say("runs: %s", describeRuns(runs, 8));
      if (n != 15) {
        s.say("as a strip of 90 columns (each the character most written in that stretch of output):");
        s.block(strip(out, 90));
        double perRunMs = seconds * 1e3 / Math.max(1, runs.size());
        s.value("mean time per run, GIL (ms)", perRunMs, "%.1f", "switch interval 5 ms");
        s.gilTimeline("001-gil-timeline",
            String.format("Notebook 001: who held the GIL, two threads writing '_' and '*' in fibonacci(%d)", n),
            gil.trace());
        Gil free = Gil.freeThreaded();
        String freeOut = superExpensiveWithMessages(free, n);
        List<long[]> freeRuns = runs(freeOut);
        s.value(String.format("runs of one thread's output, fib(%d), free-threaded", n), freeRuns.size(), "%.0f",
            "no GIL: the threads write at the same time");
        s.say("free-threaded, as a strip:");
        s.block(strip(freeOut, 90));
      } else {
        s.say("fib(15) is %,d calls per thread, far less than one 5 ms switch interval: thread_one is done",
            2 * fibonacci(16) - 1);
        s.say("before thread_two even asks for the GIL, so the output looks sequential, as in CPython.");
      }
    }
    s.say("Under the GIL the output comes in runs of one thread, switching about every switch interval:");
    s.say("the threads are concurrent, not parallel. Free-threaded, the runs are short and many.");
  }

  private static String describeRuns(List<long[]> runs, int max) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(max, runs.size()); i++) {
      sb.append(i == 0 ? "" : " ").append((char) runs.get(i)[0]).append(" x ")
          .append(String.format(Locale.ROOT, "%,d", runs.get(i)[1]));
    }
    if (runs.size() > max) {
      sb.append(" ... (").append(runs.size() - max).append(" more)");
    }
    return sb.toString();
  }

  /** The output squeezed into {@code width} columns, each the character most written there. */
  static String strip(String out, int width) {
    StringBuilder sb = new StringBuilder();
    for (int c = 0; c < width; c++) {
      int from = (int) ((long) out.length() * c / width);
      int to = (int) ((long) out.length() * (c + 1) / width);
      int under = 0;
      for (int i = from; i < to; i++) {
        if (out.charAt(i) == '_') {
          under++;
        }
      }
      int len = Math.max(1, to - from);
      sb.append(under * 10 >= len * 9 ? '_' : under * 10 <= len ? '*' : '+');
    }
    return sb.toString() + "   ('+': both in that column)";
  }

  // ------------------------------------------------------------------ Amdahl

  private static void amdahl(Session s, Size size) throws Exception {
    s.section("Plot thickener: Amdahl's law");
    int n = size.pick(31, 34, 40);
    int units = 8;
    int[] ks = {1, 2, 4, 8};
    int cores = Runtime.getRuntime().availableProcessors();
    s.say("Fixed work, %d x fibonacci(%d), split over k = 1, 2, 4, 8 threads; speedup = one thread's time",
        units, n);
    s.say("/ k threads' time. Amdahl: speedup(k) = 1 / ((1 - p) + p / k) for a parallel fraction p;");
    s.say("on %d cores no speedup can pass %d.", cores, cores);
    double seq = medianOf(size.pick(3, 3, 1), () -> Measure.sequential(() -> {
      for (int i = 0; i < units; i++) {
        fibonacci(n);
      }
      return null;
    }));
    Mode[] modes = Mode.values();
    double[][] wall = new double[modes.length][ks.length];
    double[][] speedup = new double[modes.length][ks.length];
    double[][] got = new double[modes.length][ks.length];
    try (Session.Progress p = s.progress("Amdahl", modes.length * ks.length)) {
      for (int m = 0; m < modes.length; m++) {
        for (int i = 0; i < ks.length; i++) {
          int perThread = units / ks[i];
          Cores.Window window = s.cores();
          wall[m][i] = Measure.threads(modes[m], ks[i], () -> {
            for (int j = 0; j < perThread; j++) {
              fibonacci(n);
            }
            return null;
          });
          got[m][i] = window.cores();
          speedup[m][i] = seq / wall[m][i];
          p.step();
        }
      }
    }
    s.time(String.format("%d x fibonacci(%d), one thread, sequential", units, n), seq, null);
    // CPython's speedup for the same split: k threads each doing 1/k of the work take ratio(k) / k
    // of k sequential runs, where ratio(k) is k threads' wall time over one thread's fib.
    CPythonFigures.Figure[] cpSpeedup = new CPythonFigures.Figure[ks.length];
    for (int i = 0; i < ks.length; i++) {
      CPythonFigures.Figure r = s.cpython().fibRatio(s.cpythonFib(), ks[i], Reference.CPYTHON_FIB30[i]);
      cpSpeedup[i] = new CPythonFigures.Figure(ks[i] / r.value(), r.live(), r.version());
    }
    double[] xs = {1, 2, 4, 8};
    Plots.LineChart speedChart = new Plots.LineChart(
        String.format("Notebook 001: Amdahl's law against measured speedup, %d x fibonacci(%d) on k threads, %d cores",
            units, n, cores), "threads", "speedup (one thread's time / k threads' time)", xs);
    Plots.LineChart wallChart = new Plots.LineChart(
        String.format("Notebook 001: wall time of %d x fibonacci(%d) split over k threads, %d cores", units, n, cores),
        "threads", "wall time (s)", xs);
    double[] ideal = new double[ks.length];
    for (int i = 0; i < ks.length; i++) {
      ideal[i] = Math.min(ks[i], cores);
    }
    double idealFit = fitParallelFraction(ks, ideal);
    for (int m = 0; m < modes.length; m++) {
      double p = fitParallelFraction(ks, speedup[m]);
      for (int i = 1; i < ks.length; i++) {
        s.ratio(String.format("speedup with %d threads, %s", ks[i], modes[m].label), speedup[m][i], null,
            modes[m] == Mode.GIL ? cpSpeedup[i].text(speedup[m][i], s.cpythonFib()) : null);
      }
      s.value(String.format("parallel fraction p fitted to Amdahl, %s", modes[m].label), p, "%.2f",
          modes[m] == Mode.GIL ? "a GIL makes p about 0" : String.format(Locale.ROOT,
              "%.2f for threads in parallel on %d idle cores (speedup capped at %d)", idealFit, cores, cores));
      speedChart.add(modes[m].label + String.format(Locale.ROOT, " (p = %.2f)", p), xs, speedup[m], modes[m].marker);
      wallChart.add(modes[m].label, xs, wall[m], modes[m].marker);
    }
    double[] cpSpeedups = new double[ks.length];
    for (int i = 0; i < ks.length; i++) {
      cpSpeedups[i] = cpSpeedup[i].value();
    }
    speedChart.add(s.cpython().seriesName() + ", GIL", xs, cpSpeedups, 'C');
    for (double p : new double[] {1.0, 0.9, 0.5}) {
      double[] law = new double[ks.length];
      for (int i = 0; i < ks.length; i++) {
        law[i] = amdahl(p, ks[i]);
      }
      speedChart.law(String.format(Locale.ROOT, "Amdahl p = %.1f", p), xs, law);
    }
    double[] capped = new double[ks.length];
    double[] wallLaw = new double[ks.length];
    for (int i = 0; i < ks.length; i++) {
      capped[i] = Math.min(ks[i], cores);
      wallLaw[i] = seq / capped[i];
    }
    speedChart.law("p = 1 on " + cores + " cores", xs, capped);
    wallChart.law("Amdahl p = 1 on " + cores + " cores", xs, wallLaw);
    double[] flat = {seq, seq, seq, seq};
    wallChart.law("Amdahl p = 0 (one core, a GIL)", xs, flat);
    s.plot("001-amdahl-speedup", speedChart, speedChart.renderText(60, 13));
    s.plot("001-amdahl-wall-time", wallChart, wallChart.renderText(60, 13));
    s.say("Under the GIL the measured speedup stays near 1 whatever k: the parallel fraction is 0.");
    boolean measurable = true;
    for (int m = 0; m < modes.length; m++) {
      if (modes[m] != Mode.GIL) {
        // One starved run flattens the curve, so the least cores of the parallel runs decide.
        measurable &= s.parallel("least of 2-8 threads, " + modes[m].label, Cores.least(ks, got[m]), 2,
            "the speedup Amdahl's law predicts for " + modes[m].label + " threads") == null;
      }
    }
    if (measurable) {
      int two = Notebook000ThreadsCanHurt.indexOf(ks, 2);
      s.say(amdahlVerdict(s.capacity(), speedup[Mode.FREE_THREADED.ordinal()][two],
          speedup[Mode.PER_INTERPRETER.ordinal()][two]));
    }
  }

  /**
   * What the Amdahl runs showed, once measurable: the speedup of the work split over two
   * free-threaded and two per-interpreter threads against the speedup two plain threads give
   * on this machine, 2 / its plain ratio. Two threads each doing half the work take
   * 2 / speedup times one thread doing half, so {@link Capacity#parallel} judges 2 / speedup.
   */
  static String amdahlVerdict(Capacity capacity, double freeSpeedup, double perInterpreterSpeedup) {
    boolean shown = capacity.parallel(2 / freeSpeedup) && capacity.parallel(2 / perInterpreterSpeedup);
    return String.format(Locale.ROOT, "On 2 threads free-threaded and per interpreter sped the work up %.2fx and"
        + " %.2fx, where two plain threads give %.2fx here: %s", freeSpeedup, perInterpreterSpeedup,
        2 / capacity.ratio(), shown ? "the work runs in parallel as far as this machine allows."
            : "this run shows only part of the parallel speedup.");
  }

  static double amdahl(double p, int k) {
    return 1.0 / ((1 - p) + p / k);
  }

  /** Least squares for 1/S - 1 = p (1/k - 1), the only free parameter of Amdahl's law. */
  static double fitParallelFraction(int[] ks, double[] speedup) {
    double num = 0;
    double den = 0;
    for (int i = 0; i < ks.length; i++) {
      double x = 1.0 / ks[i] - 1;
      double y = 1.0 / speedup[i] - 1;
      num += x * y;
      den += x * x;
    }
    return den == 0 ? 0 : num / den;
  }

  // ------------------------------------------------------------------ global_str

  /** A string stored the way an interpreter without a GIL might: characters, then a length. */
  static final class GlobalStr {
    final char[] chars = new char[16];
    int length;

    void assign(String v, boolean checkpointInside) {
      for (int i = 0; i < v.length(); i++) {
        chars[i] = v.charAt(i);
        if (checkpointInside) {
          Gil.checkpoint();
        }
      }
      length = v.length();
    }

    String read(boolean checkpointInside) {
      int n = Math.min(length, chars.length);
      char[] copy = new char[n];
      for (int i = 0; i < n; i++) {
        copy[i] = chars[i];
        if (checkpointInside) {
          Gil.checkpoint();
        }
      }
      return new String(copy);
    }
  }

  /** hybrids seen, reads, first hybrid. */
  record HybridResult(long hybrids, long reads, String example) {}

  static HybridResult hybrids(Gil gil, boolean checkpointInside, boolean javaString, long millis)
      throws Exception {
    final String a = "abcdefg";
    final String b = "hijklmnop";
    GlobalStr g = new GlobalStr();
    g.assign(a, false);
    AtomicBoolean stop = new AtomicBoolean();
    long[] result = new long[2];
    String[] example = {null};
    Object[] ref = {a};
    List<Thread> threads = new ArrayList<>();
    for (String v : new String[] {a, b}) {
      threads.add(Threads.start("writer " + v, () -> withGil(gil, () -> {
        while (!stop.get()) {
          if (javaString) {
            ref[0] = v; // one reference store: atomic in Java (JLS 17.7)
          } else {
            g.assign(v, checkpointInside);
          }
          Gil.checkpoint();
        }
      })));
    }
    threads.add(Threads.start("reader", () -> withGil(gil, () -> {
      long reads = 0;
      long bad = 0;
      long deadline = System.nanoTime() + millis * 1_000_000L;
      while (System.nanoTime() - deadline < 0) {
        String seen = javaString ? (String) ref[0] : g.read(checkpointInside);
        reads++;
        if (!seen.equals(a) && !seen.equals(b)) {
          bad++;
          if (example[0] == null) {
            example[0] = seen;
          }
        }
        Gil.checkpoint();
      }
      stop.set(true);
      result[0] = bad;
      result[1] = reads;
    })));
    Threads.joinAll(threads);
    return new HybridResult(result[0], result[1], example[0]);
  }

  private static void withGil(Gil gil, Runnable body) {
    try {
      gil.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    try {
      body.run();
    } finally {
      gil.release();
    }
  }

  private static void globalString(Session s, Size size) throws Exception {
    s.section("Insight: an implementation of the python language is, itself, a multithreaded program");
    s.say("Thread one: global_str = \"abcdefg\"; thread two: global_str = \"hijklmnop\"; a third reads it.");
    s.say("The interpreter must ensure that global_str is one value or the other, NOT a hybrid (abclmnop).");
    s.say("Java stand-in for interpreter internals: a string stored as characters, then a length.");
    long millis = size.pick(60, 250, 1000);
    Object[][] cases = {
        {"no GIL, no lock (an interpreter without a GIL)", Gil.freeThreaded(), false, false},
        {"GIL, assignment is one bytecode (CPython)", Gil.create(), false, false},
        {"GIL, switches inside assignment and read", Gil.builder().switchInterval(Duration.ofMillis(1)).build(),
            true, false},
        {"Java String reference, no lock", Gil.freeThreaded(), false, true},
    };
    for (Object[] c : cases) {
      Gil gil = (Gil) c[1];
      HybridResult r = hybrids(gil, (Boolean) c[2], (Boolean) c[3], millis);
      s.value("hybrids seen: " + c[0], r.hybrids(), "%.0f",
          String.format(Locale.ROOT, "of %,d reads%s%s", r.reads(),
              gil.isFreeThreaded() ? "" : String.format(Locale.ROOT, ", %,d GIL switches", gil.stats().switches()),
              r.example() == null ? "" : ", e.g. \"" + r.example() + "\""));
    }
    s.say("A GIL makes each bytecode atomic, so the interpreter's own state is never a hybrid; let it switch");
    s.say("in the middle of a multi-step copy (a checkpoint per character, as Python code copying a list");
    s.say("item by item would; switch interval 1 ms, sys.setswitchinterval(0.001), for more switches) and");
    s.say("hybrids come back where a switch lands mid-copy (rarely, so such bugs hide): the GIL protects");
    s.say("the interpreter, not your code.");
    s.say("A Java reference store is atomic by itself (JLS 17.7).");
  }

  // ------------------------------------------------------------------ worked example

  private static void workedExample(Session s, Size size) throws Exception {
    s.section("Meet GIL / Be aware of GIL / Give yourself some sanity");
    s.say("1. Access global state from ONE thread only  2. Communicate to it through a Queue");
    s.say("3. join() the thread or the Queue to wait  4. Else, use thread-local variables");
    s.cell("In [None]", "A worked example from Raymond Hettinger: counter_manager and print_manager",
        "counter_queue = queue.Queue(); print_queue = queue.Queue()",
        "def counter_manager(): while True: increment = counter_queue.get(); counter += increment;",
        "    print_queue.put(['The count is %d' % counter, '---------------']); counter_queue.task_done()",
        "def print_manager(): while True: job = print_queue.get(); print each line; print_queue.task_done()",
        "10 worker threads: counter_queue.put(1); join them; counter_queue.join();",
        "print_queue.put(['Finishing up']); print_queue.join()");
    s.say("Java, line for line: JoinableQueue (queue.Queue with task_done/join) and two daemon threads:");
    List<String> printed = new ArrayList<>();
    long count = hettinger(s.out(), 10, printed);
    s.value("final count (10 workers put 1 each)", count, "%.0f", "the notebook: 10");
    s.value("jobs printed whole and in count order (1 = yes)", wholeAndInOrder(printed, 10) ? 1 : 0, "%.0f", null);
    s.say("The same with io.github.gilpatterns.owner.Owner, which is this pattern as a type (a thread");
    s.say("that owns a state, a mailbox, join() and shutdown()); the patterns module's CounterManager and");
    s.say("PrintManager wrap it. Here with Owner itself:");
    List<String> ownerPrinted = new ArrayList<>();
    ByteArrayOutputStream quiet = new ByteArrayOutputStream();
    long ownerCount = hettingerWithOwners(new PrintStream(quiet, true, StandardCharsets.UTF_8), 10, ownerPrinted);
    s.say("  %s", String.join(" | ", ownerPrinted.subList(0, Math.min(5, ownerPrinted.size()))) + " | ...");
    s.value("final count with Owner (10 workers tell +1)", ownerCount, "%.0f", "the notebook: 10");
    s.value("jobs printed whole and in count order with Owner (1 = yes)", wholeAndInOrder(ownerPrinted, 10) ? 1 : 0,
        "%.0f", null);
    int increments = size.pick(20_000, 200_000, 200_000);
    counterThroughput(increments, 4); // warm up the JIT
    double rate = counterThroughput(increments, 4);
    counterManagerThroughput(increments, 4);
    double ownerRate = counterManagerThroughput(increments, 4);
    s.say("Throughput of the counter manager: %,d increments put from 4 threads, counted by one manager", increments);
    s.say("thread, timed from starting the 4 threads until join() returns (so thread start-up is included):");
    CPythonFigures.Figure cpRate = s.cpython().counterPerSecond(increments, Reference.CPYTHON_COUNTER_PER_SECOND);
    s.value("increments per s, queue.Queue line for line (JoinableQueue)", rate, "%,.0f",
        "CPython queue.Queue " + cpRate.text(rate, "%,.0f/s"));
    s.value("increments per s, patterns' CounterManager (Owner's mailbox)", ownerRate, "%,.0f", null);
    s.say("A run this short is mostly thread start-up; the steady rate of an owner's mailbox, tens of");
    s.say("millions of messages a second, is what the benchmarks module's OwnerTellBenchmark measures (JMH).");
  }

  /** The same through the patterns module's CounterManager; increments per second. */
  static double counterManagerThroughput(int increments, int producers) throws Exception {
    try (CounterManager counter = CounterManager.start("counter_manager")) {
      long t0 = System.nanoTime();
      List<Thread> ws = new ArrayList<>();
      for (int i = 0; i < producers; i++) {
        ws.add(Threads.start("worker-" + i, () -> {
          for (int j = 0; j < increments / producers; j++) {
            counter.increment(1);
          }
        }));
      }
      Threads.joinAll(ws);
      counter.join();
      double seconds = (System.nanoTime() - t0) / 1e9;
      long counted = counter.count();
      if (counted != (long) increments / producers * producers) {
        throw new AssertionError("counter manager lost increments: " + counted);
      }
      return counted / seconds;
    }
  }

  /**
   * The worked example, faithful to the Python: returns the final count; the print manager
   * prints to {@code out} and records the lines it printed.
   */
  static long hettinger(PrintStream out, int workers, List<String> printed) throws Exception {
    long[] counter = {0}; // owned by counter_manager
    JoinableQueue<Long> counterQueue = JoinableQueue.unbounded();
    JoinableQueue<List<String>> printQueue = JoinableQueue.unbounded();
    Thread cm = Threads.startDaemon("counter_manager", () -> {
      // 'I have EXCLUSIVE rights to update the counter variable'
      try {
        while (true) {
          long increment = counterQueue.take();
          counter[0] += increment;
          printQueue.put(List.of("The count is " + counter[0], "---------------"));
          counterQueue.taskDone();
        }
      } catch (QueueShutdownException e) {
        // Python's daemon stays blocked in get() until exit; here shutdown() ends it
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    Thread pm = Threads.startDaemon("print_manager", () -> {
      // 'I have EXCLUSIVE rights to call the "print" keyword'
      try {
        while (true) {
          List<String> job = printQueue.take();
          for (String line : job) {
            out.println("    " + line);
            printed.add(line);
          }
          printQueue.taskDone();
        }
      } catch (QueueShutdownException e) {
        // as above
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    printQueue.put(List.of("Starting up"));
    List<Thread> workerThreads = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      workerThreads.add(Threads.start("worker-" + i, () -> {
        // 'My job is to increment the counter and print the current count'
        try {
          counterQueue.put(1L);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }));
    }
    Threads.joinAll(workerThreads);
    counterQueue.join();
    printQueue.put(List.of("Finishing up"));
    printQueue.join();
    // Python leaves both daemons blocked in get(); a library must not leak threads.
    counterQueue.shutdown();
    printQueue.shutdown();
    Threads.joinAll(List.of(cm, pm));
    return counter[0]; // visible: counterQueue.join() happened after its last taskDone()
  }

  /** Whether the lines are Starting up, the counts 1..n each followed by its rule, Finishing up. */
  static boolean wholeAndInOrder(List<String> printed, int n) {
    if (printed.size() != 2 * n + 2 || !printed.get(0).equals("Starting up")
        || !printed.get(printed.size() - 1).equals("Finishing up")) {
      return false;
    }
    for (int i = 1; i <= n; i++) {
      if (!printed.get(2 * i - 1).equals("The count is " + i) || !printed.get(2 * i).equals("---------------")) {
        return false;
      }
    }
    return true;
  }

  /**
   * The worked example with two {@link Owner}s instead of hand-written manager threads: the
   * counter and the output each belong to one owner thread; workers tell the counter owner to
   * add one, which tells the print owner to print the job.
   */
  static long hettingerWithOwners(PrintStream out, int workers, List<String> printed) throws Exception {
    try (Owner<PrintStream> printer = Owner.start("print_manager", out);
         Owner<long[]> counter = Owner.start("counter_manager", new long[1])) {
      printer.tell(o -> print(o, printed, "Starting up"));
      List<Thread> workerThreads = new ArrayList<>();
      for (int i = 0; i < workers; i++) {
        workerThreads.add(Threads.start("worker-" + i, () -> counter.tell(c -> {
          c[0] += 1; // only the counter owner's thread touches c
          long now = c[0];
          printer.tell(o -> print(o, printed, "The count is " + now, "---------------"));
        })));
      }
      Threads.joinAll(workerThreads);
      counter.join(); // counter_queue.join()
      printer.tell(o -> print(o, printed, "Finishing up"));
      printer.join(); // print_queue.join()
      return Measure.await(counter.ask(c -> c[0]));
    } // close(): both owner threads end, nothing leaks
  }

  private static void print(PrintStream o, List<String> printed, String... job) {
    for (String line : job) {
      o.println("    " + line);
      printed.add(line);
    }
  }

  /** counter.py: N increments put from 4 threads, counted by one manager; increments per second. */
  static double counterThroughput(int increments, int producers) throws Exception {
    long[] counter = {0};
    JoinableQueue<Long> cq = JoinableQueue.unbounded();
    Thread manager = Threads.startDaemon("counter_manager", () -> {
      try {
        while (true) {
          counter[0] += cq.take();
          cq.taskDone();
        }
      } catch (QueueShutdownException e) {
        // done
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    long t0 = System.nanoTime();
    List<Thread> ws = new ArrayList<>();
    for (int i = 0; i < producers; i++) {
      ws.add(Threads.start("worker-" + i, () -> {
        try {
          for (int j = 0; j < increments / producers; j++) {
            cq.put(1L);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }));
    }
    Threads.joinAll(ws);
    cq.join();
    double seconds = (System.nanoTime() - t0) / 1e9;
    cq.shutdown();
    manager.join();
    if (counter[0] != (long) increments / producers * producers) {
      throw new AssertionError("counter manager lost increments: " + counter[0]);
    }
    return counter[0] / seconds;
  }
}
