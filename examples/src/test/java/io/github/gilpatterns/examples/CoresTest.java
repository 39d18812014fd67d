package io.github.gilpatterns.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rule that keeps a parallel lesson from being printed beside figures that contradict it:
 * {@link Cores#shortfall} itself, the process meter, every notebook with a parallel lesson run
 * with a meter that says the cores were busy, and those whose parallel lesson depends on the
 * cores alone run with one that says they were free.
 */
@Timeout(300)
class CoresTest {
  @Test
  void aRunThatGotThreeQuartersOfTheCoresItWantedCanShowParallelism() {
    assertNull(Cores.shortfall(2.0, 2, 2));
    assertNull(Cores.shortfall(1.5, 2, 2));
    assertNull(Cores.shortfall(1.5, 8, 2), "eight threads on two cores want two");
    assertNull(Cores.shortfall(3.0, 4, 8));
    assertNull(Cores.shortfall(Double.NaN, 2, 2), "an unknown figure is given the benefit of the doubt");
  }

  @Test
  void aRunThatGotLessSaysHowMuchItGot() {
    assertEquals("only 1.10 of the 2 cores it wanted were free", Cores.shortfall(1.1, 2, 2));
    assertEquals("only 1.49 of the 2 cores it wanted were free", Cores.shortfall(1.49, 8, 2));
    assertEquals("only 2.90 of the 4 cores it wanted were free", Cores.shortfall(2.9, 4, 16));
    assertEquals("this machine has one core", Cores.shortfall(1.0, 2, 1));
    assertEquals("this machine has one core", Cores.shortfall(Double.NaN, 2, 1));
  }

  @Test
  void oneThreadIsNotAParallelRun() {
    assertThrows(IllegalArgumentException.class, () -> Cores.shortfall(1.0, 1, 2));
  }

  @Test
  void theProcessMeterCountsAtLeastTheCpuTimeOfTheThreadsThatRan() throws Exception {
    // The process also runs the JIT and the collector, so its figure is at least, not exactly,
    // what the two spinning threads used themselves.
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    long[] cpu = new long[2];
    Cores.Window busy = Cores.process().start();
    long t0 = System.nanoTime();
    Thread[] spinners = new Thread[2];
    for (int i = 0; i < 2; i++) {
      int me = i;
      spinners[i] = new Thread(() -> {
        long end = System.nanoTime() + 200_000_000L;
        long x = 0;
        while (System.nanoTime() < end) {
          x += x * 31 + 7;
        }
        cpu[me] = mx.getCurrentThreadCpuTime() + (x == 42 ? 1 : 0);
      });
      spinners[i].start();
    }
    for (Thread t : spinners) {
      t.join();
    }
    double busyCores = busy.cores();
    double threadCores = (cpu[0] + cpu[1]) / (double) (System.nanoTime() - t0);
    assertTrue(threadCores > 0.2, () -> "the spinners used " + threadCores + " cores");
    assertTrue(busyCores >= threadCores - 0.05, () -> "process " + busyCores + " < threads " + threadCores);
    assertTrue(busyCores < Runtime.getRuntime().availableProcessors() + 0.5, () -> "used " + busyCores);
  }

  private static final Pattern LESSON = Pattern.compile("(?m)^  Lesson: (.*)$");

  private static String run(String id, double cores) throws Exception {
    Notebook nb = Notebooks.find(id).orElseThrow();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      nb.run(new Session(out, Size.TEST, null, false, () -> () -> cores));
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  private static String lesson(String output) {
    Matcher m = LESSON.matcher(output);
    assertTrue(m.find(), "no lesson in:\n" + output);
    return m.group(1);
  }

  @ParameterizedTest(name = "notebook {0}")
  @ValueSource(strings = {"000", "001", "002", "003"})
  void busyCoresTurnAParallelLessonIntoNotMeasurableNow(String id) throws Exception {
    String out = run(id, 1.02);
    assertTrue(out.contains("  Not measurable now: only 1.02 of the 2 cores it wanted were free, so these figures"
        + " cannot show "), out);
    if (!id.equals("001")) { // 001's lesson is about the GIL alone
      assertTrue(lesson(out).contains("could not show"), () -> "lesson: " + lesson(out));
    }
    assertFalse(out.contains("they ran on both cores"), out);
    assertFalse(out.contains("the work runs in parallel"), out);
  }

  @ParameterizedTest(name = "notebook {0}")
  @ValueSource(strings = {"000", "002"}) // their parallel lessons depend on the cores alone
  void freeCoresPrintNoNotMeasurableLine(String id) throws Exception {
    String out = run(id, 2.0);
    assertFalse(out.contains("Not measurable now"), out);
    assertFalse(lesson(out).contains("could not show"), () -> "lesson: " + lesson(out));
  }
}
