package io.github.gilpatterns.examples;

import io.github.gilpatterns.gil.Gil;
import io.github.gilpatterns.join.Threads;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * Notebook 000, "Sometimes threads can hurt performance", re-run in Java on the emulated
 * GIL: {@code runthreads(k, 34)} for k = 1, 2, 3, 4, 8 threads each computing fib.
 *
 * <p>The notebook's {@code runthreads} times only the {@code start()} calls and never joins,
 * so its figures (5.5 ms growing to 338 ms) measure how long starting a thread takes while
 * earlier threads keep the GIL busy, not the work. This program shows exactly that, faithfully
 * (the main thread holds the GIL, each {@code start()} waits for the new thread to take the
 * GIL and say it started, the threads of earlier calls keep running), then the corrected
 * timing with {@code join()} under the GIL, free-threaded and per interpreter, with a chart.
 *
 * <p>Run it alone with {@code java -cp gilpatterns-examples.jar
 * io.github.gilpatterns.examples.Notebook000ThreadsCanHurt [--full]} or through the
 * {@link Launcher} ({@code run 000}).
 */
public final class Notebook000ThreadsCanHurt implements Notebook {

  /** Creates the notebook; the launcher runs it. */
  public Notebook000ThreadsCanHurt() {}

  /**
   * Runs this notebook alone: {@code Launcher run 000} with the same options.
   *
   * @param args launcher options such as {@code --full} or {@code --out DIR}
   */
  public static void main(String[] args) {
    Launcher.main(Launcher.prepend(args, "run", "000"));
  }

  @Override
  public String id() {
    return "000";
  }

  @Override
  public String title() {
    return "Sometimes threads can hurt performance";
  }

  @Override
  public String source() {
    return "after Francesco Pierfederici, Distributed Computing with Python, chapter 3";
  }

  /**
   * The notebook's fib, word for word: note that {@code n <= 2} comes first, so the
   * {@code n == 0} and {@code n < 0} branches can never run. One checkpoint per call, where
   * CPython checks its eval breaker.
   */
  static long fib(int n) {
    Gil.checkpoint();
    if (n <= 2) {
      return 1;
    } else if (n == 0) {
      return 0;
    } else if (n < 0) {
      throw new IllegalArgumentException("fib(n) is undefined for n < 0");
    }
    return fib(n - 1) + fib(n - 2);
  }

  @Override
  public void run(Session s) throws Exception {
    s.notebook(id(), title(), source());
    Size size = s.size();
    int n = size.fib(34);

    s.cell("In [1]", "imports", "from time import time", "from threading import Thread");
    s.say("Java: System.nanoTime() and io.github.gilpatterns.join.Threads; every thread below runs");
    s.say("holding one emulated GIL (Gil.create(), 5 ms switch interval) unless said otherwise.");

    s.cell("In [2]", "def fib(n)", "if n <= 2: return 1", "elif n == 0: return 0",
        "elif n < 0: raise Exception('fib(n) is undefined for n < 0')", "return fib(n - 1) + fib(n - 2)");
    s.say("Translated word for word, with Gil.checkpoint() at the top (CPython checks its eval breaker");
    s.say("on every call). Honest note: 'n <= 2' is tested first, so the n == 0 and n < 0 branches");
    s.say("are dead code: this fib(0) is 1, and fib(-5) is 1 instead of an exception.");

    s.cell("In [3]", "fib(5)", "fib(5)");
    s.value("fib(5)", fib(5), "%.0f", "notebook 5");
    s.value("fib(0) (dead branch: should be 0)", fib(0), "%.0f", "CPython 1, the same bug");
    s.value("fib(-5) (dead branch: should raise)", fib(-5), "%.0f", "CPython 1, the same bug");

    for (int i = 0; i < 3; i++) {
      fib(n - 3); // warm up the JIT, so that the timings below measure the work
    }
    double once = Measure.sequential(() -> fib(n));

    s.cell("In [4]", "def runthreads(threadnum, fibnum), timing only start()",
        "t0 = time()", "for i in range(threadnum):",
        "    t = Thread(target=fib, args=(fibnum, )); t.start()",
        "dt = time() - t0; print(dt)   # no join(): the threads are still running");

    s.cell("In [5]", String.format("runthreads(k, 34) for k = 1, 2, 3, 4, 8  (Java: fib(%d))", n),
        "runthreads(1,34)", "runthreads(2,34)", "...", "runthreads(8,34)");
    s.say("Java fib(%d) takes %s on one thread (the notebook's fib(34) took about 2.4 s in CPython;", n,
        Session.human(once));
    s.say("Java is ~100x faster, see --full). As in the notebook, the main thread holds the GIL, each");
    s.say("start() waits until the new thread has taken the GIL once, and no call joins its threads.");
    Gil gil = Gil.builder().build();
    List<Thread> running = new ArrayList<>();
    double[] startOnly = new double[Reference.NB000_THREADS.length];
    gil.acquire();
    try {
      for (int i = 0; i < startOnly.length; i++) {
        int k = Reference.NB000_THREADS[i];
        startOnly[i] = runthreadsStartOnly(gil, k, n, running);
        long alive = running.stream().filter(Thread::isAlive).count();
        s.time(String.format("runthreads(%d) start() only, %d alive after", k, alive), startOnly[i],
            String.format("notebook %s", Session.human(Reference.NB000_START_ONLY[i])));
      }
      s.say("Each start() must wait for the busy GIL: the new thread asks, waits a 5 ms interval, the");
      s.say("holder drops it; then main asks for it back. So start-up time grows with the threads already");
      s.say("running, as in the notebook. Meanwhile %d of the %d fib(%d) threads are still computing:",
          running.stream().filter(Thread::isAlive).count(), running.size(), n);
      double joinAll = Measure.seconds(() -> gil.releasing(() -> Threads.joinAll(running)));
      s.time(String.format("joining the %d threads runthreads left running", running.size()), joinAll,
          String.format("that is %.1f x one fib", joinAll / once));
      // CPython's runthreads, measured now (if an interpreter was found), once Java's threads have ended.
      CPythonFigures.Figure[] cpStart = gil.releasing(() -> s.cpython().startOnlyRatios(s.cpythonFib(),
          Reference.NB000_THREADS, Reference.CPYTHON_START_ONLY));
      for (int i = 1; i < startOnly.length; i++) {
        int k = Reference.NB000_THREADS[i];
        double ratio = startOnly[i] / startOnly[0];
        s.ratio(String.format("start-only time, %d threads / 1 thread", k), ratio,
            Reference.two(Reference.NB000_START_ONLY[i] / Reference.NB000_START_ONLY[0]),
            cpStart[i].text(ratio, s.cpythonFib()));
      }
    } finally {
      gil.release();
    }

    s.section("What runthreads should have measured: start() and join()");
    s.say("def runthreads(threadnum, fibnum): t0 = time(); threads = [...start()...];"
        + " [t.join() for t in threads]; print(time() - t0)");
    s.say("Each ratio divides by a sequential fib(%d) run just before it (the machine's load drifts).", n);
    int[] ks = Reference.NB000_THREADS;
    Mode[] modes = Mode.values();
    double[][] wall = new double[modes.length][ks.length];
    double[][] ratio = new double[modes.length][ks.length];
    double[][] got = new double[modes.length][ks.length];
    CPythonFigures.Figure[] cpython = new CPythonFigures.Figure[ks.length];
    try (Session.Progress p = s.progress("runthreads with join()", modes.length * ks.length)) {
      for (int m = 0; m < modes.length; m++) {
        for (int i = 0; i < ks.length; i++) {
          // Each sample is divided by a sequential run made just before it, so that the load of
          // a shared machine drifting between samples cancels out.
          double base = Measure.sequential(() -> fib(n));
          Cores.Window window = s.cores();
          wall[m][i] = Measure.threads(modes[m], ks[i], () -> fib(n));
          got[m][i] = window.cores();
          ratio[m][i] = wall[m][i] / base;
          int cp = indexOf(Reference.CPYTHON_THREADS, ks[i]);
          if (modes[m] == Mode.GIL && (cp >= 0 || s.cpython().live())) {
            cpython[i] = s.cpython().fibRatio(s.cpythonFib(), ks[i], cp < 0 ? Double.NaN : Reference.CPYTHON_FIB30[cp]);
          }
          p.step();
        }
      }
    }
    for (int m = 0; m < modes.length; m++) {
      for (int i = 0; i < ks.length; i++) {
        s.time(String.format("runthreads(%d) with join(), %s", ks[i], modes[m].label), wall[m][i], null);
      }
    }
    for (int m = 0; m < modes.length; m++) {
      for (int i = 0; i < ks.length; i++) {
        s.ratio(String.format("%d threads / one sequential fib, %s", ks[i], modes[m].label), ratio[m][i],
            null, modes[m] != Mode.GIL || cpython[i] == null ? null
                : cpython[i].text(ratio[m][i], s.cpythonFib()));
      }
    }
    int cores = Runtime.getRuntime().availableProcessors();
    double[] xs = new double[ks.length];
    double[] gilLaw = new double[ks.length];
    double[] parallelLaw = new double[ks.length];
    for (int i = 0; i < ks.length; i++) {
      xs[i] = ks[i];
      gilLaw[i] = ks[i] * once;
      parallelLaw[i] = Math.ceil(ks[i] / (double) cores) * once;
    }
    Plots.LineChart chart = new Plots.LineChart(
        String.format("Notebook 000: k threads each computing fib(%d), wall time", n), "threads", "wall time (s)",
        xs);
    for (int m = 0; m < modes.length; m++) {
      chart.add(modes[m].label + " (start + join)", xs, wall[m], modes[m].marker);
    }
    chart.add("notebook's timing (start only), GIL", xs, startOnly, 'S');
    List<Double> cpXs = new ArrayList<>();
    List<Double> cpWall = new ArrayList<>();
    for (int i = 0; i < ks.length; i++) {
      if (cpython[i] != null) {
        cpXs.add(xs[i]);
        cpWall.add(cpython[i].value() * once);
      }
    }
    chart.add(s.cpython().seriesName() + ", its ratio to one run x Java's one fib",
        cpXs.stream().mapToDouble(Double::doubleValue).toArray(),
        cpWall.stream().mapToDouble(Double::doubleValue).toArray(), 'C');
    chart.law("one core: k x one fib (a GIL)", xs, gilLaw);
    chart.law(cores + " cores: ceil(k/" + cores + ") x one fib", xs, parallelLaw);
    s.plot("000-runthreads", chart, chart.renderText(60, 16));

    String shortfall = null;
    for (int m = 0; m < modes.length; m++) {
      if (modes[m] != Mode.GIL) {
        String why = s.parallel("least of 2-8 threads, " + modes[m].label, Cores.least(ks, got[m]), 2,
            "whether " + modes[m].label + " threads use every core");
        shortfall = shortfall != null ? shortfall : why;
      }
    }
    int two = indexOf(ks, 2);
    s.lesson(lesson(shortfall, s.capacity(), ratio[Mode.FREE_THREADED.ordinal()][two],
        ratio[Mode.PER_INTERPRETER.ordinal()][two]));
  }

  /**
   * The lesson, from the figures that decide it: why the parallel runs could not show
   * parallelism ({@code null} if they could), the machine's capacity, and the time of two
   * free-threaded and of two per-interpreter threads over one sequential fib. The parallel
   * half follows {@link Capacity}'s rule: shown when both are nearer the machine's plain
   * threads than 2.
   */
  static String lesson(String shortfall, Capacity capacity, double free, double perInterpreter) {
    String gil = "Threads did hurt, but not as the notebook measured: its figures were thread start-up under a"
        + " busy GIL; timed with join(), k CPU-bound threads under the GIL take k times one, while";
    if (shortfall != null) {
      return gil + " free-threaded or per-interpreter threads can use every core, which this run could not show ("
          + shortfall + ").";
    }
    if (capacity.parallel(free) && capacity.parallel(perInterpreter)) {
      return gil + String.format(Locale.ROOT, " free-threaded or per-interpreter threads run in parallel as far as"
          + " this machine allows: two of them took %.2fx and %.2fx one fib, two plain threads %.2fx.", free,
          perInterpreter, capacity.ratio());
    }
    return gil + String.format(Locale.ROOT, " free-threaded or per-interpreter threads can use every core, which"
        + " this run did not show: two of them took %.2fx and %.2fx one fib, where two plain threads take %.2fx"
        + " here.", free, perInterpreter, capacity.ratio());
  }

  private static int threadCounter;

  /**
   * The notebook's runthreads: starts {@code threadnum} threads computing fib(n), timing only
   * the start() calls. Called holding {@code gil}, as the notebook's main thread does.
   */
  static double runthreadsStartOnly(Gil gil, int threadnum, int n, List<Thread> running)
      throws Exception {
    long t0 = System.nanoTime();
    for (int i = 0; i < threadnum; i++) {
      CountDownLatch started = new CountDownLatch(1);
      Thread t = Threads.start("Thread-" + (++threadCounter) + " (fib)", () -> {
        try {
          gil.holding(() -> { // _bootstrap_inner runs Python code: it needs the GIL first
            started.countDown(); // self._started.set()
            fib(n);
          });
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      running.add(t);
      gil.releasing(() -> started.await()); // Thread.start() waits on self._started without the GIL
      Gil.checkpoint(); // the for loop's back-edge
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  static int indexOf(int[] xs, int x) {
    for (int i = 0; i < xs.length; i++) {
      if (xs[i] == x) {
        return i;
      }
    }
    return -1;
  }
}
