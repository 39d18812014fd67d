package io.github.gilpatterns.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code compare} command at its test size: the table has every experiment with both
 * figures and their ratio, the verdicts follow the targets, the CPython column says where its
 * figures came from (a live interpreter, or the named reference run when there is none), and
 * the plots draw both. No figure is checked against a target: that is what {@code compare}
 * itself reports.
 */
@Timeout(300)
class CompareTest {
  private static final Pattern ROW = Pattern.compile(
      "(?m)^  (.{38}) (.{15}) +([\\d,.]+) +([\\d,.]+) +([\\d.]+)  (within 15%|within 2x|about 1, as CPython|-) *(met|MISSED)?$");

  @TempDir
  Path plots;

  private static String compare(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      status = Launcher.execute(o, e, Launcher.prepend(args, "compare", "--size", "test", "--no-progress"));
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, status, () -> printed + err.toString(StandardCharsets.UTF_8));
    return printed;
  }

  private static double number(String s) {
    return Double.parseDouble(s.replace(",", ""));
  }

  private static void assertTable(String out) {
    Matcher m = ROW.matcher(out);
    int rows = 0;
    int targets = 0;
    int met = 0;
    while (m.find()) {
      rows++;
      double cpython = number(m.group(3));
      double emulation = number(m.group(4));
      assertTrue(cpython > 0 && emulation > 0, m.group());
      // The printed figures are rounded: to 0.01 below 1,000, to 1 above.
      double dc = cpython >= 1000 ? 0.5 : 0.005;
      double de = emulation >= 1000 ? 0.5 : 0.005;
      double ratio = emulation / cpython;
      double tolerance = ratio * (dc / cpython + de / emulation) + 0.006;
      assertEquals(ratio, number(m.group(5)), tolerance, m.group());
      if (!m.group(6).equals("-")) {
        targets++;
        Compare.Target target = m.group(6).equals("within 15%") ? Compare.Target.WITHIN_15_PERCENT
            : m.group(6).equals("within 2x") ? Compare.Target.WITHIN_2X : Compare.Target.ABOUT_ONE;
        boolean isMet = m.group(7).equals("met");
        met += isMet ? 1 : 0;
        boolean[] corners = {target.met(cpython - dc, emulation - de), target.met(cpython - dc, emulation + de),
            target.met(cpython + dc, emulation - de), target.met(cpython + dc, emulation + de)};
        if (corners[0] == corners[1] && corners[1] == corners[2] && corners[2] == corners[3]) {
          assertEquals(corners[0], isMet, m.group()); // not so close to the edge that rounding decides
        }
      } else {
        assertEquals(null, m.group(7), m.group());
      }
    }
    assertEquals(16, rows, out);
    assertTrue(out.contains("Targets met: " + met + " of " + targets + " "), out);
    for (int k = 0; k <= 2; k++) {
      assertTrue(Pattern.compile("(?m)^    beside " + k + " CPU: round trips per s, default +[\\d,.]+ \\(drop +[\\d.]+x\\)"
          + "   I/O priority +[\\d,.]+ \\(drop +[\\d.]+x\\)$").matcher(out).find(), out);
    }
  }

  private static final Pattern SELF_ROW = Pattern.compile(
      "(?m)^    (.{36}) (.{15}) first +([\\d,.]+)  again +([\\d,.]+) +([\\d.]+)"
          + "  (within 15%|within 2x|about 1, as CPython) *(met|MISSED)$");

  /**
   * CPython against itself: one line per target, each with both of CPython's medians, their
   * ratio and its verdict, and a count that adds them up. Absent without CPython.
   */
  private static void assertAgainstItself(String out, boolean live) {
    assertEquals(live, out.contains("  CPython against itself: "), out);
    Matcher m = SELF_ROW.matcher(out);
    int rows = 0;
    int met = 0;
    while (m.find()) {
      rows++;
      double first = number(m.group(3));
      double again = number(m.group(4));
      assertTrue(first > 0 && again > 0, m.group());
      met += m.group(7).equals("met") ? 1 : 0;
    }
    assertEquals(live ? 12 : 0, rows, out);
    if (live) {
      assertTrue(out.contains("  CPython met " + met + " of 12 against itself."), out);
    }
  }

  /** The share of slow round trips beside 1 and 2 CPU-bound threads: percentages, CPython's when it ran. */
  private static void assertSlowShares(String out, boolean live) {
    for (int k = 1; k <= 2; k++) {
      Matcher m = Pattern.compile("(?m)^    beside " + k + " CPU: CPython (?: *([\\d.]+)%|not measured here)"
          + "   emulation +([\\d.]+)%$").matcher(out);
      assertTrue(m.find(), out);
      assertEquals(live, m.group(1) != null, m.group());
      for (String share : new String[] {m.group(1), m.group(2)}) {
        if (share != null) {
          double percent = Double.parseDouble(share);
          assertTrue(percent >= 0 && percent <= 100, m.group());
        }
      }
    }
  }

  @Test
  void withoutCPythonTheColumnIsTheNamedReferenceRun() {
    String out = compare("--python", "/nonexistent/python3", "--no-plots");
    assertTrue(out.contains("CPython figures: " + CPythonFigures.REFERENCE
        + " (no CPython to measure here: cannot run /nonexistent/python3"), out);
    assertTrue(out.contains("CPython column: " + Compare.REFERENCE_RUN + "."), out);
    assertTrue(out.contains("  fib on k threads, wall / one run       2 threads      "
        + "         2.42"), out);
    assertTable(out);
    assertSlowShares(out, false);
    assertAgainstItself(out, false);
  }

  @Test
  void withCPythonItsFiguresAreMeasuredAndNamedByVersion() throws Exception {
    Assumptions.assumeTrue(python3(), "no python3 on this machine");
    String out = compare("--out", plots.toString());
    Matcher version = Pattern.compile("Compare: CPython (3\\.\\d+\\.\\d+) and the emulated GIL").matcher(out);
    assertTrue(version.find(), out);
    assertFalse(out.contains("reference run"), out);
    assertTable(out);
    assertSlowShares(out, true);
    assertAgainstItself(out, true);
    for (String stem : List.of("compare-fib", "compare-start-only", "compare-convoy")) {
      String svg = Files.readString(plots.resolve(stem + ".svg"));
      assertTrue(svg.contains("CPython " + version.group(1)) && svg.contains("emulated GIL"), stem + ":\n" + svg);
      if (stem.equals("compare-convoy")) {
        assertTrue(svg.contains("I/O priority"), svg);
      }
      assertTrue(Files.size(plots.resolve(stem + ".png")) > 1000, stem + ".png");
    }
  }

  @Test
  void theTargetsJudgeRatiosBothWays() {
    assertTrue(Compare.Target.WITHIN_15_PERCENT.met(2.0, 2.29));
    assertFalse(Compare.Target.WITHIN_15_PERCENT.met(2.0, 2.31));
    assertTrue(Compare.Target.WITHIN_15_PERCENT.met(2.0, 1.71));
    assertFalse(Compare.Target.WITHIN_15_PERCENT.met(2.0, 1.69));
    assertTrue(Compare.Target.WITHIN_2X.met(100, 199));
    assertTrue(Compare.Target.WITHIN_2X.met(100, 51));
    assertFalse(Compare.Target.WITHIN_2X.met(100, 201));
    assertFalse(Compare.Target.WITHIN_2X.met(100, 49));
    assertTrue(Compare.Target.ABOUT_ONE.met(1.05, 1.2));
    assertFalse(Compare.Target.ABOUT_ONE.met(1.05, 1.3));
    assertFalse(Compare.Target.ABOUT_ONE.met(1.5, 1.0));
    assertTrue(Compare.Target.NONE.met(1, 1000));
  }

  @Test
  void repeatsBelowOneAreRefused() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status;
    try (PrintStream o = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      status = Launcher.execute(o, e, "compare", "--repeats", "0", "--no-plots");
    }
    assertEquals(2, status);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--repeats must be at least 1"), err::toString);
  }

  private static boolean python3() throws InterruptedException {
    try {
      Process p = new ProcessBuilder("python3", "-c", "pass").start();
      return p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
