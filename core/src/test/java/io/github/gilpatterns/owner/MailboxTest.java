package io.github.gilpatterns.owner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.gilpatterns.testing.Await;
import io.github.gilpatterns.testing.ThreadMode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The owner's mailbox on its own: FIFO order across chunks, the exact bound, a large bounded
 * mailbox's memory following its backlog, and the property the
 * owner's close protocol rests on: {@code close()} returns exactly the number of offers that
 * returned {@code OFFERED}, and the consumer can take exactly those.
 */
class MailboxTest {

  @ParameterizedTest
  @ValueSource(ints = {2, 4, 1024})
  void unboundedIsFifoAcrossChunks(int chunkSize) {
    Mailbox<Integer> mailbox = Mailbox.unbounded(chunkSize);
    int n = 10 * chunkSize + 3;
    for (int round = 0; round < 3; round++) { // refill after draining: chunk switches mid-way
      for (int i = 0; i < n; i++) {
        assertEquals(Mailbox.OFFERED, mailbox.offer(i));
      }
      assertFalse(mailbox.isEmpty());
      for (int i = 0; i < n; i++) {
        assertEquals(i, mailbox.relaxedPeek());
        assertEquals(i, mailbox.relaxedPoll());
      }
      assertNull(mailbox.relaxedPoll());
      assertNull(mailbox.relaxedPeek());
      assertNull(mailbox.poll());
      assertTrue(mailbox.isEmpty());
    }
    assertEquals(3L * n, mailbox.acceptedCount());
    assertEquals(3L * n, mailbox.consumerIndex());
  }

  @ParameterizedTest
  @ValueSource(strings = {"bounded:1", "bounded:3", "bounded:4", "bounded:1000", "ring:1:2",
      "ring:3:2", "ring:5:2", "ring:8:4", "ring:1000:16", "bounded:5000"})
  void boundedHoldsExactlyItsCapacity(String kind) {
    Mailbox<Integer> mailbox = mailbox(kind);
    int capacity = Integer.parseInt(kind.split(":")[1]);
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < capacity; i++) {
        assertEquals(Mailbox.OFFERED, mailbox.offer(i), "offer " + i);
      }
      assertEquals(Mailbox.FULL, mailbox.offer(-1));
      // each earlier round accepted capacity + 2: the fill, one more after a poll, the shift
      assertEquals(round * (capacity + 2L) + capacity, mailbox.acceptedCount(),
          "FULL changed nothing");
      assertEquals(0, mailbox.relaxedPoll());
      assertEquals(Mailbox.OFFERED, mailbox.offer(capacity)); // one freed slot, one more offer
      assertEquals(Mailbox.FULL, mailbox.offer(-1));
      for (int i = 1; i <= capacity; i++) {
        assertEquals(i, mailbox.relaxedPoll());
      }
      assertNull(mailbox.relaxedPoll());
      assertTrue(mailbox.isEmpty());
      mailbox.offer(0); // shift the ring so that the next round starts mid-array
      mailbox.relaxedPoll();
    }
  }

  /** {@code bounded:N}, {@code unbounded:CHUNK} or {@code ring:N:CHUNK}. */
  private static <E> Mailbox<E> mailbox(String kind) {
    String[] parts = kind.split(":");
    int size = Integer.parseInt(parts[1]);
    switch (parts[0]) {
      case "bounded":
        return Mailbox.bounded(size);
      case "unbounded":
        return Mailbox.unbounded(size);
      case "ring":
        return Mailbox.ring(size, Integer.parseInt(parts[2]));
      default:
        throw new IllegalArgumentException(kind);
    }
  }

  @Test
  void aLargeBoundedMailboxIsARingThatStartsWithOneChunk() {
    Mailbox<Integer> small = Mailbox.bounded(Mailbox.CHUNK);
    Mailbox<Integer> large = Mailbox.bounded(1 << 30);
    assertTrue(small instanceof Mailbox.Bounded, "up to one chunk: one array");
    assertTrue(large instanceof Mailbox.Ring, "larger: a ring that grows");
    assertEquals(1, ((Mailbox.Ring<Integer>) large).chunks());
  }

  @Test
  void ringMemoryFollowsTheBacklogNotTheBound() {
    Mailbox.Ring<Integer> ring = (Mailbox.Ring<Integer>) Mailbox.<Integer>ring(1 << 20, 4);
    for (int i = 0; i < 1_000; i++) { // a consumer that keeps up: one chunk, reused
      assertEquals(Mailbox.OFFERED, ring.offer(i));
      assertEquals(i, ring.relaxedPoll());
    }
    // The producer reaching the end of the only chunk finds the consumer still at that end,
    // about to read the link, so it adds a second chunk; from then on the two alternate.
    assertTrue(ring.chunks() <= 2, "a backlog of at most one needs two chunks: " + ring.chunks());
    int next = 0;
    int taken = 0;
    for (int round = 0; round < 50; round++) { // a backlog of 10, drained and refilled
      for (int i = 0; i < 10; i++) {
        assertEquals(Mailbox.OFFERED, ring.offer(next++));
      }
      for (int i = 0; i < 10; i++) {
        assertEquals(taken++, ring.relaxedPoll());
      }
    }
    int chunks = ring.chunks();
    assertTrue(chunks >= 3 && chunks <= 4, "10 waiting elements in chunks of 4: " + chunks);
    for (int round = 0; round < 50; round++) { // the same backlog again: no new chunk
      for (int i = 0; i < 10; i++) {
        ring.offer(next++);
      }
      for (int i = 0; i < 10; i++) {
        assertEquals(taken++, ring.relaxedPoll());
      }
    }
    assertEquals(chunks, ring.chunks(), "chunks the consumer has left are reused");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 5, 9, 16})
  void aFullRingHasAtMostTheChunksItsBoundNeeds(int capacity) {
    int chunkSize = 4;
    Mailbox.Ring<Integer> ring = (Mailbox.Ring<Integer>) Mailbox.<Integer>ring(capacity, chunkSize);
    int bound = (capacity + chunkSize - 1) / chunkSize + 1;
    int next = 0;
    int taken = 0;
    for (int round = 0; round < 20; round++) { // fill, then take a few, shifting the start
      while (ring.offer(next) == Mailbox.OFFERED) {
        next++;
      }
      assertTrue(ring.chunks() <= bound, ring.chunks() + " chunks for capacity " + capacity);
      for (int i = 0; i <= round % capacity; i++) {
        assertEquals(taken++, ring.relaxedPoll());
      }
    }
  }

  @Test
  void badSizesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> Mailbox.unbounded(1));
    assertThrows(IllegalArgumentException.class, () -> Mailbox.unbounded(24));
    assertThrows(IllegalArgumentException.class, () -> Mailbox.bounded(0));
    assertThrows(IllegalArgumentException.class, () -> Mailbox.bounded((1 << 30) + 1));
    assertThrows(IllegalArgumentException.class, () -> Mailbox.ring(0, 4));
    assertThrows(IllegalArgumentException.class, () -> Mailbox.ring(8, 3));
  }

  @ParameterizedTest
  @ValueSource(strings = {"unbounded:2", "bounded:8", "ring:8:2"})
  void closeRefusesLaterOffersAndKeepsTheAcceptedOnes(String kind) {
    Mailbox<Integer> mailbox = mailbox(kind);
    for (int i = 0; i < 5; i++) {
      assertEquals(Mailbox.OFFERED, mailbox.offer(i));
    }
    assertFalse(mailbox.isClosed());
    assertEquals(5L, mailbox.close());
    assertTrue(mailbox.isClosed());
    assertEquals(5L, mailbox.close(), "close is idempotent");
    assertEquals(Mailbox.CLOSED, mailbox.offer(99));
    assertEquals(5L, mailbox.acceptedCount());
    for (int i = 0; i < 5; i++) {
      assertEquals(i, mailbox.poll());
    }
    assertNull(mailbox.poll());
  }

  @ParameterizedTest
  @ValueSource(strings = {"bounded:1", "ring:1:2"})
  void closeOfAFullBoundedMailboxReportsClosedNotFull(String kind) {
    Mailbox<Integer> mailbox = mailbox(kind);
    mailbox.offer(1);
    mailbox.close();
    assertEquals(Mailbox.CLOSED, mailbox.offer(2));
  }

  @Test
  void isEmptySeesAClaimedSlotBeforeItsStore() {
    // What the owner's park decision relies on: accepted but not stored is not empty.
    Mailbox<Integer> mailbox = Mailbox.unbounded(4);
    assertTrue(mailbox.casProducerIndex(0L, Mailbox.ONE)); // a producer's claim, store pending
    assertNull(mailbox.relaxedPeek());
    assertFalse(mailbox.isEmpty());
    assertEquals(1L, mailbox.acceptedCount());
    Mailbox.ELEMENT.setRelease(slotsOf(mailbox), 0, 7); // the producer's store
    assertEquals(7, mailbox.poll());
    assertTrue(mailbox.isEmpty());
  }

  private static Object[] slotsOf(Mailbox<?> mailbox) {
    return ((Mailbox.Unbounded<?>) mailbox).producerChunk;
  }

  /**
   * Four producers offer as fast as they can while the consumer drains and, half-way, a fifth
   * thread closes: the count close() returns equals the offers that returned OFFERED, the
   * consumer takes exactly those (each once, each producer's in order) and nothing refused.
   * Tiny chunks and capacities make a chunk link or a full check race with nearly every close.
   */
  @ParameterizedTest
  @ValueSource(strings = {"unbounded:2", "unbounded:16", "bounded:1", "bounded:8", "ring:1:2",
      "ring:5:2", "ring:64:4"})
  void closeRacingProducersAcceptsExactlyWhatTheConsumerTakes(String kind) throws Exception {
    for (int round = 0; round < 20; round++) {
      closeRace(kind);
    }
  }

  private static void closeRace(String kind) throws Exception {
    Mailbox<Long> mailbox = mailbox(kind);
    int producers = 4;
    int perProducer = 10_000; // each round races one close; more offers add time, not races
    long[] accepted = new long[producers];
    AtomicLong closedAt = new AtomicLong(-1);
    CyclicBarrier start = new CyclicBarrier(producers + 1);
    CountDownLatch halfway = new CountDownLatch(producers);
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      final int id = p;
      threads.add(ThreadMode.newThread(() -> {
        try {
          start.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new AssertionError(e);
        }
        long n = 0;
        for (int i = 0; i < perProducer; i++) {
          if (i == perProducer / 2) {
            halfway.countDown();
          }
          int outcome;
          Await.Idle idle = Await.idle("room in the mailbox");
          while ((outcome = mailbox.offer((long) id << 32 | i)) == Mailbox.FULL) {
            idle.pause(); // with more threads than cores, let the consumer run
          }
          if (outcome == Mailbox.CLOSED) {
            break;
          }
          n++;
        }
        accepted[id] = n;
        halfway.countDown(); // in case this producer was refused before half-way
      }, "producer-" + p));
    }
    threads.add(ThreadMode.newThread(() -> {
      try {
        start.await(10, TimeUnit.SECONDS);
        halfway.await();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      closedAt.set(mailbox.close());
    }, "closer"));
    threads.forEach(Thread::start);

    long[] next = new long[producers];
    long taken = 0;
    // A stranded consumer shows as no progress; a slow machine only as a long round.
    Await.Idle idle = Await.idle(kind + ": an element to take");
    try {
      while (!(mailbox.isClosed() && mailbox.consumerIndex() == mailbox.acceptedCount())) {
        Long e = mailbox.relaxedPoll();
        if (e == null) {
          try {
            idle.pause();
          } catch (AssertionError stalled) {
            fail(kind + ": nothing to take with " + taken + " taken, " + mailbox.acceptedCount()
                + " accepted, closed " + mailbox.isClosed(), stalled);
          }
          continue;
        }
        idle.progress();
        int id = (int) (e >>> 32);
        assertEquals(next[id], e & 0xFFFF_FFFFL, kind + ": producer " + id + " out of order");
        next[id]++;
        taken++;
      }
    } finally {
      mailbox.close(); // on a failure, refuse the producers still offering so they end
    }
    assertNull(mailbox.poll(), kind + ": an element after the final count");
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(10));
      assertFalse(t.isAlive(), t.getName() + " did not finish");
    }
    long sum = 0;
    for (int p = 0; p < producers; p++) {
      assertEquals(accepted[p], next[p], kind + ": producer " + p + " accepted vs taken");
      sum += accepted[p];
    }
    assertEquals(sum, closedAt.get(), kind + ": close() count vs accepted offers");
    assertEquals(sum, taken);
  }
}
