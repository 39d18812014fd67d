package io.github.gilpatterns.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that leaves threads running, and stops them so they cannot starve the tests after
 * it. Registered for every test of core and patterns (JUnit's extension auto-detection, switched
 * on in this jar's {@code junit-platform.properties}).
 *
 * <p>The threads a test started are the platform threads alive after it that were not alive
 * before it (the JDK's own pools and services aside), and every thread {@link ThreadMode} made
 * during it, which covers the virtual threads the JDK does not list. After a test that passed,
 * each is given {@link #GRACE} to end by itself (a pool's worker ends just after
 * {@code awaitTermination} returns). Any thread still alive then, or at once after a test that
 * failed, is interrupted and joined for {@link #STOP}:
 * <ul>
 *   <li>after a test that passed, the test fails, naming each thread with its state and stack;
 *   <li>after a test that failed, the threads that stopped are printed to standard error, and
 *       the test's failure gains this check's, naming any thread that would not stop.
 * </ul>
 * A thread that ignores interrupts and spins without a bound would keep a carrier of the
 * virtual-thread scheduler forever; {@link Await} keeps the suites' own loops bounded.
 */
public final class ThreadLeakCheck implements BeforeEachCallback, AfterEachCallback {

  /** How long the threads of a test that passed may take to end by themselves. */
  static final Duration GRACE = Duration.ofSeconds(10);

  /** How long interrupted threads may take to stop. */
  static final Duration STOP = Duration.ofSeconds(10);

  /**
   * The configuration parameters that shorten {@link #GRACE} and {@link #STOP}, in
   * milliseconds; this check's own tests set them.
   */
  static final String GRACE_PARAMETER = "gilpatterns.threadLeakCheck.graceMillis";

  static final String STOP_PARAMETER = "gilpatterns.threadLeakCheck.stopMillis";

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(ThreadLeakCheck.class);

  @Override
  public void beforeEach(ExtensionContext context) {
    ThreadMode.takeMade(); // made before this test (a class's shared fixture): not its threads
    context.getStore(NAMESPACE).put("before", new HashSet<>(Thread.getAllStackTraces().keySet()));
  }

  @Override
  public void afterEach(ExtensionContext context) throws InterruptedException {
    @SuppressWarnings("unchecked")
    Set<Thread> before = (Set<Thread>) context.getStore(NAMESPACE).remove("before", Set.class);
    List<Thread> started = started(before == null ? Set.of() : before);
    boolean failed = context.getExecutionException().isPresent();
    Duration stop = duration(context, STOP_PARAMETER, STOP);
    if (!failed) {
      joinAll(started, duration(context, GRACE_PARAMETER, GRACE));
    }
    Map<Thread, String> left = new LinkedHashMap<>();
    for (Thread t : started) {
      if (t.isAlive()) {
        left.put(t, describe(t));
      }
    }
    if (left.isEmpty()) {
      return;
    }
    for (Thread t : left.keySet()) {
      t.interrupt();
    }
    joinAll(left.keySet(), stop);
    List<String> stuck = new ArrayList<>();
    List<String> stopped = new ArrayList<>();
    for (Map.Entry<Thread, String> e : left.entrySet()) {
      (e.getKey().isAlive() ? stuck : stopped).add(e.getValue());
    }
    String test = context.getDisplayName();
    StringBuilder report = new StringBuilder();
    if (!stopped.isEmpty()) {
      report.append(test).append(" left ").append(stopped.size())
          .append(" thread(s) running; an interrupt stopped them:");
      stopped.forEach(s -> report.append("\n").append(s));
    }
    if (!stuck.isEmpty()) {
      report.append(report.length() == 0 ? "" : "\n").append(test).append(" left ").append(stuck.size())
          .append(" thread(s) running that an interrupt did not stop within ")
          .append(stop.toMillis()).append(" ms:");
      stuck.forEach(s -> report.append("\n").append(s));
    }
    if (failed && stuck.isEmpty()) {
      System.err.println(report);
      return;
    }
    throw new AssertionError(report.toString());
  }

  private static Duration duration(ExtensionContext context, String parameter, Duration otherwise) {
    return context.getConfigurationParameter(parameter).map(ms -> Duration.ofMillis(Long.parseLong(ms)))
        .orElse(otherwise);
  }

  /** The threads the test started: new platform threads, and every thread ThreadMode made. */
  private static List<Thread> started(Set<Thread> before) {
    Set<Thread> found = new HashSet<>(ThreadMode.takeMade());
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (!before.contains(t) && !jdk(t)) {
        found.add(t);
      }
    }
    List<Thread> started = new ArrayList<>();
    for (Thread t : found) {
      if (t.isAlive() && t != Thread.currentThread()) {
        started.add(t);
      }
    }
    return started;
  }

  /**
   * Whether {@code t} belongs to the JDK or the test engine rather than to the test: the
   * virtual-thread scheduler's carriers, the common pool and JUnit's timeout watcher (all live
   * on once started), and the JDK's service threads.
   */
  private static boolean jdk(Thread t) {
    ThreadGroup group = t.getThreadGroup();
    String groupName = group == null ? "" : group.getName();
    if (groupName.equals("system") || groupName.equals("InnocuousThreadGroup")
        || groupName.equals("CarrierThreads")) {
      return true;
    }
    String name = t.getName();
    return name.startsWith("ForkJoinPool.commonPool-worker-")
        || name.equals("process reaper") || name.startsWith("Common-Cleaner")
        || name.equals("Attach Listener") || name.startsWith("JFR ") || name.startsWith("Java2D")
        || name.startsWith("surefire-forkedjvm-") || name.equals("junit-jupiter-timeout-watcher");
  }

  private static void joinAll(Iterable<Thread> threads, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    for (Thread t : threads) {
      long left = deadline - System.nanoTime();
      if (left > 0) {
        TimeUnit.NANOSECONDS.timedJoin(t, left);
      }
    }
  }

  private static String describe(Thread t) {
    StringBuilder s = new StringBuilder("  \"").append(t.getName()).append("\" ")
        .append(t.getState()).append(t.isDaemon() ? ", daemon" : "");
    for (StackTraceElement frame : t.getStackTrace()) {
      s.append("\n      at ").append(frame);
    }
    return s.toString();
  }
}
