package io.github.gilpatterns.owner;

import static io.github.gilpatterns.owner.OwnerTestSupport.ownerBuilder;
import static io.github.gilpatterns.owner.OwnerTestSupport.startOwner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.ListenableFuture;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Error isolation: a failing message never kills the owner. */
@Timeout(30)
class OwnerFailureTest {

  static final class Counter {
    long count;
  }

  /** What the error handler saw, recorded on the owner thread. */
  record Failure(Owner<?> owner, Consumer<?> message, Throwable failure, boolean onOwnerThread) {}

  @Test
  void failingTellGoesToTheHandlerAndTheOwnerCarriesOn() throws Exception {
    List<Failure> failures = new CopyOnWriteArrayList<>();
    Owner<Counter> owner = ownerBuilder(new Counter())
        .name("failing-tell")
        .onFailure((o, m, f) -> failures.add(new Failure(o, m, f, o.isOwnerThread())))
        .start();
    try (owner) {
      IllegalStateException boom = new IllegalStateException("boom");
      Consumer<Counter> failing = c -> {
        c.count++;
        throw boom;
      };
      owner.tell(failing);
      owner.tell(c -> c.count++);
      Consumer<Counter> error = c -> {
        throw new AssertionError("an Error, not an Exception");
      };
      owner.tell(error);
      assertEquals(2L, owner.ask(c -> c.count).get(10, TimeUnit.SECONDS));
      assertEquals(2, failures.size());
      Failure first = failures.get(0);
      assertSame(owner, first.owner());
      assertSame(failing, first.message());
      assertSame(boom, first.failure());
      assertTrue(first.onOwnerThread());
      assertSame(error, failures.get(1).message());
      assertTrue(failures.get(1).failure() instanceof AssertionError);
      assertEquals(4L, owner.processed(), "failed messages count as processed");
    }
  }

  @Test
  void failingAskFailsItsFutureAndSkipsTheHandler() throws Exception {
    List<Failure> failures = new CopyOnWriteArrayList<>();
    Owner<Counter> owner = ownerBuilder(new Counter())
        .name("failing-ask")
        .onFailure((o, m, f) -> failures.add(new Failure(o, m, f, true)))
        .start();
    try (owner) {
      UnsupportedOperationException cause = new UnsupportedOperationException("no answer");
      ListenableFuture<Long> failed = owner.ask(c -> {
        throw cause;
      });
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> failed.get(10, TimeUnit.SECONDS));
      assertSame(cause, e.getCause());
      assertEquals(7L, owner.ask(c -> c.count + 7).get(10, TimeUnit.SECONDS));
      assertTrue(failures.isEmpty(), failures.toString());
    }
  }

  @Test
  void throwingErrorHandlerDoesNotKillTheOwner() throws Exception {
    Owner<Counter> owner = ownerBuilder(new Counter())
        .name("throwing-handler")
        .onFailure((o, m, f) -> {
          throw new IllegalStateException("the handler failed too");
        })
        .start();
    try (owner) {
      for (int i = 0; i < 3; i++) {
        owner.tell(c -> {
          c.count++;
          throw new RuntimeException("message failed");
        });
      }
      assertEquals(3L, owner.ask(c -> c.count).get(10, TimeUnit.SECONDS));
      assertTrue(owner.thread().isAlive());
    }
  }

  @Test
  void defaultHandlerLogsAndTheOwnerCarriesOn() throws Exception {
    try (Owner<Counter> owner = startOwner("default-handler", new Counter())) {
      owner.tell(c -> {
        throw new RuntimeException("expected in this test: logged by the default handler");
      });
      owner.tell(c -> c.count++);
      assertEquals(1L, owner.ask(c -> c.count).get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void interruptLeftByAMessageDoesNotLeakIntoTheNext() throws Exception {
    try (Owner<Counter> owner = startOwner("stray-interrupt", new Counter())) {
      owner.tell(c -> Thread.currentThread().interrupt());
      assertEquals(Boolean.FALSE,
          owner.ask(c -> Thread.currentThread().isInterrupted()).get(10, TimeUnit.SECONDS));
      OwnerTestSupport.awaitBlocked(owner.thread()); // and the idle owner still parks
    }
  }
}
