package io.github.gilpatterns.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The rule that judges parallel figures against the machine's own plain threads
 * ({@link Capacity}), on made-up capacities and ratios either side of each threshold; how the
 * samples become a capacity; and that the real measurement gives a well-formed figure and
 * leaves no thread behind. No test here asserts a figure the machine decides.
 */
@Timeout(60)
class CapacityTest {
  private static final Capacity PARALLEL = new Capacity(1.05, 1.98);
  private static final Capacity SLOW_VCPUS = new Capacity(1.8, 1.97);
  private static final Capacity BUSY = new Capacity(1.94, 1.02);

  @Test
  void aMachineWhosePlainThreadsTakeLessThanOneAndAHalfTimesOneCanShowParallelSpeedup() {
    assertNull(PARALLEL.shortfall());
    assertNull(new Capacity(1.49, 1.9).shortfall());
    assertNull(new Capacity(1.49, 1.5).shortfall(), "1.5 cores are three quarters of two: enough");
    assertNull(new Capacity(1.2, Double.NaN).shortfall(), "unknown cores are given the benefit of the doubt");
  }

  @Test
  void aMachineWhosePlainThreadsTakeMoreIsNotMeasurableAndSaysWhy() {
    assertEquals("not measurable on this machine: two plain threads take 1.80x one here", SLOW_VCPUS.shortfall());
    assertEquals("not measurable on this machine: two plain threads take 1.50x one here",
        new Capacity(1.5, 2.0).shortfall());
    assertEquals("not measurable on this machine: two plain threads take 1.71x one here",
        new Capacity(1.71, Double.NaN).shortfall(), "unknown cores leave P to decide");
    assertEquals("not measurable now: two plain threads take 1.94x one here, getting only 1.02 of the 2 cores",
        BUSY.shortfall(), "plain threads that did not get their cores blame the load");
    assertEquals("not measurable now: two plain threads take 1.24x one here, getting only 0.84 of the 2 cores",
        new Capacity(1.24, 0.84).shortfall(), "starved plain threads say little about the machine, whatever P");
    assertEquals("not measurable on this machine: two plain threads take 1.60x one here",
        new Capacity(1.6, 1.5).shortfall(), "1.5 cores are three quarters of two: enough");
  }

  @Test
  void aParallelRunIsJudgedAgainstThePlainThreadsNotAgainstOne() {
    // Halfway between the plain ratio and the serial 2.
    assertTrue(PARALLEL.parallel(1.05));
    assertTrue(PARALLEL.parallel(1.52));
    assertFalse(PARALLEL.parallel(1.53));
    assertFalse(PARALLEL.parallel(2.0));
    Capacity shared = new Capacity(1.45, 1.99);
    assertTrue(shared.parallel(1.6), "about as slow as this machine's own plain threads");
    assertTrue(shared.parallel(1.72));
    assertFalse(shared.parallel(1.73));
  }

  @Test
  void twoThreadsUnderAGilTakeTurnsWhenNearerTwiceThanOnce() {
    assertTrue(Capacity.takesTurns(2.05));
    assertTrue(Capacity.takesTurns(1.5));
    assertFalse(Capacity.takesTurns(1.49));
    assertFalse(Capacity.takesTurns(1.0));
  }

  @Test
  void theHeaderGivesTheRatioItsScaleTheCoresAndTheVerdict() {
    assertEquals("parallel capacity: two plain threads take 1.05x one thread's time here (ideal 1.00, none 2.00),"
        + " on 1.98 cores: enough to show parallel speedup (needs below 1.50, on 1.50 of 2 cores)", PARALLEL.header());
    assertEquals("parallel capacity: two plain threads take 1.80x one thread's time here (ideal 1.00, none 2.00),"
        + " on 1.97 cores: too little to show parallel speedup (needs below 1.50, on 1.50 of 2 cores)",
        SLOW_VCPUS.header());
    assertEquals("parallel capacity: two plain threads take 1.94x one thread's time here (ideal 1.00, none 2.00),"
        + " on 1.02 cores: other processes held the cores (needs below 1.50, on 1.50 of 2 cores)", BUSY.header());
    assertEquals("parallel capacity: two plain threads take 1.20x one thread's time here (ideal 1.00, none 2.00):"
        + " enough to show parallel speedup (needs below 1.50, on 1.50 of 2 cores)",
        new Capacity(1.2, Double.NaN).header());
  }

  @Test
  void theCapacityIsTheMedianOfThePairsRatios() {
    Capacity c = Capacity.fromSamples(new long[] {100, 100, 200, 100, 100}, new long[] {100, 170, 400, 180, 160},
        new double[] {2.0, 1.9, 1.1, 1.95, 1.8});
    assertEquals(1.7, c.ratio(), 1e-12, "ratios 1.0, 1.7, 2.0, 1.8, 1.6: neither the first nor the mean");
    assertEquals(1.9, c.cores(), 1e-12);
    assertTrue(Double.isNaN(Capacity.fromSamples(new long[] {1}, new long[] {2}, new double[] {Double.NaN}).cores()));
    Capacity rounded = Capacity.fromSamples(new long[] {10_000}, new long[] {14_996}, new double[] {1.4951});
    assertEquals(1.5, rounded.ratio(), "rounded as the header prints it");
    assertEquals(1.5, rounded.cores());
    assertEquals("not measurable on this machine: two plain threads take 1.50x one here", rounded.shortfall());
    assertThrows(IllegalArgumentException.class, () -> Capacity.fromSamples(new long[0], new long[0], new double[0]));
    assertThrows(IllegalArgumentException.class,
        () -> Capacity.fromSamples(new long[] {1, 2}, new long[] {1}, new double[] {1}));
  }

  @Test
  void aRatioMustBeFiniteAndPositive() {
    assertThrows(IllegalArgumentException.class, () -> new Capacity(Double.NaN, 2));
    assertThrows(IllegalArgumentException.class, () -> new Capacity(0, 2));
    assertThrows(IllegalArgumentException.class, () -> new Capacity(Double.POSITIVE_INFINITY, 2));
  }

  @Test
  void theMeasurementGivesAWellFormedFigureAndLeavesNoThreadRunning() throws Exception {
    Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
    Capacity c = Capacity.measure(() -> () -> 1.5);
    assertTrue(Double.isFinite(c.ratio()) && c.ratio() > 0, () -> "ratio " + c.ratio());
    assertEquals(1.5, c.cores(), "the meter's figure, as given");
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      assertFalse(!before.contains(t) && t.getName().startsWith("plain-fib-") && t.isAlive(), t::getName);
    }
  }

  @Test
  void plainFibIsFib() {
    assertEquals(0, Capacity.plainFib(0));
    assertEquals(1, Capacity.plainFib(2));
    assertEquals(55, Capacity.plainFib(10));
  }
}
