package io.github.gilpatterns.examples;

import io.github.gilpatterns.gil.Gil;
import io.github.gilpatterns.join.Threads;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One lesson past the notebooks: Java's own answer to their I/O-bound case, virtual threads
 * (JDK 21, JEP 444). A virtual thread that blocks unmounts from its carrier, so thousands of
 * blocking tasks overlap without sizing a pool. And what a single carrier does to CPU-bound
 * virtual threads: nothing preempts them, so there is no switch interval at all, and the
 * second thread starts only when the first ends. On JDK 17 it says that it needs JDK 21.
 */
final class Lesson005VirtualThreads implements Notebook {
  /** The scheduler property that sets the number of carriers (JDK 21 and later). */
  static final String PARALLELISM = "jdk.virtualThreadScheduler.parallelism";

  @Override
  public String id() {
    return "005";
  }

  @Override
  public String title() {
    return "Beyond the notebooks: virtual threads";
  }

  @Override
  public String source() {
    return "Java's answer to the notebooks' I/O-bound case, JEP 444 (JDK 21)";
  }

  @Override
  public String kind() {
    return "Lesson";
  }

  /** Whether this JVM has virtual threads. */
  static boolean available() {
    return Runtime.version().feature() >= 21;
  }

  @Override
  public void run(Session s) throws Exception {
    s.notebook(id(), title(), source(), kind());
    Size size = s.size();
    if (!available()) {
      s.say("Virtual threads need JDK 21 or later; this is Java %s. Run this jar with a JDK 21 or later",
          System.getProperty("java.version"));
      s.say("java to see this lesson.");
      s.lesson("Virtual threads could not run here (Java " + System.getProperty("java.version")
          + "): on JDK 21 or later, thousands of blocking tasks overlap on a few carriers, while CPU-bound"
          + " virtual threads on one carrier run one after the other, with no switch interval at all.");
      return;
    }

    s.section("The notebooks' I/O-bound case: tasks that block");
    int tasks = size.pick(1_000, 10_000, 100_000);
    int pool = size.pick(100, 200, 200);
    long sleepMillis = size.pick(10, 20, 20);
    s.say("%,d tasks each block for %d ms (Thread.sleep, as a read from a socket would), run by a fixed pool", tasks,
        sleepMillis);
    s.say("of %d platform threads and by one virtual thread per task:", pool);
    double platform = blockingTasks(Executors.newFixedThreadPool(pool), tasks, sleepMillis);
    double virtual = blockingTasks(newVirtualThreadPerTaskExecutor(), tasks, sleepMillis);
    s.time(String.format(Locale.ROOT, "%,d blocking tasks, %d platform threads", tasks, pool), platform,
        String.format(Locale.ROOT, "at least %s: %,d rounds of %d ms", Session.human(sleepMillis / 1e3 * tasks / pool),
            tasks / pool, sleepMillis));
    s.time(String.format(Locale.ROOT, "%,d blocking tasks, a virtual thread each", tasks), virtual,
        String.format(Locale.ROOT, "at least %d ms", sleepMillis));
    s.value("platform pool's time / virtual threads' time", platform / virtual, "%.1f", null);
    s.say("A virtual thread that blocks unmounts from its carrier, which runs another meanwhile: the");
    s.say("blocking overlaps without a pool to size, as CPython threads overlap I/O once they drop the GIL.");

    s.section("CPU-bound virtual threads on one carrier: no switch interval at all");
    long iterations = size.pick(100_000_000L, 200_000_000L, 1_000_000_000L);
    s.say("Two threads each run the same CPU-bound loop (%,d steps) and note who ran each step; a switch", iterations);
    s.say("is a step whose runner differs from the step before. Under a GIL the holder is asked to drop it");
    s.say("every switch interval. A virtual thread is never preempted: it leaves its carrier only when it");
    s.say("blocks. On one carrier (a child JVM with -D%s=1)", PARALLELISM);
    s.say("the second waits for the first to end.");
    Race gil = gilRace(iterations);
    Race oneCarrier = oneCarrierRace(iterations);
    s.value("switches between the two, emulated GIL (5 ms interval)", gil.switches, "%.0f",
        String.format(Locale.ROOT, "over %s", Session.human(gil.seconds)));
    s.value("switches between the two, virtual threads on one carrier", oneCarrier.switches, "%.0f",
        String.format(Locale.ROOT, "over %s", Session.human(oneCarrier.seconds)));
    s.value("second started after the first ended, one carrier (1 = yes)", oneCarrier.sequential ? 1 : 0, "%.0f",
        null);
    s.value("second started after the first ended, emulated GIL (1 = yes)", gil.sequential ? 1 : 0, "%.0f", null);
    s.say("So a CPU-bound virtual thread holds its carrier as a thread without checkpoints would hold a GIL.");
    s.say("With as many carriers as cores (the default) CPU-bound virtual threads run in parallel, as free");
    s.say("threads do; what they lack is the switch interval, so a long computation can starve the others.");

    s.lesson("Virtual threads are Java's answer to the notebooks' I/O-bound threads: " + String.format(Locale.ROOT,
        "%,d blocking tasks took %s on virtual threads against %s on a pool of %d", tasks, Session.human(virtual),
        Session.human(platform), pool) + "; but nothing preempts them, so on one carrier two CPU-bound virtual"
        + " threads switched " + oneCarrier.switches + " time" + (oneCarrier.switches == 1 ? "" : "s")
        + " where a GIL switched " + gil.switches + " times.");
  }

  /** Runs {@code tasks} tasks that each sleep {@code millis} on {@code executor}; seconds. */
  static double blockingTasks(ExecutorService executor, int tasks, long millis) throws Exception {
    AtomicInteger done = new AtomicInteger();
    long t0 = System.nanoTime();
    try {
      for (int i = 0; i < tasks; i++) {
        executor.execute(() -> {
          try {
            Thread.sleep(millis);
            done.incrementAndGet();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
      }
    } finally {
      executor.shutdown();
    }
    if (!executor.awaitTermination(10, TimeUnit.MINUTES)) {
      executor.shutdownNow();
      throw new IllegalStateException("blocking tasks did not finish within 10 minutes");
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (done.get() != tasks) {
      throw new IllegalStateException(done.get() + " of " + tasks + " blocking tasks completed");
    }
    return seconds;
  }

  /** {@code Executors.newVirtualThreadPerTaskExecutor()}, called reflectively (JDK 21+). */
  static ExecutorService newVirtualThreadPerTaskExecutor() throws ReflectiveOperationException {
    return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
  }

  /** {@code Thread.startVirtualThread(task)}, called reflectively (JDK 21+). */
  static Thread startVirtualThread(Runnable task) throws ReflectiveOperationException {
    Method start = Thread.class.getMethod("startVirtualThread", Runnable.class);
    try {
      return (Thread) start.invoke(null, task);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /** What a race of two CPU-bound threads showed. */
  record Race(int switches, boolean sequential, double seconds) {
    /** The race as one line of a child JVM's output. */
    String line() {
      return "race switches=" + switches + " sequential=" + sequential + " seconds=" + seconds;
    }

    static Race parse(String output) {
      for (String line : output.split("\n")) {
        if (line.startsWith("race ")) {
          String[] f = line.trim().split(" ");
          return new Race(Integer.parseInt(f[1].substring("switches=".length())),
              Boolean.parseBoolean(f[2].substring("sequential=".length())),
              Double.parseDouble(f[3].substring("seconds=".length())));
        }
      }
      throw new IllegalStateException("the child JVM printed no race: " + output);
    }
  }

  /** The shared record of a race: who ran last, the switches, each runner's first and last step. */
  static final class Tally {
    final AtomicInteger last = new AtomicInteger(-1);
    final AtomicInteger switches = new AtomicInteger();
    final AtomicLong[] first = {new AtomicLong(Long.MAX_VALUE), new AtomicLong(Long.MAX_VALUE)};
    final AtomicLong[] end = {new AtomicLong(), new AtomicLong()};

    /** Runs {@code iterations} steps as runner {@code me}, noting every 4,096th. */
    long loop(int me, long iterations, Runnable checkpoint) {
      long x = 0;
      for (long i = 0; i < iterations; i++) {
        x += i * 31 ^ x >>> 7;
        if ((i & 4095) == 0) {
          long now = System.nanoTime();
          first[me].compareAndSet(Long.MAX_VALUE, now);
          end[me].set(now);
          int previous = last.getAndSet(me);
          if (previous != me && previous != -1) {
            switches.incrementAndGet();
          }
          checkpoint.run();
        }
      }
      end[me].set(System.nanoTime());
      return x;
    }

    Race race(long t0) {
      boolean sequential = first[1].get() >= end[0].get() || first[0].get() >= end[1].get();
      long stop = Math.max(end[0].get(), end[1].get());
      return new Race(switches.get(), sequential, (stop - t0) / 1e9);
    }
  }

  /** Two platform threads under one emulated GIL, each holding it through the loop. */
  static Race gilRace(long iterations) throws Exception {
    Gil gil = Gil.create();
    Tally tally = new Tally();
    List<Thread> threads = new ArrayList<>();
    CountDownLatch ready = new CountDownLatch(2); // both contend for the GIL from the start
    long t0 = System.nanoTime();
    for (int i = 0; i < 2; i++) {
      int me = i;
      threads.add(Threads.start("cpu-" + i, () -> {
        try {
          ready.countDown();
          ready.await();
          gil.holding(() -> {
            tally.loop(me, iterations, Gil::checkpoint);
          });
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }));
    }
    Threads.joinAll(threads);
    return tally.race(t0);
  }

  /** Two virtual threads in a child JVM whose scheduler has one carrier. */
  static Race oneCarrierRace(long iterations) throws IOException, InterruptedException {
    String classPath;
    try {
      classPath = Path.of(OneCarrier.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(java.toString(), "-D" + PARALLELISM + "=1",
        "-Djdk.virtualThreadScheduler.maxPoolSize=1", "-cp", classPath, OneCarrier.class.getName(),
        Long.toString(iterations)).redirectErrorStream(true).start();
    byte[] bytes = p.getInputStream().readAllBytes();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IOException("the child JVM did not exit");
    }
    String out = new String(bytes, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException("the child JVM exited with " + p.exitValue() + ": " + out);
    }
    return Race.parse(out);
  }

  /** The one-carrier race, run in a child JVM started with one carrier. */
  public static final class OneCarrier {
    private OneCarrier() {}

    /**
     * Races two CPU-bound virtual threads and prints the race.
     *
     * @param args the steps each thread runs
     * @throws Exception if the virtual threads cannot run
     */
    public static void main(String[] args) throws Exception {
      long iterations = Long.parseLong(args[0]);
      Tally tally = new Tally();
      long t0 = System.nanoTime();
      Thread[] threads = new Thread[2];
      for (int i = 0; i < 2; i++) {
        int me = i;
        threads[i] = startVirtualThread(() -> tally.loop(me, iterations, () -> { }));
      }
      for (Thread t : threads) {
        t.join();
      }
      System.out.println(tally.race(t0).line());
    }
  }
}
