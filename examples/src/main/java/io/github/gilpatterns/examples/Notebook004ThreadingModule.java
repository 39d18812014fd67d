package io.github.gilpatterns.examples;

import com.google.common.util.concurrent.ListenableFuture;
import io.github.gilpatterns.gil.Gil;
import io.github.gilpatterns.gil.GilExecutor;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Notebook 004, "GIL and the threading module", re-run in Java on the emulated GIL: a
 * thread started and never joined (its last line comes after "all done", and the interpreter
 * waits for it at exit); daemon against non-daemon threads at exit (shown in a child JVM,
 * since exiting is the point); three threads joined in order; and
 * {@code ThreadPoolExecutor(max_workers=3)} with its Python-style thread names. Also the
 * notebook's claim that the GIL makes every threaded program slower: true for CPU-bound
 * threads, not for threads that wait.
 *
 * <p>Run it alone with {@code java -cp gilpatterns-examples.jar
 * io.github.gilpatterns.examples.Notebook004ThreadingModule [--full]} or through the
 * {@link Launcher} ({@code run 004}).
 */
public final class Notebook004ThreadingModule implements Notebook {

  /** Creates the notebook; the launcher runs it. */
  public Notebook004ThreadingModule() {}

  /**
   * Runs this notebook alone: {@code Launcher run 004} with the same options.
   *
   * @param args launcher options such as {@code --full} or {@code --out DIR}
   */
  public static void main(String[] args) {
    Launcher.main(Launcher.prepend(args, "run", "004"));
  }

  @Override
  public String id() {
    return "004";
  }

  @Override
  public String title() {
    return "GIL and the threading module";
  }

  @Override
  public String source() {
    return "a Python course's module on the GIL and threading";
  }

  /**
   * What Python's {@code print(*args)} does to {@code sys.stdout}: one write per argument,
   * separator and newline, with the eval breaker between writes, so that two threads printing
   * at once can interleave within a line. Shared by the threads of one cell; written under the
   * GIL, read after they are joined.
   */
  static final class Stdout {
    private final StringBuilder text = new StringBuilder();

    void print(Object... args) {
      for (int i = 0; i < args.length; i++) {
        if (i > 0) {
          write(" ");
        }
        write(String.valueOf(args[i]));
      }
      write("\n");
    }

    private void write(String s) {
      synchronized (text) {
        text.append(s);
      }
      Gil.checkpoint();
    }

    String contents() {
      synchronized (text) {
        return text.toString();
      }
    }
  }

  @Override
  public void run(Session s) throws Exception {
    s.notebook(id(), title(), source());
    Size size = s.size();
    long sleepMillis = size.pick(100, 300, 2000);
    s.say("time.sleep(2) becomes Gil.sleep(%d ms), which releases the GIL while it sleeps, as time.sleep does.",
        sleepMillis);

    cellOne(s, sleepMillis);
    daemonCell(s, size, sleepMillis);
    cellTwo(s, sleepMillis);
    goodOrBad(s, size);
    cellThree(s, sleepMillis);

    s.lesson("start() returns at once and the main thread runs on; join() is how you wait (in any order,"
        + " it returns when that thread is done); non-daemon threads keep the process alive at exit, daemon"
        + " threads are killed; and waiting threads overlap under the GIL while computing ones do not.");
  }

  /** time.sleep: Gil.sleep drops whichever GIL the thread holds while it sleeps. */
  private static void sleep(long millis) {
    try {
      Gil.sleep(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts {@code t} the way threading.Thread.start() does: wait until it runs, without the GIL. */
  private static void start(Gil gil, Thread t, CountDownLatch started) throws Exception {
    t.start();
    gil.releasing(() -> started.await());
  }

  private static Runnable underGil(Gil gil, CountDownLatch started, Runnable body) {
    return () -> {
      try {
        gil.holding(() -> {
          started.countDown();
          body.run();
        });
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  private static void cellOne(Session s, long sleepMillis) throws Exception {
    s.cell("In [1]", "one thread, started, x.join() commented out",
        "def thread_function(name): print(name, ' - thread starting'); time.sleep(2);"
            + " print(name, ' - after sleep')",
        "print('before create Thread'); x = threading.Thread(target=thread_function, args=(1,))",
        "print('before running Thread'); x.start(); print('Wait thread finish')",
        "# x.join()", "print('all done')");
    Gil gil = Gil.create();
    Stdout out = new Stdout();
    CountDownLatch started = new CountDownLatch(1);
    Thread x;
    long t0 = System.nanoTime();
    double allDoneAt;
    gil.acquire(); // the main thread runs Python code
    try {
      out.print("before create Thread");
      x = new Thread(underGil(gil, started, () -> {
        out.print(1, " - thread starting");
        sleep(sleepMillis);
        out.print(1, " - after sleep");
      }), "Thread-1 (thread_function)");
      out.print("before running Thread");
      start(gil, x, started);
      out.print("Wait thread finish");
      out.print("all done");
      allDoneAt = (System.nanoTime() - t0) / 1e9;
    } finally {
      gil.release();
    }
    x.join(); // threading._shutdown(): at exit the interpreter joins every non-daemon thread
    double doneAt = (System.nanoTime() - t0) / 1e9;
    s.block(out.contents().stripTrailing());
    s.time("main thread printed 'all done' after", allDoneAt, "at once: nothing waited for the thread");
    s.time("the thread printed its last line after", doneAt, "the sleep: after 'all done', as in the notebook");
    s.say("The cell ends, but a non-daemon thread keeps running: at exit CPython's threading._shutdown()");
    s.say("joins it (here: x.join() after the cell), which is why '1  - after sleep' still appears.");
  }

  private static void daemonCell(Session s, Size size, long sleepMillis) throws Exception {
    s.cell("In [None]", "x = threading.Thread(target=thread_function, args=(1,), daemon=True)",
        "x = threading.Thread(target=thread_function, args=(1,), daemon=True)");
    s.say("Exit is the point, so each version runs in a child JVM whose main returns without join():");
    for (boolean daemon : new boolean[] {false, true}) {
      String output = runChild(daemon, sleepMillis);
      s.say("%s thread:", daemon ? "daemon" : "non-daemon");
      s.block(output.stripTrailing());
      s.value((daemon ? "daemon" : "non-daemon") + " thread printed 'after sleep' (1 = yes)",
          output.contains("after sleep") ? 1 : 0, "%.0f", daemon ? "Python: 0, killed at exit" : "Python: 1, waited for");
    }
    s.say("The JVM, like CPython, waits at exit for non-daemon threads and kills daemon ones mid-sleep.");
  }

  /** Runs {@link ExitDemo} in a child JVM; returns its output. */
  static String runChild(boolean daemon, long sleepMillis) throws IOException, InterruptedException {
    String classPath;
    try {
      classPath = Path.of(ExitDemo.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(java.toString(), "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", classPath,
        ExitDemo.class.getName(), daemon ? "daemon" : "normal", Long.toString(sleepMillis))
        .redirectErrorStream(true).start();
    byte[] bytes = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("child JVM did not exit");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /**
   * The program of the daemon cell, run in a child JVM: main starts one thread (daemon or
   * not, by its first argument) that prints, sleeps and prints again, and returns without
   * joining it.
   */
  public static final class ExitDemo {
    private ExitDemo() {}

    /**
     * Starts the thread and returns without joining it.
     *
     * @param args {@code daemon} or {@code normal}, then the sleep in milliseconds
     * @throws InterruptedException if interrupted while waiting for the thread to start
     */
    public static void main(String[] args) throws InterruptedException {
      boolean daemon = args[0].equals("daemon");
      long millis = Long.parseLong(args[1]);
      CountDownLatch started = new CountDownLatch(1);
      Thread x = new Thread(() -> {
        System.out.println("1  - thread starting");
        started.countDown();
        try {
          Thread.sleep(millis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        System.out.println("1  - after sleep");
      }, "Thread-1 (thread_function)");
      x.setDaemon(daemon);
      System.out.println("before running Thread (daemon=" + (daemon ? "True" : "False") + ")");
      x.start();
      started.await();
      System.out.println("all done (main returns; the JVM exits when no non-daemon thread is left)");
    }
  }

  private static void cellTwo(Session s, long sleepMillis) throws Exception {
    s.cell("In [2]", "three threads in a list, joined in order",
        "for index in range(3): print('create thread - ', index); x = Thread(target=thread_function,"
            + " args=(index,)); threads.append(x); x.start()",
        "for index, thread in enumerate(threads): print('before join - ', index); thread.join();"
            + " print('after join - ', index)");
    Gil gil = Gil.create();
    Stdout out = new Stdout();
    List<Thread> threads = new ArrayList<>();
    double[] joinWait = new double[3];
    gil.acquire();
    try {
      for (int index = 0; index < 3; index++) {
        out.print("create thread - ", index);
        int name = index;
        CountDownLatch started = new CountDownLatch(1);
        Thread x = new Thread(underGil(gil, started, () -> {
          out.print(name, " - thread start");
          sleep(sleepMillis);
          out.print(name, "- thread job's done");
        }), "Thread-" + (index + 1) + " (thread_function)");
        threads.add(x);
        start(gil, x, started);
        Gil.checkpoint();
      }
      for (int index = 0; index < 3; index++) {
        out.print("before join - ", index);
        Thread t = threads.get(index);
        long j0 = System.nanoTime();
        gil.releasing(() -> t.join());
        joinWait[index] = (System.nanoTime() - j0) / 1e9;
        out.print("after join - ", index);
        Gil.checkpoint();
      }
    } finally {
      gil.release();
    }
    String text = out.contents();
    s.block(text.stripTrailing());
    for (int i = 0; i < 3; i++) {
      s.time("main waited in join() of thread " + i, joinWait[i],
          i == 0 ? "about the sleep: the others finish meanwhile" : "about 0: already done");
    }
    long garbled = text.lines().filter(l -> !l.matches("(create thread -  \\d|\\d  - thread start|"
        + "\\d - thread job's done|before join -  \\d|after join -  \\d)")).count();
    s.value("lines garbled by two prints interleaving", garbled, "%.0f",
        "notebook: 2 ('10 - thread job's done', ' - thread job's done')");
    s.say("print() writes its pieces separately and threads that wake together can interleave them; under");
    s.say("the GIL that needs a switch between two writes, so it is rare here (the notebook's Jupyter");
    s.say("stream made it common). A print manager thread (notebook 001) makes it impossible.");
  }

  private static void goodOrBad(Session s, Size size) throws Exception {
    s.section("So is GIL good or bad?");
    s.say("\"any multi-threaded Python program will ... work even slower than a single-threaded program\"");
    s.say("Measured: time.sleep(0.05) (I/O-like, releases the GIL) and fib (CPU-bound), 1 vs 2 threads:");
    int repeats = size.pick(3, 8, 30);
    int n = size.fib(34) - 2;
    for (int i = 0; i < 3; i++) {
      Notebook001WayOneThreads.fibonacci(n - 3);
    }
    List<Double> oneSleep = new ArrayList<>();
    List<Double> twoSleep = new ArrayList<>();
    for (int r = 0; r < repeats; r++) {
      Gil one = Gil.create();
      oneSleep.add(Measure.threads(one, 1, () -> {
        Gil.sleep(50, TimeUnit.MILLISECONDS); // time.sleep(0.05)
        return null;
      }));
      Gil two = Gil.create();
      twoSleep.add(Measure.threads(two, 2, () -> {
        Gil.sleep(50, TimeUnit.MILLISECONDS); // time.sleep(0.05)
        return null;
      }));
    }
    double once = Measure.sequential(() -> Notebook001WayOneThreads.fibonacci(n));
    double twoCpu = Measure.threads(Mode.GIL, 2, () -> Notebook001WayOneThreads.fibonacci(n));
    double sleepRatio = Measure.median(twoSleep) / Measure.median(oneSleep);
    s.ratio("sleep(0.05): two threads / one thread, GIL", sleepRatio, null,
        s.cpython().sleepRatio(0.05, Reference.CPYTHON_SLEEP).text(sleepRatio));
    s.ratio(String.format("fib(%d): two threads / one run, GIL", n), twoCpu / once, null,
        s.cpython().fibRatio(s.cpythonFib(), 2, Reference.CPYTHON_FIB30[1]).text(twoCpu / once, s.cpythonFib()));
    s.ratio(String.format("fib(%d): two threads / two sequential runs, GIL", n), twoCpu / (2 * once), null,
        "about 1: switching costs little");
    s.say("Half true: CPU-bound threads gain nothing (and pay a little for switching), but threads that");
    s.say("wait (I/O, sleep) release the GIL and overlap, which is what threads in Python are for.");
  }

  @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+
  private static String pythonRepr(Thread t) {
    return "<Thread(" + t.getName() + ", started " + t.getId() + ")>";
  }

  private static void cellThree(Session s, long sleepMillis) throws Exception {
    s.cell("In [3]", "ThreadPoolExecutor(max_workers=3), two tasks",
        "def thread_function(): time.sleep(2); print('thread_function Executed {}'.format(threading.current_thread()))",
        "executor = ThreadPoolExecutor(max_workers=3)", "task1 = executor.submit(thread_function)",
        "task2 = executor.submit(thread_function)");
    Gil gil = Gil.create();
    Stdout out = new Stdout();
    List<ListenableFuture<?>> tasks = new ArrayList<>();
    try (GilExecutor executor = GilExecutor.create(gil, 3)) {
      for (int i = 0; i < 2; i++) {
        tasks.add(executor.submit(() -> {
          sleep(sleepMillis);
          out.print("thread_function Executed " + pythonRepr(Thread.currentThread()));
        }));
      }
    } // main() returns without shutdown(); CPython's exit handler joins the workers: close() does
    for (ListenableFuture<?> t : tasks) {
      Measure.await(t);
    }
    String text = out.contents();
    s.block(text.stripTrailing());
    s.say("GilExecutor.create(gil, 3) names its workers as concurrent.futures does, ThreadPoolExecutor-P_T,");
    s.say("P counting the pools made in this process (the notebook's fresh kernel had made none, so 0) and");
    s.say("T the workers: two tasks submitted at once start two of the three workers.");
    s.value("distinct worker threads that ran the two tasks",
        java.util.regex.Pattern.compile("ThreadPoolExecutor-\\d+_\\d+").matcher(text).results()
            .map(java.util.regex.MatchResult::group).distinct().count(),
        "%.0f", "notebook: 2 (ThreadPoolExecutor-0_0, ThreadPoolExecutor-0_1)");
  }
}
