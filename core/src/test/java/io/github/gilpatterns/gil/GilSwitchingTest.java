package io.github.gilpatterns.gil;

import static io.github.gilpatterns.gil.TestSupport.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.gilpatterns.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Properties of switching between CPU-bound threads that call {@link Gil#checkpoint()}:
 * mutual exclusion between checkpoints over many switches, switches happen, nobody starves.
 * Each run stops after a number of switches counted by the threads themselves, not after
 * a time.
 */
@Timeout(120)
class GilSwitchingTest {

  /** Outcome of a run of CPU-bound checkpointing threads. */
  private static final class Run {
    final int maxInside;
    final long[] switchIns;
    final GilStats stats;

    Run(int maxInside, long[] switchIns, GilStats stats) {
      this.maxInside = maxInside;
      this.switchIns = switchIns;
      this.stats = stats;
    }

    long totalSwitchIns() {
      return Arrays.stream(switchIns).sum();
    }
  }

  /**
   * Runs {@code threads} threads that hold {@code gil} and spin through checkpoints,
   * counting how many threads are between two checkpoints at once (the overlap
   * detector) and how often each thread finds that another ran since its own last step
   * (its "switch-ins"), until the switch-ins add up to {@code targetSwitches}.
   */
  private static Run spin(Gil gil, int threads, long targetSwitches) throws InterruptedException {
    return spin(gil, threads, targetSwitches, Long.MAX_VALUE);
  }

  /**
   * As {@link #spin(Gil, int, long)}, but also stops once the GIL has been dropped on request
   * {@code maxForcedDrops} times. Without forced switching a dropping thread may take the GIL
   * straight back, so switches are not bounded by time, and the run needs this second bound.
   */
  private static Run spin(Gil gil, int threads, long targetSwitches, long maxForcedDrops)
      throws InterruptedException {
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger maxInside = new AtomicInteger();
    AtomicInteger lastRunner = new AtomicInteger(-1);
    AtomicLongArray switchIns = new AtomicLongArray(threads);
    AtomicLong totalSwitchIns = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    List<TestSupport.Worker> workers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      final int me = i;
      workers.add(start("cpu-" + i, () -> {
        gil.acquire();
        try {
          long sink = 0;
          long steps = 0;
          Await.Deadline deadline = Await.deadline("enough switches");
          while (!stop.get()) {
            deadline.check();
            int n = inside.incrementAndGet();
            if (n > maxInside.get()) {
              maxInside.accumulateAndGet(n, Math::max);
            }
            if (lastRunner.getAndSet(me) != me) {
              switchIns.incrementAndGet(me);
              if (totalSwitchIns.incrementAndGet() >= targetSwitches) {
                stop.set(true);
              }
            }
            for (int k = 0; k < 200; k++) { // some work between checkpoints
              sink += k * (long) n;
            }
            inside.decrementAndGet();
            Gil.checkpoint();
            if ((++steps & 1023) == 0 && gil.stats().forcedDrops() >= maxForcedDrops) {
              stop.set(true);
            }
          }
          return sink;
        } finally {
          gil.release();
        }
      }));
    }
    try {
      TestSupport.joinAll(workers);
    } finally {
      stop.set(true);
    }
    long[] counts = new long[threads];
    for (int i = 0; i < threads; i++) {
      counts[i] = switchIns.get(i);
    }
    assertFalse(gil.isDropRequested(), "a drop request outlived every waiter");
    assertEquals(0, gil.waiters());
    return new Run(maxInside.get(), counts, gil.stats());
  }

  @Test
  void atMostOneThreadRunsBetweenCheckpointsOverManySwitches() throws Exception {
    Gil gil = Gil.builder().switchInterval(Duration.ofMillis(1)).forceSwitching(true).build();
    Run run = spin(gil, 4, 300);
    assertEquals(1, run.maxInside, "threads overlapped between checkpoints under one GIL");
    assertTrue(run.totalSwitchIns() >= 300);
    assertTrue(run.stats.switches() >= 300, run.stats::toString);
    assertTrue(run.stats.forcedDrops() > 0, run.stats::toString);
    assertTrue(run.stats.dropRequests() > 0, run.stats::toString);
  }

  @Test
  void atMostOneThreadRunsBetweenCheckpointsWithoutForcedSwitching() throws Exception {
    // Without forced switching the dropping thread often takes the GIL straight back (with
    // virtual threads on an idle machine, in nearly every drop), so the run is bounded by
    // drop requests honoured rather than by switches; some switches still happen.
    Gil gil = Gil.builder().switchInterval(Duration.ofMillis(1)).forceSwitching(false).build();
    Run run = spin(gil, 4, 300, 1000);
    assertEquals(1, run.maxInside, "threads overlapped between checkpoints under one GIL");
    assertTrue(run.totalSwitchIns() > 1, () -> "no switch in " + run.stats);
    assertTrue(run.stats.forcedDrops() > 0, run.stats::toString);
    assertTrue(run.stats.dropRequests() > 0, run.stats::toString);
  }

  @Test
  void twoCpuBoundThreadsTakeTurnsFairly() throws Exception {
    Gil gil = Gil.builder().switchInterval(Duration.ofMillis(1)).build();
    Run run = spin(gil, 2, 200);
    assertEquals(1, run.maxInside);
    long total = run.totalSwitchIns();
    for (long mine : run.switchIns) {
      // With forced switching the GIL alternates; allow slack for the start and end.
      assertTrue(mine >= total * 0.4, () -> "unfair: " + Arrays.toString(run.switchIns));
    }
    // Every hand-over after the first came from a drop request honoured at a checkpoint.
    assertTrue(run.stats.forcedDrops() >= total - 4, run.stats::toString);
    // Forced switching: a thread that drops on request waits until the other has taken
    // the GIL, so every forced drop hands it over (none is wasted on retaking it).
    assertTrue(run.stats.forcedDrops() <= total + 1, run.stats::toString);
    assertTrue(run.stats.maxWait().compareTo(Duration.ZERO) > 0);
  }

  @Test
  void theOverlapDetectorSeesOverlapWithoutAGil() throws Exception {
    // Free-threaded: the same detector must be able to fail. Stop after enough
    // "switch-ins" (here: interleavings), then require that threads did overlap at
    // least once; on a single-CPU machine they may not, so skip there.
    if (Runtime.getRuntime().availableProcessors() < 2) {
      return;
    }
    Run run = spin(Gil.freeThreaded(), 2, 100_000);
    assertTrue(run.maxInside >= 2, "no overlap seen without a GIL");
  }
}
