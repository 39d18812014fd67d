package io.github.gilpatterns.patterns;

import static io.github.gilpatterns.patterns.TestThreads.await;
import static io.github.gilpatterns.patterns.TestThreads.joinOrFail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.gilpatterns.testing.Await;
import io.github.gilpatterns.testing.ThreadMode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** CounterManager's and KeyedCounterManager's lifecycle, bounded queue, and keyed counts. */
@Timeout(60)
class CounterManagerLifecycleTest {

  /** A callback that blocks on the first count until released, recording an interrupt. */
  static final class Blocking implements java.util.function.LongConsumer {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch released = new CountDownLatch(1);
    final AtomicBoolean interrupted = new AtomicBoolean();

    @Override
    public void accept(long count) {
      if (count != 1) {
        return;
      }
      entered.countDown();
      try {
        released.await();
      } catch (InterruptedException e) {
        interrupted.set(true);
      }
    }
  }

  @Test
  void shutdownNowReturnsTheIncrementsNeverAppliedAndJoinSaysSo() throws Exception {
    Blocking callback = new Blocking();
    CounterManager counter = CounterManager.start("stop-now", callback);
    counter.increment(1);
    await(callback.entered);
    counter.increment(5);
    counter.increment(7);
    counter.increment();
    assertEquals(List.of(5L, 7L, 1L), counter.shutdownNow());
    assertTrue(callback.interrupted.get(), "the running increment's callback is interrupted");
    assertTrue(counter.isShutdown());
    assertTrue(counter.awaitTermination(Duration.ZERO));
    assertTrue(counter.isTerminated());
    assertEquals(1L, counter.count(), "only the first increment was applied");
    assertThrows(IllegalStateException.class, counter::join, "the rest will never be applied");
    assertThrows(RejectedExecutionException.class, counter::increment);
    TestThreads.assertNoThread("stop-now");
  }

  @Test
  void shutdownNowLeavesOutAWaitingCountWhichThenReadsTheFinalCount() throws Exception {
    Blocking callback = new Blocking();
    CounterManager counter = CounterManager.start("stop-while-counting", callback);
    counter.increment(1);
    await(callback.entered);
    counter.increment(5);
    AtomicReference<Object> counted = new AtomicReference<>();
    Thread reader = ThreadMode.newThread(() -> {
      try {
        counted.set(counter.count()); // queued behind the increment of 5
      } catch (Throwable e) {
        counted.set(e);
      }
    }, "reader");
    reader.start();
    awaitWaiting(reader);
    counter.increment(7);
    assertEquals(List.of(5L, 7L), counter.shutdownNow());
    joinOrFail(reader);
    assertEquals(1L, counted.get(), "the cancelled count() reads the final count");
  }

  /** Waits, failing after the deadline, until {@code t} blocks (here: in a future's get()). */
  private static void awaitWaiting(Thread t) {
    Await.blocked(t);
  }

  @Test
  void shutdownAppliesTheAcceptedIncrementsWithoutWaiting() throws Exception {
    Blocking callback = new Blocking();
    CounterManager counter = CounterManager.start("graceful", callback);
    counter.increment(1);
    await(callback.entered);
    counter.increment(2);
    counter.shutdown(); // returns while the callback blocks
    assertFalse(counter.awaitTermination(10, TimeUnit.MILLISECONDS));
    assertThrows(RejectedExecutionException.class, () -> counter.increment(3));
    callback.released.countDown();
    assertTrue(counter.awaitTermination(TestThreads.DEADLINE_SECONDS, TimeUnit.SECONDS));
    assertEquals(3L, counter.count());
    assertTrue(counter.join(1, TimeUnit.SECONDS));
  }

  @Test
  void aBoundedCounterBlocksIncrementsWhileItsQueueIsFull() throws Exception {
    Blocking callback = new Blocking();
    try (CounterManager counter =
        CounterManager.builder().name("bounded").mailboxCapacity(1).onCount(callback).start()) {
      counter.increment(1);
      await(callback.entered);
      counter.increment(1); // fills the queue of one
      AtomicReference<Throwable> failure = new AtomicReference<>();
      CountDownLatch returned = new CountDownLatch(1);
      Thread producer = ThreadMode.newThread(() -> {
        try {
          counter.increment(1);
          returned.countDown();
        } catch (Throwable t) {
          failure.set(t);
        }
      }, "bounded-producer");
      producer.start();
      assertFalse(returned.await(50, TimeUnit.MILLISECONDS), "the full queue held the producer");
      callback.released.countDown();
      joinOrFail(producer);
      assertEquals(null, failure.get());
      counter.join();
      assertEquals(3L, counter.count());
    }
    assertThrows(IllegalArgumentException.class, () -> CounterManager.builder().mailboxCapacity(0));
    assertThrows(NullPointerException.class, () -> CounterManager.builder().threadFactory(null));
  }

  @Test
  void theBuildersThreadFactoryMakesTheCounterThread() throws Exception {
    AtomicReference<Thread> made = new AtomicReference<>();
    try (CounterManager counter = CounterManager.builder().name("from-factory")
        .threadFactory(r -> {
          Thread t = new Thread(r);
          made.set(t);
          return t;
        }).start()) {
      counter.increment();
      counter.join();
      assertEquals("from-factory", made.get().getName());
      assertEquals(1L, counter.count());
    }
  }

  @Test
  void keyedCountsAreExactUnderThreadsAndKeepFirstSeenOrder() throws Exception {
    try (KeyedCounterManager<String> hits = KeyedCounterManager.start("hits")) {
      hits.increment("/b", 0); // first seen: appears with its count even at zero
      TestThreads.runAll("visitor", 8, i -> {
        for (int k = 0; k < 10_000; k++) {
          hits.increment(k % 10 == 0 ? "/a" : "/b");
          hits.increment("/c", 2);
        }
      });
      hits.join();
      Map<String, Long> counts = hits.counts();
      assertEquals(List.of("/b", "/a", "/c"), List.copyOf(counts.keySet()));
      assertEquals(8_000L, counts.get("/a"));
      assertEquals(72_000L, counts.get("/b"));
      assertEquals(160_000L, counts.get("/c"));
      assertEquals(240_000L, hits.total());
      assertEquals(0L, hits.count("/never"));
      assertThrows(UnsupportedOperationException.class, () -> counts.put("/x", 1L));
      assertEquals(List.of(Map.entry("/c", 160_000L), Map.entry("/b", 72_000L)),
          hits.mostCommon(2));
      assertEquals(List.of(), hits.mostCommon(0));
      assertEquals(3, hits.mostCommon(10).size());
    }
  }

  @Test
  void keyedMostCommonBreaksTiesByFirstSeenAndBadInputChangesNothing() throws Exception {
    KeyedCounterManager<Integer> counter = KeyedCounterManager.start("ties");
    counter.increment(3, 2);
    counter.increment(1, 2);
    counter.increment(2, 5);
    assertEquals(List.of(Map.entry(2, 5L), Map.entry(3, 2L), Map.entry(1, 2L)),
        counter.mostCommon(3));
    assertThrows(NullPointerException.class, () -> counter.increment(null));
    assertThrows(IllegalArgumentException.class, () -> counter.increment(1, -1));
    assertThrows(IllegalArgumentException.class, () -> counter.mostCommon(-1));
    assertThrows(NullPointerException.class, () -> counter.count(null));
    counter.close();
    assertTrue(counter.isTerminated());
    assertEquals(9L, counter.total(), "reads after close see the final counts");
    assertEquals(Map.of(3, 2L, 1, 2L, 2, 5L), counter.counts());
    assertThrows(RejectedExecutionException.class, () -> counter.increment(1));
    TestThreads.assertNoThread("ties");
  }

  @Test
  void keyedShutdownNowReturnsKeyAndDeltaOfWhatNeverRan() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch released = new CountDownLatch(1);
    KeyedCounterManager<Object> counter = KeyedCounterManager.start("keyed-stop");
    Object blocker = new Object() {
      @Override
      public int hashCode() { // runs on the counter thread, inside computeIfAbsent
        entered.countDown();
        try {
          released.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return 1;
      }
    };
    counter.increment(blocker);
    await(entered);
    counter.increment("x", 4);
    counter.increment("y");
    assertEquals(List.of(Map.entry("x", 4L), Map.entry("y", 1L)), counter.shutdownNow());
    released.countDown();
    assertTrue(counter.awaitTermination(TestThreads.DEADLINE_SECONDS, TimeUnit.SECONDS));
    assertEquals(0L, counter.count("x"));
  }
}
