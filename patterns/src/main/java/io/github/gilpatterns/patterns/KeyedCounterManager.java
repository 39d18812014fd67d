package io.github.gilpatterns.patterns;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import io.github.gilpatterns.owner.Owner;
import java.lang.System.Logger.Level;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Counts per key that belong to one thread: Python's {@code collections.Counter} managed as
 * Hettinger's counter manager is. Any thread sends increments ({@code increment(key)}); one thread
 * applies them, one at a time, so no count is ever lost; {@link #join()} waits until every
 * increment sent so far has been applied, and {@link #counts()} returns a snapshot.
 *
 * <pre>{@code
 * hits = Counter()                              | try (KeyedCounterManager<String> hits =
 *                                               |     KeyedCounterManager.start("hits")) {
 * for line in log: hits[path(line)] += 1        |   lines.forEach(l -> hits.increment(path(l)));
 *                                               |   hits.join();
 * hits.most_common(3)                           |   hits.mostCommon(3);
 *                                               | }
 * }</pre>
 *
 * <p><b>Incrementing</b> is as for {@link CounterManager}: it returns at once with the default
 * unbounded queue, and blocks while a bounded one ({@link Builder#mailboxCapacity(int)}) is full;
 * counts only go up; an increment that would take a count past {@link Long#MAX_VALUE} is not
 * applied and is logged. Keys must not be {@code null} and must not change their
 * {@code equals}/{@code hashCode} after they are sent.
 *
 * <p><b>Reading.</b> {@link #count(Object)}, {@link #counts()}, {@link #mostCommon(int)} and
 * {@link #total()} ask the counter thread and wait for the answer, which includes every increment
 * whose call returned before the read; after a shutdown they wait for the thread to end and read
 * the final counts. Snapshots are copies: the caller may keep them.
 *
 * <p><b>One thread, many counts.</b> All the counts belong to the one counter thread: a
 * {@code KeyedCounterManager} is one owner holding a map of counts, not an owner per key.
 * Increments of different keys are applied one at a time, in the order they were accepted.
 *
 * <p><b>Lifecycle</b>: the library's one {@link io.github.gilpatterns.join.Lifecycle} contract,
 * with increments as its work, as for {@link CounterManager}; {@link #shutdownNow()} returns the
 * increments never applied as key-delta entries, in the order they would have been.
 *
 * <p><b>Memory consistency effects:</b> actions in a thread prior to {@code increment}
 * happen-before the increment is applied; its application happens-before {@code join()} returns in
 * a thread that called it after the increment, and before a read returns a value that includes
 * it.
 *
 * @param <K> the type of the keys
 */
public final class KeyedCounterManager<K>
    extends OwnerBacked<Map<K, long[]>, Map.Entry<K, Long>> {

  /*
   * Implementation overview. An Owner<Map<K, long[]>>: a LinkedHashMap from key to a one-element
   * array (a mutable count without boxing on every increment), in the order keys were first
   * counted, touched only by the owner thread. An increment is an Increment message carrying key
   * and delta, so shutdownNow() can return what never ran. Reads are asks that copy, or, after
   * termination, the owner's final-state read (Queries).
   */

  private static final System.Logger LOG = System.getLogger(KeyedCounterManager.class.getName());

  /** One increment: a message that carries its key and delta. */
  private final class Increment implements Consumer<Map<K, long[]>> {
    final K key;
    final long delta;

    Increment(K key, long delta) {
      this.key = key;
      this.delta = delta;
    }

    @Override
    public void accept(Map<K, long[]> counts) {
      long[] count = counts.computeIfAbsent(key, k -> new long[1]);
      if (delta > Long.MAX_VALUE - count[0]) {
        LOG.log(Level.WARNING, () -> "counter manager " + owner.name() + ": an increment of "
            + delta + " would take the count of " + key + " past Long.MAX_VALUE; not applied");
        return;
      }
      count[0] += delta;
    }

    @Override
    public String toString() {
      return "increment(" + key + ", " + delta + ")";
    }
  }

  private KeyedCounterManager(Builder builder) {
    super(KeyedCounterManager.<K>startOwner(builder));
  }

  private static <K> Owner<Map<K, long[]>> startOwner(Builder builder) {
    Owner.Builder<Map<K, long[]>> owner =
        Owner.<Map<K, long[]>>builder(new LinkedHashMap<>()).name(builder.name);
    if (builder.capacity > 0) {
      owner.mailboxCapacity(builder.capacity);
    }
    if (builder.threadFactory != null) {
      owner.threadFactory(builder.threadFactory);
    }
    return owner.start();
  }

  /** An increment never applied is its key and delta; a read is not work. */
  @Override
  Map.@Nullable Entry<K, Long> neverRan(Consumer<? super Map<K, long[]>> message) {
    if (!(message instanceof KeyedCounterManager.Increment)) {
      return null;
    }
    @SuppressWarnings("unchecked") // an Increment of this counter is an Increment<K>
    Increment increment = (Increment) message;
    return new SimpleImmutableEntry<>(increment.key, increment.delta);
  }

  /**
   * Starts a keyed counter manager whose thread is named {@code name}, with every count zero.
   *
   * @param name the name of the counter thread
   * @param <K> the type of the keys
   * @return the started counter; close it when done
   * @throws NullPointerException if {@code name} is {@code null}
   */
  public static <K> KeyedCounterManager<K> start(String name) {
    return builder().name(name).start();
  }

  /**
   * Returns a builder of keyed counter managers.
   *
   * @return a new builder with the defaults: name {@code counter-manager}, unbounded queue, a
   *     non-daemon platform thread
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Adds one to the count of {@code key}; the same as {@code increment(key, 1)}.
   *
   * @param key the key
   * @throws NullPointerException if {@code key} is {@code null}; nothing is added
   * @throws RejectedExecutionException if this counter is shut down, or the wait for room in a
   *     bounded queue was interrupted (the interrupt status is set again); nothing is added
   */
  public void increment(K key) {
    increment(key, 1L);
  }

  /**
   * Sends an increment of {@code delta} to the count of {@code key} and returns: at once with the
   * default unbounded queue; with a bounded one, once there is room. Any thread may call it.
   *
   * @param key the key
   * @param delta how much to add; zero is allowed (the key then appears with its count)
   * @throws NullPointerException if {@code key} is {@code null}; nothing is added
   * @throws IllegalArgumentException if {@code delta} is negative; nothing is added
   * @throws RejectedExecutionException if this counter is shut down, or the wait for room was
   *     interrupted (the interrupt status is set again); nothing is added
   */
  public void increment(K key, long delta) {
    requireNonNull(key, "key");
    if (delta < 0) {
      throw new IllegalArgumentException("a counter only goes up: negative increment " + delta);
    }
    owner.tell(new Increment(key, delta));
  }

  /**
   * Returns the count of {@code key}, zero for a key never counted; see the class documentation
   * for what it includes and how it waits.
   *
   * @param key the key
   * @return its count
   * @throws NullPointerException if {@code key} is {@code null}
   * @throws IllegalStateException if called on the counter thread
   * @throws InterruptedException if interrupted while waiting (the status is cleared)
   */
  public long count(K key) throws InterruptedException {
    requireNonNull(key, "key");
    return Queries.ask(owner, counts -> {
      long[] count = counts.get(key);
      return count == null ? 0L : count[0];
    });
  }

  /**
   * Returns a snapshot of every count, in the order the keys were first counted.
   *
   * @return an unmodifiable copy, which the caller may keep
   * @throws IllegalStateException if called on the counter thread
   * @throws InterruptedException if interrupted while waiting (the status is cleared)
   */
  public Map<K, Long> counts() throws InterruptedException {
    return Queries.ask(owner, KeyedCounterManager::snapshot);
  }

  private static <K> Map<K, Long> snapshot(Map<K, long[]> counts) {
    Map<K, Long> copy = new LinkedHashMap<>();
    counts.forEach((key, count) -> copy.put(key, count[0]));
    return Collections.unmodifiableMap(copy);
  }

  /**
   * Returns the {@code n} largest counts, largest first, ties in the order the keys were first
   * counted: Python's {@code Counter.most_common(n)}.
   *
   * @param n how many at most
   * @return an unmodifiable list of at most {@code n} key-count entries
   * @throws IllegalArgumentException if {@code n} is negative
   * @throws IllegalStateException if called on the counter thread
   * @throws InterruptedException if interrupted while waiting (the status is cleared)
   */
  public List<Map.Entry<K, Long>> mostCommon(int n) throws InterruptedException {
    if (n < 0) {
      throw new IllegalArgumentException("n must not be negative: " + n);
    }
    List<Map.Entry<K, Long>> entries = new ArrayList<>();
    for (Map.Entry<K, Long> e : counts().entrySet()) {
      entries.add(new SimpleImmutableEntry<>(e.getKey(), e.getValue()));
    }
    entries.sort(Comparator.comparing(Map.Entry<K, Long>::getValue).reversed()); // stable
    return List.copyOf(entries.subList(0, Math.min(n, entries.size())));
  }

  /**
   * Returns the sum of all counts, Python's {@code Counter.total()}.
   *
   * @return the total
   * @throws IllegalStateException if called on the counter thread
   * @throws InterruptedException if interrupted while waiting (the status is cleared)
   */
  public long total() throws InterruptedException {
    return Queries.ask(owner, counts -> {
      long total = 0L;
      for (long[] count : counts.values()) {
        total += count[0];
      }
      return total;
    });
  }

  /**
   * Returns a string naming this counter and the state of its thread.
   *
   * @return for example {@code KeyedCounterManager[Owner[hits, running, processed=10,
   *     pending=0]]}
   */
  @Override
  public String toString() {
    return "KeyedCounterManager[" + owner + "]";
  }

  /**
   * A builder of {@link KeyedCounterManager}s. Not thread-safe; each {@link #start()} starts a
   * new counter. A setter that throws changes nothing.
   */
  public static final class Builder {
    private String name = "counter-manager";
    private int capacity;
    private @Nullable ThreadFactory threadFactory;

    private Builder() {}

    /**
     * Sets the name of the counter thread (default {@code counter-manager}).
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
     * Bounds the queue of increments: {@code increment} blocks while {@code capacity} wait.
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
     * Makes the counter thread come from {@code threadFactory}; see
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
     * Starts a keyed counter with every count zero.
     *
     * @param <K> the type of the keys
     * @return the started counter; close it when done
     */
    public <K> KeyedCounterManager<K> start() {
      return new KeyedCounterManager<>(this);
    }
  }
}
