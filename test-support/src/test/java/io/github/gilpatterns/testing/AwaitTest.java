package io.github.gilpatterns.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every wait of {@link Await} ends: on its condition, at its limit, or on an interrupt. */
class AwaitTest {

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  @Test
  void untilReturnsOnceAnotherThreadMakesTheConditionTrue() throws InterruptedException {
    AtomicBoolean done = new AtomicBoolean();
    CountDownLatch go = new CountDownLatch(1);
    Thread setter = ThreadMode.start("setter", () -> {
      try {
        go.await();
      } catch (InterruptedException e) {
        return;
      }
      done.set(true);
    });
    go.countDown();
    Await.until("the setter ran", done::get);
    assertTrue(done.get());
    setter.join();
  }

  @Test
  void untilFailsAfterItsLimitNamingWhatItAwaited() {
    long t0 = System.nanoTime();
    AssertionError e = assertThrows(AssertionError.class,
        () -> Await.until("a flag nobody sets", () -> false, Duration.ofMillis(50)));
    assertEquals("not within 50 ms: a flag nobody sets", e.getMessage());
    assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(50), "waited out the limit");
  }

  @Test
  void anInterruptEndsAWaitAndKeepsTheInterruptStatus() {
    Thread.currentThread().interrupt();
    AssertionError e = assertThrows(AssertionError.class, () -> Await.until("a flag nobody sets", () -> false));
    assertEquals("interrupted while waiting until a flag nobody sets", e.getMessage());
    assertTrue(Thread.currentThread().isInterrupted());
  }

  @Test
  void blockedReturnsWhenTheThreadParksAndFailsWhenItEndsInstead() throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    Thread parked = ThreadMode.start("parked", () -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    Await.blocked(parked);
    Thread.State state = parked.getState();
    assertTrue(state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING, state.toString());
    release.countDown();
    parked.join();
    AssertionError e = assertThrows(AssertionError.class, () -> Await.blocked(parked));
    assertEquals("parked ended instead of blocking", e.getMessage());
  }

  @Test
  void idleFailsWithoutProgressAndProgressStartsTheLimitOver() {
    Await.Idle idle = new Await.Idle("work", Duration.ofMillis(30));
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
    while (System.nanoTime() < end) { // 100 ms of pauses, with progress each 5 ms: no failure
      long stretch = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
      while (System.nanoTime() < stretch) {
        idle.pause();
      }
      idle.progress();
    }
    AssertionError e = assertThrows(AssertionError.class, () -> {
      while (true) {
        idle.pause();
      }
    });
    assertEquals("not within 30 ms: work", e.getMessage());
  }

  @Test
  void aDeadlinePassesOnceAndThenFailsItsLoop() {
    Await.Deadline deadline = new Await.Deadline("a loop", Duration.ofMillis(20));
    assertFalse(deadline.passed());
    deadline.check();
    Await.until("the deadline passed", deadline::passed);
    AssertionError e = assertThrows(AssertionError.class, deadline::check);
    assertEquals("still running after 20 ms: a loop", e.getMessage());
  }
}
