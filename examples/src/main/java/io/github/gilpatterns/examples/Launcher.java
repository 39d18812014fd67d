package io.github.gilpatterns.examples;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The examples' command line: lists and runs the Python notebooks re-run in Java, and the
 * pattern examples.
 *
 * <pre>
 * java -jar examples/target/gilpatterns-examples.jar list
 * java -jar examples/target/gilpatterns-examples.jar run 001            # one notebook, fast sizes
 * java -jar examples/target/gilpatterns-examples.jar run 003 --full     # the notebook's sizes
 * java -jar examples/target/gilpatterns-examples.jar run patterns       # every pattern example
 * java -jar examples/target/gilpatterns-examples.jar all --out plots    # everything, plots in ./plots
 * java -jar examples/target/gilpatterns-examples.jar compare            # CPython beside the emulation
 * </pre>
 *
 * <p>Each notebook prints its cells in order, its figures beside the notebook's and CPython's
 * as ratios, and its lesson; plots are written as SVG and PNG files under {@code --out}
 * (default {@code target/gilpatterns-plots}), named at the end.
 */
@Command(name = "gilpatterns-examples", mixinStandardHelpOptions = true, version = "gilpatterns examples 0.1.0-SNAPSHOT",
    description = "Re-runs the Python threading notebooks on the emulated GIL and prints their lessons.",
    subcommands = {Launcher.ListCommand.class, Launcher.RunCommand.class, Launcher.AllCommand.class,
        Launcher.CompareCommand.class, CommandLine.HelpCommand.class})
public final class Launcher implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** Creates the launcher; picocli calls this. */
  public Launcher() {}

  /**
   * Runs the launcher and exits with its status (0 on success).
   *
   * @param args {@code list}, {@code run ID...}, {@code all}, {@code help}, with options
   */
  public static void main(String[] args) {
    int status = execute(System.out, System.err, args);
    System.exit(status);
  }

  /** Runs the launcher printing to the given streams; returns the exit status. */
  static int execute(PrintStream out, PrintStream err, String... args) {
    CommandLine cl = new CommandLine(new Launcher());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    STREAMS.set(new PrintStream[] {out, err});
    try {
      return cl.execute(args);
    } finally {
      STREAMS.remove();
    }
  }

  private static final ThreadLocal<PrintStream[]> STREAMS =
      ThreadLocal.withInitial(() -> new PrintStream[] {System.out, System.err});

  static String[] prepend(String[] args, String... first) {
    String[] all = new String[first.length + args.length];
    System.arraycopy(first, 0, all, 0, first.length);
    System.arraycopy(args, 0, all, first.length, args.length);
    return all;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /** Options shared by run and all. */
  static final class RunOptions {
    @Option(names = "--full", description = "Use the notebooks' own sizes (fib(34) in CPython's time, "
        + "a 21 MB Emails.csv read 100 times, 2 s sleeps); takes several minutes.")
    boolean full;

    @Option(names = "--size", paramLabel = "SIZE",
        description = "test, fast (default) or full; --full is --size full.")
    Size size;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR",
        description = "Folder for the plots (SVG and PNG); default: ${DEFAULT-VALUE}.",
        defaultValue = "target/gilpatterns-plots")
    Path out;

    @Option(names = "--no-plots", description = "Write no plot files (text charts are still printed).")
    boolean noPlots;

    @Option(names = "--no-progress", description = "Do not report progress of long runs on stderr.")
    boolean noProgress;

    @Option(names = "--python", paramLabel = "PATH", defaultValue = "python3",
        description = "The CPython interpreter that measures CPython's figures in the same sitting; default:"
            + " ${DEFAULT-VALUE}. Without one, CPython's figures are a named reference run's.")
    String python;

    @Option(names = "--no-python", description = "Measure no CPython figures: show the reference run's.")
    boolean noPython;

    Size size() {
      return full ? Size.FULL : size == null ? Size.FAST : size;
    }

    /** A session printing to {@code out}; closing its CPython figures is the caller's. */
    Session session(PrintStream out) throws InterruptedException {
      CPythonFigures cpython = noPython ? CPythonFigures.reference("--no-python given")
          : CPythonFigures.find(python, size().pick(1, 3, 5));
      return new Session(out, size(), noPlots ? null : out().toAbsolutePath().normalize(), !noProgress, cpython);
    }

    private Path out() {
      return out;
    }
  }

  @Command(name = "list", description = "Lists the notebooks and the pattern examples.")
  static final class ListCommand implements Callable<Integer> {
    @Override
    public Integer call() {
      PrintStream out = STREAMS.get()[0];
      out.println("Notebooks (run ID, or all):");
      for (Notebook nb : Notebooks.all()) {
        out.printf(Locale.ROOT, "  %s  %-46s %s%n", nb.id(), nb.title(), nb.source());
      }
      List<PatternExamples.Example> patterns = PatternExamples.all();
      out.println("Pattern examples (run NAME, or run patterns):");
      if (patterns.isEmpty()) {
        out.println("  (none yet: io.github.gilpatterns.examples.patterns has no runnable class)");
      }
      for (PatternExamples.Example e : patterns) {
        out.printf(Locale.ROOT, "  %-20s %s%n", e.name(), e.description());
      }
      return 0;
    }
  }

  @Command(name = "run", description = "Runs notebooks by number (000 or 0) and pattern examples by name; "
      + "'patterns' runs every pattern example.")
  static final class RunCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "ID", description = "000..004, a pattern example's name, or patterns")
    List<String> ids;

    @Mixin
    RunOptions options = new RunOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      List<Object> targets = new ArrayList<>();
      for (String id : ids) {
        if (id.equalsIgnoreCase("patterns")) {
          targets.addAll(PatternExamples.all());
          continue;
        }
        Object t = Notebooks.find(id).map(Object.class::cast)
            .or(() -> PatternExamples.find(id).map(Object.class::cast)).orElse(null);
        if (t == null) {
          throw new CommandLine.ParameterException(spec.commandLine(),
              "No notebook or pattern example called '" + id + "' (see: list)");
        }
        targets.add(t);
      }
      return runAll(targets, options);
    }
  }

  @Command(name = "all", description = "Runs the five notebooks, then every pattern example.")
  static final class AllCommand implements Callable<Integer> {
    @Mixin
    RunOptions options = new RunOptions();

    @Option(names = "--notebooks-only", description = "Skip the pattern examples.")
    boolean notebooksOnly;

    @Override
    public Integer call() throws Exception {
      List<Object> targets = new ArrayList<>(Notebooks.all());
      if (!notebooksOnly) {
        targets.addAll(PatternExamples.all());
      }
      return runAll(targets, options);
    }
  }

  @Command(name = "compare", description = "Measures CPython and the emulated GIL in one sitting, samples"
      + " alternating, and prints them side by side against the fidelity targets.")
  static final class CompareCommand implements Callable<Integer> {
    @Mixin
    RunOptions options = new RunOptions();

    @Option(names = "--repeats", paramLabel = "R", description = "Samples per figure on each side; default 5 (1 at"
        + " --size test).")
    Integer repeats;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      if (repeats != null && repeats < 1) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--repeats must be at least 1: " + repeats);
      }
      PrintStream out = STREAMS.get()[0];
      Session session = options.session(out);
      try (CPythonFigures cpython = session.cpython()) {
        if (!cpython.live()) {
          out.println(cpython.banner());
        }
        Compare.run(session, cpython.python(), Compare.Sizes.of(options.size(), repeats));
      }
      if (session.plotDir() != null) {
        out.printf(Locale.ROOT, "Plots: %d files in %s%n", session.plots().size(), session.plotDir());
      }
      return 0;
    }
  }

  /** Runs notebooks and pattern examples in order; prints a summary and where the plots are. */
  static int runAll(List<Object> targets, RunOptions options) throws Exception {
    Session session = options.session(STREAMS.get()[0]);
    try (CPythonFigures cpython = session.cpython()) {
      return runAll(targets, session);
    }
  }

  private static int runAll(List<Object> targets, Session session) {
    PrintStream out = STREAMS.get()[0];
    PrintStream err = STREAMS.get()[1];
    Map<String, Double> seconds = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    int failures = 0;
    for (Object target : targets) {
      long start = System.nanoTime();
      String name;
      try {
        if (target instanceof Notebook) {
          Notebook nb = (Notebook) target;
          name = "notebook " + nb.id() + ": " + nb.title();
          nb.run(session);
        } else {
          PatternExamples.Example e = (PatternExamples.Example) target;
          name = "pattern " + e.name();
          out.println();
          out.println("=".repeat(92));
          out.println("Pattern example " + e.name() + ": " + e.description());
          out.println("=".repeat(92));
          out.flush();
          e.run();
        }
      } catch (Exception | AssertionError e) {
        failures++;
        name = "FAILED " + target;
        err.println("failed: " + e);
        e.printStackTrace(err);
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      seconds.put(name, (System.nanoTime() - start) / 1e9);
    }
    out.println();
    out.println("=".repeat(92));
    out.printf(Locale.ROOT, "Summary (size %s, %d cores, load average %s, Java %s)%n", session.size().label(),
        Runtime.getRuntime().availableProcessors(), Session.loadAverage(), System.getProperty("java.version"));
    seconds.forEach((name, s) -> out.printf(Locale.ROOT, "  %7.1f s  %s%n", s, name));
    out.printf(Locale.ROOT, "  %7.1f s  in all%n", (System.nanoTime() - t0) / 1e9);
    if (session.plotDir() == null) {
      out.println("Plots: off (--no-plots)");
    } else {
      out.printf(Locale.ROOT, "Plots: %d files in %s%n", session.plots().size(), session.plotDir());
      for (Path p : session.plots()) {
        out.println("  " + p.getFileName());
      }
    }
    out.flush();
    return failures == 0 ? 0 : 1;
  }
}
