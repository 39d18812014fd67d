package io.github.gilpatterns.patterns;

import static io.github.gilpatterns.patterns.TestThreads.runAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.Flushable;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class PrintManagerTest {

  private static List<String> lines(ByteArrayOutputStream bytes) {
    String text = bytes.toString(StandardCharsets.UTF_8);
    return text.isEmpty() ? List.of() : text.lines().toList();
  }

  /**
   * Parses lines "t=T j=J l=L/N" and checks that every job's N lines are adjacent, complete and
   * in order, and that each thread's jobs appear in the order it printed them, all of them once.
   */
  private static void assertContiguousJobs(List<String> lines, int threads, int jobsPerThread) {
    int[] nextJob = new int[threads];
    int i = 0;
    while (i < lines.size()) {
      int[] head = parse(lines.get(i), i);
      int t = head[0];
      int j = head[1];
      int n = head[3];
      if (head[2] != 0) {
        fail("line " + i + " starts in the middle of a job: " + lines.get(i));
      }
      if (j != nextJob[t]) {
        fail("thread " + t + ": job " + j + " where job " + nextJob[t] + " was expected");
      }
      for (int l = 0; l < n; l++, i++) {
        if (i >= lines.size()) {
          fail("job t=" + t + " j=" + j + " is cut off at the end of the output");
        }
        int[] line = parse(lines.get(i), i);
        if (line[0] != t || line[1] != j || line[2] != l || line[3] != n) {
          fail("line " + i + " interleaves another job into t=" + t + " j=" + j + ": "
              + lines.get(i));
        }
      }
      nextJob[t]++;
    }
    for (int t = 0; t < threads; t++) {
      assertEquals(jobsPerThread, nextJob[t], "jobs of thread " + t);
    }
  }

  private static int[] parse(String line, int index) {
    try {
      String[] parts = line.split(" ");
      String[] ln = parts[2].substring(2).split("/");
      return new int[] {Integer.parseInt(parts[0].substring(2)),
          Integer.parseInt(parts[1].substring(2)), Integer.parseInt(ln[0]),
          Integer.parseInt(ln[1])};
    } catch (RuntimeException e) {
      throw new AssertionError("line " + index + " is garbled: " + line, e);
    }
  }

  private static String[] job(int t, int j) {
    int n = 1 + (t * 7 + j) % 5; // 1 to 5 lines
    String[] job = new String[n];
    for (int l = 0; l < n; l++) {
      job[l] = "t=" + t + " j=" + j + " l=" + l + "/" + n;
    }
    return job;
  }

  @Test
  void jobsAreContiguousInTheRealOutputUnderManyThreads() throws Exception {
    final int threads = 8;
    final int jobs = 2_500; // 20,000 concurrent jobs, 60,000 lines
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, false, StandardCharsets.UTF_8);
    try (PrintManager printer = PrintManager.start("contiguous", out)) {
      runAll("printer", threads, t -> {
        for (int j = 0; j < jobs; j++) {
          if ((j & 1) == 0) {
            printer.print(job(t, j));
          } else {
            printer.print(List.of(job(t, j)));
          }
        }
      });
      printer.join();
      assertContiguousJobs(lines(bytes), threads, jobs); // join(): all written and flushed
    }
    assertFalse(out.checkError());
  }

  @Test
  void jobsStayContiguousBesideDirectWritersOfTheSamePrintStream() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    final int jobs = 4_000;
    final int printing = 2; // threads 0-1 print through the manager, 2-3 println directly
    try (PrintManager printer = PrintManager.start("shared", out)) {
      runAll("mixed", 4, t -> {
        for (int j = 0; j < jobs; j++) {
          if (t >= printing) {
            out.println("t=" + t + " j=" + j + " l=0/1"); // PrintStream.println is atomic
          } else {
            printer.print(job(t, j));
          }
        }
      });
      printer.join();
    }
    assertContiguousJobs(lines(bytes), 4, jobs);
  }

  @Test
  void joinFlushesABufferedOutputAndCloseDoesNotCloseIt() throws Exception {
    StringWriter sink = new StringWriter();
    BufferedWriter buffered = new BufferedWriter(sink, 1 << 16);
    PrintManager printer = PrintManager.start("buffered", buffered);
    printer.print("one", "two");
    printer.join();
    String sep = System.lineSeparator();
    assertEquals("one" + sep + "two" + sep, sink.toString());
    printer.print("three");
    printer.close();
    assertEquals("one" + sep + "two" + sep + "three" + sep, sink.toString());
    buffered.write("still open");
    buffered.flush();
    assertTrue(sink.toString().endsWith("still open"));
    TestThreads.assertNoThread("buffered");
  }

  @Test
  void badInputThrowsAndPrintsNothing() throws Exception {
    assertThrows(NullPointerException.class, () -> PrintManager.start(null));
    assertThrows(NullPointerException.class, () -> PrintManager.start(null, new StringBuilder()));
    StringBuilder sb = new StringBuilder();
    try (PrintManager printer = PrintManager.start("bad", sb)) {
      assertThrows(NullPointerException.class, () -> printer.print((String[]) null));
      assertThrows(NullPointerException.class, () -> printer.print((List<String>) null));
      assertThrows(NullPointerException.class, () -> printer.print("a", null, "c"));
      List<String> withNull = new ArrayList<>();
      withNull.add("a");
      withNull.add(null);
      assertThrows(NullPointerException.class, () -> printer.print(withNull));
      printer.print(); // an empty job prints nothing
      String[] reused = {"x", "y"};
      printer.print(reused);
      reused[0] = "changed"; // the job was copied
      printer.join();
    }
    String sep = System.lineSeparator();
    assertEquals("x" + sep + "y" + sep, sb.toString()); // read after close: happens-before
  }

  @Test
  void afterCloseJobsAreRefusedAndJoinReturns() throws Exception {
    StringBuilder sb = new StringBuilder();
    PrintManager printer = PrintManager.start("closed-printer", sb);
    printer.print("last");
    printer.close();
    assertTrue(printer.isShutdown());
    assertTrue(printer.isTerminated());
    assertThrows(RejectedExecutionException.class, () -> printer.print("late"));
    assertThrows(RejectedExecutionException.class, () -> printer.print(List.of("late")));
    printer.join();
    printer.close();
    assertEquals("last" + System.lineSeparator(), sb.toString());
  }

  /** An output that sees every write as one {@code append(CharSequence)}. */
  private abstract static class TextSink implements Appendable {
    @Override
    public abstract Appendable append(CharSequence csq); // throws nothing

    @Override
    public Appendable append(CharSequence csq, int start, int end) {
      return append(csq.subSequence(start, end));
    }

    @Override
    public Appendable append(char c) {
      return append(String.valueOf(c));
    }
  }

  @Test
  void theOutputIsFlushedAfterTheLastJobWithoutAJoin() throws Exception {
    List<String> events = new ArrayList<>();
    CountDownLatch flushed = new CountDownLatch(1);
    class Recording extends TextSink implements Flushable {
      @Override
      public Appendable append(CharSequence csq) {
        synchronized (events) {
          events.add("append " + csq);
        }
        return this;
      }

      @Override
      public void flush() {
        synchronized (events) {
          events.add("flush");
        }
        flushed.countDown();
      }
    }
    try (PrintManager printer = PrintManager.start("drained-flush", new Recording())) {
      printer.print("only");
      assertTrue(flushed.await(30, TimeUnit.SECONDS), "no flush after the last job");
      synchronized (events) {
        assertEquals("append only" + System.lineSeparator(), events.get(0));
        assertEquals("flush", events.get(events.size() - 1));
      }
    }
  }

  @Test
  void shutdownNowReturnsTheTextOfEveryJobNeverWritten() throws Exception {
    StringBuilder written = new StringBuilder();
    CountDownLatch writing = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    AtomicReference<Boolean> interrupted = new AtomicReference<>(false);
    Appendable blocking = new TextSink() {
      @Override
      public Appendable append(CharSequence csq) {
        written.append(csq);
        writing.countDown();
        try {
          never.await(); // held until shutdownNow interrupts the job being written
        } catch (InterruptedException e) {
          interrupted.set(true);
        }
        return this;
      }
    };
    PrintManager printer = PrintManager.start("print-now", blocking);
    printer.print("first");
    assertTrue(writing.await(30, TimeUnit.SECONDS), "the first job never started");
    printer.print("a", "b");
    printer.print("c");
    String sep = System.lineSeparator();
    assertEquals(List.of("a" + sep + "b" + sep, "c" + sep), printer.shutdownNow());
    assertTrue(interrupted.get(), "the job being written was not interrupted");
    assertTrue(printer.awaitTermination(30, TimeUnit.SECONDS));
    assertTrue(printer.isShutdown());
    assertTrue(printer.isTerminated());
    assertEquals(List.of(), printer.shutdownNow());
    assertThrows(RejectedExecutionException.class, () -> printer.print("late"));
    assertEquals("first" + sep, written.toString());
    TestThreads.assertNoThread("print-now");
  }

  @Test
  void joinOnThePrintThreadFails() throws Exception {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicReference<PrintManager> self = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);
    Appendable spy = new TextSink() {
      @Override
      public Appendable append(CharSequence csq) {
        try {
          self.get().join();
        } catch (Throwable e) {
          failure.set(e);
        }
        done.countDown();
        return this;
      }
    };
    try (PrintManager printer = PrintManager.start("self-join", spy)) {
      self.set(printer);
      printer.print("x");
      TestThreads.await(done);
    }
    assertInstanceOf(IllegalStateException.class, failure.get());
  }

  @Test
  void closeRacingWithPrintsWritesEveryAcceptedJob() throws Exception {
    for (int round = 0; round < 10; round++) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      PrintManager printer = PrintManager.start("race-printer-" + round,
          new PrintStream(bytes, false, StandardCharsets.UTF_8));
      long accepted = TestThreads.acceptedWhileClosing(
          3, (id, j) -> printer.print(job(id, (int) j)), printer::close);
      List<String> lines = lines(bytes);
      long jobs = lines.stream().filter(l -> l.contains(" l=0/")).count();
      assertEquals(accepted, jobs, "round " + round);
    }
  }
}
