package io.github.gilpatterns.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * What each notebook's parallel lesson says, decided from figures made up for the test, no
 * run needed: one set that shows the lesson, others that do not (the emulation slower than
 * the machine's plain threads, a machine that cannot show parallel speedup, busy cores).
 */
class LessonsTest {
  /** A machine whose plain threads run in parallel. */
  private static final Capacity PARALLEL = new Capacity(1.05, 1.98);
  /** A shared machine whose plain threads barely can: the emulation is judged against them. */
  private static final Capacity SHARED = new Capacity(1.45, 1.99);
  private static final String SLOW = "not measurable on this machine: two plain threads take 1.80x one here";
  private static final String BUSY = "not measurable now: only 1.02 of the 2 cores it wanted were free";

  // ------------------------------------------------------------------ 000

  @Test
  void notebook000ShowsParallelThreadsWhenBothModesAreNearerThePlainThreadsThanTwice() {
    String shown = Notebook000ThreadsCanHurt.lesson(null, PARALLEL, 1.10, 1.15);
    assertTrue(shown.endsWith(" free-threaded or per-interpreter threads run in parallel as far as this machine"
        + " allows: two of them took 1.10x and 1.15x one fib, two plain threads 1.05x."), shown);
    assertTrue(shown.startsWith("Threads did hurt, but not as the notebook measured"), shown);
    assertTrue(Notebook000ThreadsCanHurt.lesson(null, SHARED, 1.6, 1.7).contains("as far as this machine allows"),
        "as slow as this machine's plain threads is as parallel as it gets");
  }

  @Test
  void notebook000SaysSoWhenARunWasNotParallel() {
    for (double[] r : new double[][] {{1.9, 1.1}, {1.1, 1.9}, {1.53, 1.53}}) {
      String lesson = Notebook000ThreadsCanHurt.lesson(null, PARALLEL, r[0], r[1]);
      assertTrue(lesson.endsWith(String.format(java.util.Locale.ROOT, " which this run did not show: two of them"
          + " took %.2fx and %.2fx one fib, where two plain threads take 1.05x here.", r[0], r[1])), lesson);
      assertFalse(lesson.contains("as far as"), lesson);
    }
  }

  @Test
  void notebook000SaysWhyWhenNotMeasurable() {
    for (String why : new String[] {SLOW, BUSY}) {
      String lesson = Notebook000ThreadsCanHurt.lesson(why, PARALLEL, 1.0, 1.0);
      assertTrue(lesson.endsWith(" can use every core, which this run could not show (" + why + ")."), lesson);
    }
  }

  // ------------------------------------------------------------------ 001

  @Test
  void notebook001TwoThreadsAreJudgedAgainstThePlainThreads() {
    assertEquals("Free-threaded and per interpreter (the multiprocessing advice) they ran in parallel as far as this"
        + " machine allows: 1.08x and 1.12x one run, two plain threads 1.05x.",
        Notebook001WayOneThreads.twoThreads(PARALLEL, 1.08, 1.12));
    assertTrue(Notebook001WayOneThreads.twoThreads(SHARED, 1.7, 1.65).contains("as far as this machine allows"));
    assertEquals("Free-threaded and per interpreter they took 1.60x and 1.12x one run, where two plain threads take"
        + " 1.05x here: this run does not show them in parallel.",
        Notebook001WayOneThreads.twoThreads(PARALLEL, 1.6, 1.12));
    assertTrue(Notebook001WayOneThreads.twoThreads(SHARED, 1.75, 1.6).contains("does not show"));
  }

  @Test
  void notebook001AmdahlComparesTheSpeedupOnTwoThreadsWithThePlainThreads() {
    String shown = Notebook001WayOneThreads.amdahlVerdict(PARALLEL, 1.9, 1.85);
    assertEquals("On 2 threads free-threaded and per interpreter sped the work up 1.90x and 1.85x, where two plain"
        + " threads give 1.90x here: the work runs in parallel as far as this machine allows.", shown);
    assertTrue(Notebook001WayOneThreads.amdahlVerdict(SHARED, 1.3, 1.25).endsWith("as far as this machine allows."),
        "two plain threads give only 1.38x here");
    assertTrue(Notebook001WayOneThreads.amdahlVerdict(PARALLEL, 1.9, 1.2)
        .endsWith("this run shows only part of the parallel speedup."));
    assertTrue(Notebook001WayOneThreads.amdahlVerdict(SHARED, 1.1, 1.3)
        .endsWith("this run shows only part of the parallel speedup."));
  }

  @Test
  void notebook001FitsPOneToIdealThreadsAndLessWhereTheCoresCapTheSpeedup() {
    int[] ks = {1, 2, 4, 8};
    assertEquals(1.0, Notebook001WayOneThreads.fitParallelFraction(ks, new double[] {1, 2, 4, 8}), 1e-9);
    assertEquals(0.0, Notebook001WayOneThreads.fitParallelFraction(ks, new double[] {1, 1, 1, 1}), 1e-9);
    assertEquals(0.67, Notebook001WayOneThreads.fitParallelFraction(ks, new double[] {1, 2, 2, 2}), 0.005,
        "two idle cores cap the speedup at 2");
  }

  @Test
  void notebook001LessonSaysTheGilTookTurnsOnlyWhenItsRatioIsNearerTwiceThanOnce() {
    String turns = Notebook001WayOneThreads.lesson(2.05, "CPython 3.11.7 2.42x");
    assertTrue(turns.startsWith("Two CPU-bound threads under the GIL took 2.05x one run (the notebook's 2.05x,"
        + " CPython 3.11.7 2.42x): a GIL gives concurrency, not parallelism"), turns);
    String blurred = Notebook001WayOneThreads.lesson(1.3, "CPython 3.11.7 2.42x");
    assertTrue(blurred.startsWith("Two CPU-bound threads under the GIL took only 1.30x one run, where taking turns"
        + " gives about 2x"), blurred);
    assertTrue(blurred.contains("this run's load blurred it"), blurred);
  }

  // ------------------------------------------------------------------ 002

  @Test
  void notebook002ShowsInterpretersInParallelOnlyAgainstThePlainThreads() {
    String shown = Notebook002ThreadsOnOneCore.lesson(null, PARALLEL, 1.08, 1.1);
    assertTrue(shown.endsWith(" are what run Python code in parallel: here two of them took 1.08x and 1.10x one fib,"
        + " as far as this machine allows (two plain threads 1.05x)."), shown);
    assertTrue(Notebook002ThreadsOnOneCore.lesson(null, SHARED, 1.5, 1.55).contains("as far as this machine allows"));
    String not = Notebook002ThreadsOnOneCore.lesson(null, PARALLEL, 1.08, 1.7);
    assertTrue(not.endsWith(" in parallel, which this run did not show: two of them took 1.08x and 1.70x one fib,"
        + " where two plain threads take 1.05x here."), not);
    for (String why : new String[] {SLOW, BUSY}) {
      String lesson = Notebook002ThreadsOnOneCore.lesson(why, PARALLEL, 1.0, 1.0);
      assertTrue(lesson.endsWith(" in parallel, which this run could not show (" + why + ")."), lesson);
    }
  }

  // ------------------------------------------------------------------ 003

  @Test
  void notebook003ShowsReadsOverlappingOnlyAgainstThePlainThreads() {
    String shown = Notebook003OvercomingThreads.lesson(null, PARALLEL, 1.3);
    assertTrue(shown.endsWith(", while reads that release the GIL throughout overlap as far as this machine allows:"
        + " two took 1.30x one read, two plain threads 1.05x one fib."), shown);
    assertTrue(Notebook003OvercomingThreads.lesson(null, SHARED, 1.7).contains("as far as this machine allows"));
    String not = Notebook003OvercomingThreads.lesson(null, PARALLEL, 1.6);
    assertTrue(not.contains("; reads that release the GIL throughout can overlap, which this run did not show: two"
        + " took 1.60x one read, where two plain threads take 1.05x one fib here"), not);
    for (String why : new String[] {SLOW, BUSY}) {
      String lesson = Notebook003OvercomingThreads.lesson(why, PARALLEL, 1.0);
      assertTrue(lesson.endsWith(" can overlap, which this run could not show (" + why + ")."), lesson);
    }
  }
}
