package io.github.gilpatterns.owner;

import static io.github.gilpatterns.owner.OwnerTestSupport.DEADLINE;
import static io.github.gilpatterns.owner.OwnerTestSupport.awaitBlocked;
import static io.github.gilpatterns.owner.OwnerTestSupport.joinOrFail;
import static io.github.gilpatterns.owner.OwnerTestSupport.startOwner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.ListenableFuture;
import io.github.gilpatterns.owner.OwnerTestSupport.Gate;
import io.github.gilpatterns.testing.ThreadMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Sending, asking, joining, ordering, counters, idling, and bad input. */
@Timeout(30)
class OwnerTest {

  /** Plain fields on purpose: only the owner thread writes them. */
  static final class Counter {
    long count;
    long twice;
  }

  @Test
  void tellRunsOnTheOwnerThreadAndAskReturnsTheResult() throws Exception {
    try (Owner<Counter> owner = startOwner("basic", new Counter())) {
      owner.tell(c -> c.count++);
      owner.tell(c -> c.count += 10);
      assertEquals(11L, owner.ask(c -> c.count).get(10, TimeUnit.SECONDS));
      assertEquals("basic", owner.ask(c -> Thread.currentThread().getName()).get());
      assertTrue(owner.ask(c -> owner.isOwnerThread()).get());
      assertFalse(owner.isOwnerThread());
      assertEquals("basic", owner.name());
      assertEquals("basic", owner.thread().getName());
    }
  }

  @Test
  void messagesFromOneSenderRunInOrderAndNoneIsLostOrDuplicated() throws Exception {
    final int producers = 4;
    final int perProducer = 20_000;
    final class Sequences {
      final long[] next = new long[producers];
      long outOfOrder;
    }
    try (Owner<Sequences> owner = startOwner("fifo", new Sequences())) {
      List<Thread> threads = new ArrayList<>();
      for (int p = 0; p < producers; p++) {
        final int id = p;
        threads.add(ThreadMode.newThread(() -> {
          for (int i = 0; i < perProducer; i++) {
            final long seq = i;
            owner.tell(s -> {
              if (s.next[id] != seq) {
                s.outOfOrder++;
              }
              s.next[id] = seq + 1;
            });
          }
        }, "fifo-producer-" + p));
      }
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        joinOrFail(t);
      }
      Sequences s = owner.ask(x -> x).get();
      owner.join(); // processed() counts the ask only once it has returned: join for that
      assertEquals(0L, s.outOfOrder);
      for (int p = 0; p < producers; p++) {
        assertEquals(perProducer, s.next[p], "producer " + p);
      }
      assertEquals((long) producers * perProducer + 1, owner.processed());
    }
  }

  @Test
  void joinMakesEveryEarlierMessageAndItsPlainWritesVisible() throws Exception {
    final int producers = 4;
    final int perProducer = 25_000;
    Counter counter = new Counter();
    try (Owner<Counter> owner = startOwner("join-visibility", counter)) {
      List<Thread> threads = new ArrayList<>();
      for (int p = 0; p < producers; p++) {
        threads.add(ThreadMode.newThread(() -> {
          for (int i = 0; i < perProducer; i++) {
            owner.tell(c -> {
              c.count++;
              c.twice += 2;
            });
          }
        }, "join-producer-" + p));
      }
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        joinOrFail(t);
      }
      owner.join();
      // Read the plain fields directly on this thread: join() must make them visible.
      assertEquals((long) producers * perProducer, counter.count);
      assertEquals(2L * producers * perProducer, counter.twice);
      assertEquals((long) producers * perProducer, owner.processed());
      assertEquals(0L, owner.pending());
    }
  }

  /**
   * Several senders join concurrently while the others keep sending: each join must cover the
   * joiner's own earlier messages. Each sender owns one slot of the array, so its plain read after
   * join() races with no write.
   */
  @Test
  void concurrentJoinersEachSeeTheirOwnEarlierMessages() throws Exception {
    final int senders = 4;
    final int rounds = 300;
    final int burst = 40;
    final long[] slots = new long[senders];
    AtomicReference<Throwable> failure = new AtomicReference<>();
    try (Owner<long[]> owner = startOwner("concurrent-join", slots)) {
      List<Thread> threads = new ArrayList<>();
      for (int p = 0; p < senders; p++) {
        final int id = p;
        threads.add(ThreadMode.newThread(() -> {
          try {
            long sent = 0;
            for (int r = 0; r < rounds; r++) {
              for (int i = 0; i < burst; i++) {
                owner.tell(s -> s[id]++);
                sent++;
              }
              owner.join();
              if (slots[id] != sent) {
                throw new AssertionError("sender " + id + " round " + r + ": saw " + slots[id]
                    + " after join, sent " + sent);
              }
            }
          } catch (Throwable t) {
            failure.compareAndSet(null, t);
          }
        }, "joining-sender-" + p));
      }
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        joinOrFail(t);
      }
      assertNull(failure.get());
    }
  }

  @Test
  void joinWaitsForEarlierMessagesOnly() throws Exception {
    Counter counter = new Counter();
    Gate gate = new Gate();
    try (Owner<Counter> owner = startOwner("join-waits", counter)) {
      try {
        owner.tell(gate);
        owner.tell(c -> c.count++);
        gate.awaitEntered();
        assertFalse(owner.join(Duration.ZERO), "join must not return while a message waits");
        assertFalse(owner.join(Duration.ofMillis(20)));

        CountDownLatch joined = new CountDownLatch(1);
        AtomicReference<Throwable> joinFailure = new AtomicReference<>();
        AtomicReference<Long> seen = new AtomicReference<>();
        Thread joiner = ThreadMode.newThread(() -> {
          try {
            owner.join();
            seen.set(counter.count); // plain read, made visible by join()
            joined.countDown();
          } catch (Throwable t) {
            joinFailure.set(t);
          }
        }, "joiner");
        joiner.start();
        awaitBlocked(joiner);
        assertEquals(1L, joined.getCount(), "join returned while an earlier message was pending");
        gate.release();
        joinOrFail(joiner);
        assertNull(joinFailure.get());
        assertEquals(1L, seen.get());
        assertTrue(owner.join(Duration.ZERO));
      } finally {
        gate.release();
      }
    }
  }

  @Test
  void joinOnTheOwnerThreadThrowsInsteadOfDeadlocking() throws Exception {
    try (Owner<Counter> owner = startOwner("join-self", new Counter())) {
      ListenableFuture<String> untimed = owner.ask(c -> {
        try {
          owner.join();
          return "returned";
        } catch (IllegalStateException e) {
          return "IllegalStateException";
        } catch (InterruptedException e) {
          return "interrupted";
        }
      });
      ListenableFuture<String> timed = owner.ask(c -> {
        try {
          return "returned " + owner.join(Duration.ofSeconds(1));
        } catch (IllegalStateException e) {
          return "IllegalStateException";
        } catch (InterruptedException e) {
          return "interrupted";
        }
      });
      assertEquals("IllegalStateException", untimed.get(10, TimeUnit.SECONDS));
      assertEquals("IllegalStateException", timed.get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void joinIsInterruptible() throws Exception {
    Gate gate = new Gate();
    try (Owner<Counter> owner = startOwner("join-interrupt", new Counter())) {
      try {
        owner.tell(gate);
        gate.awaitEntered();
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread joiner = ThreadMode.newThread(() -> {
          try {
            owner.join();
            outcome.set(new AssertionError("join returned"));
          } catch (Throwable t) {
            outcome.set(t);
          }
        }, "interrupted-joiner");
        joiner.start();
        awaitBlocked(joiner);
        joiner.interrupt();
        joinOrFail(joiner);
        assertTrue(outcome.get() instanceof InterruptedException, String.valueOf(outcome.get()));
      } finally {
        gate.release();
      }
    }
  }

  @Test
  void cancelledAskIsSkipped() throws Exception {
    Counter counter = new Counter();
    Gate gate = new Gate();
    try (Owner<Counter> owner = startOwner("cancel-ask", counter)) {
      try {
        owner.tell(gate);
        ListenableFuture<Long> cancelled = owner.ask(c -> ++c.count);
        assertTrue(cancelled.cancel(false));
        gate.release();
        assertEquals(1L, owner.ask(c -> ++c.count).get(10, TimeUnit.SECONDS));
      } finally {
        gate.release();
      }
    }
  }

  @Test
  void idleOwnerParksAndWakesForTheNextMessage() throws Exception {
    try (Owner<Counter> owner = startOwner("idle", new Counter())) {
      for (int round = 0; round < 3; round++) {
        awaitBlocked(owner.thread()); // parked, not spinning: WAITING
        final long expected = round + 1;
        assertEquals(expected, owner.ask(c -> ++c.count).get(10, TimeUnit.SECONDS));
      }
    }
  }

  @Test
  void countersTrackProcessedAndPending() throws Exception {
    Gate gate = new Gate();
    try (Owner<Counter> owner = startOwner("counters", new Counter())) {
      try {
        assertEquals(0L, owner.processed());
        assertEquals(0L, owner.pending());
        owner.tell(gate);
        gate.awaitEntered();
        for (int i = 0; i < 5; i++) {
          owner.tell(c -> c.count++);
        }
        assertEquals(0L, owner.processed());
        assertEquals(6L, owner.pending()); // the running gate and five waiting messages
        assertTrue(owner.toString().contains("counters"), owner.toString());
      } finally {
        gate.release();
      }
      owner.join();
      assertEquals(6L, owner.processed());
      assertEquals(0L, owner.pending());
    }
  }

  @Test
  void badArgumentsThrowAtTheCallAndEnqueueNothing() throws Exception {
    try (Owner<Counter> owner = startOwner("bad-input", new Counter())) {
      NullPointerException npe = assertThrows(NullPointerException.class, () -> owner.tell(null));
      assertTrue(npe.getMessage().contains("message"), npe.getMessage());
      assertThrows(NullPointerException.class, () -> owner.tryTell(null));
      assertThrows(NullPointerException.class, () -> owner.tryTell(null, Duration.ZERO));
      assertThrows(NullPointerException.class, () -> owner.tryTell(c -> c.count++, null));
      npe = assertThrows(NullPointerException.class, () -> owner.ask(null));
      assertTrue(npe.getMessage().contains("query"), npe.getMessage());
      assertThrows(NullPointerException.class, () -> owner.join(null));
      assertEquals(0L, owner.pending());
      assertEquals(0L, owner.processed());
      // The first message to run is the probe: nothing was enqueued by the calls above.
      assertEquals(0L, owner.ask(c -> c.count).get(10, TimeUnit.SECONDS));
      assertEquals(1L, owner.processed());
    }
  }

  @Test
  void badBuilderArgumentsThrowClearly() {
    NullPointerException npe =
        assertThrows(NullPointerException.class, () -> Owner.start(null, new Counter()));
    assertTrue(npe.getMessage().contains("name"), npe.getMessage());
    npe = assertThrows(NullPointerException.class, () -> Owner.start("x", null));
    assertTrue(npe.getMessage().contains("state"), npe.getMessage());
    assertThrows(NullPointerException.class, () -> Owner.builder(null));
    Owner.Builder<Counter> builder = Owner.builder(new Counter());
    assertThrows(NullPointerException.class, () -> builder.name(null));
    assertThrows(NullPointerException.class, () -> builder.onFailure(null));
    for (int capacity : new int[] {0, -1, Integer.MIN_VALUE, (1 << 30) + 1}) {
      IllegalArgumentException iae = assertThrows(IllegalArgumentException.class,
          () -> builder.mailboxCapacity(capacity));
      assertTrue(iae.getMessage().contains(String.valueOf(capacity)), iae.getMessage());
    }
  }

  @Test
  void builderStartsOnlyOneOwnerOfItsState() {
    Owner.Builder<Counter> builder = Owner.builder(new Counter());
    try (Owner<Counter> owner = builder.start()) {
      assertTrue(owner.name().startsWith("owner-"), owner.name());
      assertThrows(IllegalStateException.class, builder::start);
    }
  }

  @Test
  void plainConsumerTypesAreAccepted() throws Exception {
    Consumer<Object> anything = o -> { };
    try (Owner<Counter> owner = startOwner("variance", new Counter())) {
      owner.tell(anything); // Consumer<? super S>
      ListenableFuture<Object> asObject = owner.<Object>ask(c -> c.count);
      assertEquals(0L, asObject.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
    }
  }
}
