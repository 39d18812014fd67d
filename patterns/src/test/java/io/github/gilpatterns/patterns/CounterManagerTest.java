package io.github.gilpatterns.patterns;

import static io.github.gilpatterns.patterns.TestThreads.await;
import static io.github.gilpatterns.patterns.TestThreads.runAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.gilpatterns.testing.ThreadMode;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class CounterManagerTest {

  @Test
  void countIsExactAfterJoinUnderManyThreads() throws Exception {
    final int threads = 8;
    final int perThread = 50_000;
    try (CounterManager counter = CounterManager.start("exact")) {
      runAll("incrementer", threads, i -> {
        for (int k = 0; k < perThread; k++) {
          counter.increment();
        }
      });
      counter.join();
      assertEquals((long) threads * perThread, counter.count());
      counter.increment(5);
      assertEquals((long) threads * perThread + 5, counter.count());
    }
  }

  @Test
  void countIncludesTheCallersOwnEarlierIncrements() throws Exception {
    try (CounterManager counter = CounterManager.start("own")) {
      runAll("reader", 4, i -> {
        long mine = 0;
        long last = 0;
        for (int k = 0; k < 2_000; k++) {
          counter.increment(1);
          mine++;
          long seen = counter.count();
          assertTrue(seen >= mine, "count " + seen + " misses own increments " + mine);
          assertTrue(seen >= last, "count went down: " + last + " then " + seen);
          last = seen;
        }
      });
      assertEquals(8_000, counter.count());
    }
  }

  @Test
  void countIncludesAnotherThreadsIncrementThatReturnedBefore() throws Exception {
    try (CounterManager counter = CounterManager.start("cross")) {
      for (int round = 1; round <= 500; round++) {
        CountDownLatch incremented = new CountDownLatch(1);
        Thread writer = ThreadMode.start("writer-" + round, () -> {
          counter.increment();
          incremented.countDown();
        });
        await(incremented);
        assertEquals(round, counter.count()); // no join: the FIFO mailbox orders the ask after it
        TestThreads.joinOrFail(writer);
      }
    }
  }

  @Test
  void callbackSeesEveryCountInOrderOnTheCounterThread() throws Exception {
    final class Seen {
      long expected = 1;
      long wrong;
      boolean wrongThread;
    }
    Seen seen = new Seen(); // plain fields: only the callback (the counter thread) writes them
    try (CounterManager counter = CounterManager.start("listened", n -> {
      if (n != seen.expected) {
        seen.wrong++;
      }
      seen.expected = n + 1;
      if (!Thread.currentThread().getName().equals("listened")) {
        seen.wrongThread = true;
      }
    })) {
      runAll("inc", 4, i -> {
        for (int k = 0; k < 10_000; k++) {
          counter.increment();
        }
      });
      counter.join(); // happens-before: the callback's plain writes are visible now
      assertEquals(0, seen.wrong);
      assertEquals(40_001, seen.expected);
      assertFalse(seen.wrongThread);
    }
  }

  @Test
  void countAndJoinFromTheCallbackFailInsteadOfDeadlocking() throws Exception {
    AtomicReference<Throwable> fromCount = new AtomicReference<>();
    AtomicReference<Throwable> fromJoin = new AtomicReference<>();
    AtomicReference<CounterManager> self = new AtomicReference<>();
    CountDownLatch called = new CountDownLatch(1);
    try (CounterManager counter = CounterManager.start("reentrant", n -> {
      try {
        self.get().count();
      } catch (Throwable e) {
        fromCount.set(e);
      }
      try {
        self.get().join();
      } catch (Throwable e) {
        fromJoin.set(e);
      }
      called.countDown();
    })) {
      self.set(counter);
      counter.increment();
      await(called);
      assertInstanceOf(IllegalStateException.class, fromCount.get());
      assertInstanceOf(IllegalStateException.class, fromJoin.get());
      assertEquals(1, counter.count());
    }
  }

  @Test
  void badInputThrowsAndChangesNothing() throws Exception {
    assertThrows(NullPointerException.class, () -> CounterManager.start(null));
    assertThrows(NullPointerException.class, () -> CounterManager.start("x", null));
    try (CounterManager counter = CounterManager.start("bad")) {
      counter.increment(3);
      assertThrows(IllegalArgumentException.class, () -> counter.increment(-1));
      assertThrows(IllegalArgumentException.class, () -> counter.increment(Long.MIN_VALUE));
      assertThrows(NullPointerException.class, () -> counter.join(null));
      assertEquals(3, counter.count());
      counter.increment(0);
      assertEquals(3, counter.count());
    }
  }

  @Test
  void overflowingIncrementIsNotApplied() throws Exception {
    try (CounterManager counter = CounterManager.start("overflow")) {
      counter.increment(Long.MAX_VALUE);
      counter.increment(1); // fails on the counter thread (logged), count unchanged
      counter.increment(0);
      assertEquals(Long.MAX_VALUE, counter.count());
    }
  }

  @Test
  void afterCloseIncrementsAreRefusedAndCountReturnsTheFinalCount() throws Exception {
    CounterManager counter = CounterManager.start("closed");
    for (int i = 0; i < 1000; i++) {
      counter.increment();
    }
    counter.close();
    assertTrue(counter.isShutdown());
    assertThrows(RejectedExecutionException.class, counter::increment);
    assertThrows(RejectedExecutionException.class, () -> counter.increment(2));
    assertEquals(1000, counter.count());
    counter.join();
    assertTrue(counter.join(Duration.ZERO));
    counter.close(); // idempotent
    TestThreads.assertNoThread("closed");
  }

  @Test
  void closeRacingWithIncrementsLosesNothingAccepted() throws Exception {
    for (int round = 0; round < 20; round++) {
      CounterManager counter = CounterManager.start("race-" + round);
      long accepted = TestThreads.acceptedWhileClosing(4, (t, n) -> counter.increment(), counter::close);
      assertEquals(accepted, counter.count(), "round " + round);
    }
  }
}
