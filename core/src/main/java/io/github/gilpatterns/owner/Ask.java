package io.github.gilpatterns.owner;

import com.google.common.util.concurrent.SettableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * An {@link Owner#ask(Function)} query in the mailbox. {@link #accept} runs the query and keeps
 * the outcome; the run loop calls {@link #complete()} once it has counted the message as
 * processed, so that a caller whose {@code get()} returns sees the message counted. Both run on
 * the owner thread, so the outcome fields are plain.
 *
 * <p>Completing or cancelling the future runs the listeners registered with a direct executor on
 * the completing thread; whatever they throw propagates to the caller of {@link #complete()},
 * {@link #cancel()} or {@link #fail(Throwable)}, which reports it.
 *
 * @param <S> the type of the owned state
 * @param <R> the type of the result
 */
final class Ask<S, R> implements Consumer<S> {
  final SettableFuture<R> future = SettableFuture.create();
  private final Function<? super S, ? extends R> query;
  private boolean ran;
  private @Nullable R value;
  private @Nullable Throwable failure;

  Ask(Function<? super S, ? extends R> query) {
    this.query = query;
  }

  @Override
  public void accept(S state) {
    if (future.isDone()) {
      return; // cancelled by the asker or by shutdownNow()
    }
    try {
      value = query.apply(state);
    } catch (Throwable t) {
      failure = t;
    }
    ran = true;
  }

  /** Completes the future with the outcome of {@link #accept}, if the query ran. */
  void complete() {
    if (!ran) {
      return;
    }
    Throwable f = failure;
    R v = value;
    value = null;
    failure = null;
    ran = false;
    if (f != null) {
      future.setException(f);
    } else {
      future.set(v);
    }
  }

  /** The query will never run: {@code shutdownNow()} removed it. */
  void cancel() {
    future.cancel(false);
  }

  /** The query will never run: the owner thread ended unexpectedly. */
  void fail(Throwable cause) {
    future.setException(cause);
  }

  @Override
  public String toString() {
    return "ask(" + query + ")";
  }
}
