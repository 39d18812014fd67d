package io.github.gilpatterns.gil;

import static io.github.gilpatterns.gil.TestSupport.awaitCondition;
import static io.github.gilpatterns.gil.TestSupport.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.gilpatterns.testing.Await;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Single-GIL behaviour: holding, re-entrancy, releasing, interrupts, stats, trace, modes. */
@Timeout(60)
class GilTest {

  @Test
  void defaults() {
    Gil gil = Gil.create();
    assertEquals(Duration.ofMillis(5), gil.switchInterval());
    assertTrue(gil.isForceSwitching());
    assertFalse(gil.isFreeThreaded());
    assertFalse(gil.isHeldByCurrentThread());
    assertTrue(gil.trace().isEmpty());
    assertEquals(new GilStats(0, 0, 0, 0, Duration.ZERO, Duration.ZERO), gil.stats());
    assertTrue(Gil.freeThreaded().isFreeThreaded());
  }

  @Test
  void builderRejectsBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> Gil.builder().switchInterval(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> Gil.builder().switchInterval(Duration.ofNanos(-1)));
    assertThrows(IllegalArgumentException.class, () -> Gil.builder().switchInterval(0, TimeUnit.MILLISECONDS));
    assertThrows(NullPointerException.class, () -> Gil.builder().switchInterval(null));
    assertThrows(NullPointerException.class, () -> Gil.builder().switchInterval(1, null));
    assertThrows(IllegalArgumentException.class, () -> Gil.builder().traceCapacity(0));
    Gil gil = Gil.builder().switchInterval(250, TimeUnit.MICROSECONDS).forceSwitching(false).build();
    assertEquals(Duration.ofNanos(250_000), gil.switchInterval());
    assertFalse(gil.isForceSwitching());
  }

  @Test
  void acquireIsReentrantAndReleaseChecksOwnership() throws Exception {
    Gil gil = Gil.create();
    assertThrows(IllegalMonitorStateException.class, gil::release);
    gil.acquire();
    gil.acquire();
    assertTrue(gil.isHeldByCurrentThread());
    gil.release();
    assertTrue(gil.isHeldByCurrentThread(), "one hold left");
    gil.release();
    assertFalse(gil.isHeldByCurrentThread());
    assertThrows(IllegalMonitorStateException.class, gil::release);
    assertEquals(1, gil.stats().acquisitions(), "re-entrant acquisitions are not counted");
  }

  @Test
  void releaseByAnotherThreadIsRejected() throws Exception {
    Gil gil = Gil.create();
    gil.acquire();
    try {
      Object thrown = start("other", () -> {
        try {
          gil.release();
          return null;
        } catch (IllegalMonitorStateException expected) {
          return expected;
        }
      }).join();
      assertTrue(thrown instanceof IllegalMonitorStateException);
      assertTrue(gil.isHeldByCurrentThread());
    } finally {
      gil.release();
    }
  }

  @Test
  void aThreadHoldsAtMostOneGil() throws Exception {
    Gil a = Gil.create();
    Gil b = Gil.create();
    a.acquire();
    try {
      assertThrows(IllegalStateException.class, b::acquire);
      assertFalse(b.isHeldByCurrentThread());
      assertEquals(0, b.stats().acquisitions());
    } finally {
      a.release();
    }
    b.acquire();
    b.release();
  }

  @Test
  void statsCountAcquisitionsAndSwitches() throws Exception {
    Gil gil = Gil.create();
    gil.acquire();          // switch 1: first holder
    gil.release();
    gil.acquire();          // same thread again: no switch
    gil.release();
    start("other", () -> {
      gil.acquire();      // switch 2
      gil.release();
      return null;
    }).join();
    GilStats s = gil.stats();
    assertEquals(3, s.acquisitions());
    assertEquals(2, s.switches());
    assertEquals(0, s.dropRequests());
    assertEquals(0, s.forcedDrops());
  }

  @Test
  void checkpointIsANoOpWithoutContention() throws Exception {
    Gil.checkpoint(); // holding nothing
    Gil gil = Gil.create();
    gil.acquire();
    try {
      for (int i = 0; i < 1000; i++) {
        Gil.checkpoint();
      }
      assertTrue(gil.isHeldByCurrentThread());
    } finally {
      gil.release();
    }
    assertEquals(0, gil.stats().forcedDrops());
    assertEquals(1, gil.stats().acquisitions());
  }

  @Test
  void releasingWithoutHoldingJustRunsTheCall() throws Exception {
    Gil gil = Gil.create();
    assertEquals("x", gil.releasing(() -> "x"));
    AtomicBoolean ran = new AtomicBoolean();
    gil.releasing(() -> ran.set(true));
    assertTrue(ran.get());
    assertFalse(gil.isHeldByCurrentThread());
    assertEquals(0, gil.stats().acquisitions());
    assertThrows(NullPointerException.class, () -> gil.releasing((Runnable) null));
  }

  @Test
  void releasingDropsEveryHoldAndRestoresThem() throws Exception {
    Gil gil = Gil.create();
    gil.acquire();
    gil.acquire();
    boolean heldInside = gil.releasing(gil::isHeldByCurrentThread);
    assertFalse(heldInside);
    assertTrue(gil.isHeldByCurrentThread());
    gil.release();
    gil.release();
    assertThrows(IllegalMonitorStateException.class, gil::release, "hold count was restored to 2");
  }

  @Test
  void releasingReacquiresWhenTheCallThrows() throws Exception {
    Gil gil = Gil.create();
    gil.acquire();
    try {
      IOException e = assertThrows(IOException.class, () -> gil.releasing(() -> {
        throw new IOException("boom");
      }));
      assertEquals("boom", e.getMessage());
      assertTrue(gil.isHeldByCurrentThread());
      assertThrows(IllegalStateException.class, () -> gil.releasing((Runnable) () -> {
        throw new IllegalStateException();
      }));
      assertTrue(gil.isHeldByCurrentThread());
    } finally {
      gil.release();
    }
  }

  @Test
  void aThreadBlockedInReleasingDoesNotHoldTheGil() throws Exception {
    Gil gil = Gil.create();
    CountDownLatch blocked = new CountDownLatch(1);
    CountDownLatch otherRan = new CountDownLatch(1);
    TestSupport.Worker io = start("io", () -> {
      gil.acquire();
      try {
        gil.releasing(() -> {
          blocked.countDown();
          return otherRan.await(20, TimeUnit.SECONDS); // the "blocking call"
        });
        return gil.isHeldByCurrentThread();
      } finally {
        gil.release();
      }
    });
    assertTrue(blocked.await(20, TimeUnit.SECONDS));
    // If releasing kept the GIL, this would wait until the blocking call timed out.
    gil.acquire();
    try {
      otherRan.countDown();
    } finally {
      gil.release();
    }
    assertEquals(Boolean.TRUE, io.join(), "the GIL is held again after releasing returns");
  }

  @Test
  void interruptedOnEntryThrowsEvenWhenFree() {
    Gil gil = Gil.create();
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, gil::acquire);
    assertFalse(Thread.interrupted(), "interrupt status is cleared");
    assertFalse(gil.isHeldByCurrentThread());
  }

  @Test
  void interruptedWaiterLeavesTheGilIntactAndWithdrawsItsDropRequest() throws Exception {
    Gil gil = Gil.builder().switchInterval(Duration.ofMillis(1)).build();
    gil.acquire();
    try {
      TestSupport.Worker waiter = start("waiter", () -> {
        try {
          gil.acquire();
          return "acquired";
        } catch (InterruptedException expected) {
          return gil.isHeldByCurrentThread() ? "held after interrupt" : "interrupted";
        }
      });
      awaitCondition("the waiter asks for the GIL", gil::isDropRequested);
      waiter.thread.interrupt();
      assertEquals("interrupted", waiter.join());
      assertEquals(0, gil.waiters());
      assertFalse(gil.isDropRequested(), "a drop request nobody waits for is withdrawn");
      Gil.checkpoint(); // must not drop for nobody (nor wait for a switch)
      assertTrue(gil.isHeldByCurrentThread());
      assertEquals(0, gil.stats().forcedDrops());
    } finally {
      gil.release();
    }
    // The GIL still works for others.
    assertEquals("ok", start("later", () -> {
      gil.acquire();
      gil.release();
      return "ok";
    }).join());
  }

  @Test
  void interruptedWaiterDoesNotStrandTheOtherWaiters() throws Exception {
    Gil gil = Gil.builder().switchInterval(Duration.ofMillis(1)).build();
    gil.acquire();
    TestSupport.Worker a;
    TestSupport.Worker b;
    try {
      a = start("a", () -> {
        gil.acquire();
        gil.release();
        return "a";
      });
      b = start("b", () -> {
        try {
          gil.acquire();
          gil.release();
          return "b acquired";
        } catch (InterruptedException e) {
          return "b interrupted";
        }
      });
      awaitCondition("two waiters", () -> gil.waiters() == 2);
      b.thread.interrupt();
      awaitCondition("one waiter", () -> gil.waiters() == 1);
    } finally {
      gil.release();
    }
    assertEquals("a", a.join());
    Object bResult = b.join();
    assertTrue("b interrupted".equals(bResult) || "b acquired".equals(bResult), String.valueOf(bResult));
  }

  @Test
  void checkpointSwitchesUninterruptiblyAndKeepsTheInterruptStatus() throws Exception {
    Gil gil = Gil.builder().switchInterval(Duration.ofMillis(1)).build();
    AtomicBoolean otherHadIt = new AtomicBoolean();
    CountDownLatch holding = new CountDownLatch(1);
    TestSupport.Worker spinner = start("spinner", () -> {
      gil.acquire();
      try {
        Thread.currentThread().interrupt();
        holding.countDown();
        Await.Deadline deadline = Await.deadline("the other thread to take the GIL");
        while (!otherHadIt.get()) {
          deadline.check(); // keeps the interrupt status: this test sets it on purpose
          Gil.checkpoint();
        }
        return Thread.currentThread().isInterrupted() && gil.isHeldByCurrentThread();
      } finally {
        Thread.interrupted();
        gil.release();
      }
    });
    assertTrue(holding.await(20, TimeUnit.SECONDS));
    gil.acquire(); // only succeeds if the spinner drops at a checkpoint
    try {
      otherHadIt.set(true);
    } finally {
      gil.release();
    }
    assertEquals(Boolean.TRUE, spinner.join());
    assertTrue(gil.stats().forcedDrops() >= 1);
    assertTrue(gil.stats().dropRequests() >= 1);
  }

  @Test
  void freeThreadedNeverExcludes() throws Exception {
    Gil gil = Gil.freeThreaded();
    CyclicBarrier bothHolding = new CyclicBarrier(2);
    Runnable body = () -> {
      try {
        gil.acquire();
        try {
          bothHolding.await(20, TimeUnit.SECONDS); // deadlocks under a real GIL
          Gil.checkpoint();
          assertTrue(gil.isHeldByCurrentThread());
          assertFalse(gil.releasing(gil::isHeldByCurrentThread));
        } finally {
          gil.release();
        }
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    };
    TestSupport.joinAll(java.util.List.of(
        start("t1", () -> {
          body.run();
          return null;
        }),
        start("t2", () -> {
          body.run();
          return null;
        })));
    assertEquals(4, gil.stats().acquisitions(), "each acquire() and each re-take after releasing");
    assertThrows(IllegalMonitorStateException.class, gil::release);
    assertTrue(gil.trace().isEmpty());
  }

  @Test
  void traceIsBoundedAndRendersATimeline() throws Exception {
    Gil gil = Gil.builder().switchInterval(Duration.ofMillis(1)).trace(true).traceCapacity(64).build();
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch enoughSwitches = new CountDownLatch(1);
    java.util.List<TestSupport.Worker> ws = new java.util.ArrayList<>();
    for (int i = 0; i < 2; i++) {
      ws.add(start("spin-" + i, () -> {
        gil.acquire();
        try {
          Await.Deadline deadline = Await.deadline("40 switches");
          while (!stop.get()) {
            deadline.check();
            Gil.checkpoint();
            if (gil.stats().switches() >= 40) {
              enoughSwitches.countDown();
            }
          }
        } finally {
          gil.release();
        }
        return null;
      }));
    }
    try {
      assertTrue(enoughSwitches.await(20, TimeUnit.SECONDS));
    } finally {
      stop.set(true);
    }
    TestSupport.joinAll(ws);
    GilTrace trace = gil.trace();
    assertEquals(64, trace.events().size());
    assertTrue(trace.lostEvents() > 0);
    long previous = Long.MIN_VALUE;
    for (GilTrace.Event e : trace.events()) {
      assertTrue(e.nanoTime() >= previous, "oldest first");
      previous = e.nanoTime();
    }
    assertTrue(trace.events().stream().anyMatch(e -> e.kind() == GilTrace.Kind.DROP_REQUESTED));
    assertEquals(java.util.Set.of("spin-0", "spin-1"), trace.acquisitionsByThread().keySet());
    String timeline = trace.renderTimeline(40);
    String[] lines = timeline.split("\n");
    assertTrue(lines[0].startsWith("GIL timeline"), timeline);
    assertTrue(lines[1].matches("spin-\\d \\|[#+.]{40}"), timeline);
    assertTrue(lines[2].matches("spin-\\d \\|[#+.]{40}"), timeline);
    assertTrue(timeline.contains("#"), timeline);
    assertThrows(IllegalArgumentException.class, () -> trace.renderTimeline(0));
    assertEquals("GIL timeline: no events traced\n", Gil.create().trace().renderTimeline(10));
  }

  @Test
  void toStringSaysWhoHoldsIt() throws Exception {
    Gil gil = Gil.create();
    assertTrue(gil.toString().contains("unheld"), gil.toString());
    gil.acquire();
    try {
      assertTrue(gil.toString().contains("held by " + Thread.currentThread().getName()), gil.toString());
    } finally {
      gil.release();
    }
    assertTrue(Gil.freeThreaded().toString().contains("free-threaded"));
    assertSame(null, Gil.heldByCurrentThread());
  }
}
