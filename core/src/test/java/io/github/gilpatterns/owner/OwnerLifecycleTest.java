package io.github.gilpatterns.owner;

import static io.github.gilpatterns.owner.OwnerTestSupport.DEADLINE;
import static io.github.gilpatterns.owner.OwnerTestSupport.awaitCondition;
import static io.github.gilpatterns.owner.OwnerTestSupport.joinOrFail;
import static io.github.gilpatterns.owner.OwnerTestSupport.ownerBuilder;
import static io.github.gilpatterns.owner.OwnerTestSupport.startOwner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.ListenableFuture;
import io.github.gilpatterns.owner.OwnerTestSupport.Gate;
import io.github.gilpatterns.testing.ThreadMode;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Closing: the close race, shutdownNow, closing from the owner thread, daemon threads. */
@Timeout(60)
class OwnerLifecycleTest {

  static final int PRODUCERS = 4;
  static final int PER_PRODUCER = 250_000;

  /** Counts per producer; plain fields, written only by the owner thread. */
  static final class Tally {
    final long[] perProducer = new long[PRODUCERS];
    long total;
  }

  /**
   * Four producers send 250,000 messages each while {@code close()} runs. Each producer sends its
   * first half freely (racing close) and its second half only after the owner reports closed, so
   * both outcomes happen. Every accepted message must run exactly once, every refused one never,
   * and accepted + refused = sent, per producer.
   */
  @ParameterizedTest(name = "mailbox capacity {0} (0 = unbounded)")
  @ValueSource(ints = {0, 64})
  void closeWhileProducersTellAcceptsOrRefusesEachMessageExactlyOnce(int capacity)
      throws Exception {
    Tally tally = new Tally();
    Owner.Builder<Tally> builder = ownerBuilder(tally).name("close-race-" + capacity);
    if (capacity > 0) {
      builder.mailboxCapacity(capacity);
    }
    Owner<Tally> owner = builder.start();
    long[] accepted = new long[PRODUCERS];
    long[] refused = new long[PRODUCERS];
    AtomicReference<Throwable> unexpected = new AtomicReference<>();
    CountDownLatch underway = new CountDownLatch(PRODUCERS);
    List<Thread> producers = new ArrayList<>();
    for (int p = 0; p < PRODUCERS; p++) {
      final int id = p;
      Consumer<Tally> message = t -> {
        t.perProducer[id]++;
        t.total++;
      };
      producers.add(ThreadMode.newThread(() -> {
        try {
          for (int i = 0; i < PER_PRODUCER; i++) {
            if (i == 1_000) {
              underway.countDown();
            } else if (i == PER_PRODUCER / 2) {
              awaitCondition("the owner is closed", owner::isShutdown);
            }
            try {
              owner.tell(message);
              accepted[id]++;
            } catch (RejectedExecutionException e) {
              refused[id]++;
            }
          }
        } catch (Throwable t) {
          unexpected.set(t);
        }
      }, "close-race-producer-" + p));
    }
    producers.forEach(Thread::start);
    assertTrue(underway.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
    owner.close(); // concurrent with the producers' first halves
    assertFalse(owner.thread().isAlive(), "close() returned before the owner thread ended");
    for (Thread t : producers) {
      joinOrFail(t);
    }
    assertNull(unexpected.get());
    long acceptedTotal = 0;
    for (int p = 0; p < PRODUCERS; p++) {
      assertEquals(PER_PRODUCER, accepted[p] + refused[p], "producer " + p + ": sent");
      assertEquals(accepted[p], tally.perProducer[p], "producer " + p + ": ran exactly once");
      assertTrue(refused[p] >= PER_PRODUCER / 2, "producer " + p + ": second half refused");
      acceptedTotal += accepted[p];
    }
    assertEquals(acceptedTotal, tally.total);
    assertEquals(acceptedTotal, owner.processed());
    assertEquals(0L, owner.pending());
    assertTrue(owner.isTerminated());
  }

  /**
   * The close race again, many times with few messages, each round closing at a different point:
   * the window it probes (a sender between its decision and its offer while the owner decides to
   * end) is nanoseconds wide, so rounds matter more than messages.
   */
  @Test
  void repeatedCloseRacesNeverStrandAnAcceptedMessage() throws Exception {
    final int rounds = 200;
    final int perProducer = 5_000;
    for (int round = 0; round < rounds; round++) {
      Tally tally = new Tally();
      Owner.Builder<Tally> builder = ownerBuilder(tally).name("close-race-round-" + round);
      Owner<Tally> owner = (round % 2 == 0 ? builder.unbounded() : builder.mailboxCapacity(32))
          .start();
      long[] accepted = new long[PRODUCERS];
      CountDownLatch underway = new CountDownLatch(PRODUCERS);
      List<Thread> producers = new ArrayList<>();
      for (int p = 0; p < PRODUCERS; p++) {
        final int id = p;
        final int closeAfter = (round * 37 + p * 11) % 500;
        Consumer<Tally> message = t -> {
          t.perProducer[id]++;
          t.total++;
        };
        producers.add(ThreadMode.newThread(() -> {
          for (int i = 0; i < perProducer; i++) {
            if (i == closeAfter) {
              underway.countDown();
            }
            try {
              owner.tell(message);
              accepted[id]++;
            } catch (RejectedExecutionException e) {
              // refused: counted as perProducer - accepted
            }
          }
        }, "round-producer-" + p));
      }
      producers.forEach(Thread::start);
      assertTrue(underway.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
      owner.close();
      for (Thread t : producers) {
        joinOrFail(t);
      }
      for (int p = 0; p < PRODUCERS; p++) {
        assertEquals(accepted[p], tally.perProducer[p], "round " + round + ", producer " + p);
      }
    }
  }

  @Test
  void closeRunsEverythingAcceptedThenRefuses() throws Exception {
    Tally tally = new Tally();
    Gate gate = new Gate();
    Owner<Tally> owner = startOwner("close-drains", tally);
    owner.tell(gate);
    for (int i = 0; i < 1_000; i++) {
      owner.tell(t -> t.total++);
    }
    gate.awaitEntered();
    Thread closer = ThreadMode.newThread(owner::close, "closer");
    closer.start();
    awaitCondition("the owner is closed", owner::isShutdown);
    assertThrows(RejectedExecutionException.class, () -> owner.tell(t -> t.total++));
    assertThrows(RejectedExecutionException.class, () -> owner.tryTell(t -> t.total++));
    assertThrows(RejectedExecutionException.class, () -> owner.ask(t -> t.total));
    gate.release();
    joinOrFail(closer);
    assertFalse(owner.thread().isAlive());
    assertEquals(1_000L, tally.total); // visible: close() waited for the owner thread
    owner.close(); // idempotent
    assertEquals(List.of(), owner.shutdownNow());
    assertTrue(owner.join(java.time.Duration.ZERO));
  }

  @Test
  void shutdownNowReturnsExactlyTheMessagesThatDidNotRun() throws Exception {
    Tally tally = new Tally();
    Gate gate = new Gate();
    Owner<Tally> owner = startOwner("close-now", tally);
    List<Consumer<Tally>> told = new ArrayList<>();
    ListenableFuture<Long> ask;
    try {
      owner.tell(gate);
      gate.awaitEntered();
      for (int i = 0; i < 5; i++) {
        Consumer<Tally> m = t -> t.total++; // a fresh instance per send: compared by identity
        told.add(m);
        owner.tell(m);
      }
      ask = owner.ask(t -> t.total);
      for (int i = 0; i < 5; i++) {
        Consumer<Tally> m = t -> t.total++;
        told.add(m);
        owner.tell(m);
      }
    } catch (Throwable t) {
      gate.release();
      throw t;
    }
    List<Consumer<? super Tally>> leftovers = owner.shutdownNow(); // interrupts the gate
    assertTrue(gate.interrupted, "shutdownNow() must interrupt the running message");
    assertFalse(owner.thread().isAlive());
    assertEquals(11, leftovers.size());
    for (int i = 0; i < 5; i++) {
      assertSame(told.get(i), leftovers.get(i));
      assertSame(told.get(5 + i), leftovers.get(6 + i));
    }
    assertTrue(ask.isCancelled(), "an ask that never ran is cancelled");
    assertEquals(0L, tally.total, "none of the returned messages ran");
    assertEquals(1L, owner.processed());
    assertEquals(0L, owner.pending());
    assertEquals(List.of(), owner.shutdownNow(), "the leftovers are handed out once");
    assertThrows(RejectedExecutionException.class, () -> owner.tell(t -> t.total++));
  }

  @Test
  void shutdownNowOnTheOwnerThreadReturnsTheRest() throws Exception {
    Tally tally = new Tally();
    Gate gate = new Gate();
    Owner<Tally> owner = startOwner("close-now-self", tally);
    AtomicReference<List<Consumer<? super Tally>>> leftovers = new AtomicReference<>();
    List<Consumer<Tally>> rest = new ArrayList<>();
    try {
      owner.tell(gate);
      owner.tell(t -> t.total++);
      owner.tell(t -> leftovers.set(owner.shutdownNow()));
      for (int i = 0; i < 3; i++) {
        Consumer<Tally> m = t -> t.total += 100;
        rest.add(m);
        owner.tell(m);
      }
    } finally {
      gate.release();
    }
    joinOrFail(owner.thread());
    assertEquals(List.copyOf(rest), List.copyOf(leftovers.get()));
    assertEquals(1L, tally.total);
    assertTrue(owner.isTerminated());
    assertEquals(List.of(), owner.shutdownNow());
  }

  @Test
  void closeOnTheOwnerThreadReturnsAtOnceAndTheRestStillRuns() throws Exception {
    Tally tally = new Tally();
    Gate gate = new Gate();
    Owner<Tally> owner = startOwner("close-self", tally);
    AtomicReference<Throwable> tellAfterClose = new AtomicReference<>();
    try {
      owner.tell(gate);
      owner.tell(t -> {
        owner.close(); // must not wait for itself
        try {
          owner.tell(x -> x.total += 1_000);
        } catch (RejectedExecutionException e) {
          tellAfterClose.set(e);
        }
      });
      owner.tell(t -> t.total++);
      owner.tell(t -> t.total++);
    } finally {
      gate.release();
    }
    joinOrFail(owner.thread());
    assertEquals(2L, tally.total, "messages accepted before close() still run");
    assertTrue(tellAfterClose.get() instanceof RejectedExecutionException);
    assertThrows(RejectedExecutionException.class, () -> owner.tell(t -> t.total++));
  }

  @Test
  void interruptedCloseStopsAsShutdownNowAndRestoresTheInterrupt() throws Exception {
    Tally tally = new Tally();
    Gate gate = new Gate();
    Owner<Tally> owner = startOwner("close-interrupted", tally);
    ListenableFuture<Long> ask;
    try {
      owner.tell(gate);
      owner.tell(t -> t.total++);
      ask = owner.ask(t -> t.total);
      gate.awaitEntered();
    } catch (Throwable t) {
      gate.release();
      throw t;
    }
    AtomicReference<Boolean> interruptedAfterClose = new AtomicReference<>();
    Thread closer = ThreadMode.newThread(() -> {
      owner.close();
      interruptedAfterClose.set(Thread.currentThread().isInterrupted());
    }, "interrupted-closer");
    closer.start();
    awaitCondition("close() shut the owner down", owner::isShutdown);
    OwnerTestSupport.awaitBlocked(closer);
    closer.interrupt(); // as ExecutorService.close(): stop now, keep waiting, re-assert
    joinOrFail(closer);
    assertEquals(Boolean.TRUE, interruptedAfterClose.get());
    assertTrue(gate.interrupted, "the running message is interrupted, as by shutdownNow()");
    assertTrue(owner.isTerminated());
    assertEquals(0L, tally.total, "the messages behind the running one were dropped");
    assertTrue(ask.isCancelled(), "an ask that never ran is cancelled");
    assertEquals(List.of(), owner.shutdownNow(), "close() already took the leftovers");
  }

  @Test
  void threadIsNonDaemonByDefaultAndDaemonOnRequest() {
    try (Owner<Tally> plain = Owner.start("non-daemon", new Tally());
        Owner<Tally> daemon = Owner.builder(new Tally()).name("daemon").daemon(true).start()) {
      assertFalse(plain.thread().isDaemon());
      assertTrue(daemon.thread().isDaemon());
      assertNotSame(plain.thread(), daemon.thread());
    }
  }

  @Test
  void daemonOwnerDoesNotKeepTheJvmAlive() throws Exception {
    Process child = startChild("daemon");
    try {
      assertTrue(child.waitFor(30, TimeUnit.SECONDS), "a JVM with only a daemon owner must exit");
      assertEquals(0, child.exitValue());
    } finally {
      child.destroyForcibly();
    }
  }

  @Test
  void nonDaemonOwnerKeepsTheJvmAlive() throws Exception {
    Process child = startChild("non-daemon");
    try {
      assertFalse(child.waitFor(500, TimeUnit.MILLISECONDS),
          "main has returned, but the non-daemon owner thread must keep the JVM running");
    } finally {
      child.destroyForcibly();
      child.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** Starts DaemonOwnerMain in a child JVM and waits until its main method has returned. */
  private static Process startChild(String mode) throws Exception {
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        DaemonOwnerMain.class.getName(), mode)
        .redirectErrorStream(true)
        .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line; (line = out.readLine()) != null; ) {
      seen.append(line).append('\n');
      if (line.equals("main returned")) {
        assertTrue(seen.toString().contains("owner says told"), seen.toString());
        return child;
      }
    }
    child.destroyForcibly();
    throw new AssertionError("the child JVM ended before main returned:\n" + seen);
  }
}
