package io.github.gilpatterns.patterns;

import com.google.common.base.Throwables;
import com.google.common.util.concurrent.ListenableFuture;
import io.github.gilpatterns.owner.Owner;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * Reads of an owned state that keep working after the owner is closed: the patterns' getters
 * ({@code count()}, {@code balance(..)}, {@code total()}) return the final values then, instead
 * of failing like the sends that would change the state.
 */
final class OwnedReads {

  private OwnedReads() {}

  /**
   * Runs {@code query} on the owner thread, after every message accepted before this call, and
   * returns its result. If the owner is closed, waits until its thread has ended (so every
   * accepted message has run) and applies {@code query} to the final state on the calling thread;
   * the end of the owner thread happens-before that read.
   *
   * @throws IllegalStateException on the owner thread, which would wait for itself
   * @throws InterruptedException if interrupted while waiting for the answer
   */
  static <S, R> R query(Owner<S> owner, S state, Function<? super S, ? extends R> query)
      throws InterruptedException {
    if (owner.isOwnerThread()) {
      throw new IllegalStateException("called on the thread of " + owner.name()
          + ", which would wait for itself; use the value passed to the callback instead");
    }
    ListenableFuture<? extends R> answer;
    try {
      answer = owner.ask(query);
    } catch (RejectedExecutionException closed) {
      if (!owner.isShutdown()) {
        throw closed; // not a closed owner: an interrupt while waiting for mailbox space
      }
      Closing.closeRunningEverything(owner); // idempotent: returns once the thread has ended
      return query.apply(state);
    }
    try {
      return answer.get();
    } catch (ExecutionException e) {
      Throwables.throwIfUnchecked(e.getCause());
      throw new IllegalStateException("query failed on " + owner.name(), e.getCause());
    } catch (CancellationException e) {
      throw new IllegalStateException("query cancelled on " + owner.name(), e);
    }
  }
}
