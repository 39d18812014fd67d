package io.github.gilpatterns.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The command line: list, run, errors, options; and the pattern examples' naming. */
@Timeout(120)
class LauncherTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int launch(String... args) {
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
         PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      return Launcher.execute(o, e, args);
    }
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void listNamesEveryNotebookAndThePatternGroup() {
    assertEquals(0, launch("list"));
    for (String id : new String[] {"000", "001", "002", "003", "004"}) {
      assertTrue(out().contains("  " + id + "  "), out());
    }
    assertTrue(out().contains("Pattern examples (run NAME, or run patterns):"), out());
  }

  @Test
  void runsOneNotebookByNumberAndNamesThePlotFolderAtTheEnd(@TempDir Path dir) throws Exception {
    Path plots = dir.resolve("plots");
    assertEquals(0, launch("run", "4", "--size", "test", "--out", plots.toString(), "--no-progress"));
    String text = out();
    assertTrue(text.contains("Notebook 004: GIL and the threading module"), text);
    assertTrue(text.contains("Summary (size test"), text);
    assertTrue(text.trim().endsWith("Plots: 0 files in " + plots.toAbsolutePath().normalize()), text);
  }

  @Test
  void fullIsTheNotebooksSizes() {
    Launcher.RunOptions o = new Launcher.RunOptions();
    assertEquals(Size.FAST, o.size());
    o.full = true;
    assertEquals(Size.FULL, o.size());
    assertEquals(42 + 1, Size.FULL.fib(34), "fib(34) in CPython's time is fib(43) in Java");
  }

  @Test
  void unknownNameIsAUsageError() {
    assertNotEquals(0, launch("run", "999"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("No notebook or pattern example called '999'"));
  }

  @Test
  void noArgumentsPrintsUsage() {
    assertEquals(0, launch());
    assertTrue(out().contains("Usage: gilpatterns-examples"), out());
    assertTrue(out().contains("list") && out().contains("run") && out().contains("all"), out());
  }

  @Test
  void findsNotebooksByNumberTitleOrClassName() {
    assertEquals("001", Notebooks.find("1").orElseThrow().id());
    assertEquals("001", Notebooks.find("001").orElseThrow().id());
    assertEquals("003", Notebooks.find("003-overcoming").orElseThrow().id());
    assertEquals("001", Notebooks.find("Way-One").orElseThrow().id());
    assertTrue(Notebooks.find("way-two").isEmpty());
    assertEquals("004", Notebooks.find("Notebook004ThreadingModule").orElseThrow().id());
    assertTrue(Notebooks.find("7").isEmpty());
  }

  @Test
  void patternExamplesAreNamedInKebabCase() {
    assertEquals("counter-manager", PatternExamples.kebab("CounterManagerExample"));
    assertEquals("print-manager", PatternExamples.kebab("PrintManagerDemo"));
    assertEquals("bank", PatternExamples.kebab("Bank"));
    assertEquals("worker-pool", PatternExamples.kebab("WorkerPoolMain"));
    assertEquals("gil-io-pipeline", PatternExamples.kebab("GILIoPipeline"));
  }

  @Test
  void plotsAreWrittenAsSvgAndPng(@TempDir Path dir) throws Exception {
    Plots.LineChart chart = new Plots.LineChart("t", "threads", "s", new double[] {1, 2, 4, 8})
        .add("a", new double[] {1, 2, 4, 8}, new double[] {1, 2, 4, 8}, 'a')
        .law("law", new double[] {1, 2, 4, 8}, new double[] {1, 1, 2, 4});
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    Session s = new Session(new PrintStream(buf, true, StandardCharsets.UTF_8), Size.TEST, dir, false);
    s.plot("chart", chart, chart.renderText(40, 10));
    assertTrue(Files.readString(dir.resolve("chart.svg")).startsWith("<svg"));
    assertTrue(Files.size(dir.resolve("chart.png")) > 1000);
    String text = buf.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("a a") && text.contains(". law"), text);
  }
}
