package io.github.gilpatterns.owner;

import static com.google.common.util.concurrent.MoreExecutors.directExecutor;
import static io.github.gilpatterns.owner.OwnerTestSupport.DEADLINE;
import static io.github.gilpatterns.owner.OwnerTestSupport.awaitBlocked;
import static io.github.gilpatterns.owner.OwnerTestSupport.ownerBuilder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.ListenableFuture;
import io.github.gilpatterns.owner.OwnerTestSupport.Attempt;
import io.github.gilpatterns.owner.OwnerTestSupport.Gate;
import io.github.gilpatterns.owner.OwnerTestSupport.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * "A send runs exactly once or is refused", whatever throws on the owner thread: listeners of ask
 * futures that throw errors when the owner completes or cancels them, and, for anything that
 * still ends the run loop, the fail-safe end (sends refused, asks failed, leftovers returned,
 * {@code join()} and {@code awaitTermination()} never reporting success).
 */
class OwnerFailSafeTest {

  static final class Counter {
    long count;
  }

  /** An error handler that records what it receives. */
  static final class Recorder implements Owner.FailureHandler {
    final List<Consumer<?>> messages = new CopyOnWriteArrayList<>();
    final List<Throwable> failures = new CopyOnWriteArrayList<>();

    @Override
    public void handle(Owner<?> owner, Consumer<?> message, Throwable failure) {
      assertTrue(owner.isOwnerThread(), "the handler runs on the owner thread");
      messages.add(message);
      failures.add(failure);
    }
  }

  @Test
  void anErrorFromAListenerOnCompletionGoesToTheHandlerAndTheOwnerCarriesOn() throws Exception {
    Recorder recorder = new Recorder();
    Gate gate = new Gate();
    try (Owner<Counter> owner =
        ownerBuilder(new Counter()).name("listener-error").onFailure(recorder).start()) {
      ListenableFuture<Long> first;
      ListenableFuture<Long> second;
      try {
        owner.tell(gate); // holds the owner, so the listeners run when the owner completes
        first = owner.ask(c -> ++c.count);
        first.addListener(() -> {
          throw new AssertionError("expected in this test: a listener's assertion failed");
        }, directExecutor());
        second = owner.ask(c -> ++c.count);
        second.addListener(OwnerFailSafeTest::recurseForever, directExecutor());
      } finally {
        gate.release();
      }
      assertEquals(1L, first.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
      assertEquals(2L, second.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
      owner.tell(c -> c.count += 10);
      assertEquals(12L, owner.ask(c -> c.count).get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
      owner.join();
      assertEquals(2, recorder.failures.size(), recorder.failures.toString());
      assertInstanceOf(AssertionError.class, recorder.failures.get(0));
      assertInstanceOf(StackOverflowError.class, recorder.failures.get(1));
      assertTrue(recorder.messages.get(0).toString().startsWith("ask("), "the ask is named");
      assertFalse(owner.isShutdown());
      assertEquals(5L, owner.processed());
      assertTrue(owner.thread().isAlive());
    }
  }

  private static void recurseForever() {
    recurseForever();
  }

  @Test
  void anErrorFromAListenerOnCancellationStillHandsEveryLeftoverBack() throws Exception {
    Recorder recorder = new Recorder();
    Gate gate = new Gate();
    Owner<Counter> owner =
        ownerBuilder(new Counter()).name("cancel-listener").onFailure(recorder).start();
    List<Consumer<Counter>> told = new ArrayList<>();
    ListenableFuture<Long> ask;
    try {
      owner.tell(gate);
      gate.awaitEntered();
      ask = owner.ask(c -> c.count);
      ask.addListener(() -> {
        throw new AssertionError("expected in this test: a listener failed on cancellation");
      }, directExecutor());
      for (int i = 0; i < 3; i++) {
        Consumer<Counter> m = c -> c.count++;
        told.add(m);
        owner.tell(m);
      }
    } catch (Throwable t) {
      gate.release();
      throw t;
    }
    List<Consumer<? super Counter>> leftovers = owner.shutdownNow(); // interrupts the gate
    assertEquals(4, leftovers.size(), "the ask and the three tells: " + leftovers);
    for (int i = 0; i < 3; i++) {
      assertSame(told.get(i), leftovers.get(1 + i));
    }
    assertTrue(ask.isCancelled());
    assertEquals(1, recorder.failures.size());
    assertInstanceOf(AssertionError.class, recorder.failures.get(0));
    assertNull(owner.terminationCause(), "a listener's failure does not end the owner");
    assertTrue(owner.awaitTermination(Duration.ZERO));
    assertEquals(List.of(), owner.shutdownNow());
  }

  @Test
  void anUnexpectedEndFailsSafe() throws Exception {
    FaultyMailbox<Consumer<? super Counter>> mailbox = new FaultyMailbox<>(1024);
    Counter counter = new Counter();
    Gate gate = new Gate();
    Owner<Counter> owner = ownerBuilder(counter).name("fail-safe").mailbox(mailbox).start();
    List<Consumer<Counter>> told = new ArrayList<>();
    ListenableFuture<Long> ask;
    Attempt joiner;
    try (LogCapture log = new LogCapture(Owner.class.getName())) {
      try {
        owner.tell(gate);
        gate.awaitEntered();
        for (int i = 0; i < 5; i++) {
          Consumer<Counter> m = c -> c.count++;
          told.add(m);
          owner.tell(m);
        }
        ask = owner.ask(c -> c.count);
        joiner = Attempt.start("joiner", owner::join);
        awaitBlocked(joiner.thread);
        mailbox.fault.set(new Error("expected in this test: the run loop breaks"));
      } finally {
        gate.release(); // the owner's next poll throws
      }
      joiner.thrown(IllegalStateException.class); // woken: its messages will never run

      assertTrue(owner.isShutdown(), "the mailbox is closed");
      assertTrue(owner.isTerminated());
      Throwable cause = owner.terminationCause();
      assertEquals("expected in this test: the run loop breaks", cause.getMessage());
      assertThrows(RejectedExecutionException.class, () -> owner.tell(c -> c.count++));
      assertThrows(RejectedExecutionException.class, () -> owner.ask(c -> c.count));
      ExecutionException failed = assertThrows(ExecutionException.class,
          () -> ask.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
      assertInstanceOf(IllegalStateException.class, failed.getCause());
      assertSame(cause, failed.getCause().getCause());
      IllegalStateException notRun = assertThrows(IllegalStateException.class, owner::join);
      assertSame(cause, notRun.getCause());
      IllegalStateException ended = assertThrows(IllegalStateException.class,
          () -> owner.awaitTermination(1, TimeUnit.SECONDS));
      assertSame(cause, ended.getCause());
      assertThrows(IllegalStateException.class, () -> owner.awaitTermination(Duration.ZERO));
      assertEquals(0L, owner.pending());
      assertEquals(1L, owner.processed(), "only the gate ran");
      assertEquals(0L, counter.count);

      List<Consumer<? super Counter>> leftovers = owner.shutdownNow();
      assertEquals(6, leftovers.size(), "five tells and the ask: " + leftovers);
      for (int i = 0; i < 5; i++) {
        assertSame(told.get(i), leftovers.get(i));
      }
      assertEquals(List.of(), owner.shutdownNow(), "handed back once");
      owner.close(); // returns: the end was already reported
      List<String> errors = log.messages(Level.SEVERE);
      assertEquals(1, errors.size(), errors.toString());
      assertTrue(errors.get(0).contains("6 accepted messages did not run"), errors.get(0));
    }
  }

  @Test
  void aSenderBlockedOnAFullMailboxIsRefusedWhenTheOwnerEndsUnexpectedly() throws Exception {
    FaultyMailbox<Consumer<? super Counter>> mailbox = new FaultyMailbox<>(1);
    Gate gate = new Gate();
    Owner<Counter> owner =
        ownerBuilder(new Counter()).name("blocked-sender").mailbox(mailbox).start();
    Attempt sender;
    try {
      owner.tell(gate);
      gate.awaitEntered();
      owner.tell(c -> c.count++); // fills the mailbox
      sender = Attempt.start("blocked-sender", () -> owner.tell(c -> c.count++));
      awaitBlocked(sender.thread);
      mailbox.fault.set(new Error("expected in this test: the run loop breaks"));
    } finally {
      gate.release();
    }
    // a sender waiting for space is refused, not left waiting or silently accepted
    sender.thrown(RejectedExecutionException.class);
    assertEquals(1, owner.shutdownNow().size(), "the message that filled the mailbox");
  }
}
