package io.github.gilpatterns.patterns;

import static java.util.Objects.requireNonNull;

import io.github.gilpatterns.owner.Owner;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * A counter that belongs to one thread, the <em>counter manager</em>; every other thread adds to
 * it by sending an increment through a queue, and {@link #join()} waits until every increment
 * sent so far has been applied. This is the counter manager of Raymond Hettinger's worked example
 * (seed notebook 001), built on {@link Owner}.
 *
 * <p>The Python, and the same thing in Java:
 *
 * <pre>{@code
 * counter = 0                                   | CounterManager counter =
 * counter_queue = queue.Queue()                 |     CounterManager.start("counter-manager");
 *                                               |
 * def counter_manager():                        | // the loop is the owner thread of `counter`:
 *     'I have EXCLUSIVE rights to update        | // it alone touches the count
 *      the counter variable'                    |
 *     global counter                            |
 *     while True:                               |
 *         increment = counter_queue.get()       |
 *         counter += increment                  |
 *         counter_queue.task_done()             |
 *                                               |
 * def worker():                                 | Runnable worker = () -> counter.increment(1);
 *     counter_queue.put(1)                      |
 *                                               |
 * counter_queue.join()                          | counter.join();
 * print(counter)                                | System.out.println(counter.count());
 * }</pre>
 *
 * <p><b>Incrementing.</b> {@link #increment(long)} enqueues the increment and returns at once,
 * like {@code counter_queue.put(1)}; any thread may call it. Increments are applied one at a time
 * on the counter-manager thread, in the order they entered its queue, so none is ever lost and
 * the count after {@link #join()} is exact. The count only goes up: a negative increment is
 * refused with {@link IllegalArgumentException} at the call. An increment that would take the
 * count past {@link Long#MAX_VALUE} is not applied (and gets no callback): the counter-manager
 * thread logs a {@link System.Logger} {@code WARNING} and the count stays where it was.
 *
 * <p><b>Reading.</b> {@link #count()} asks the counter-manager thread for the count and waits for
 * the answer. Because the queue is first-in first-out, the answer includes every increment whose
 * {@code increment} call returned, in any thread, before {@code count()} was called (in particular
 * every earlier increment of the calling thread); increments sent while {@code count()} runs may
 * or may not be included.
 *
 * <p><b>Listening.</b> {@link #start(String, LongConsumer)} takes a callback that the
 * counter-manager thread calls with the new count after every increment, before it applies the
 * next one: it sees every count, in order. This is where Hettinger's counter manager puts its
 * print job on the print queue; see {@link HettingerExample}. A callback that throws is logged
 * (a {@code WARNING}) and the counter carries on (the increment stays applied).
 *
 * <p><b>Closing.</b> {@link #close()} stops accepting increments (later calls throw
 * {@link RejectedExecutionException}), applies every increment already accepted, and ends the
 * counter-manager thread. {@code count()} still works after {@code close()}: it returns the final
 * count. The thread is not a daemon (Python's is), so a counter manager that is never closed
 * keeps the JVM alive; use try-with-resources.
 *
 * <p><b>Memory consistency effects:</b> actions in a thread prior to {@code increment} happen-before
 * the increment is applied and the callback runs with its count on the counter-manager thread; the
 * application of an increment and the callback's actions happen-before {@code join()} returns in a
 * thread that called it after the increment, and before {@code count()} returns a value that
 * includes it.
 */
public final class CounterManager implements AutoCloseable {

  /*
   * Implementation overview. An Owner<State> with an unbounded mailbox; the state is one plain
   * long, touched only by the owner thread (after close(), readers touch it only after the owner
   * thread has ended, which happens-before their read: see OwnedReads). The increment-by-one
   * message is allocated once.
   */

  private static final System.Logger LOG = System.getLogger(CounterManager.class.getName());

  /** Plain field on purpose: only the counter-manager thread writes it. */
  private static final class State {
    long count;
  }

  private final Owner<State> owner;
  private final State state;
  /** Called on the owner thread after each increment; {@code null} for none. */
  private final LongConsumer onCount;
  private final Consumer<State> incrementByOne;

  private CounterManager(String name, LongConsumer onCount) {
    this.state = new State();
    this.onCount = onCount;
    this.incrementByOne = s -> apply(s, 1L);
    this.owner = Owner.builder(state).name(name).onError(CounterManager::logFailure).start();
  }

  private static void logFailure(Owner<?> owner, Consumer<?> message, Throwable failure) {
    LOG.log(Level.WARNING, () -> "counter manager " + owner.name()
        + ": the onCount callback failed; the increment stands", failure);
  }

  /**
   * Starts a counter manager named {@code counter-manager}, with a count of zero.
   *
   * @return the started counter manager; close it when done
   */
  public static CounterManager start() {
    return start("counter-manager");
  }

  /**
   * Starts a counter manager whose thread is named {@code name}, with a count of zero.
   *
   * @param name the name of the counter-manager thread
   * @return the started counter manager; close it when done
   * @throws NullPointerException if {@code name} is {@code null}
   */
  public static CounterManager start(String name) {
    return new CounterManager(requireNonNull(name, "name"), null);
  }

  /**
   * Starts a counter manager that calls {@code onCount} with the new count after every
   * increment. The callback runs on the counter-manager thread, one call at a time, in count
   * order, before the next increment is applied; it must not call {@link #count()} or
   * {@link #join()} of this counter (they would wait for the thread that runs them and throw
   * {@link IllegalStateException}).
   *
   * @param name the name of the counter-manager thread
   * @param onCount called with each new count
   * @return the started counter manager; close it when done
   * @throws NullPointerException if {@code name} or {@code onCount} is {@code null}
   */
  public static CounterManager start(String name, LongConsumer onCount) {
    return new CounterManager(requireNonNull(name, "name"), requireNonNull(onCount, "onCount"));
  }

  /**
   * Adds one to the count; the same as {@code increment(1)}.
   *
   * @throws RejectedExecutionException if this counter manager is closed; nothing is added
   */
  public void increment() {
    owner.tell(incrementByOne);
  }

  /**
   * Sends an increment of {@code delta} to the counter-manager thread and returns at once (the
   * queue is unbounded), like {@code counter_queue.put(delta)}. May be called from any thread,
   * including from the {@code onCount} callback.
   *
   * <p>IMPLEMENTATION NOTES: lock-free; one enqueue on the owner's MPSC mailbox.
   *
   * @param delta how much to add; zero is allowed and still produces a callback
   * @throws IllegalArgumentException if {@code delta} is negative; nothing is added
   * @throws RejectedExecutionException if this counter manager is closed; nothing is added
   */
  public void increment(long delta) {
    if (delta < 0) {
      throw new IllegalArgumentException("a counter only goes up: negative increment " + delta);
    }
    if (delta == 1L) {
      owner.tell(incrementByOne);
    } else {
      owner.tell(s -> apply(s, delta));
    }
  }

  private void apply(State s, long delta) {
    if (delta > Long.MAX_VALUE - s.count) {
      LOG.log(Level.WARNING, () -> "counter manager " + owner.name() + ": an increment of "
          + delta + " would take the count past Long.MAX_VALUE; not applied");
      return;
    }
    s.count += delta;
    if (onCount != null) {
      onCount.accept(s.count);
    }
  }

  /**
   * Returns the count, including every increment whose call returned before this call (from any
   * thread). Blocks until the counter-manager thread has applied those increments and answered.
   * After {@link #close()}, waits until the thread has ended and returns the final count.
   *
   * @return the count
   * @throws IllegalStateException if called on the counter-manager thread (from the callback),
   *     which would wait for itself
   * @throws InterruptedException if the calling thread is interrupted while waiting (its
   *     interrupt status is cleared)
   */
  public long count() throws InterruptedException {
    return OwnedReads.query(owner, state, s -> s.count);
  }

  /**
   * Waits until every increment sent (by any thread) before this call has been applied and its
   * callback has returned, like {@code counter_queue.join()}. Returns at once after
   * {@link #close()} has completed.
   *
   * @throws IllegalStateException if called on the counter-manager thread
   * @throws InterruptedException if the calling thread is interrupted while waiting (its
   *     interrupt status is cleared)
   */
  public void join() throws InterruptedException {
    owner.join();
  }

  /**
   * Waits at most {@code timeout} until every increment sent before this call has been applied;
   * see {@link #join()}.
   *
   * @param timeout the longest time to wait; zero or negative means check without waiting
   * @return {@code true} if every earlier increment has been applied, {@code false} if the
   *     timeout elapsed first
   * @throws NullPointerException if {@code timeout} is {@code null}
   * @throws IllegalStateException if called on the counter-manager thread
   * @throws InterruptedException if the calling thread is interrupted while waiting (its
   *     interrupt status is cleared)
   */
  public boolean join(Duration timeout) throws InterruptedException {
    return owner.join(timeout);
  }

  /**
   * Stops accepting increments, applies every increment already accepted (running the callback
   * for each), and waits for the counter-manager thread to end. Idempotent. The wait is not
   * interruptible (accepted increments are never dropped); an interrupt during it is kept and
   * set again on return. Called from the callback, it stops accepting and returns at once.
   */
  @Override
  public void close() {
    Closing.closeRunningEverything(owner);
  }

  /**
   * Returns whether {@link #close()} has been called.
   *
   * @return {@code true} if this counter manager no longer accepts increments
   */
  public boolean isClosed() {
    return owner.isShutdown();
  }

  /**
   * Returns the name of this counter manager, which is also the name of its thread.
   *
   * @return the name
   */
  public String name() {
    return owner.name();
  }

  /**
   * Returns a string naming this counter manager and the state of its thread.
   *
   * @return for example {@code CounterManager[Owner[counter-manager, running, processed=10,
   *     pending=0]]}
   */
  @Override
  public String toString() {
    return "CounterManager[" + owner + "]";
  }
}
