package io.github.gilpatterns.gil;

import static io.github.gilpatterns.gil.TestSupport.awaitCondition;
import static io.github.gilpatterns.gil.TestSupport.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.gilpatterns.testing.Await;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Per-thread times, their sums, their printing, and stats and traces in every mode. */
@Timeout(60)
class GilStatsTest {

  private static Map<String, GilStats.ThreadTimes> byName(GilStats stats) {
    return stats.threads().stream()
        .collect(Collectors.toMap(GilStats.ThreadTimes::threadName, Function.identity()));
  }

  private static Duration sum(GilStats stats, Function<GilStats.ThreadTimes, Duration> field) {
    return stats.threads().stream().map(field).reduce(Duration.ZERO, Duration::plus);
  }

  /**
   * "holder" takes the GIL first and never waits; "waiter" waits for it; "sleeper" sleeps
   * without it. The per-thread times add up to the totals.
   */
  @Test
  void perThreadTimesAddUpToTheTotals() throws Exception {
    Gil gil = Gil.create();
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch letGo = new CountDownLatch(1);
    TestSupport.Worker holder = start("holder", () -> gil.holding(() -> {
      held.countDown();
      return letGo.await(20, TimeUnit.SECONDS);
    }));
    assertTrue(held.await(20, TimeUnit.SECONDS));
    TestSupport.Worker waiter = start("waiter", () -> gil.holding(() -> "took it"));
    awaitCondition("the waiter waits for the GIL", () -> gil.waiters() == 1);
    letGo.countDown();
    assertEquals(Boolean.TRUE, holder.join());
    assertEquals("took it", waiter.join());
    start("sleeper", () -> {
      gil.holding(() -> Gil.sleep(1, TimeUnit.MILLISECONDS));
      return null;
    }).join();

    GilStats stats = gil.stats();
    assertEquals(List.of("holder", "waiter", "sleeper"),
        stats.threads().stream().map(GilStats.ThreadTimes::threadName).collect(
            Collectors.toList()), "in the order they first took the GIL");
    assertEquals(stats.totalHeld(), sum(stats, GilStats.ThreadTimes::held));
    assertEquals(stats.totalWait(), sum(stats, GilStats.ThreadTimes::waited));
    Map<String, GilStats.ThreadTimes> t = byName(stats);
    assertEquals(Duration.ZERO, t.get("holder").waited(), "the first holder never waited");
    assertTrue(t.get("waiter").waited().compareTo(Duration.ZERO) > 0, t.get("waiter").toString());
    assertTrue(t.get("holder").held().compareTo(Duration.ZERO) > 0);
    assertEquals(Duration.ZERO, t.get("holder").released(), "never called releasing");
    assertEquals(Duration.ZERO, t.get("waiter").released());
    assertTrue(t.get("sleeper").released().compareTo(Duration.ofMillis(1)) >= 0,
        "slept at least 1 ms without the GIL: " + t.get("sleeper"));
  }

  /**
   * A CPU-bound thread that took the GIL without waiting, and then switched at checkpoints,
   * was always either holding the GIL or waiting for it: its held and waited times add up
   * exactly to the span from its first acquisition to its last release in the trace (the
   * trace and the statistics read the same clock readings). The wait after a forced drop
   * starts at the drop.
   */
  @Test
  void aSwitchingThreadIsAlwaysHoldingOrWaiting() throws Exception {
    Gil gil = Gil.builder().trace(true).build();
    CountDownLatch firstHolds = new CountDownLatch(1);
    Callable<Object> spin = () -> gil.holding(() -> {
      firstHolds.countDown();
      Await.Deadline deadline = Await.deadline("four forced drops");
      while (gil.stats().forcedDrops() < 4) {
        deadline.check();
        TestSupport.fib(15);
      }
      return null;
    });
    TestSupport.Worker first = start("first", spin);
    assertTrue(firstHolds.await(20, TimeUnit.SECONDS));
    TestSupport.joinAll(List.of(first, start("second", spin)));
    List<GilTrace.Event> events = gil.trace().events().stream()
        .filter(e -> e.threadName().equals("first") && e.kind() != GilTrace.Kind.DROP_REQUESTED)
        .collect(Collectors.toList());
    long span = events.get(events.size() - 1).nanoTime() - events.get(0).nanoTime();
    GilStats.ThreadTimes t = byName(gil.stats()).get("first");
    assertTrue(events.size() >= 4, "switched at least once: " + events);
    assertEquals(Duration.ofNanos(span), t.held().plus(t.waited()), t.toString());
  }

  @Test
  void aHoldInProgressCountsUpToTheSnapshot() throws Exception {
    Gil gil = Gil.create();
    gil.acquire();
    try {
      GilStats stats = gil.stats();
      assertEquals(1, stats.threads().size());
      assertEquals(stats.totalHeld(), stats.threads().get(0).held());
      assertTrue(stats.totalHeld().compareTo(Duration.ZERO) > 0);
      GilStats released = gil.releasing(gil::stats);
      assertTrue(released.threads().get(0).released().compareTo(Duration.ZERO) > 0);
      assertEquals(released.totalHeld(), released.threads().get(0).held());
    } finally {
      gil.release();
    }
  }

  @Test
  void toStringPrintsMillisecondsAndOneLinePerThread() throws Exception {
    Gil gil = Gil.create();
    gil.holding(() -> Gil.sleep(Duration.ZERO));
    String text = gil.stats().toString();
    assertFalse(text.contains("PT"), text);
    assertTrue(text.matches("(?s)GilStats\\[acquisitions=2, .*held=\\d+\\.\\d ms, "
        + "totalWait=\\d+\\.\\d ms, maxWait=\\d+\\.\\d ms]\n  "
        + Thread.currentThread().getName().replace("[", "\\[").replace("]", "\\]")
        + ": held \\d+\\.\\d ms, waited \\d+\\.\\d ms, released \\d+\\.\\d ms"), text);
    assertEquals("0.7 ms", GilStats.millis(Duration.ofNanos(670_000)));
    assertEquals("670.0 ms", GilStats.millis(Duration.ofMillis(670)));
  }

  @Test
  void statsRejectBadComponents() {
    assertThrows(NullPointerException.class, () -> new GilStats(0, 0, 0, 0, Duration.ZERO,
        Duration.ZERO, null, List.of()));
    assertThrows(NullPointerException.class, () -> new GilStats(0, 0, 0, 0, Duration.ZERO,
        Duration.ZERO, Duration.ZERO, null));
    assertThrows(NullPointerException.class,
        () -> new GilStats.ThreadTimes(1, null, Duration.ZERO, Duration.ZERO, Duration.ZERO));
  }

  @Test
  void aFreeThreadedGilKeepsStatsAndATraceWhenAsked() throws Exception {
    Gil gil = Gil.builder().freeThreaded(true).trace(true).build();
    assertTrue(gil.isFreeThreaded());
    CyclicBarrier bothHolding = new CyclicBarrier(2);
    Runnable body = () -> {
      try {
        gil.holding(() -> bothHolding.await(20, TimeUnit.SECONDS)); // deadlocks under a GIL
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    };
    TestSupport.joinAll(List.of(start("a", () -> {
      body.run();
      return null;
    }), start("b", () -> {
      body.run();
      return null;
    })));
    GilStats stats = gil.stats();
    assertEquals(2, stats.acquisitions());
    assertEquals(0, stats.switches());
    assertEquals(Duration.ZERO, stats.totalWait());
    assertEquals(stats.totalHeld(), sum(stats, GilStats.ThreadTimes::held));
    assertEquals(Set.of("a", "b"), byName(stats).keySet());
    GilTrace trace = gil.trace();
    assertEquals(Map.of("a", 1L, "b", 1L), trace.acquisitionsByThread());
    // Both acquired before either released: the timeline shows them running at once.
    List<GilTrace.Kind> kinds = trace.events().stream().map(GilTrace.Event::kind)
        .collect(Collectors.toList());
    assertEquals(List.of(GilTrace.Kind.ACQUIRED, GilTrace.Kind.ACQUIRED,
        GilTrace.Kind.RELEASED, GilTrace.Kind.RELEASED), kinds);
    assertTrue(Gil.freeThreaded().trace().isEmpty(), "no trace unless asked for");
  }

  @Test
  void perInterpreterGilsComeFromTheSupplierAndTraceTheirOwnWorker() throws Exception {
    Set<String> names = new HashSet<>();
    try (GilExecutor pool = GilExecutor.builder().perInterpreter(2).gils(Gil.builder().trace(true)::build).build()) {
      CyclicBarrier both = new CyclicBarrier(2); // two workers, so two GILs in use
      for (int i = 0; i < 2; i++) {
        pool.submit(() -> both.await(20, TimeUnit.SECONDS));
      }
      pool.shutdown();
      assertTrue(pool.awaitTermination(20, TimeUnit.SECONDS));
      assertEquals(2, pool.gils().size());
      for (Gil gil : pool.gils()) {
        Map<String, Long> byThread = gil.trace().acquisitionsByThread();
        assertEquals(1, byThread.size(), "one worker per interpreter's GIL: " + byThread);
        names.addAll(byThread.keySet());
        assertEquals(1, gil.stats().threads().size());
      }
    }
    assertEquals(2, names.size(), "each GIL traced a different worker: " + names);
  }

  @Test
  void perInterpreterRejectsASupplierThatSharesOrReturnsNull() {
    Gil one = Gil.create();
    assertThrows(IllegalArgumentException.class, () -> GilExecutor.builder().perInterpreter(2).gils(() -> one).build());
    assertThrows(NullPointerException.class, () -> GilExecutor.builder().perInterpreter(2).gils(() -> null).build());
    assertThrows(IllegalArgumentException.class,
        () -> GilExecutor.builder().perInterpreter(0));
    assertThrows(NullPointerException.class,
        () -> GilExecutor.builder().gils((java.util.function.Supplier<Gil>) null));
    assertFalse(one.isHeldByCurrentThread());
  }
}
