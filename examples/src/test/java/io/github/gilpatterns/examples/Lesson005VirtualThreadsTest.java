package io.github.gilpatterns.examples;

import static io.github.gilpatterns.examples.NotebooksTest.figure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The lesson past the notebooks. On JDK 21 or later: every blocking task completes on both
 * executors, two CPU-bound virtual threads on one carrier run one after the other (one switch,
 * the second starting after the first ended), and under the emulated GIL the same two take
 * turns. On JDK 17 it says that it needs JDK 21. Either way, one lesson.
 */
@Timeout(300)
class Lesson005VirtualThreadsTest {
  @Test
  void oneCarrierRunsCpuBoundVirtualThreadsOneAfterTheOther() throws Exception {
    String out = NotebooksTest.run("005");
    assertTrue(out.contains("Lesson 005: Beyond the notebooks: virtual threads"), out);
    assertEquals(1, out.split("\n  Lesson: ", -1).length - 1, "exactly one lesson");
    if (!Lesson005VirtualThreads.available()) {
      assertTrue(out.contains("Virtual threads need JDK 21 or later; this is Java "
          + System.getProperty("java.version")), out);
      return;
    }
    assertTrue(figure(out, "1,000 blocking tasks, 100 platform threads") >= 0.1, "ten rounds of 10 ms");
    assertTrue(figure(out, "1,000 blocking tasks, a virtual thread each") >= 0.01, "at least one sleep");
    assertEquals(1, figure(out, "switches between the two, virtual threads on one carrier"), out);
    assertEquals(1, figure(out, "second started after the first ended, one carrier"), out);
    assertTrue(figure(out, "switches between the two, emulated GIL") >= 2, out);
    assertEquals(0, figure(out, "second started after the first ended, emulated GIL"), out);
  }

  @Test
  void itIsFoundByNumberAndByName() {
    assertEquals("005", Notebooks.find("5").orElseThrow().id());
    assertEquals("005", Notebooks.find("beyond").orElseThrow().id());
    assertEquals("005", Notebooks.find("lesson005virtualthreads").orElseThrow().id());
  }
}
