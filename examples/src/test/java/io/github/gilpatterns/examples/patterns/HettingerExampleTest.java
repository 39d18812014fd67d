package io.github.gilpatterns.examples.patterns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class HettingerExampleTest {

  private static List<String> run(int workers) throws InterruptedException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    HettingerExample.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), workers);
    return bytes.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void printsExactlyTheNotebooksOutputEveryTime() throws Exception {
    List<String> expected = HettingerExample.expectedLines(10);
    assertEquals("Starting up", expected.get(0));
    assertEquals("The count is 1", expected.get(1));
    assertEquals("---------------", expected.get(2));
    assertEquals("The count is 10", expected.get(19));
    assertEquals("Finishing up", expected.get(21));
    assertEquals(22, expected.size());
    for (int round = 0; round < 200; round++) {
      assertEquals(expected, run(10), "round " + round);
    }
    assertNoThread("counter-manager");
    assertNoThread("print-manager");
    assertNoThread("worker-");
  }

  @Test
  void manyWorkersStillCountInOrder() throws Exception {
    for (int round = 0; round < 5; round++) {
      assertEquals(HettingerExample.expectedLines(300), run(300));
    }
    assertEquals(List.of("Starting up", "Finishing up"), run(0));
  }

  @Test
  void badInput() {
    assertThrows(NullPointerException.class, () -> HettingerExample.run(null));
    assertThrows(IllegalArgumentException.class,
        () -> HettingerExample.run(new StringBuilder(), -1));
    assertThrows(IllegalArgumentException.class, () -> HettingerExample.expectedLines(-1));
  }

  /** Asserts that no live thread has a name starting with {@code prefix}. */
  static void assertNoThread(String prefix) {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive() && t.getName().startsWith(prefix)) {
        fail("thread left running: " + t.getName());
      }
    }
  }
}
