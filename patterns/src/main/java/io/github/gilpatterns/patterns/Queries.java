package io.github.gilpatterns.patterns;

import com.google.common.base.Throwables;
import io.github.gilpatterns.owner.Owner;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The patterns' reads of an owned state: asked of the owner thread while it runs, and read with
 * {@link Owner#readFinalState} once it has terminated, so that a getter ({@code count()},
 * {@code balance(..)}, {@code total()}) keeps working after {@code close()} without any pattern
 * keeping a second reference to the state.
 */
final class Queries {

  private Queries() {}

  /**
   * Runs {@code query} on the owner thread after every message accepted before this call and
   * returns its result; if the owner is shut down, waits until its thread has ended (so every
   * accepted message has run) and applies {@code query} to the final state.
   *
   * @throws IllegalStateException on the owner thread, which would wait for itself
   * @throws InterruptedException if interrupted while waiting for the answer
   */
  static <S, R> R ask(Owner<S> owner, Function<? super S, ? extends R> query)
      throws InterruptedException {
    if (owner.isOwnerThread()) {
      throw new IllegalStateException("called on the thread of " + owner.name()
          + ", which would wait for itself; use the value passed to the callback instead");
    }
    if (!owner.isShutdown()) {
      try {
        return owner.ask(query).get();
      } catch (RejectedExecutionException refused) {
        if (!owner.isShutdown()) {
          throw refused; // not shut down: an interrupt while waiting for mailbox space
        }
      } catch (ExecutionException e) {
        Throwables.throwIfUnchecked(e.getCause());
        throw new IllegalStateException("query failed on " + owner.name(), e.getCause());
      } catch (CancellationException e) {
        // shutdownNow() removed the query: the owner is terminating; read its final state
      }
    }
    awaitEnd(owner);
    return owner.readFinalState(query);
  }

  /** Waits until the owner thread has ended, normally or not. */
  private static void awaitEnd(Owner<?> owner) throws InterruptedException {
    try {
      while (!owner.awaitTermination(1L, TimeUnit.DAYS)) {
        // keep waiting
      }
    } catch (IllegalStateException endedUnexpectedly) {
      // The end was logged and the state is as the last message left it: readable.
    }
  }
}
