package io.github.gilpatterns.patterns;

import static io.github.gilpatterns.patterns.TestThreads.await;
import static io.github.gilpatterns.patterns.TestThreads.runAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class PipelineTest {

  record Item(int key, int seq, long value) {}

  /** Sink state: plain fields, only the sink thread writes them. */
  static final class PerKey {
    final int[] next;
    long outOfOrder;
    long delivered;
    final ConcurrentHashMap<String, Boolean> stageThreads = new ConcurrentHashMap<>();

    PerKey(int keys) {
      next = new int[keys];
    }
  }

  @Test
  void keyedPipelineDeliversEveryItemExactlyOnceInOrderPerKey() throws Exception {
    final int keys = 64;
    final int submitters = 4;
    final int perKey = 1_000; // 64,000 items
    PerKey sink = new PerKey(keys);
    ConcurrentHashMap<String, Boolean> keyedThreads = new ConcurrentHashMap<>();
    try (Pipeline<Item> pipeline = Pipeline.<Item>builder("keyed")
        .stage("double", (Item it) -> new Item(it.key(), it.seq(), it.value() * 2))
        .keyedStage("work", 4, Item::key, it -> {
          keyedThreads.put(Thread.currentThread().getName(), true);
          return new Item(it.key(), it.seq(), it.value() + 1);
        })
        .stage("check", it -> it)
        .sink("record", it -> {
          if (it.seq() != sink.next[it.key()] || it.value() != it.seq() * 2L + 1) {
            sink.outOfOrder++;
          }
          sink.next[it.key()] = it.seq() + 1;
          sink.delivered++;
        })) {
      // Submitter s owns the keys k with k % submitters == s, so per key there is one
      // submitting thread, and its order is the order the pipeline must keep.
      runAll("submit", submitters, s -> {
        for (int seq = 0; seq < perKey; seq++) {
          for (int k = s; k < keys; k += submitters) {
            pipeline.submit(new Item(k, seq, seq));
          }
        }
      });
      pipeline.join();
      // join(): the sink's plain writes are visible now
      assertEquals(0, sink.outOfOrder);
      assertEquals((long) keys * perKey, sink.delivered);
      for (int k = 0; k < keys; k++) {
        assertEquals(perKey, sink.next[k], "key " + k);
      }
      assertEquals((long) keys * perKey, pipeline.delivered());
      assertEquals(0, pipeline.failed());
      assertTrue(keyedThreads.size() > 1, "the keyed stage ran on " + keyedThreads.keySet());
    }
    TestThreads.assertNoThread("keyed.");
  }

  @Test
  void sequentialPipelineKeepsTotalSubmissionOrder() throws Exception {
    List<Integer> out = new ArrayList<>(); // written by the sink thread only
    try (Pipeline<Integer> pipeline = Pipeline.<Integer>builder("seq")
        .stage("plus", (Integer i) -> i + 1)
        .stage("str", String::valueOf)
        .stage("parse", Integer::parseInt)
        .sink("collect", out::add)) {
      for (int i = 0; i < 50_000; i++) {
        pipeline.submit(i);
      }
      pipeline.join();
      assertEquals(50_000, out.size());
      for (int i = 0; i < out.size(); i++) {
        if (out.get(i) != i + 1) {
          throw new AssertionError("position " + i + " holds " + out.get(i));
        }
      }
    }
  }

  @Test
  void nullDropsAndFailuresStopOnlyTheirItem() throws Exception {
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    List<Integer> out = new ArrayList<>();
    try (Pipeline<Integer> pipeline = Pipeline.<Integer>builder("filter")
        .onFailure((p, stage, item, failure) -> failures.add(stage + ":" + item))
        .stage("evens", (Integer i) -> i % 2 == 0 ? i : null)
        .keyedStage("fragile", 2, (Integer i) -> {
          if (i == 40) {
            throw new IllegalArgumentException("bad key");
          }
          return i;
        }, i -> {
          if (i % 10 == 0) {
            throw new IllegalStateException("boom " + i);
          }
          return i;
        })
        .sink("collect", out::add)) {
      for (int i = 0; i < 100; i++) {
        pipeline.submit(i);
      }
      pipeline.join();
      assertEquals(50, pipeline.dropped());
      assertEquals(10, pipeline.failed());
      assertEquals(40, pipeline.delivered());
      assertEquals(10, failures.size());
      assertTrue(failures.contains("fragile:40"));
      assertTrue(out.stream().allMatch(i -> i % 2 == 0 && i % 10 != 0));
    }
  }

  @Test
  void closeDeliversEverythingAcceptedThroughBoundedStages() throws Exception {
    AtomicLong delivered = new AtomicLong();
    Pipeline<Integer> pipeline = Pipeline.<Integer>builder("bounded")
        .mailboxCapacity(4)
        .stage("a", (Integer i) -> i)
        .keyedStage("b", 3, i -> i, i -> i)
        .sink("count", i -> delivered.incrementAndGet());
    for (int i = 0; i < 20_000; i++) {
      pipeline.submit(i);
    }
    pipeline.close(); // no join first
    assertEquals(20_000, delivered.get());
    assertEquals(20_000, pipeline.delivered());
    assertThrows(RejectedExecutionException.class, () -> pipeline.submit(1));
    pipeline.join();
    pipeline.close();
    TestThreads.assertNoThread("bounded.");
  }

  @Test
  void closeRacingWithSubmitLosesNothingAccepted() throws Exception {
    for (int round = 0; round < 10; round++) {
      AtomicLong delivered = new AtomicLong();
      Pipeline<Integer> pipeline = Pipeline.<Integer>builder("race-" + round)
          .keyedStage("k", 2, i -> i, i -> i)
          .sink("count", i -> delivered.incrementAndGet());
      long accepted =
          TestThreads.acceptedWhileClosing(3, (t, n) -> pipeline.submit((int) n), pipeline::close);
      assertEquals(accepted, delivered.get(), "round " + round);
    }
  }

  @Test
  void badInputAndMisuse() throws Exception {
    assertThrows(NullPointerException.class, () -> Pipeline.builder(null));
    Pipeline.Builder<Integer, Integer> b = Pipeline.builder("bad");
    assertThrows(NullPointerException.class, () -> b.stage(null, i -> i));
    assertThrows(NullPointerException.class, () -> b.stage("s", null));
    assertThrows(IllegalArgumentException.class, () -> b.keyedStage("k", 0, i -> i, i -> i));
    assertThrows(NullPointerException.class, () -> b.keyedStage("k", 2, null, i -> i));
    assertThrows(IllegalArgumentException.class, () -> b.mailboxCapacity(0));
    assertThrows(NullPointerException.class, () -> b.onFailure(null));
    assertThrows(NullPointerException.class, () -> b.sink("s", null));
    AtomicReference<Throwable> fromJoin = new AtomicReference<>();
    AtomicReference<Throwable> fromClose = new AtomicReference<>();
    AtomicReference<Pipeline<Integer>> self = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);
    try (Pipeline<Integer> pipeline = b.stage("s", (Integer i) -> i).sink("sink", i -> {
      try {
        self.get().join();
      } catch (Throwable e) {
        fromJoin.set(e);
      }
      try {
        self.get().close();
      } catch (Throwable e) {
        fromClose.set(e);
      }
      done.countDown();
    })) {
      self.set(pipeline);
      assertThrows(NullPointerException.class, () -> pipeline.submit(null));
      pipeline.submit(1);
      await(done);
      assertInstanceOf(IllegalStateException.class, fromJoin.get());
      assertNull(fromClose.get(), "close() on a stage's thread shuts down and returns");
      assertTrue(pipeline.isShutdown());
      assertTrue(pipeline.toString().startsWith("Pipeline[bad: s -> sink"), pipeline.toString());
    }
    // a builder is a template: two pipelines from one builder
    try (Pipeline<Integer> one = b.sink("a", i -> { });
        Pipeline<Integer> two = b.sink("b", i -> { })) {
      one.submit(1);
      two.submit(2);
      one.join();
      two.join();
      assertEquals(1, one.delivered());
      assertEquals(1, two.delivered());
    }
  }

  /** A stage function that blocks on its first item until released; throws if interrupted. */
  static final class Gate implements java.util.function.Function<Integer, Integer> {
    final TestThreads.Gate gate = new TestThreads.Gate();
    final CountDownLatch entered = gate.entered;
    final CountDownLatch released = gate.released;
    final AtomicBoolean interrupted = new AtomicBoolean();

    @Override
    public Integer apply(Integer i) {
      if (gate.block()) {
        interrupted.set(true);
        throw new IllegalStateException("interrupted on " + i);
      }
      return i;
    }
  }

  @Test
  void shutdownNowReturnsTheSubmittedItemsThatNeverCameOut() throws Exception {
    Gate gate = new Gate();
    ConcurrentLinkedQueue<Integer> out = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    Pipeline<Integer> pipeline = Pipeline.<Integer>builder("stop-now")
        .onFailure((p, stage, item, failure) -> failures.add(stage + ":" + item))
        .stage("first", (Integer i) -> i)
        .stage("gate", gate)
        .sink("out", out::add);
    pipeline.submit(1);
    await(gate.entered);
    for (int i = 2; i <= 5; i++) {
      pipeline.submit(i);
    }
    // Items wait at "gate" (those "first" has handed on) and at "first": the later stage's come
    // first, so the list is in submission order.
    assertEquals(List.of(2, 3, 4, 5), pipeline.shutdownNow());
    assertTrue(gate.interrupted.get(), "the running stage function is interrupted");
    assertEquals(List.of("gate:1"), List.copyOf(failures));
    assertTrue(out.isEmpty());
    assertTrue(pipeline.isShutdown());
    assertTrue(pipeline.awaitTermination(Duration.ZERO));
    assertTrue(pipeline.isTerminated());
    assertThrows(RejectedExecutionException.class, () -> pipeline.submit(6));
    assertThrows(IllegalStateException.class, pipeline::join, "items will never go through");
    assertEquals(List.of(), pipeline.shutdownNow());
    pipeline.close();
    TestThreads.assertNoThread("stop-now.");
  }

  @Test
  void shutdownReturnsAtOnceAndEveryAcceptedItemStillComesOut() throws Exception {
    Gate gate = new Gate();
    ConcurrentLinkedQueue<Integer> out = new ConcurrentLinkedQueue<>();
    Pipeline<Integer> pipeline = Pipeline.<Integer>builder("graceful")
        .stage("gate", gate)
        .keyedStage("keyed", 3, i -> i, (Integer i) -> i * 10)
        .sink("out", out::add);
    pipeline.submit(1);
    await(gate.entered);
    for (int i = 2; i <= 50; i++) {
      pipeline.submit(i);
    }
    pipeline.shutdown(); // returns while the gate blocks
    assertTrue(pipeline.isShutdown());
    assertFalse(pipeline.isTerminated());
    assertFalse(pipeline.awaitTermination(10, TimeUnit.MILLISECONDS));
    assertThrows(RejectedExecutionException.class, () -> pipeline.submit(51));
    gate.released.countDown();
    assertTrue(pipeline.awaitTermination(TestThreads.DEADLINE_SECONDS, TimeUnit.SECONDS));
    assertTrue(pipeline.isTerminated());
    assertEquals(50, out.size());
    assertEquals(50, pipeline.delivered());
    assertEquals(50 * 51 / 2 * 10, out.stream().mapToInt(Integer::intValue).sum());
    TestThreads.assertNoThread("graceful.");
  }

  @Test
  void everyStageThreadComesFromTheThreadFactoryAndKeyedPartitionsAreSeparateThreads()
      throws Exception {
    AtomicLong made = new AtomicLong();
    ThreadFactory factory = task -> {
      made.incrementAndGet();
      return new Thread(task);
    };
    ConcurrentHashMap<String, Boolean> keyedThreads = new ConcurrentHashMap<>();
    try (Pipeline<Integer> pipeline = Pipeline.<Integer>builder("factory")
        .threadFactory(factory)
        .stage("a", (Integer i) -> i)
        .keyedStage("k", 4, i -> i, i -> {
          keyedThreads.put(Thread.currentThread().getName(), true);
          return i;
        })
        .sink("s", i -> { })) {
      for (int i = 0; i < 400; i++) {
        pipeline.submit(i);
      }
      pipeline.join();
      assertEquals(400, pipeline.delivered());
    }
    assertEquals(6, made.get(), "1 + 4 + 1 stage threads, all from the factory");
    assertEquals(4, keyedThreads.size(), "each key partition runs on a thread of its own");
  }

  @Test
  void aFailureHandlerThatThrowsDoesNotStopTheStage() throws Exception {
    ConcurrentLinkedQueue<Integer> out = new ConcurrentLinkedQueue<>();
    try (Pipeline<Integer> pipeline = Pipeline.<Integer>builder("bad-handler")
        .onFailure((p, stage, item, failure) -> {
          throw new IllegalStateException("the handler fails too");
        })
        .stage("fragile", (Integer i) -> {
          if (i % 2 == 0) {
            throw new IllegalArgumentException("even " + i);
          }
          return i;
        })
        .sink("out", out::add)) {
      for (int i = 0; i < 10; i++) {
        pipeline.submit(i);
      }
      pipeline.join();
      assertEquals(5, pipeline.failed());
      assertEquals(List.of(1, 3, 5, 7, 9), List.copyOf(out));
    }
  }
}
