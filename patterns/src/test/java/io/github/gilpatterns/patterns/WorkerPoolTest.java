package io.github.gilpatterns.patterns;

import static io.github.gilpatterns.patterns.TestThreads.await;
import static io.github.gilpatterns.patterns.TestThreads.runAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.gilpatterns.testing.ThreadMode;
import com.google.common.util.concurrent.ListenableFuture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class WorkerPoolTest {

  @Test
  void joinReturnsOnlyWhenEveryItemsWorkIsVisible() throws Exception {
    final int submitters = 4;
    final int perSubmitter = 5_000;
    final int rounds = 5;
    final int total = submitters * perSubmitter;
    // Plain (non-volatile) slots: only join()'s happens-before edge makes the writes visible.
    final long[] results = new long[total];
    LongAdder handled = new LongAdder();
    try (WorkerPool<Integer> pool = WorkerPool.start("visible", 4, i -> {
      results[i] += i + 1L;
      handled.increment();
    })) {
      for (int round = 1; round <= rounds; round++) {
        runAll("submitter", submitters, s -> {
          for (int k = 0; k < perSubmitter; k++) {
            pool.submit(s * perSubmitter + k);
          }
        });
        pool.join();
        assertEquals((long) total * round, handled.sum(), "round " + round);
        assertEquals((long) total * round, pool.completed());
        assertEquals(0, pool.pending());
        for (int i = 0; i < total; i++) {
          if (results[i] != (i + 1L) * round) {
            throw new AssertionError("round " + round + ": item " + i + " shows " + results[i]);
          }
        }
      }
    }
    TestThreads.assertNoThread("visible-");
  }

  @Test
  void joinFromAnotherThreadWaitsForConcurrentSubmittersWork() throws Exception {
    // Each submitter joins right after its own submissions: join must cover what it submitted.
    AtomicLong handled = new AtomicLong();
    try (WorkerPool<Long> pool = WorkerPool.start("each-joins", 3, x -> handled.incrementAndGet())) {
      runAll("submit-join", 4, s -> {
        for (int r = 0; r < 200; r++) {
          long before = handled.get();
          for (int k = 0; k < 10; k++) {
            pool.submit((long) k);
          }
          pool.join();
          assertTrue(handled.get() >= before + 10, "join returned before its items were handled");
        }
      });
    }
  }

  @Test
  void joinWaitsForAnItemStillBeingHandled() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (WorkerPool<String> pool = WorkerPool.start("blocked", 2, s -> {
      entered.countDown();
      try {
        release.await(TestThreads.DEADLINE_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    })) {
      try {
        pool.submit("slow");
        await(entered);
        assertFalse(pool.join(Duration.ofMillis(20)), "join returned while an item was running");
        assertEquals(1, pool.pending());
      } finally {
        release.countDown(); // else a failed assertion would leave close() waiting forever
      }
      assertTrue(pool.join(Duration.ofSeconds(TestThreads.DEADLINE_SECONDS)));
    }
  }

  @Test
  void aFailingHandlerDoesNotKillItsWorker() throws Exception {
    ConcurrentLinkedQueue<Integer> reported = new ConcurrentLinkedQueue<>();
    LongAdder ok = new LongAdder();
    WorkerPool<Integer> pool = WorkerPool.<Integer>builder(i -> {
      if (i % 2 == 1) {
        throw new IllegalStateException("odd " + i);
      }
      if (i % 10 == 0) {
        Thread.currentThread().interrupt(); // must not leak into the next item
      }
      ok.increment();
    }).name("failing").workers(1).onFailure((source, item, failure) -> {
      assertEquals("failing", source.name());
      reported.add(item);
      if (item == 7) {
        throw new RuntimeException("error handler failing too"); // logged, worker carries on
      }
    }).start();
    try {
      for (int i = 0; i < 1_000; i++) {
        pool.submit(i);
      }
      pool.join();
      assertEquals(500, ok.sum());
      assertEquals(500, pool.completed());
      assertEquals(500, pool.failed());
      assertEquals(500, reported.size());
      assertTrue(reported.stream().allMatch(i -> i % 2 == 1));
    } finally {
      pool.close();
    }
  }

  @Test
  void closeHandlesEveryAcceptedItemAndEndsTheWorkers() throws Exception {
    LongAdder handled = new LongAdder();
    WorkerPool<Integer> pool = WorkerPool.start("closing", 3, i -> {
      Thread.onSpinWait();
      handled.increment();
    });
    for (int i = 0; i < 20_000; i++) {
      pool.submit(i);
    }
    pool.close(); // no join first: close itself must finish the accepted items
    assertEquals(20_000, handled.sum());
    assertTrue(pool.isShutdown());
    assertThrows(RejectedExecutionException.class, () -> pool.submit(1));
    pool.join();
    pool.close();
    TestThreads.assertNoThread("closing-");
  }

  @Test
  void closeRacingWithSubmitLosesNothingAccepted() throws Exception {
    for (int round = 0; round < 10; round++) {
      LongAdder handled = new LongAdder();
      WorkerPool<Integer> pool = WorkerPool.start("pool-race-" + round, 2, i -> handled.increment());
      long accepted = TestThreads.acceptedWhileClosing(3, (t, n) -> pool.submit(1), pool::close);
      assertEquals(accepted, handled.sum(), "round " + round);
    }
  }

  @Test
  void boundedQueueMakesSubmitWaitForRoom() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    LongAdder handled = new LongAdder();
    try (WorkerPool<Integer> pool = WorkerPool.<Integer>builder(i -> {
      try {
        release.await(TestThreads.DEADLINE_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      handled.increment();
    }).name("bounded").workers(1).queueCapacity(2).start()) {
      CountDownLatch submittedAll = new CountDownLatch(1);
      Thread submitter = ThreadMode.newThread("submitter", () -> {
        for (int i = 0; i < 10; i++) {
          pool.submit(i);
        }
        submittedAll.countDown();
      });
      submitter.start();
      try {
        // One item running, two waiting: the fourth submit blocks until the worker moves on.
        assertFalse(submittedAll.await(50, java.util.concurrent.TimeUnit.MILLISECONDS));
      } finally {
        release.countDown();
      }
      await(submittedAll);
      TestThreads.joinOrFail(submitter);
      pool.join();
      assertEquals(10, handled.sum());
    }
  }

  @Test
  void badInputAndMisuse() throws Exception {
    assertThrows(NullPointerException.class, () -> WorkerPool.start(null, 1, x -> { }));
    assertThrows(NullPointerException.class,
        () -> WorkerPool.start("x", 1, (Consumer<Object>) null));
    assertThrows(NullPointerException.class,
        () -> WorkerPool.start("x", 1, (WorkerPool.Handler<Object>) null));
    assertThrows(NullPointerException.class,
        () -> WorkerPool.builder(x -> { }).onFailure(null));
    assertThrows(NullPointerException.class,
        () -> WorkerPool.builder(x -> { }).threadFactory(null));
    assertThrows(IllegalArgumentException.class, () -> WorkerPool.start("x", 0, x -> { }));
    assertThrows(IllegalArgumentException.class,
        () -> WorkerPool.builder(x -> { }).queueCapacity(0));
    AtomicReference<Throwable> fromJoin = new AtomicReference<>();
    AtomicReference<WorkerPool<String>> self = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);
    try (WorkerPool<String> pool = WorkerPool.start("misuse", 2, s -> {
      try {
        self.get().join();
      } catch (Throwable e) {
        fromJoin.set(e);
      }
      done.countDown();
    })) {
      self.set(pool);
      assertThrows(NullPointerException.class, () -> pool.submit(null));
      assertEquals(0, pool.pending());
      assertEquals(2, pool.workers());
      assertEquals("misuse", pool.name());
      pool.submit("x");
      await(done);
      assertInstanceOf(IllegalStateException.class, fromJoin.get());
    }
  }

  /** A node of a crawl: a full ternary tree numbered like a heap, root 0. */
  static final int BRANCHING = 3;
  static final int DEPTH = 6;
  static final int NODES = 1093; // (3^7 - 1) / 2

  @Test
  void aCrawlersJoinWaitsForEveryFollowUpItsHandlersSubmitted() throws Exception {
    // Plain (non-volatile) slots: only join()'s happens-before edge makes the writes visible.
    int[] visits = new int[NODES];
    ConcurrentLinkedQueue<Object> reported = new ConcurrentLinkedQueue<>();
    try (WorkerPool<Integer> crawler = WorkerPool.<Integer>builder((node, pool) -> {
      visits[node]++;
      if (depth(node) < DEPTH) {
        for (int k = 1; k <= BRANCHING; k++) {
          pool.submit(node * BRANCHING + k); // follow-ups, before this item is done
        }
      }
      if (node % 7 == 0) {
        throw new java.io.IOException("fetch failed: " + node); // checked, after the follow-ups
      }
    }).name("crawler").workers(4).onFailure((source, item, failure) -> {
      assertInstanceOf(java.io.IOException.class, failure);
      reported.add(item);
    }).start()) {
      for (int round = 1; round <= 20; round++) {
        crawler.submit(0);
        crawler.join(); // only the root was submitted from here
        for (int node = 0; node < NODES; node++) {
          if (visits[node] != round) {
            throw new AssertionError("round " + round + ": node " + node + " visited "
                + visits[node] + " times when join() returned");
          }
        }
        assertEquals(0, crawler.pending());
      }
      assertEquals(20L * NODES, crawler.completed() + crawler.failed());
      assertEquals(20L * 157, crawler.failed(), "nodes 0, 7, ..., 1092 fail each round");
      assertEquals(20 * 157, reported.size());
    }
  }

  private static int depth(int node) {
    int depth = 0;
    while (node > 0) {
      node = (node - 1) / BRANCHING;
      depth++;
    }
    return depth;
  }

  /** A handler that blocks on its first item until released, recording an interrupt. */
  static final class Blocking implements WorkerPool.Handler<Integer> {
    final TestThreads.Gate gate = new TestThreads.Gate();
    final CountDownLatch entered = gate.entered;
    final CountDownLatch released = gate.released;
    final AtomicBoolean interrupted = new AtomicBoolean();
    final ConcurrentLinkedQueue<Integer> handled = new ConcurrentLinkedQueue<>();

    @Override
    public void handle(Integer item, WorkerPool<Integer> pool) {
      if (gate.block()) {
        interrupted.set(true);
      }
      handled.add(item);
    }
  }

  @Test
  void shutdownNowReturnsTheItemsNoWorkerStartedAndInterruptsTheWorkers() throws Exception {
    Blocking handler = new Blocking();
    WorkerPool<Integer> pool = WorkerPool.builder(handler).name("stop-now").workers(1).start();
    pool.submit(1);
    await(handler.entered);
    pool.submit(2);
    pool.submit(3);
    ListenableFuture<?> tracked = pool.submitTracked(4);
    assertEquals(List.of(2, 3, 4), pool.shutdownNow());
    assertTrue(tracked.isCancelled());
    assertTrue(pool.isShutdown());
    assertTrue(pool.awaitTermination(TestThreads.DEADLINE_SECONDS, TimeUnit.SECONDS));
    assertTrue(pool.isTerminated());
    assertTrue(handler.interrupted.get(), "the running handler is interrupted");
    assertEquals(List.of(1), List.copyOf(handler.handled));
    assertThrows(RejectedExecutionException.class, () -> pool.submit(5));
    assertEquals(List.of(), pool.shutdownNow());
    assertTrue(pool.join(Duration.ZERO), "nothing is left unfinished");
    pool.close();
    TestThreads.assertNoThread("stop-now");
  }

  @Test
  void shutdownReturnsAtOnceAndTheWorkersStillHandleEveryAcceptedItem() throws Exception {
    Blocking handler = new Blocking();
    WorkerPool<Integer> pool = WorkerPool.builder(handler).name("graceful").workers(2).start();
    pool.submit(1);
    await(handler.entered);
    for (int i = 2; i <= 100; i++) {
      pool.submit(i);
    }
    pool.shutdown();
    assertTrue(pool.isShutdown());
    assertFalse(pool.awaitTermination(Duration.ofMillis(10)));
    assertFalse(pool.isTerminated());
    assertThrows(RejectedExecutionException.class, () -> pool.submit(101));
    handler.released.countDown();
    assertTrue(pool.awaitTermination(Duration.ofSeconds(TestThreads.DEADLINE_SECONDS)));
    assertTrue(pool.isTerminated());
    assertEquals(100, handler.handled.size());
    assertFalse(handler.interrupted.get());
    TestThreads.assertNoThread("graceful");
  }

  @Test
  void aTrackedItemsFutureCompletesWithItsHandlerAndTakesItsFailure() throws Exception {
    ConcurrentLinkedQueue<Object> reported = new ConcurrentLinkedQueue<>();
    try (WorkerPool<Integer> pool = WorkerPool.<Integer>builder((i, p) -> {
      if (i < 0) {
        throw new java.io.IOException("negative " + i);
      }
    }).name("tracked").workers(2).onFailure((source, item, failure) -> reported.add(item))
        .start()) {
      ListenableFuture<?> ok = pool.submitTracked(1);
      ListenableFuture<?> bad = pool.submitTracked(-1);
      assertNull(ok.get(TestThreads.DEADLINE_SECONDS, TimeUnit.SECONDS));
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> bad.get(TestThreads.DEADLINE_SECONDS, TimeUnit.SECONDS));
      assertInstanceOf(java.io.IOException.class, e.getCause());
      pool.submit(-2); // untracked: to the failure handler
      pool.join();
      assertEquals(List.of(-2), List.copyOf(reported), "a tracked failure goes to its future");
      assertEquals(2, pool.failed());
      assertEquals(1, pool.completed());
      assertThrows(NullPointerException.class, () -> pool.submitTracked(null));
    }
  }

  @Test
  void theWorkersComeFromTheThreadFactoryWithPythonStyleNames() throws Exception {
    AtomicLong made = new AtomicLong();
    ThreadFactory factory = task -> {
      made.incrementAndGet();
      return new Thread(task);
    };
    ConcurrentHashMap<String, Boolean> names = new ConcurrentHashMap<>();
    try (WorkerPool<Integer> pool = WorkerPool.<Integer>builder(
        i -> names.put(Thread.currentThread().getName(), true))
        .name("factory").workers(3).threadFactory(factory).start()) {
      for (int i = 0; i < 300; i++) {
        pool.submit(i);
      }
      pool.join();
      assertTrue(pool.join(1, TimeUnit.SECONDS));
    }
    assertEquals(3, made.get());
    assertTrue(names.keySet().stream().allMatch(n -> n.startsWith("factory-")), names.toString());
  }
}
