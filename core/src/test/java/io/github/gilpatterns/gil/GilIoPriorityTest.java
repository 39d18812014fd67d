package io.github.gilpatterns.gil;

import static io.github.gilpatterns.gil.TestSupport.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.gilpatterns.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Gil.Builder#ioPriority(boolean)}: a thread back from a blocking call gets the GIL at
 * the holder's next checkpoint, without waiting a switch interval, and before CPU-bound
 * waiters. The switch interval is an hour, so a thread that had to wait one would time out
 * the test instead.
 */
@Timeout(120)
class GilIoPriorityTest {
  private static final Duration HOUR = Duration.ofHours(1);

  /** Holds {@code gil} and spins through checkpoints until {@code stop}, noting its first step. */
  private static TestSupport.Worker spinner(String name, Gil gil, AtomicBoolean stop, CountDownLatch running) {
    return start(name, () -> gil.holding(() -> {
      running.countDown();
      long steps = 0;
      Await.Deadline deadline = Await.deadline(name + " told to stop");
      while (!stop.get()) {
        deadline.check();
        steps++;
        Gil.checkpoint();
      }
      return steps;
    }));
  }

  @Test
  void aThreadBackFromABlockingCallGetsTheGilAtTheHoldersNextCheckpoint() throws Exception {
    Gil gil = Gil.builder().switchInterval(HOUR).ioPriority(true).build();
    assertTrue(gil.isIoPriority());
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch cpuRunning = new CountDownLatch(1);
    CountDownLatch ioDone = new CountDownLatch(1);
    CountDownLatch inIo = new CountDownLatch(1);
    TestSupport.Worker io = start("io", () -> gil.holding(() -> {
      gil.releasing(() -> {
        inIo.countDown();
        ioDone.await(); // the blocking call
      });
      stop.set(true); // back, holding the GIL again
      return null;
    }));
    inIo.await();
    TestSupport.Worker cpu = spinner("cpu", gil, stop, cpuRunning);
    cpuRunning.await();
    ioDone.countDown();
    TestSupport.joinAll(List.of(io, cpu));
    assertFalse(gil.isDropRequested());
    assertEquals(0, gil.waiters());
  }

  @Test
  void itIsWokenBeforeACpuBoundThreadThatWaitedLonger() throws Exception {
    Gil gil = Gil.builder().switchInterval(HOUR).ioPriority(true).build();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicBoolean secondCpuRan = new AtomicBoolean();
    CountDownLatch firstRunning = new CountDownLatch(1);
    CountDownLatch inIo = new CountDownLatch(1);
    CountDownLatch ioDone = new CountDownLatch(1);
    TestSupport.Worker io = start("io", () -> gil.holding(() -> {
      gil.releasing(() -> {
        inIo.countDown();
        ioDone.await();
      });
      boolean overtaken = secondCpuRan.get();
      stop.set(true);
      return overtaken;
    }));
    inIo.await();
    TestSupport.Worker first = spinner("cpu-1", gil, stop, firstRunning);
    firstRunning.await();
    TestSupport.Worker second = start("cpu-2", () -> gil.holding(() -> {
      secondCpuRan.set(true);
      return null;
    }));
    TestSupport.awaitCondition("cpu-2 waits for the GIL", () -> gil.waiters() == 1);
    ioDone.countDown();
    assertEquals(false, io.join(), "the thread back from its blocking call got the GIL after cpu-2");
    TestSupport.joinAll(List.of(first, second));
    assertTrue(secondCpuRan.get());
  }

  @Test
  void cpuBoundThreadsTakingTurnsNeverTakeTheGilAheadOfAThreadBackFromABlockingCall() throws Exception {
    // Two CPU-bound threads switch every millisecond through forced-switch waits; the thread
    // back from each blocking call must be the next to take the GIL every time, even when a
    // CPU-bound thread comes out of its forced-switch wait and finds the GIL free.
    Gil gil = Gil.builder().switchInterval(Duration.ofMillis(1)).ioPriority(true).trace(true)
        .traceCapacity(200_000).build();
    AtomicBoolean stop = new AtomicBoolean();
    java.util.concurrent.atomic.AtomicLong steps = new java.util.concurrent.atomic.AtomicLong();
    CountDownLatch running = new CountDownLatch(2);
    List<TestSupport.Worker> cpus = new java.util.ArrayList<>();
    for (int i = 0; i < 2; i++) {
      cpus.add(start("cpu-" + i, () -> gil.holding(() -> {
        running.countDown();
        Await.Deadline deadline = Await.deadline("told to stop");
        while (!stop.get()) {
          deadline.check();
          steps.incrementAndGet();
          Gil.checkpoint();
        }
        return null;
      })));
    }
    running.await();
    int calls = 200;
    TestSupport.Worker io = start("io", () -> gil.holding(() -> {
      for (int i = 0; i < calls; i++) {
        long before = steps.get();
        // The blocking call lasts until a CPU-bound thread has run, so the GIL is held on return.
        gil.releasing(() -> TestSupport.awaitCondition("a CPU-bound thread runs", () -> steps.get() > before + 100));
      }
      return null;
    }));
    io.join();
    stop.set(true);
    TestSupport.joinAll(cpus);
    assertEquals(0, gil.trace().lostEvents());
    List<GilTrace.Event> events = gil.trace().events();
    int ioWaits = 0;
    boolean ioStarted = false; // io's first wait, in holding(..), is not back from a blocking call
    java.util.Set<String> cpuHolders = new java.util.HashSet<>();
    for (int i = 0; i < events.size(); i++) {
      GilTrace.Event e = events.get(i);
      if (e.kind() == GilTrace.Kind.ACQUIRED) {
        if (e.threadName().startsWith("cpu-")) {
          cpuHolders.add(e.threadName());
        } else {
          ioStarted = true;
        }
      }
      if (ioStarted && e.kind() == GilTrace.Kind.WAITING && e.threadName().equals("io")) {
        ioWaits++;
        for (int j = i + 1; j < events.size(); j++) {
          if (events.get(j).kind() == GilTrace.Kind.ACQUIRED) {
            assertEquals("io", events.get(j).threadName(), "the GIL's next taker after io's wait at event " + i);
            break;
          }
        }
      }
    }
    assertTrue(ioWaits >= calls / 2, "io came back to a held GIL " + ioWaits + " times of " + calls);
    assertEquals(2, cpuHolders.size(), "both CPU-bound threads held the GIL");
  }

  @Test
  void offByDefault() {
    assertFalse(Gil.create().isIoPriority());
    assertFalse(Gil.builder().build().isIoPriority());
  }
}
