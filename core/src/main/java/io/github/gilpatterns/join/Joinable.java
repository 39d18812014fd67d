package io.github.gilpatterns.join;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Something whose work can be waited for without ending it: Python's {@code Queue.join()}.
 * {@link #join()} returns once every piece of work handed over before the call is done; the
 * service goes on accepting and running work. This is Raymond Hettinger's {@code join()}: the
 * way to know the counter has counted, the printer has printed, the queue has been drained,
 * without sleeping and hoping.
 *
 * <p>Work handed over during the call may or may not be done when it returns. The type says what
 * "done" is (a message has run, a queued element has been reported done with
 * {@code taskDone()}) and which thread must not wait, because the work it waits for would be its
 * own.
 *
 * <p><b>Memory consistency effects:</b> the actions of the work a {@code join} waited for
 * <i>happen-before</i> its successful return.
 */
public interface Joinable {

  /**
   * Waits until every piece of work handed over before this call is done.
   *
   * @throws IllegalStateException if called on the thread that would have to do the work (it
   *     would wait for itself), or if the service terminated before doing some of it: that work
   *     will never be done
   * @throws InterruptedException if the calling thread is interrupted while waiting;
   *     its interrupt status is cleared and the work goes on
   */
  void join() throws InterruptedException;

  /**
   * Waits at most {@code timeout} {@code unit}s until every piece of work handed over before this
   * call is done; as {@link #join()}.
   *
   * @param timeout the longest time to wait; zero or negative means check without waiting
   * @param unit the unit of {@code timeout}
   * @return {@code true} if the work is done, {@code false} if the timeout elapsed first
   * @throws NullPointerException if {@code unit} is null
   * @throws IllegalStateException as for {@link #join()}
   * @throws InterruptedException if the calling thread is interrupted while waiting;
   *     its interrupt status is cleared
   */
  boolean join(long timeout, TimeUnit unit) throws InterruptedException;

  /**
   * Waits at most {@code timeout} until every piece of work handed over before this call is done;
   * as {@link #join()}.
   *
   * @param timeout the longest time to wait; zero or negative means check without waiting
   * @return {@code true} if the work is done, {@code false} if the timeout elapsed first
   * @throws NullPointerException if {@code timeout} is null
   * @throws IllegalStateException as for {@link #join()}
   * @throws InterruptedException if the calling thread is interrupted while waiting;
   *     its interrupt status is cleared
   */
  default boolean join(Duration timeout) throws InterruptedException {
    return join(TimeUnit.NANOSECONDS.convert(requireNonNull(timeout, "timeout")),
        TimeUnit.NANOSECONDS);
  }
}
