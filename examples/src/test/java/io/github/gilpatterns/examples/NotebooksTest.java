package io.github.gilpatterns.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs every notebook at its {@link Size#TEST test size} and checks what it prints: every cell
 * and section in order, every figure line parses, the capacity line under the banner, one
 * lesson, the plots it writes, the properties that do not depend on timing (fib(5) = 5, the
 * worked example counts to 10, no hybrid under the GIL, daemon threads die at exit, ...), that
 * each parallel verdict follows {@link Capacity}'s rule on the figures the run printed, and no
 * thread left running. The figures themselves are the machine's: the checks on them (the GIL
 * ratio of two CPU-bound threads, the free-threaded one against the machine's plain threads,
 * ...) are tagged {@code timing}, retried once, and left out of the default run.
 */
@Timeout(180)
class NotebooksTest {
  /** Output of each notebook's first run, shared by the tests of this class. */
  private static final Map<String, String> OUTPUTS = new ConcurrentHashMap<>();

  @TempDir
  static Path plots;

  private static final Pattern FIGURE = Pattern.compile(
      "^  (time|ratio|value)\\s+(.+?)\\s+Java ([-+]?[\\d,]*\\.?\\d+)( s)?(\\s{3}(.*))?$");

  /** Runs a notebook at the test size, checking that it leaves no thread behind. */
  static String run(String id) throws Exception {
    return run(id, out -> new Session(out, Size.TEST, plots, false));
  }

  /** Runs a notebook in the session {@code session} makes, checking that it leaves no thread behind. */
  static String run(String id, java.util.function.Function<PrintStream, Session> session) throws Exception {
    Notebook nb = Notebooks.find(id).orElseThrow();
    Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      nb.run(session.apply(out));
    }
    List<Thread> left = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      // The JDK's own threads (its virtual-thread scheduler's carriers, the Java2D disposer) live
      // on once started; a notebook's must not.
      if (!before.contains(t) && t.isAlive() && !t.getName().startsWith("Common-Cleaner")
          && !t.getName().startsWith("process reaper") && !t.getName().startsWith("Java2D")
          && !t.getClass().getName().startsWith("jdk.internal.misc.") && !jdkGroup(t)) {
        t.join(10_000);
        if (t.isAlive()) {
          left.add(t);
        }
      }
    }
    assertTrue(left.isEmpty(), "notebook " + id + " left threads running: " + left);
    return buf.toString(StandardCharsets.UTF_8);
  }

  /** Whether {@code t} is in a thread group of the JDK's virtual-thread scheduler. */
  private static boolean jdkGroup(Thread t) {
    ThreadGroup g = t.getThreadGroup();
    return g != null && (g.getName().equals("CarrierThreads") || g.getName().equals("InnocuousThreadGroup"));
  }

  static String output(String id) throws Exception {
    String out = OUTPUTS.get(id);
    if (out == null) {
      out = run(id);
      OUTPUTS.put(id, out);
    }
    return out;
  }

  /** The Java figure of the first line whose label starts with {@code label}. */
  static double figure(String out, String label) {
    for (String line : out.split("\n")) {
      Matcher m = FIGURE.matcher(line);
      if (m.matches() && m.group(2).startsWith(label)) {
        return Double.parseDouble(m.group(3).replace(",", "").replace("+", ""));
      }
    }
    throw new AssertionError("no figure '" + label + "' in:\n" + out);
  }

  private static final Map<String, String[]> SECTIONS = Map.of(
      "000", new String[] {"Notebook 000:", "In [1]: imports", "In [2]: def fib(n)", "In [3]: fib(5)",
          "In [4]: def runthreads", "In [5]: runthreads(k, 34)", "## What runthreads should have measured"},
      "001", new String[] {"Notebook 001:", "In [1]: def fibonacci(n)", "In [2]: %%time fibonacci(34)",
          "In [3]: run it twice", "In [4]: super_expensive(34) on two threads",
          "In [None]: Maybe threads are sequential", "## Plot thickener: Amdahl's law", "## Insight:",
          "## Meet GIL", "In [None]: A worked example from Raymond Hettinger", "## Lessons learned"},
      "002", new String[] {"Notebook 002:", "## Python threads all executing on a single core",
          "## The GIL is there to protect the interpreter's memory", "## To get around this problem"},
      "003", new String[] {"Notebook 003:", "## The GIL", "In [2]: imports", "In [17]: def open_emails()",
          "In [18]: 100 timed reads on one thread", "In [19]: 100 timed reads by two threads",
          "## Python Interpreters: dis.dis(loop)"},
      "004", new String[] {"Notebook 004:", "In [1]: one thread", "In [None]: x = threading.Thread",
          "In [2]: three threads", "## So is GIL good or bad?", "In [3]: ThreadPoolExecutor(max_workers=3)"});

  @ParameterizedTest
  @ValueSource(strings = {"000", "001", "002", "003", "004"})
  void printsEveryCellInOrderFiguresThatParseAndOneLesson(String id) throws Exception {
    String out = output(id);
    int at = -1;
    for (String section : SECTIONS.get(id)) {
      int next = out.indexOf(section, at + 1);
      assertTrue(next > at, "notebook " + id + ": '" + section + "' missing or out of order in:\n" + out);
      at = next;
    }
    int figures = 0;
    for (String line : out.split("\n")) {
      if (line.matches("^  (time|ratio|value)  .*")) {
        Matcher m = FIGURE.matcher(line);
        assertTrue(m.matches(), "figure line does not parse: " + line);
        double v = Double.parseDouble(m.group(3).replace(",", "").replace("+", ""));
        assertTrue(Double.isFinite(v), line);
        if (m.group(1).equals("ratio")) {
          assertTrue(line.contains("   notebook ") && line.contains("   CPython "), line);
          assertTrue(v > 0, line);
        }
        if (m.group(1).equals("time")) {
          assertTrue(v >= 0, line);
        }
        figures++;
      }
    }
    assertTrue(figures >= 3, "notebook " + id + " printed only " + figures + " figures");
    assertEquals(1, out.split("\n  Lesson: ", -1).length - 1, "exactly one lesson");
    Capacity capacity = capacity(out);
    assertTrue(out.contains("\n" + capacity.header() + "\n"), "the capacity line, as the rule words it:\n" + out);
  }

  private static final Pattern CAPACITY = Pattern.compile("(?m)^parallel capacity: two plain threads take (\\d+\\.\\d\\d)x"
      + " one thread's time here \\(ideal 1\\.00, none 2\\.00\\)(?:, on (\\d+\\.\\d\\d) cores)?: (?:enough to show parallel"
      + " speedup|too little to show parallel speedup|other processes held the cores) \\(needs below 1\\.50, on 1\\.50"
      + " of 2 cores\\)$");

  /** The capacity printed under the banner of {@code out} (rounded as printed). */
  static Capacity capacity(String out) {
    Matcher m = CAPACITY.matcher(out);
    assertTrue(m.find(), "no capacity line in:\n" + out);
    return new Capacity(Double.parseDouble(m.group(1)), m.group(2) == null ? Double.NaN : Double.parseDouble(m.group(2)));
  }

  private static final String F = "(\\d+\\.\\d\\d)";

  /**
   * A parallel verdict of a notebook: the "Not measurable" lines that stand for it, the line it
   * is in (quoting its two-thread figures), the figure lines those come from, and whether the
   * quoted figures are speedups (judged as 2 / speedup) rather than ratios.
   */
  private record Verdict(String id, Pattern notMeasurable, Pattern line, String[] figures, boolean speedups) {}

  private static final String NOT_MEASURABLE = "(?m)^  Not measurable .*$";

  private static final List<Verdict> VERDICTS = List.of(
      new Verdict("000", Pattern.compile(NOT_MEASURABLE),
          Pattern.compile("(?m)^  Lesson: .* took " + F + "x and " + F + "x one fib.*$"),
          new String[] {"2 threads / one sequential fib, free-threaded", "2 threads / one sequential fib, per-interpreter"},
          false),
      new Verdict("001", Pattern.compile("(?m)^  Not measurable .* cannot show whether \\S+ threads run in parallel\\.$"),
          Pattern.compile("(?m)^  Free-threaded and per interpreter.* " + F + "x and " + F + "x one run.*$"),
          new String[] {"two threads / once, free-threaded", "two threads / once, per-interpreter"}, false),
      new Verdict("001", Pattern.compile("(?m)^  Not measurable .* cannot show the speedup Amdahl's law predicts .*$"),
          Pattern.compile("(?m)^  On 2 threads free-threaded and per interpreter sped the work up " + F + "x and " + F
              + "x.*$"),
          new String[] {"speedup with 2 threads, free-threaded", "speedup with 2 threads, per-interpreter"}, true),
      new Verdict("002", Pattern.compile(NOT_MEASURABLE),
          Pattern.compile("(?m)^  Lesson: .* took " + F + "x and " + F + "x one fib.*$"),
          new String[] {"2 threads / one fib(" + Size.TEST.fib(34) + "), free-threaded",
              "2 threads / one fib(" + Size.TEST.fib(34) + "), per-interpreter"}, false),
      new Verdict("003", Pattern.compile(NOT_MEASURABLE),
          Pattern.compile("(?m)^  Lesson: .* took " + F + "x one read.*$"),
          new String[] {"two threads / one thread, text read, GIL released for the whole read"}, false));

  /**
   * Whatever the machine gave, each parallel verdict of a real run is the rule's on the figures
   * the run printed ({@link #assertVerdicts}).
   */
  @ParameterizedTest
  @ValueSource(strings = {"000", "001", "002", "003"})
  void eachParallelVerdictFollowsTheRuleOnTheFiguresTheRunPrinted(String id) throws Exception {
    assertVerdicts(id, output(id));
  }

  /**
   * Each parallel verdict of notebook {@code id} in {@code out}: none beside a "Not measurable"
   * line that stands for it, else "as far as this machine allows" exactly when every figure it
   * quotes (the run's own, as its figure lines print them) is nearer the capacity line's plain
   * ratio than 2. Figures so near that boundary that rounding to two decimals could decide
   * (within 0.015) are not judged.
   */
  static void assertVerdicts(String id, String out) {
    for (Verdict v : VERDICTS) {
      if (!v.id().equals(id)) {
        continue;
      }
      Capacity capacity = capacity(out);
      Matcher verdict = v.line().matcher(out);
      if (v.notMeasurable().matcher(out).find()) {
        assertFalse(verdict.find(), () -> "notebook " + v.id() + ": a verdict beside a 'Not measurable' line:\n" + out);
        if (!v.id().equals("001")) { // 001's lesson is about the GIL alone
          assertTrue(out.contains(" which this run could not show (not measurable "), out);
        }
        continue;
      }
      assertTrue(verdict.find(), () -> "notebook " + v.id() + ": no parallel verdict in:\n" + out);
      String line = verdict.group();
      boolean shown = line.contains("as far as this machine allows");
      assertTrue(shown || line.contains("did not show") || line.contains("does not show")
          || line.contains("only part of the parallel speedup"), line);
      boolean parallel = true;
      boolean nearBoundary = false;
      for (int i = 0; i < v.figures().length; i++) {
        double quoted = Double.parseDouble(verdict.group(i + 1));
        assertEquals(figure(out, v.figures()[i]), quoted, 1e-9, "the verdict quotes '" + v.figures()[i] + "'");
        double ratio = v.speedups() ? 2 / quoted : quoted;
        parallel &= capacity.parallel(ratio);
        nearBoundary |= Math.abs(ratio - (capacity.ratio() + 2) / 2) <= 0.015;
      }
      if (!nearBoundary) {
        assertEquals(parallel, shown, () -> line + "\n" + capacity.header());
      }
    }
  }

  @Test
  void notebook000TimesStartOnlyThenTheCorrectedRunThreads() throws Exception {
    String out = output("000");
    assertEquals(5, figure(out, "fib(5)"));
    assertEquals(1, figure(out, "fib(0) (dead branch"), "the notebook's fib(0) is 1");
    for (int k : new int[] {1, 2, 3, 4, 8}) {
      assertTrue(out.contains("runthreads(" + k + ") start() only"), "start-only timing of " + k);
      for (Mode m : Mode.values()) {
        assertTrue(figure(out, "runthreads(" + k + ") with join(), " + m.label) > 0);
      }
    }
    assertPlots("000-runthreads");
    // Without an interpreter, CPython's figures are the reference run's, and say so.
    assertTrue(out.contains("CPython figures: " + CPythonFigures.REFERENCE + " (no interpreter given)."), out);
    assertFalse(out.contains("Java / CPython"), "no figure claims to be measured now:\n" + out);
    assertTrue(Pattern.compile("(?m)^  ratio  2 threads / one sequential fib, GIL +Java [\\d.]+   notebook -   "
        + "CPython 3\\.11\\.7 reference run 2\\.42, fib\\(30\\)$").matcher(out).find(), out);
    assertTrue(Files.readString(plots.resolve("000-runthreads.svg")).contains("CPython 3.11.7 (reference run)"));
  }

  @Test
  void withCPythonTheNotebooksMeasureItInTheSameSittingAndPlotIt(@TempDir Path dir) throws Exception {
    CPythonFigures cpython = CPythonFigures.find("python3", 1);
    try (cpython) {
      Assumptions.assumeTrue(cpython.live(), "no python3 on this machine");
      String out = run("000", o -> new Session(o, Size.TEST, dir, false, cpython));
      String version = cpython.python().version();
      assertTrue(out.contains("CPython figures: measured now by CPython " + version), out);
      assertFalse(out.contains("reference run"), out);
      Matcher m = Pattern.compile("(?m)^  ratio  (\\d) threads / one sequential fib, GIL +Java ([\\d.]+)   notebook -   "
          + "CPython " + Pattern.quote(version) + " now ([\\d.]+) \\(Java / CPython ([\\d.]+)\\), fib\\(22\\)$")
          .matcher(out);
      int lines = 0;
      while (m.find()) {
        lines++;
        double java = Double.parseDouble(m.group(2));
        double cp = Double.parseDouble(m.group(3));
        assertTrue(cp > 0, m.group());
        assertEquals(java / cp, Double.parseDouble(m.group(4)), 0.02 + 0.01 * java / cp, m.group());
      }
      assertEquals(5, lines, "one CPython figure per thread count:\n" + out);
      assertEquals(4, Pattern.compile("(?m)^  ratio  start-only time, \\d threads / 1 thread .*   CPython "
          + Pattern.quote(version) + " now [\\d.]+ \\(Java / CPython [\\d.]+\\), fib\\(22\\)$").matcher(out)
          .results().count(), out);
      String svg = Files.readString(dir.resolve("000-runthreads.svg"));
      assertTrue(svg.contains("CPython " + version + " (now)") && svg.contains("GIL (start + join)"), svg);
    }
  }

  @Test
  void notebook001InterleavesInRunsAndCountsToTen() throws Exception {
    String out = output("001");
    assertTrue(figure(out, "runs of one thread's output, fib(15), GIL") >= 2, "both threads wrote");
    assertTrue(figure(out, "runs of one thread's output, fib(25), free-threaded") >= 1);
    assertEquals(0, figure(out, "hybrids seen: GIL, assignment is one bytecode"));
    assertEquals(0, figure(out, "hybrids seen: Java String reference"));
    assertEquals(10, figure(out, "final count"));
    assertEquals(1, figure(out, "jobs printed whole and in count order"));
    int previous = 0;
    for (String line : out.split("\n")) {
      if (line.startsWith("    The count is ")) {
        int count = Integer.parseInt(line.substring("    The count is ".length()));
        assertEquals(previous + 1, count, "the print manager prints the counts in order");
        previous = count;
      }
    }
    assertEquals(10, previous);
    assertEquals(10, figure(out, "final count with Owner"));
    assertEquals(1, figure(out, "jobs printed whole and in count order with Owner"));
    assertPlots("001-gil-timeline", "001-amdahl-speedup", "001-amdahl-wall-time");
    assertGilTrace(out, "001-gil-timeline");
  }

  @Test
  void notebook002KeepsMoneyOnlyWithTheLock() throws Exception {
    String out = output("002");
    assertEquals(0, figure(out, "money created or lost: threading.Lock around each transfer"));
    assertTrue(figure(out, "cores used (CPU / wall), 2 threads, GIL") > 0);
  }

  @Test
  void notebook003ReadsTheGeneratedCsvAndShowsTheBytecode() throws Exception {
    String out = output("003");
    assertTrue(out.contains("Emails.csv generated (never downloaded)"));
    for (Notebook003OvercomingThreads.Read r : Notebook003OvercomingThreads.Read.values()) {
      assertTrue(figure(out, "median, one thread, " + r.label) > 0);
      assertTrue(figure(out, "median, two threads, " + r.label) > 0);
    }
    assertTrue(out.contains("invokestatic") && out.contains("Gil.checkpoint"), "javap shows the checkpoint call");
    assertTrue(figure(out, "javap bytecode lines shown") >= 20);
    assertPlots("003-gil-timeline-read");
    assertGilTrace(out, "003-gil-timeline-read");
    try (var tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      // the generated file lives in a temporary directory that is deleted afterwards (only this
      // process's: another build running beside this one may be generating its own)
      assertFalse(tmp.anyMatch(p -> p.getFileName().toString()
          .startsWith(Notebook003OvercomingThreads.TEMP_PREFIX)
          && Files.exists(p.resolve("Emails.csv"))), "Emails.csv left behind");
    }
  }

  @Test
  void notebook004DaemonsDieAtExitJoinsWaitAndPoolThreadsHavePythonNames() throws Exception {
    String out = output("004");
    assertEquals(1, figure(out, "non-daemon thread printed 'after sleep'"));
    assertEquals(0, figure(out, "daemon thread printed 'after sleep'"));
    assertTrue(out.indexOf("    all done") < out.indexOf("    1  - after sleep"), "'after sleep' comes after 'all done'");
    assertTrue(Pattern.compile("thread_function Executed <Thread\\(ThreadPoolExecutor-\\d+_[01], started \\d+\\)>")
        .matcher(out).find(), out);
    assertEquals(2, figure(out, "distinct worker threads"));
    assertTrue(figure(out, "main waited in join() of thread 0") >= 0.05, "join(0) waits for the sleep");
  }

  // ---------------------------------------------------------------- timing, retried once

  /** One attempt of a timing check; attempt 0 may reuse the first run's output. */
  @FunctionalInterface
  interface Attempt {
    void run(int attempt) throws Exception;
  }

  /** Runs a timing check; if it fails, runs it once more on fresh figures. */
  static void retryOnce(Attempt check) throws Exception {
    try {
      check.run(0);
    } catch (AssertionError first) {
      System.err.println("timing check failed once, retrying: " + first.getMessage());
      check.run(1);
    }
  }

  private static String fresh001(int attempt) throws Exception {
    return attempt == 0 ? output("001") : run("001");
  }

  @Test
  @Tag("timing")
  void twoCpuBoundThreadsUnderTheGilTakeAtLeastOneAndAHalfTimesOne() throws Exception {
    retryOnce(attempt -> {
      double gil = figure(fresh001(attempt), "two threads / once, GIL");
      assertTrue(gil >= 1.5, "two CPU-bound threads under one GIL took only " + gil + "x one run");
    });
  }

  @Test
  @Tag("timing")
  void amdahlFitsAParallelFractionNearZeroUnderTheGil() throws Exception {
    retryOnce(attempt -> {
      double p = figure(fresh001(attempt), "parallel fraction p fitted to Amdahl, GIL");
      assertTrue(p < 0.5, "under the GIL the fitted parallel fraction is about 0, was " + p);
    });
  }

  @Test
  @Tag("timing")
  void twoCpuBoundThreadsFreeThreadedRunAboutAsFastAsTheMachinesPlainThreads() throws Exception {
    // Where the machine cannot show parallel speedup (its plain threads take nearly twice one,
    // or other builds hold the cores), this check is skipped by the rule the notebook prints
    // with; otherwise two free-threaded threads must be nearer the plain threads than 2.
    retryOnce(attempt -> {
      String out = fresh001(attempt);
      Capacity capacity = capacity(out);
      double got = figure(out, "cores the run got (CPU / wall), two threads, free-threaded");
      String shortfall = Cores.shortfall(got, 2, capacity);
      Assumptions.assumeTrue(shortfall == null, () -> shortfall + " (load average " + Session.loadAverage() + ")");
      double free = figure(out, "two threads / once, free-threaded");
      assertTrue(capacity.parallel(free), "two free-threaded CPU-bound threads took " + free + "x one run with "
          + got + " cores; " + capacity.header());
    });
  }

  @Test
  @Tag("timing")
  void fib15EndsBeforeTheSecondThreadAsksForTheGil() throws Exception {
    retryOnce(attempt -> assertEquals(2, figure(fresh001(attempt), "runs of one thread's output, fib(15), GIL"),
        "fib(15) ends within one switch interval: all '_' then all '*'"));
  }

  @Test
  @Tag("timing")
  void underTheGilTwoThreadsUseOneCoresWorthOfCpu() throws Exception {
    retryOnce(attempt -> {
      double gilCores = figure(attempt == 0 ? output("002") : run("002"), "cores used (CPU / wall), 2 threads, GIL");
      assertTrue(gilCores < 1.3, "under the GIL two threads use one core's worth of CPU, used " + gilCores);
    });
  }

  // ---------------------------------------------------------------- plots

  /**
   * The trace JSON beside a GIL timeline (core's tests parse the format in full) and the
   * gil_load-style summary printed under it.
   */
  private static void assertGilTrace(String out, String stem) throws Exception {
    String json = Files.readString(plots.resolve(stem + ".json"));
    assertTrue(json.startsWith("{\"traceEvents\":[") && json.trim().endsWith("}}"), json);
    assertTrue(json.contains("\"name\":\"thread_name\"") && json.contains("\"ph\":\"X\""), json);
    assertTrue(out.contains("trace: " + plots.resolve(stem + ".json")), out);
    assertTrue(out.matches("(?s).*GIL load over [0-9.]+ ms \\(share of wall time per thread\\)\n"
        + " +thread +held +waiting +released\n.*"), out);
  }

  private static void assertPlots(String... stems) throws Exception {
    for (String stem : stems) {
      Path svg = plots.resolve(stem + ".svg");
      assertTrue(Files.size(svg) > 500, svg + " written");
      assertNotNull(DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile())
          .getElementsByTagName("svg").item(0), svg + " is SVG");
      Path png = plots.resolve(stem + ".png");
      BufferedImage img = ImageIO.read(png.toFile());
      assertNotNull(img, png + " is a PNG");
      assertTrue(img.getWidth() >= 800 && img.getHeight() >= 150, png + " size");
      int nonWhite = 0;
      for (int x = 0; x < img.getWidth(); x += 4) {
        for (int y = 0; y < img.getHeight(); y += 4) {
          if ((img.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF) {
            nonWhite++;
          }
        }
      }
      assertTrue(nonWhite > 200, png + " has something drawn");
    }
  }
}
