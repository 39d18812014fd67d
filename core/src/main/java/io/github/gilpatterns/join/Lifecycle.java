package io.github.gilpatterns.join;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A service that accepts work and runs it on threads of its own, and that is shut down with
 * {@link java.util.concurrent.ExecutorService}'s names and meanings: every thread-owning type of
 * gilpatterns ({@code Owner}, {@code SerialExecutor}, {@code GilExecutor}, {@link TaskGroup},
 * and the counter managers, print manager, bank, worker pool and pipeline built on them), and
 * {@code JoinableQueue}, whose consumers are the threads. This page is the contract; each type
 * says what its work is ({@code W}: a message, a task, an increment, a queued element) and where
 * it departs, if at all.
 *
 * <p><b>States.</b> A service is <em>running</em> until {@link #shutdown()} or
 * {@link #shutdownNow()} (or a failure the type names) makes it <em>shut down</em>: from then on
 * {@link #isShutdown()} is {@code true} and the service refuses new work (the type says with
 * which exception; {@code RejectedExecutionException} for the executors and owners). Once the
 * work it accepted has run or been taken back, and its threads have ended, it is
 * <em>terminated</em>: {@link #isTerminated()} is {@code true} and stays so. The states only
 * move forward.
 *
 * <p><b>Nothing accepted is lost silently.</b> Work the service accepted either runs exactly
 * once, or is returned by {@code shutdownNow()}, or is reported by {@link #close()} with the
 * service's name and the number of items. Work offered while the service shuts down either is
 * accepted (and then runs, or is returned) or is refused, never both and never neither.
 *
 * <p><b>Timeouts.</b> Every timed wait takes a {@code long} and a {@link TimeUnit}, and a
 * {@link Duration} (which saturates: one too long for a {@code long} of nanoseconds waits for
 * about 292 years). Zero or a negative timeout means do not wait: the call checks and returns.
 *
 * <p><b>Waiting on the service's own thread.</b> A thread of the service cannot wait for the
 * service to end: {@code awaitTermination} there throws {@link IllegalStateException}, and
 * {@code close()} shuts down and returns without waiting.
 *
 * <p><b>Memory consistency effects:</b> actions in a thread prior to handing work to the service
 * <i>happen-before</i> that work runs, and the actions of all the work the service ran
 * <i>happen-before</i> {@code awaitTermination} returns {@code true}, {@code isTerminated()}
 * returns {@code true}, and {@code close()} returns.
 *
 * <p>Try-with-resources is the usual shape:
 *
 * <pre> {@code
 * try (Owner<Counter> counter = Owner.start("counter", new Counter())) {
 *   ...                      // work handed over in here
 * }                          // close(): runs what was accepted, then the thread ends
 * }</pre>
 *
 * @param <W> the type of the work {@link #shutdownNow()} hands back
 */
public interface Lifecycle<W> extends AutoCloseable {

  /**
   * Returns the name the user gave this service (or its default name), as its threads, messages
   * and reports show it.
   *
   * @return the service's name
   */
  String name();

  /**
   * Starts an orderly shutdown: later work is refused, and the work already accepted still runs.
   * Does not wait for it: use {@link #awaitTermination(long, TimeUnit)} or {@link #close()}.
   * Idempotent; any thread may call it, a thread of the service included.
   */
  void shutdown();

  /**
   * Refuses later work, stops the work that is running (by interrupting its thread; it is up to
   * the work to stop), and returns the accepted work that never ran and now never will, in the
   * order it would have run unless the type says otherwise. If several threads call it, one gets
   * that work and the others an empty list; after an orderly termination the list is empty. The
   * type says whether it waits for the running work to return.
   *
   * @return the accepted work that never ran
   */
  @CanIgnoreReturnValue
  List<W> shutdownNow();

  /**
   * Returns whether this service has been shut down, and refuses new work.
   *
   * @return {@code true} after {@link #shutdown()}, {@link #shutdownNow()}, {@link #close()} or
   *     a failure that the type names
   */
  boolean isShutdown();

  /**
   * Returns whether this service is shut down and done: every accepted piece of work has run or
   * been handed back, and no thread of the service will run any more of it.
   *
   * @return {@code true} once the service has terminated; it then stays {@code true}
   */
  boolean isTerminated();

  /**
   * Blocks until this service has terminated after a shutdown, the timeout elapses, or the
   * calling thread is interrupted. It does not shut the service down: call {@link #shutdown()}
   * first, or use {@link #close()}.
   *
   * @param timeout the longest time to wait; zero or negative means check without waiting
   * @param unit the unit of {@code timeout}
   * @return {@code true} if the service terminated, {@code false} if the timeout elapsed first
   * @throws NullPointerException if {@code unit} is null
   * @throws IllegalStateException if called on a thread of the service, which would wait for
   *     itself, or if the service ended abnormally (the type says when; accepted work did not run)
   * @throws InterruptedException if the calling thread is interrupted while waiting;
   *     its interrupt status is cleared
   */
  boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException;

  /**
   * Blocks until this service has terminated after a shutdown, the timeout elapses, or the
   * calling thread is interrupted; as {@link #awaitTermination(long, TimeUnit)}.
   *
   * @param timeout the longest time to wait; zero or negative means check without waiting
   * @return {@code true} if the service terminated, {@code false} if the timeout elapsed first
   * @throws NullPointerException if {@code timeout} is null
   * @throws IllegalStateException as for {@link #awaitTermination(long, TimeUnit)}
   * @throws InterruptedException if the calling thread is interrupted while waiting;
   *     its interrupt status is cleared
   */
  default boolean awaitTermination(Duration timeout) throws InterruptedException {
    return awaitTermination(TimeUnit.NANOSECONDS.convert(requireNonNull(timeout, "timeout")),
        TimeUnit.NANOSECONDS);
  }

  /**
   * Shuts this service down and waits until it has terminated, with the meaning of JDK 19's
   * {@code ExecutorService.close()}: {@link #shutdown()}, so that the accepted work runs, then
   * wait. If the calling thread is interrupted on entry or while waiting, it stops as by
   * {@link #shutdownNow()}, once; the work that call hands back never runs, and is reported with
   * its number and this service's name (a {@link System.Logger} {@code WARNING} on the logger
   * named after the service's class); it keeps waiting until the running work has returned and
   * the service has terminated, and sets the interrupt status again before it returns.
   *
   * <p>Called on a thread of the service, it shuts down and returns at once: the service runs the
   * rest of the accepted work and then ends. A service that ended abnormally (and said so as it
   * ended) is closed by this without an exception. Idempotent; it never throws
   * {@link InterruptedException}.
   */
  @Override
  default void close() {
    shutdown();
    boolean interrupted = false;
    for (boolean done = false; !done; ) {
      try {
        done = awaitTermination(1L, TimeUnit.DAYS);
      } catch (InterruptedException e) {
        if (!interrupted) {
          interrupted = true;
          List<W> dropped = shutdownNow();
          if (!dropped.isEmpty()) {
            System.getLogger(getClass().getName()).log(Level.WARNING, () -> getClass().getSimpleName()
                + " " + name() + ": close() was interrupted, so it stopped as shutdownNow() does; "
                + dropped.size() + " accepted items will never run");
          }
        }
      } catch (IllegalStateException ownThreadOrEndedAbnormally) {
        done = true; // shut down: the service ends by itself, or has ended and said why
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
