package io.github.gilpatterns.patterns;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import io.github.gilpatterns.join.Joinable;
import io.github.gilpatterns.join.Lifecycle;
import io.github.gilpatterns.owner.Owner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A pattern whose state belongs to one {@link Owner}: the {@link Lifecycle} and {@link Joinable}
 * contracts, carried out by that owner, with the pattern's own work (an increment, a print job, a
 * transfer) in place of the owner's messages. The counter managers, the print manager and the
 * owned bank are this; their public lifecycle methods are these, documented by the contracts.
 *
 * <p>What the contracts leave to the type is the owner's (see {@code Owner}): refused work gets
 * {@code RejectedExecutionException}; {@code shutdownNow()} waits for the message running to
 * return and the thread to exit; the thread ends abnormally only if something escapes its run
 * loop.
 *
 * @param <S> the type of the owned state
 * @param <W> the type of the work {@link #shutdownNow()} hands back
 */
abstract class OwnerBacked<S, W> implements Lifecycle<W>, Joinable {

  final Owner<S> owner;

  OwnerBacked(Owner<S> owner) {
    this.owner = owner;
  }

  /**
   * The work a message that never ran stands for, or {@code null} for a message that is not work
   * (a read, whose future the owner has cancelled). May cancel what the work's caller waits on.
   */
  abstract @Nullable W neverRan(Consumer<? super S> message);

  /** Runs before every join, on the joining thread; the print manager tells a flush here. */
  void beforeJoin() {}

  @Override
  public final String name() {
    return owner.name();
  }

  @Override
  public final void join() throws InterruptedException {
    beforeJoin();
    owner.join();
  }

  @Override
  public final boolean join(long timeout, TimeUnit unit) throws InterruptedException {
    requireNonNull(unit, "unit");
    beforeJoin();
    return owner.join(timeout, unit);
  }

  @Override
  public final void shutdown() {
    owner.shutdown();
  }

  @Override
  @CanIgnoreReturnValue
  public final List<W> shutdownNow() {
    List<W> work = new ArrayList<>();
    for (Consumer<? super S> message : owner.shutdownNow()) {
      W w = neverRan(message);
      if (w != null) {
        work.add(w);
      }
    }
    return work;
  }

  @Override
  public final boolean isShutdown() {
    return owner.isShutdown();
  }

  @Override
  public final boolean isTerminated() {
    return owner.isTerminated();
  }

  @Override
  public final boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return owner.awaitTermination(timeout, unit);
  }
}
