package io.github.gilpatterns.patterns;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import io.github.gilpatterns.owner.Owner;
import java.lang.System.Logger.Level;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;

/**
 * A counter that belongs to one thread, the <em>counter manager</em>; every other thread adds to
 * it by sending an increment through a queue, and {@link #join()} waits until every increment
 * sent so far has been applied. This is the counter manager of Raymond Hettinger's worked example
 * of threading done right (his PyBay 2017 talk "Concurrency"), built on {@link Owner}. For counts
 * per key, like Python's {@code collections.Counter}, see {@link KeyedCounterManager}.
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
 * like {@code counter_queue.put(1)}; any thread may call it. With a bounded queue
 * ({@link Builder#mailboxCapacity(int)}), it blocks while the queue is full: backpressure on the
 * producers of a counter that cannot keep up. Increments are applied one at a time
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
 * print job on the print queue. A callback that throws is logged
 * (a {@code WARNING}) and the counter carries on (the increment stays applied).
 *
 * <p><b>Lifecycle</b>: the library's one {@link io.github.gilpatterns.join.Lifecycle} contract,
 * with increments as its work, and {@link #join()} is the
 * {@link io.github.gilpatterns.join.Joinable} one: it returns once every increment sent before it
 * has been applied and its callback has returned. {@link #shutdown()} stops accepting increments
 * (later calls throw {@link RejectedExecutionException}) and lets the accepted ones be applied;
 * {@link #shutdownNow()} returns the deltas of the accepted increments that will never be
 * applied, in order; {@link #close()} is shutdown and wait, and if the closing thread is
 * interrupted, the increments it then drops are reported with this counter's name and their
 * number. {@code count()} still works after the thread has ended: it returns the final count.
 * The thread is not a daemon (Python's is), so a counter manager that is never closed keeps the
 * JVM alive; use try-with-resources.
 *
 * <p><b>Memory consistency effects:</b> actions in a thread prior to {@code increment} happen-before
 * the increment is applied and the callback runs with its count on the counter-manager thread; the
 * application of an increment and the callback's actions happen-before {@code join()} returns in a
 * thread that called it after the increment, and before {@code count()} returns a value that
 * includes it.
 */
public final class CounterManager extends OwnerBacked<CounterManager.State, Long> {

  /*
   * Implementation overview. An Owner<State> (unbounded mailbox unless bounded by the builder);
   * the state is one plain long, touched only by the owner thread; reads after termination go
   * through the owner's final-state read (Queries). An increment is an Increment message that
   * carries its delta, so that shutdownNow() can say which increments never ran; the
   * increment-by-one message is allocated once.
   */

  private static final System.Logger LOG = System.getLogger(CounterManager.class.getName());

  /** Plain field on purpose: only the counter-manager thread writes it. */
  static final class State {
    long count;
  }

  /** One increment: a message that carries its delta. */
  private final class Increment implements Consumer<State> {
    final long delta;

    Increment(long delta) {
      this.delta = delta;
    }

    @Override
    public void accept(State s) {
      apply(s, delta);
    }

    @Override
    public String toString() {
      return "increment(" + delta + ")";
    }
  }

  /** Called on the owner thread after each increment; {@code null} for none. */
  private final @Nullable LongConsumer onCount;
  private final Increment incrementByOne = new Increment(1L);

  private CounterManager(Builder builder) {
    // The thread starts before onCount is assigned, but runs no increment before one is sent,
    // after this constructor has returned.
    super(startOwner(builder));
    this.onCount = builder.onCount;
  }

  private static Owner<State> startOwner(Builder builder) {
    Owner.Builder<State> owner = Owner.builder(new State()).name(builder.name)
        .onFailure(CounterManager::logFailure);
    if (builder.capacity > 0) {
      owner.mailboxCapacity(builder.capacity);
    }
    if (builder.threadFactory != null) {
      owner.threadFactory(builder.threadFactory);
    }
    return owner.start();
  }

  /** An increment never applied is its delta; a count() query is not work. */
  @Override
  @Nullable Long neverRan(Consumer<? super State> message) {
    return message instanceof Increment ? ((Increment) message).delta : null;
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
    return builder().name(name).start();
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
    return builder().name(name).onCount(onCount).start();
  }

  /**
   * Returns a builder of counter managers.
   *
   * @return a new builder with the defaults: name {@code counter-manager}, unbounded queue, no
   *     callback, a non-daemon platform thread
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Adds one to the count; the same as {@code increment(1)}.
   *
   * @throws RejectedExecutionException if this counter manager is shut down, or the wait for room
   *     in a bounded queue was interrupted (the interrupt status is set again); nothing is added
   */
  public void increment() {
    owner.tell(incrementByOne);
  }

  /**
   * Sends an increment of {@code delta} to the counter-manager thread and returns, like
   * {@code counter_queue.put(delta)}: at once with the default unbounded queue; with a bounded
   * one, once there is room. May be called from any thread, including from the {@code onCount}
   * callback (where a full bounded queue refuses at once instead of waiting for itself).
   *
   * <p>IMPLEMENTATION NOTES: lock-free while there is room; one enqueue on the owner's MPSC
   * mailbox.
   *
   * @param delta how much to add; zero is allowed and still produces a callback
   * @throws IllegalArgumentException if {@code delta} is negative; nothing is added
   * @throws RejectedExecutionException if this counter manager is shut down, or the wait for room
   *     was interrupted (the interrupt status is set again); nothing is added
   */
  public void increment(long delta) {
    if (delta < 0) {
      throw new IllegalArgumentException("a counter only goes up: negative increment " + delta);
    }
    owner.tell(delta == 1L ? incrementByOne : new Increment(delta));
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
   * After a shutdown, waits until the thread has ended and returns the final count.
   *
   * @return the count
   * @throws IllegalStateException if called on the counter-manager thread (from the callback),
   *     which would wait for itself
   * @throws InterruptedException if the calling thread is interrupted while waiting (its
   *     interrupt status is cleared)
   */
  public long count() throws InterruptedException {
    return Queries.ask(owner, s -> s.count);
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

  /**
   * A builder of {@link CounterManager}s. Not thread-safe; each {@link #start()} starts a new
   * counter. A setter that throws changes nothing.
   */
  public static final class Builder {
    private String name = "counter-manager";
    private int capacity;
    private @Nullable LongConsumer onCount;
    private @Nullable ThreadFactory threadFactory;

    private Builder() {}

    /**
     * Sets the name of the counter-manager thread (default {@code counter-manager}).
     *
     * @param name the name
     * @return this builder
     * @throws NullPointerException if {@code name} is {@code null}
     */
    @CanIgnoreReturnValue
    public Builder name(String name) {
      this.name = requireNonNull(name, "name");
      return this;
    }

    /**
     * Bounds the queue of increments: at most {@code capacity} wait at a time, and
     * {@code increment} blocks while it is full (backpressure).
     *
     * @param capacity from 1 to 2<sup>30</sup>
     * @return this builder
     * @throws IllegalArgumentException if {@code capacity} is out of that range
     */
    @CanIgnoreReturnValue
    public Builder mailboxCapacity(int capacity) {
      if (capacity < 1 || capacity > 1 << 30) {
        throw new IllegalArgumentException(
            "mailbox capacity must be between 1 and 2^30, was " + capacity);
      }
      this.capacity = capacity;
      return this;
    }

    /**
     * Sets the callback run with every new count on the counter-manager thread; see
     * {@link CounterManager#start(String, LongConsumer)}.
     *
     * @param onCount called with each new count
     * @return this builder
     * @throws NullPointerException if {@code onCount} is {@code null}
     */
    @CanIgnoreReturnValue
    public Builder onCount(LongConsumer onCount) {
      this.onCount = requireNonNull(onCount, "onCount");
      return this;
    }

    /**
     * Makes the counter-manager thread come from {@code threadFactory} (a virtual thread with
     * {@code Thread.ofVirtual().factory()} on JDK 21+); see
     * {@link Owner.Builder#threadFactory(ThreadFactory)}.
     *
     * @param threadFactory returns a new, unstarted thread
     * @return this builder
     * @throws NullPointerException if {@code threadFactory} is {@code null}
     */
    @CanIgnoreReturnValue
    public Builder threadFactory(ThreadFactory threadFactory) {
      this.threadFactory = requireNonNull(threadFactory, "threadFactory");
      return this;
    }

    /**
     * Starts a counter manager with a count of zero.
     *
     * @return the started counter manager; close it when done
     */
    public CounterManager start() {
      return new CounterManager(this);
    }
  }
}
