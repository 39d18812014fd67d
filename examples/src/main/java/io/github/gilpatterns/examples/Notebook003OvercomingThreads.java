package io.github.gilpatterns.examples;

import io.github.gilpatterns.gil.Gil;
import io.github.gilpatterns.join.Threads;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

/**
 * Notebook 003, "Overcoming the Limitations of Threads", re-run in Java: the Emails.csv
 * read timed 100 times on one thread and on two, medians compared, with the file generated
 * (never downloaded) at the notebook's size in a temporary directory; the read with the GIL
 * held while decoding (CPython's behaviour) and with the GIL released for the whole read; and
 * the {@code dis} cell, as the bytecode of the Java {@code loop()} shown by the JDK's own
 * {@code javap}.
 *
 * <p>Run it alone with {@code java -cp gilpatterns-examples.jar
 * io.github.gilpatterns.examples.Notebook003OvercomingThreads [--full]} or through the
 * {@link Launcher} ({@code run 003}).
 */
public final class Notebook003OvercomingThreads implements Notebook {
  /**
   * The start of the name of the temporary directory that holds the generated Emails.csv while
   * the notebook runs: it names this process, so that a check for leftovers looks at its own.
   */
  static final String TEMP_PREFIX = "gilpatterns-emails-" + ProcessHandle.current().pid() + "-";


  /** Creates the notebook; the launcher runs it. */
  public Notebook003OvercomingThreads() {}

  /**
   * Runs this notebook alone: {@code Launcher run 003} with the same options.
   *
   * @param args launcher options such as {@code --full} or {@code --out DIR}
   */
  public static void main(String[] args) {
    Launcher.main(Launcher.prepend(args, "run", "003"));
  }

  @Override
  public String id() {
    return "003";
  }

  @Override
  public String title() {
    return "Overcoming the Limitations of Threads";
  }

  @Override
  public String source() {
    return "a Dataquest lesson on the GIL";
  }

  /** The notebook's open_emails() in its two Java forms. */
  enum Read {
    /** CPython's text read: raw read without the GIL, decoding and newline translation with it. */
    TEXT_GIL_HELD("text read, decode holding the GIL (CPython)"),
    /** The same read with the GIL released for all of it, as a decoder that released it would. */
    TEXT_GIL_RELEASED("text read, GIL released for the whole read"),
    /** {@code open(p, 'rb').read()}: the raw read only, GIL released (io_rb.py). */
    BINARY("binary read ('rb'), GIL released");

    final String label;

    Read(String label) {
      this.label = label;
    }
  }

  @Override
  public void run(Session s) throws Exception {
    s.notebook(id(), title(), source());
    Size size = s.size();
    int rows = size.pick(800, 7945, 7945);
    int reads = size.pick(5, 9, 100);

    s.section("The GIL");
    s.say("\"The GIL is released ... when doing I/O operations such as reading a file.\" If two threads");
    s.say("reading the file take less than twice the time of one, threads help.");
    s.cell("In [2]", "imports", "import threading", "import time", "import statistics");

    String shortfall;
    double releasedRatio;
    Path dir = Files.createTempDirectory(TEMP_PREFIX);
    try {
      Path csv = dir.resolve("Emails.csv");
      double genSeconds = Measure.seconds(() -> generateEmails(csv, rows, 1));
      s.say("Emails.csv generated (never downloaded): %,d rows of", rows);
      s.say("random words, %.1f MB, in %s, in %s; %d timed reads per figure (the notebook: 21 MB, 100).",
          Files.size(csv) / 1e6, dir, Session.human(genSeconds), reads);

      s.cell("In [17]", "def open_emails()", "with open('../data/Emails.csv') as f:", "    data = f.read()",
          "return data");
      s.say("Java: the raw read inside gil.releasing(..) (FileIO.read releases the GIL), then UTF-8 decoding");
      s.say("and universal-newline translation holding the GIL (TextIOWrapper's decoder does, in C, with no");
      s.say("eval-breaker check), so a second thread can read but not decode at the same time.");

      Read[] kinds = Read.values();
      double[] one = new double[kinds.length];
      double[] two = new double[kinds.length];
      double[] twoCores = new double[kinds.length];
      try (Session.Progress p = s.progress("Emails.csv reads", kinds.length * 2 * reads)) {
        for (Read kind : kinds) {
          for (int w = 0; w < 2; w++) {
            openEmails(Gil.create(), csv, kind); // warm up
          }
          one[kind.ordinal()] = Measure.median(single(csv, kind, reads, p));
          Cores.Window window = s.cores();
          two[kind.ordinal()] = Measure.median(threaded(csv, kind, reads, p));
          twoCores[kind.ordinal()] = window.cores();
        }
      }

      s.cell("In [18]", "100 timed reads on one thread, median", "for i in range(100):",
          "    start = time.time(); open_emails(); times.append(time.time() - start)",
          "print(statistics.median(times))");
      for (Read kind : kinds) {
        s.time("median, one thread, " + kind.label, one[kind.ordinal()],
            kind == Read.TEXT_GIL_HELD ? String.format("notebook %s", Session.human(Reference.NB003_ONE)) : null);
      }

      s.cell("In [19]", "100 timed reads by two threads at once, median", "for i in range(100):",
          "    start = time.time(); thread1/thread2 = Thread(target=open_emails); start both; join both",
          "    threaded_times.append(time.time() - start)", "print(statistics.median(threaded_times))");
      for (Read kind : kinds) {
        s.time("median, two threads, " + kind.label, two[kind.ordinal()],
            kind == Read.TEXT_GIL_HELD ? String.format("notebook %s", Session.human(Reference.NB003_TWO)) : null);
      }
      // CPython reads the same file, measured now (if an interpreter was found) after Java's reads.
      CPythonFigures.Figure cpText = s.cpython().readRatio(csv, true, reads, Reference.CPYTHON_TEXT_READ);
      CPythonFigures.Figure cpBinary = s.cpython().readRatio(csv, false, reads, Reference.CPYTHON_BINARY_READ);
      for (Read kind : kinds) {
        double ratio = two[kind.ordinal()] / one[kind.ordinal()];
        s.ratio("two threads / one thread, " + kind.label, ratio,
            kind == Read.TEXT_GIL_HELD ? Reference.two(Reference.NB003_TWO / Reference.NB003_ONE) : null,
            kind == Read.TEXT_GIL_HELD ? cpText.text(ratio) + ", text read"
                : kind == Read.BINARY ? cpBinary.text(ratio) + ", binary read" : null);
      }
      s.say("What do the results tell you? The notebook's text read took %.2fx as long on two threads:",
          Reference.NB003_TWO / Reference.NB003_ONE);
      s.say("decoding holds the GIL, so threads gain little. Releasing the GIL for the whole read lets the");
      s.say("two overlap (ratio toward 1 on two idle cores); what is left above 1 is memory bandwidth and");
      s.say("page-cache copying that two cores share (%s's binary read: %.2f).", s.cpython().seriesName(),
          cpBinary.value());
      int released = Read.TEXT_GIL_RELEASED.ordinal();
      releasedRatio = two[released] / one[released];
      shortfall = s.parallel("two threads, " + Read.TEXT_GIL_RELEASED.label, twoCores[released], 2,
          "whether reads that release the GIL overlap");

      Gil traced = Gil.builder().trace(true).build();
      threadedOnce(traced, csv, Read.TEXT_GIL_HELD);
      s.gilTimeline("003-gil-timeline-read",
          "Notebook 003: who held the GIL while two threads read Emails.csv (decode holds the GIL)",
          traced.trace());
      s.say("The raw reads (no GIL) overlap; each decode holds the GIL from start to end, one after the other.");
    } finally {
      deleteTree(dir);
    }

    s.section("Python Interpreters: dis.dis(loop)");
    s.say("def loop():\n    for i in range(5):\n        print(i)");
    s.say("The notebook's CPython bytecode:");
    s.block("4    0 SETUP_LOOP 30 (to 33)   3 LOAD_GLOBAL 0 (range)   6 LOAD_CONST 1 (5)\n"
        + "     9 CALL_FUNCTION 1        12 GET_ITER\n"
        + "  >> 13 FOR_ITER 16 (to 32)   16 STORE_FAST 0 (i)\n"
        + "5   19 LOAD_GLOBAL 1 (print)  22 LOAD_FAST 0 (i)   25 CALL_FUNCTION 1   28 POP_TOP\n"
        + "    29 JUMP_ABSOLUTE 13       (the eval loop checks its eval breaker here: a GIL switch point)\n"
        + "  >> 32 POP_BLOCK  33 LOAD_CONST 0 (None)  36 RETURN_VALUE");
    String javap = disassemble(Loops.class, "loop()", "loopWithCheckpoint()");
    s.say("The Java loop() and the same loop with the eval breaker made explicit, by the JDK's javap:");
    s.block(javap);
    s.value("javap bytecode lines shown", javap.lines().filter(l -> l.matches("\\s*\\d+: .*")).count(), "%.0f",
        "CPython 3.x: 16 instructions in the notebook");
    s.say("Java bytecode is compiled to machine code by the JIT and runs with no GIL: the checkpoint call is");
    s.say("where this library lets a Java loop give up its emulated GIL, as CPython does at JUMP_ABSOLUTE.");

    s.lesson(lesson(shortfall, s.capacity(), releasedRatio));
  }

  /**
   * The lesson, from the figures that decide its second half: why the reads that release the
   * GIL could not show overlap ({@code null} if they could), the machine's capacity, and the
   * time of two such reads at once over one read, judged by {@link Capacity}'s rule.
   */
  static String lesson(String shortfall, Capacity capacity, double released) {
    String gil = "Threads overlap only what runs without the GIL: a CPython text read decodes holding it, so two"
        + " readers take about twice as long as one";
    if (shortfall != null) {
      return gil + "; reads that release the GIL throughout can overlap, which this run could not show ("
          + shortfall + ").";
    }
    if (capacity.parallel(released)) {
      return gil + String.format(Locale.ROOT, ", while reads that release the GIL throughout overlap as far as this"
          + " machine allows: two took %.2fx one read, two plain threads %.2fx one fib.", released, capacity.ratio());
    }
    return gil + String.format(Locale.ROOT, "; reads that release the GIL throughout can overlap, which this run did"
        + " not show: two took %.2fx one read, where two plain threads take %.2fx one fib here (memory and the page"
        + " cache bound reads).", released, capacity.ratio());
  }

  /** The {@code loop()} of the notebook's dis cell, compiled by javac. */
  static final class Loops {
    private Loops() {}

    static void loop() {
      for (int i = 0; i < 5; i++) {
        System.out.println(i);
      }
    }

    static void loopWithCheckpoint() {
      for (int i = 0; i < 5; i++) {
        System.out.println(i);
        Gil.checkpoint();
      }
    }
  }

  /**
   * Runs the JDK's javap on {@code type} and returns the code of the named methods; explains
   * itself if this runtime has no javap (a JRE).
   */
  static String disassemble(Class<?> type, String... methods) {
    Optional<ToolProvider> javap = ToolProvider.findFirst("javap");
    if (javap.isEmpty()) {
      return "(javap is not in this runtime, a JRE: run on a JDK to see the bytecode)";
    }
    String classPath;
    try {
      classPath = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException | RuntimeException e) {
      return "(cannot locate the class file of " + type.getName() + ": " + e + ")";
    }
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    ByteArrayOutputStream errBuf = new ByteArrayOutputStream();
    int rc;
    try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
         PrintStream err = new PrintStream(errBuf, true, StandardCharsets.UTF_8)) {
      rc = javap.get().run(out, err, "-c", "-p", "-cp", classPath, type.getName());
    }
    String text = buf.toString(StandardCharsets.UTF_8);
    if (rc != 0) {
      return "(javap failed: " + errBuf.toString(StandardCharsets.UTF_8).trim() + ")";
    }
    StringBuilder sb = new StringBuilder();
    boolean in = false;
    for (String line : text.split("\\R")) {
      boolean header = line.startsWith("  ") && !line.startsWith("    ") && line.contains("(");
      if (header) {
        in = false;
        for (String m : methods) {
          if (line.contains(" " + m)) {
            in = true;
          }
        }
      }
      if (in && !line.isBlank()) {
        sb.append(line.substring(Math.min(2, line.length()))).append('\n');
      }
    }
    return sb.toString().stripTrailing();
  }

  // ------------------------------------------------------------------ Emails.csv

  /**
   * Writes a CSV shaped like the notebook's Emails.csv: a header and {@code rows} rows ending in
   * CRLF (csv.writer's line terminator), the last column 50 to 900 random words.
   */
  static void generateEmails(Path file, int rows, long seed) throws IOException {
    String[] words = {"state", "meeting", "call", "policy", "the", "and", "of", "to", "minister", "press"};
    SplittableRandom random = new SplittableRandom(seed);
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("Id,DocNumber,MetadataSubject,MetadataTo,MetadataFrom,ExtractedBodyText\r\n");
      StringBuilder body = new StringBuilder();
      for (int i = 0; i < rows; i++) {
        body.setLength(0);
        int count = 50 + random.nextInt(851);
        for (int k = 0; k < count; k++) {
          if (k > 0) {
            body.append(' ');
          }
          body.append(words[random.nextInt(words.length)]);
        }
        w.write(String.valueOf(i + 1));
        w.write(",C0" + (5739545 + i) + ",Subject " + i + ",H,\"Sullivan, Jacob J\",");
        w.append(body).write("\r\n");
      }
    }
  }

  /** open_emails() run by a thread holding {@code gil}. */
  static int openEmails(Gil gil, Path file, Read kind) throws Exception {
    switch (kind) {
      case TEXT_GIL_HELD: {
        byte[] raw = gil.releasing(() -> Files.readAllBytes(file));
        return decode(raw).length(); // holding the GIL, no checkpoint: a C call
      }
      case TEXT_GIL_RELEASED:
        return gil.releasing(() -> decode(Files.readAllBytes(file))).length();
      default:
        return gil.releasing(() -> Files.readAllBytes(file)).length;
    }
  }

  /** UTF-8 decoding with universal newlines (\r\n and \r become \n), as TextIOWrapper does. */
  static String decode(byte[] raw) {
    char[] out = new char[raw.length];
    int n = 0;
    for (int i = 0; i < raw.length; i++) {
      byte b = raw[i];
      if (b < 0) { // not ASCII: let the JDK decode, then translate
        String s = new String(raw, StandardCharsets.UTF_8);
        return s.replace("\r\n", "\n").replace('\r', '\n');
      }
      if (b == '\r') {
        out[n++] = '\n';
        if (i + 1 < raw.length && raw[i + 1] == '\n') {
          i++;
        }
      } else {
        out[n++] = (char) b;
      }
    }
    return new String(out, 0, n);
  }

  private static List<Double> single(Path csv, Read kind, int reads, Session.Progress p) throws Exception {
    Gil gil = Gil.create();
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < reads; i++) {
      gil.acquire(); // the main thread runs Python code
      try {
        long t0 = System.nanoTime();
        openEmails(gil, csv, kind);
        times.add((System.nanoTime() - t0) / 1e9);
      } finally {
        gil.release();
      }
      p.step();
    }
    return times;
  }

  private static List<Double> threaded(Path csv, Read kind, int reads, Session.Progress p) throws Exception {
    Gil gil = Gil.create();
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < reads; i++) {
      times.add(threadedOnce(gil, csv, kind));
      p.step();
    }
    return times;
  }

  /** One iteration of In [19]: two threads each call open_emails(); start both, join both. */
  static double threadedOnce(Gil gil, Path csv, Read kind) throws Exception {
    long t0 = System.nanoTime();
    List<Thread> ts = new ArrayList<>();
    Exception[] failure = new Exception[1];
    for (int k = 1; k <= 2; k++) {
      ts.add(Threads.start("thread" + k, () -> {
        try {
          gil.acquire();
          try {
            openEmails(gil, csv, kind);
          } finally {
            gil.release();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (Exception e) {
          synchronized (failure) {
            failure[0] = e;
          }
        }
      }));
    }
    Threads.joinAll(ts);
    double seconds = (System.nanoTime() - t0) / 1e9;
    synchronized (failure) {
      if (failure[0] != null) {
        throw failure[0];
      }
    }
    return seconds;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}
