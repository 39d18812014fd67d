package io.github.gilpatterns.owner;

import static io.github.gilpatterns.owner.OwnerTestSupport.awaitBlocked;
import static io.github.gilpatterns.owner.OwnerTestSupport.joinOrFail;
import static io.github.gilpatterns.owner.OwnerTestSupport.ownerBuilder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.gilpatterns.owner.OwnerTestSupport.Gate;
import io.github.gilpatterns.testing.ThreadMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Bounded mailboxes: blocking tell, tryTell, exact capacity, interrupts, close while blocked. */
@Timeout(30)
class OwnerMailboxTest {

  /** The order in which messages ran; a plain list, touched only by the owner thread. */
  static final class Log {
    final List<String> ran = new ArrayList<>();
  }

  private static Consumer<Log> entry(String name) {
    return log -> log.ran.add(name);
  }

  @Test
  void tellBlocksWhileFullAndResumesWhenSpaceFrees() throws Exception {
    Log log = new Log();
    Gate gate = new Gate();
    try (Owner<Log> owner = ownerBuilder(log).name("bounded").mailboxCapacity(2).start()) {
      try {
        owner.tell(gate);
        gate.awaitEntered(); // the gate runs, so the mailbox is empty again
        owner.tell(entry("a"));
        owner.tell(entry("b"));
        assertFalse(owner.tryTell(entry("never-c")), "mailbox of 2 holds a and b");
        assertFalse(owner.tryTell(entry("never-d"), Duration.ofMillis(20)));
        assertFalse(owner.tryTell(entry("never-e"), Duration.ofSeconds(-1)));

        CountDownLatch told = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread sender = ThreadMode.newThread(() -> {
          try {
            owner.tell(entry("f"));
            told.countDown();
          } catch (Throwable t) {
            failure.set(t);
          }
        }, "blocked-sender");
        sender.start();
        awaitBlocked(sender);
        assertEquals(1L, told.getCount(), "tell returned although the mailbox was full");
        gate.release();
        joinOrFail(sender);
        assertNull(failure.get());
        owner.join();
        assertEquals(List.of("a", "b", "f"), log.ran);
      } finally {
        gate.release();
      }
    }
  }

  @Test
  void capacityIsExactNotRoundedToAPowerOfTwo() throws Exception {
    Log log = new Log();
    Gate gate = new Gate();
    try (Owner<Log> owner = ownerBuilder(log).name("exact").mailboxCapacity(3).start()) {
      try {
        owner.tell(gate);
        gate.awaitEntered();
        assertTrue(owner.tryTell(entry("1")));
        assertTrue(owner.tryTell(entry("2")));
        assertTrue(owner.tryTell(entry("3")));
        assertFalse(owner.tryTell(entry("4")));
      } finally {
        gate.release();
      }
      owner.join();
      assertEquals(List.of("1", "2", "3"), log.ran);
    }
  }

  @Test
  void interruptedBlockedTellIsRefusedAndKeepsTheInterrupt() throws Exception {
    Log log = new Log();
    Gate gate = new Gate();
    try (Owner<Log> owner = ownerBuilder(log).name("interrupt-tell").mailboxCapacity(1).start()) {
      try {
        owner.tell(gate);
        gate.awaitEntered();
        owner.tell(entry("fill"));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread sender = ThreadMode.newThread(() -> {
          try {
            owner.tell(entry("interrupted"));
          } catch (Throwable t) {
            thrown.set(t);
            stillInterrupted.set(Thread.currentThread().isInterrupted());
          }
        }, "interrupted-sender");
        sender.start();
        awaitBlocked(sender);
        sender.interrupt();
        joinOrFail(sender);
        assertTrue(thrown.get() instanceof RejectedExecutionException, String.valueOf(thrown));
        assertTrue(thrown.get().getCause() instanceof InterruptedException);
        assertTrue(stillInterrupted.get(), "the interrupt status must be restored");
      } finally {
        gate.release();
      }
      owner.join();
      assertEquals(List.of("fill"), log.ran);
      assertEquals(2L, owner.processed());
    }
  }

  @Test
  void interruptedTimedTryTellThrowsInterruptedException() throws Exception {
    Gate gate = new Gate();
    try (Owner<Log> owner =
        ownerBuilder(new Log()).name("interrupt-trytell").mailboxCapacity(1).start()) {
      try {
        owner.tell(gate);
        gate.awaitEntered();
        owner.tell(entry("fill"));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread sender = ThreadMode.newThread(() -> {
          try {
            owner.tryTell(entry("never"), Duration.ofMinutes(5));
          } catch (Throwable t) {
            thrown.set(t);
          }
        }, "interrupted-trytell");
        sender.start();
        awaitBlocked(sender);
        sender.interrupt();
        joinOrFail(sender);
        assertTrue(thrown.get() instanceof InterruptedException, String.valueOf(thrown));
      } finally {
        gate.release();
      }
    }
  }

  @Test
  void closeRefusesSendersBlockedOnAFullMailbox() throws Exception {
    Log log = new Log();
    Gate gate = new Gate();
    Owner<Log> owner = ownerBuilder(log).name("close-blocked").mailboxCapacity(1).start();
    Thread closer = null;
    try {
      owner.tell(gate);
      gate.awaitEntered();
      owner.tell(entry("accepted"));
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      Thread sender = ThreadMode.newThread(() -> {
        try {
          owner.tell(entry("refused"));
        } catch (Throwable t) {
          thrown.set(t);
        }
      }, "sender-blocked-at-close");
      sender.start();
      awaitBlocked(sender);
      closer = ThreadMode.newThread(owner::close, "closer");
      closer.start();
      joinOrFail(sender); // refused while the gate still holds the owner
      assertTrue(thrown.get() instanceof RejectedExecutionException, String.valueOf(thrown));
      assertNull(thrown.get().getCause());
    } finally {
      gate.release();
    }
    joinOrFail(closer);
    assertFalse(owner.thread().isAlive());
    assertEquals(List.of("accepted"), log.ran);
  }

  @Test
  void ownerThreadDoesNotWaitForItsOwnFullMailbox() throws Exception {
    final class Outcome {
      boolean firstAccepted;
      Throwable tellFailure;
      boolean timedAccepted = true;
      int ran;
    }
    try (Owner<Outcome> owner =
        ownerBuilder(new Outcome()).name("self-full").mailboxCapacity(1).start()) {
      CountDownLatch done = new CountDownLatch(1);
      owner.tell(o -> {
        o.firstAccepted = owner.tryTell(x -> x.ran++); // fills the mailbox of 1
        try {
          owner.tell(x -> x.ran++);
        } catch (RejectedExecutionException e) {
          o.tellFailure = e;
        }
        try {
          o.timedAccepted = owner.tryTell(x -> x.ran++, Duration.ofMinutes(5));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        done.countDown();
      });
      // Ask only afterwards: the ask itself would otherwise take the single slot.
      assertTrue(done.await(10, TimeUnit.SECONDS));
      Outcome outcome = owner.ask(o -> o).get(10, TimeUnit.SECONDS);
      assertTrue(outcome.firstAccepted);
      assertTrue(outcome.tellFailure instanceof RejectedExecutionException);
      assertFalse(outcome.timedAccepted);
      assertEquals(1, outcome.ran);
    }
  }

  @Test
  void boundedMailboxUnderContentionLosesNothing() throws Exception {
    final class Count {
      long value;
    }
    Count count = new Count();
    final int producers = 4;
    final int perProducer = 20_000;
    try (Owner<Count> owner =
        ownerBuilder(count).name("bounded-contention").mailboxCapacity(16).start()) {
      List<Thread> threads = new ArrayList<>();
      for (int p = 0; p < producers; p++) {
        threads.add(ThreadMode.newThread(() -> {
          for (int i = 0; i < perProducer; i++) {
            owner.tell(c -> c.value++);
          }
        }, "bounded-producer-" + p));
      }
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        joinOrFail(t);
      }
      owner.join();
      assertEquals((long) producers * perProducer, count.value);
    }
  }
}
