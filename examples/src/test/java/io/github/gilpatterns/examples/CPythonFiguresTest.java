package io.github.gilpatterns.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** CPython's side of the notebooks' figures always says where each figure came from. */
class CPythonFiguresTest {
  @Test
  void aFigureMeasuredNowSaysSoAndGivesTheRatioBetweenTheTwo() {
    CPythonFigures.Figure now = new CPythonFigures.Figure(2.0, true, "3.11.7");
    assertEquals("3.11.7 now 2.00 (Java / CPython 1.10)", now.text(2.2));
    assertEquals("3.11.7 now 2.00 (Java / CPython 1.10), fib(25)", now.text(2.2, 25));
    assertEquals("3.11.7 now 84,152/s (Java / CPython 38.56)",
        new CPythonFigures.Figure(84_152, true, "3.11.7").text(3_244_815, "%,.0f/s"));
  }

  @Test
  void aReferenceFigureNamesTheReferenceRunAndItsFibArgument() {
    CPythonFigures.Figure ref = new CPythonFigures.Figure(2.2, false, "3.11.7");
    assertEquals("3.11.7 reference run 2.20", ref.text(2.0));
    assertEquals("3.11.7 reference run 2.20, fib(30)", ref.text(2.0, 25), "the reference runs used fib(30)");
  }

  @Test
  void withoutAnInterpreterEveryFigureIsTheReferenceAndTheBannerSaysWhy() throws Exception {
    try (CPythonFigures none = CPythonFigures.find("/nonexistent/python3", 3)) {
      assertFalse(none.live());
      assertTrue(none.banner().startsWith("CPython figures: " + CPythonFigures.REFERENCE
          + " (no CPython to measure here: cannot run /nonexistent/python3"), none.banner());
      assertTrue(none.banner().endsWith("; use --python PATH)."), none.banner());
      assertEquals("CPython 3.11.7 (reference run)", none.seriesName());
      CPythonFigures.Figure f = none.fibRatio(25, 2, 2.2);
      assertFalse(f.live());
      assertEquals(2.2, f.value());
      CPythonFigures.Figure[] start = none.startOnlyRatios(25, new int[] {1, 2}, new double[] {1, 2.9});
      assertEquals(2.9, start[1].value());
      assertFalse(start[1].live());
    }
  }

  @Test
  void samplesMustBeAtLeastOne() {
    assertThrows(IllegalArgumentException.class, () -> CPythonFigures.live(null, 0));
  }
}
