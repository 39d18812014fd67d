package io.github.gilpatterns.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rule that keeps a parallel lesson from being printed beside figures that contradict it:
 * {@link Cores#shortfall} itself, on made-up cores and capacities; the process meter; and
 * every notebook with a parallel lesson run with a meter and a capacity that say the cores were
 * busy, that the machine's plain threads take 1.8 times one, or that both were fine.
 */
@Timeout(300)
class CoresTest {
  private static final Capacity PARALLEL = new Capacity(1.05, 1.98);
  private static final Capacity SLOW_VCPUS = new Capacity(1.8, 1.97);

  @Test
  void aRunThatGotThreeQuartersOfTheCoresItWantedCanShowParallelism() {
    assertNull(Cores.shortfall(2.0, 2, 2, PARALLEL));
    assertNull(Cores.shortfall(1.5, 2, 2, PARALLEL));
    assertNull(Cores.shortfall(1.5, 8, 2, PARALLEL), "eight threads on two cores want two");
    assertNull(Cores.shortfall(3.0, 4, 8, PARALLEL));
    assertNull(Cores.shortfall(Double.NaN, 2, 2, PARALLEL), "an unknown figure is given the benefit of the doubt");
  }

  @Test
  void aRunThatGotLessSaysHowMuchItGot() {
    assertEquals("not measurable now: only 1.10 of the 2 cores it wanted were free", Cores.shortfall(1.1, 2, 2, PARALLEL));
    assertEquals("not measurable now: only 1.49 of the 2 cores it wanted were free",
        Cores.shortfall(1.49, 8, 2, PARALLEL));
    assertEquals("not measurable now: only 2.90 of the 4 cores it wanted were free",
        Cores.shortfall(2.9, 4, 16, PARALLEL));
    assertEquals("not measurable on this machine: it has one core", Cores.shortfall(1.0, 2, 1, PARALLEL));
    assertEquals("not measurable on this machine: it has one core", Cores.shortfall(Double.NaN, 2, 1, PARALLEL));
  }

  @Test
  void aMachineWhosePlainThreadsTakeNearlyTwiceOneIsNotMeasurableEvenWithEveryCore() {
    assertEquals("not measurable on this machine: two plain threads take 1.80x one here",
        Cores.shortfall(2.0, 2, 2, SLOW_VCPUS));
    assertEquals("not measurable on this machine: two plain threads take 1.80x one here",
        Cores.shortfall(1.0, 2, 2, SLOW_VCPUS), "the machine's shortfall comes before the run's");
    assertEquals("not measurable on this machine: it has one core", Cores.shortfall(1.0, 2, 1, SLOW_VCPUS));
  }

  @Test
  void oneThreadIsNotAParallelRun() {
    assertThrows(IllegalArgumentException.class, () -> Cores.shortfall(1.0, 1, 2, PARALLEL));
  }

  @Test
  void theProcessMeterCountsAtLeastTheCpuTimeOfTheThreadsThatRan() throws Exception {
    // Each spinner runs until its own thread has used 100 ms of CPU, however long that takes on a
    // busy machine; the process's CPU time over the window then includes those 200 ms (and the
    // JIT's and the collector's), whatever the machine. No figure here is the machine's to decide.
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    org.junit.jupiter.api.Assumptions.assumeTrue(mx.isCurrentThreadCpuTimeSupported(), "no thread CPU time here");
    long[] cpu = new long[2];
    long before = System.nanoTime();
    Cores.Window busy = Cores.process().start();
    Thread[] spinners = new Thread[2];
    for (int i = 0; i < 2; i++) {
      int me = i;
      spinners[i] = new Thread(() -> {
        long c0 = mx.getCurrentThreadCpuTime();
        long deadline = System.nanoTime() + 30_000_000_000L;
        long x = 0;
        while (mx.getCurrentThreadCpuTime() - c0 < 100_000_000L && System.nanoTime() - deadline < 0) {
          for (int j = 0; j < 10_000; j++) {
            x += x * 31 + 7;
          }
        }
        cpu[me] = mx.getCurrentThreadCpuTime() - c0 + (x == 42 ? 1 : 0);
      }, "spinner-" + i);
      spinners[i].start();
    }
    for (Thread t : spinners) {
      t.join(60_000);
      assertFalse(t.isAlive(), t.getName() + " still running after a minute");
    }
    double busyCores = busy.cores();
    double wall = System.nanoTime() - before; // at least the window's wall time
    org.junit.jupiter.api.Assumptions.assumeFalse(Double.isNaN(busyCores), "this JVM has no process CPU time");
    assertTrue(cpu[0] >= 100_000_000L && cpu[1] >= 100_000_000L, () -> "spinners' CPU " + cpu[0] + ", " + cpu[1]);
    double processCpu = busyCores * wall; // at least the process's CPU time in the window
    // 20 ms of slack: a JVM may read the process's CPU time in clock ticks.
    assertTrue(processCpu >= cpu[0] + cpu[1] - 20_000_000L,
        () -> "process CPU " + processCpu / 1e6 + " ms < the spinners' " + (cpu[0] + cpu[1]) / 1e6 + " ms");
  }

  private static final Pattern LESSON = Pattern.compile("(?m)^  Lesson: (.*)$");

  /** Runs a notebook with a meter that reports {@code cores} for every run, and {@code capacity}. */
  private static String run(String id, double cores, Capacity capacity) throws Exception {
    return NotebooksTest.run(id, out -> new Session(out, Size.TEST, null, false, () -> () -> cores, () -> capacity));
  }

  private static String lesson(String output) {
    Matcher m = LESSON.matcher(output);
    assertTrue(m.find(), "no lesson in:\n" + output);
    return m.group(1);
  }

  @ParameterizedTest(name = "notebook {0}")
  @ValueSource(strings = {"000", "001", "002", "003"})
  void busyCoresTurnAParallelLessonIntoNotMeasurableNow(String id) throws Exception {
    String out = run(id, 1.02, PARALLEL);
    assertTrue(out.contains("  Not measurable now: only 1.02 of the 2 cores it wanted were free, so these figures"
        + " cannot show "), out);
    assertNoParallelClaim(id, out, "(not measurable now: only 1.02 of the 2 cores it wanted were free)");
  }

  @ParameterizedTest(name = "notebook {0}")
  @ValueSource(strings = {"000", "001", "002", "003"})
  void aMachineWhosePlainThreadsTakeNearlyTwiceOneTurnsAParallelLessonIntoNotMeasurableOnThisMachine(String id)
      throws Exception {
    String out = run(id, 2.0, SLOW_VCPUS);
    assertTrue(out.contains("\n" + SLOW_VCPUS.header() + "\n"), out);
    assertTrue(out.contains("  Not measurable on this machine: two plain threads take 1.80x one here, so these"
        + " figures cannot show "), out);
    assertFalse(out.contains("Not measurable now"), out);
    assertNoParallelClaim(id, out, "(not measurable on this machine: two plain threads take 1.80x one here)");
  }

  /**
   * No line claims parallelism or its absence, and the lesson (but 001's, about the GIL alone)
   * says why it could not show it.
   */
  private static void assertNoParallelClaim(String id, String out, String why) {
    if (!id.equals("001")) {
      assertTrue(lesson(out).contains("which this run could not show " + why), () -> "lesson: " + lesson(out));
    }
    assertFalse(out.contains("as far as this machine allows"), out);
    assertFalse(out.contains("did not show"), out);
    assertFalse(out.contains("does not show"), out);
    assertFalse(out.contains("only part of the parallel speedup"), out);
    NotebooksTest.assertVerdicts(id, out);
  }

  @ParameterizedTest(name = "notebook {0}")
  @ValueSource(strings = {"000", "001", "002", "003"})
  void freeCoresOnAParallelMachinePrintNoNotMeasurableLine(String id) throws Exception {
    String out = run(id, 2.0, PARALLEL);
    assertTrue(out.contains("\n" + PARALLEL.header() + "\n"), out);
    assertFalse(out.contains("Not measurable"), out);
    assertFalse(lesson(out).contains("could not show"), () -> "lesson: " + lesson(out));
    NotebooksTest.assertVerdicts(id, out); // each verdict printed, quoting the run's figures, as the rule says
  }
}
