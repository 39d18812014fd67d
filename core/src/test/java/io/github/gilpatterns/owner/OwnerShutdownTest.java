package io.github.gilpatterns.owner;

import static io.github.gilpatterns.owner.OwnerTestSupport.DEADLINE;
import static io.github.gilpatterns.owner.OwnerTestSupport.awaitBlocked;
import static io.github.gilpatterns.owner.OwnerTestSupport.joinOrFail;
import static io.github.gilpatterns.owner.OwnerTestSupport.ownerBuilder;
import static io.github.gilpatterns.owner.OwnerTestSupport.startOwner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.gilpatterns.owner.OwnerTestSupport.Attempt;
import io.github.gilpatterns.owner.OwnerTestSupport.Gate;
import io.github.gilpatterns.testing.ThreadMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The owner's java.util.concurrent lifecycle: shutdown does not wait, awaitTermination in both
 * forms, isShutdown/isTerminated, join refusing to report messages that will never run, the
 * final-state read, the drained hook, and the (long, TimeUnit) forms of the timed calls.
 */
class OwnerShutdownTest {

  static final class Tally {
    long total;
    final List<Long> drainedAt = new ArrayList<>();
  }

  @Test
  void shutdownRefusesNewMessagesRunsTheAcceptedOnesAndDoesNotWait() throws Exception {
    Tally tally = new Tally();
    Gate gate = new Gate();
    Owner<Tally> owner = startOwner("shutdown", tally);
    try {
      owner.tell(gate);
      gate.awaitEntered();
      owner.tell(t -> t.total++);
      owner.tell(t -> t.total++);
      owner.shutdown(); // returns although the owner is blocked in the gate
      assertTrue(owner.isShutdown());
      assertFalse(owner.isTerminated());
      assertThrows(RejectedExecutionException.class, () -> owner.tell(t -> t.total++));
      assertFalse(owner.awaitTermination(Duration.ZERO), "still running the gate");
      assertFalse(owner.awaitTermination(20, TimeUnit.MILLISECONDS));
      assertThrows(IllegalStateException.class, () -> owner.readFinalState(t -> t.total),
          "no read of the state while the owner may still write it");
    } finally {
      gate.release();
    }
    assertTrue(owner.awaitTermination(DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
    assertTrue(owner.isTerminated());
    long total = owner.readFinalState(t -> t.total);
    assertEquals(2L, total, "every accepted message ran");
    assertTrue(owner.join(Duration.ZERO), "every message ran: join reports success");
    owner.shutdown(); // idempotent
    owner.close();
    assertEquals(List.of(), owner.shutdownNow());
  }

  @Test
  void awaitTerminationIsInterruptibleAndClearsTheStatus() throws Exception {
    Gate gate = new Gate();
    Owner<Tally> owner = startOwner("await-interrupt", new Tally());
    try {
      owner.tell(gate);
      owner.shutdown();
      AtomicReference<Boolean> flagAfter = new AtomicReference<>();
      Attempt waiter = Attempt.start("waiter", () -> {
        try {
          boolean unused = owner.awaitTermination(Duration.ofDays(1));
        } finally {
          flagAfter.set(Thread.currentThread().isInterrupted());
        }
      });
      awaitBlocked(waiter.thread);
      waiter.thread.interrupt();
      waiter.thrown(InterruptedException.class);
      assertEquals(Boolean.FALSE, flagAfter.get(), "the interrupt status is cleared");
      Thread.currentThread().interrupt();
      assertThrows(InterruptedException.class, () -> owner.awaitTermination(1, TimeUnit.DAYS),
          "interrupted on entry");
      assertFalse(Thread.interrupted());
    } finally {
      gate.release();
      owner.close();
    }
  }

  @Test
  void awaitTerminationOnTheOwnerThreadThrowsInsteadOfDeadlocking() throws Exception {
    try (Owner<Tally> owner = startOwner("await-self", new Tally())) {
      AtomicReference<Throwable> seen = new AtomicReference<>();
      owner.tell(t -> {
        try {
          owner.awaitTermination(Duration.ofSeconds(1));
        } catch (Throwable e) {
          seen.set(e);
        }
      });
      owner.join();
      assertTrue(seen.get() instanceof IllegalStateException, String.valueOf(seen.get()));
    }
  }

  @Test
  void joinAfterShutdownNowThrowsForTheMessagesThatNeverRan() throws Exception {
    Gate gate = new Gate();
    Owner<Tally> owner = startOwner("join-after-stop", new Tally());
    owner.tell(gate);
    gate.awaitEntered();
    owner.tell(t -> t.total++);
    Attempt joiner = Attempt.start("joiner", owner::join);
    awaitBlocked(joiner.thread);
    assertEquals(1, owner.shutdownNow().size());
    IllegalStateException notRun = joiner.thrown(IllegalStateException.class);
    assertTrue(notRun.getMessage().contains("1 of the messages"), notRun.getMessage());
    assertThrows(IllegalStateException.class, owner::join);
    assertThrows(IllegalStateException.class, () -> owner.join(1, TimeUnit.SECONDS));
    assertTrue(owner.awaitTermination(Duration.ZERO), "shutdownNow() is a normal termination");
    assertNull(owner.terminationCause());
    long total = owner.readFinalState(t -> t.total);
    assertEquals(0L, total);
  }

  @Test
  void readFinalStateSeesEveryMessagesPlainWrites() throws Exception {
    Tally tally = new Tally();
    Owner<Tally> owner = startOwner("final-state", tally);
    List<Thread> senders = new ArrayList<>();
    for (int s = 0; s < 4; s++) {
      senders.add(ThreadMode.start("sender-" + s, () -> {
        for (int i = 0; i < 10_000; i++) {
          owner.tell(t -> t.total++);
        }
      }));
    }
    for (Thread sender : senders) {
      joinOrFail(sender);
    }
    owner.close();
    long total = owner.readFinalState(t -> t.total);
    assertEquals(40_000L, total);
    assertThrows(NullPointerException.class, () -> owner.readFinalState(null));
  }

  @Test
  void theDrainedHookRunsOnTheOwnerThreadWhenABurstIsDone() throws Exception {
    Tally tally = new Tally();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    AtomicReference<Owner<Tally>> self = new AtomicReference<>();
    Semaphore hookRuns = new Semaphore(0);
    Gate gate = new Gate();
    Owner<Tally> owner = ownerBuilder(tally).name("drained")
        .onDrained(t -> {
          assertTrue(self.get().isOwnerThread());
          t.drainedAt.add(t.total);
          hookRuns.release();
          if (t.total == 13) {
            throw new IllegalStateException("expected in this test: the hook failed");
          }
        })
        .onFailure((o, message, failure) -> failures.add(failure))
        .start();
    self.set(owner);
    try {
      owner.tell(gate);
      gate.awaitEntered();
      for (int i = 0; i < 10; i++) {
        owner.tell(t -> t.total++);
      }
    } finally {
      gate.release(); // the owner runs the 10 as one burst, then drains
    }
    assertTrue(hookRuns.tryAcquire(DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
    owner.tell(t -> t.total += 3);
    assertTrue(hookRuns.tryAcquire(DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
    owner.close(); // no message since: the hook does not run again
    List<Long> drainedAt = owner.readFinalState(t -> t.drainedAt);
    assertEquals(List.of(10L, 13L), drainedAt, "once per burst, after its last message");
    assertEquals(1, failures.size(), "a failing hook goes to the error handler");
  }

  @Test
  void timedCallsTakeBothDurationAndTimeUnit() throws Exception {
    Gate gate = new Gate();
    try (Owner<Tally> owner =
        ownerBuilder(new Tally()).name("timed").mailboxCapacity(1).start()) {
      try {
        owner.tell(gate);
        gate.awaitEntered();
        assertTrue(owner.tryTell(t -> t.total++, 0, TimeUnit.SECONDS));
        assertFalse(owner.tryTell(t -> t.total++, 10, TimeUnit.MILLISECONDS), "full");
        assertFalse(owner.tryTell(t -> t.total++, -1, TimeUnit.DAYS), "negative: no wait");
        assertFalse(owner.join(10, TimeUnit.MILLISECONDS));
        assertFalse(owner.join(Duration.ofMillis(10)));
        assertThrows(NullPointerException.class, () -> owner.join(1, null));
        assertThrows(NullPointerException.class, () -> owner.awaitTermination(1, null));
        assertThrows(NullPointerException.class, () -> owner.tryTell(t -> { }, 1, null));
      } finally {
        gate.release();
      }
      assertTrue(owner.join(DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
    }
  }
}
