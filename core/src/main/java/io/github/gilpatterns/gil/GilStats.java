package io.github.gilpatterns.gil;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An immutable snapshot of a {@link Gil}'s counters, returned by {@link Gil#stats()}, with
 * the per-thread breakdown that CPython's {@code gil_load} and {@code py-spy --gil} report:
 * how long each thread held the GIL, waited for it, and ran without it inside
 * {@link Gil#releasing(CheckedCallable) releasing}. All counts are since the GIL was created;
 * a hold or a {@code releasing} call in progress counts up to the snapshot. A
 * {@linkplain Gil#freeThreaded() free-threaded} GIL counts acquisitions and the held and
 * released times; nobody waits for it, so its other fields are zero.
 *
 * <p>{@link #toString()} prints the durations in milliseconds, then one line per thread. The
 * {@link Gil} class sample printed (its first line wrapped here):
 * <pre>{@code
 * GilStats[acquisitions=213, switches=213, dropRequests=211, forcedDrops=211,
 *     held=1606.7 ms, totalWait=1619.8 ms, maxWait=13.0 ms]
 *   fib_0: held 810.7 ms, waited 811.0 ms, released 0.0 ms
 *   fib_1: held 796.0 ms, waited 808.9 ms, released 0.0 ms
 * }</pre>
 * Two CPU-bound threads under one GIL: each held it half the time and waited the other half.
 * A thread that blocks inside {@code releasing} shows that time as released; under a
 * free-threaded GIL nobody waits.
 *
 * <p><b>Memory consistency effects:</b> a {@code GilStats} is immutable and safe to share
 * between threads without synchronization.
 *
 * @param acquisitions how many times a thread took the GIL from free (the outermost
 *     {@link Gil#acquire()}, each re-take after a checkpoint switch or a
 *     {@link Gil#releasing(CheckedCallable) releasing} call; re-entrant acquisitions are not
 *     counted)
 * @param switches how many times the GIL was taken by a thread other than the one that
 *     last dropped it ({@code gil->switch_number})
 * @param dropRequests how many times a waiter, after a switch interval without a switch,
 *     asked the holder to drop the GIL
 * @param forcedDrops how many times a holder dropped the GIL at a
 *     {@link Gil#checkpoint() checkpoint} to honour a drop request
 * @param totalWait total time threads spent waiting to take the GIL, from asking for it (or,
 *     after dropping it at a checkpoint to honour a drop request, from the drop) until
 *     taking it; the sum of the threads' {@link ThreadTimes#waited() waited}
 * @param maxWait the longest single wait to take the GIL, measured as for {@code totalWait}
 * @param totalHeld total time threads held the GIL; the sum of the threads'
 *     {@link ThreadTimes#held() held}
 * @param threads one entry per thread that ever took the GIL, in the order they first took
 *     it
 */
public record GilStats(long acquisitions, long switches, long dropRequests, long forcedDrops,
             Duration totalWait, Duration maxWait, Duration totalHeld,
             List<ThreadTimes> threads) {
  /**
   * Checks the components and copies {@code threads}.
   *
   * @param acquisitions how many times a thread took the GIL from free
   * @param switches how many times the GIL was taken by another thread than its last holder
   * @param dropRequests how many times a waiter asked the holder to drop the GIL
   * @param forcedDrops how many times a holder dropped the GIL at a checkpoint on request
   * @param totalWait total time threads spent waiting to take the GIL
   * @param maxWait the longest single wait to take the GIL
   * @param totalHeld total time threads held the GIL
   * @param threads the per-thread times
   * @throws NullPointerException if a duration, {@code threads} or one of its elements is
   *     null
   * @throws IllegalArgumentException if a count is negative
   */
  public GilStats {
    Objects.requireNonNull(totalWait, "totalWait");
    Objects.requireNonNull(maxWait, "maxWait");
    Objects.requireNonNull(totalHeld, "totalHeld");
    threads = List.copyOf(threads);
    if (acquisitions < 0 || switches < 0 || dropRequests < 0 || forcedDrops < 0) {
      throw new IllegalArgumentException("negative count");
    }
  }

  /**
   * Makes a snapshot with no held time and no per-thread entries, such as a GIL that no
   * thread has taken yet.
   *
   * @param acquisitions how many times a thread took the GIL from free
   * @param switches how many times the GIL was taken by another thread than its last holder
   * @param dropRequests how many times a waiter asked the holder to drop the GIL
   * @param forcedDrops how many times a holder dropped the GIL at a checkpoint on request
   * @param totalWait total time threads spent waiting to take the GIL
   * @param maxWait the longest single wait to take the GIL
   * @throws NullPointerException if {@code totalWait} or {@code maxWait} is null
   * @throws IllegalArgumentException if a count is negative
   */
  public GilStats(long acquisitions, long switches, long dropRequests, long forcedDrops,
      Duration totalWait, Duration maxWait) {
    this(acquisitions, switches, dropRequests, forcedDrops, totalWait, maxWait, Duration.ZERO,
        List.of());
  }

  /**
   * Returns the counters, and then one line per thread with its times, all durations in
   * milliseconds.
   *
   * @return a multi-line description of this snapshot
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("GilStats[acquisitions=").append(acquisitions)
        .append(", switches=").append(switches)
        .append(", dropRequests=").append(dropRequests)
        .append(", forcedDrops=").append(forcedDrops)
        .append(", held=").append(millis(totalHeld))
        .append(", totalWait=").append(millis(totalWait))
        .append(", maxWait=").append(millis(maxWait)).append(']');
    for (ThreadTimes t : threads) {
      sb.append("\n  ").append(t);
    }
    return sb.toString();
  }

  /** Formats a duration as milliseconds with one decimal: {@code 670.2 ms}. */
  static String millis(Duration d) {
    return String.format(Locale.ROOT, "%.1f ms", d.toNanos() / 1e6);
  }

  /**
   * One thread's times under a {@link Gil}.
   *
   * @param threadId the thread's id ({@code Thread.getId()})
   * @param threadName the thread's name when it first took the GIL
   * @param held how long it held the GIL
   * @param waited how long it waited to take the GIL, measured as for
   *     {@link GilStats#totalWait() totalWait}
   * @param released how long it ran without the GIL inside
   *     {@link Gil#releasing(CheckedCallable) releasing} (blocking calls,
   *     {@link Gil#sleep(Duration)})
   */
  public record ThreadTimes(long threadId, String threadName, Duration held, Duration waited,
      Duration released) {
    /**
     * Checks the components.
     *
     * @param threadId the thread's id
     * @param threadName the thread's name
     * @param held how long it held the GIL
     * @param waited how long it waited to take the GIL
     * @param released how long it ran without the GIL inside {@code releasing}
     * @throws NullPointerException if a component is null
     */
    public ThreadTimes {
      Objects.requireNonNull(threadName, "threadName");
      Objects.requireNonNull(held, "held");
      Objects.requireNonNull(waited, "waited");
      Objects.requireNonNull(released, "released");
    }

    /**
     * Returns the thread's name and times in milliseconds.
     *
     * @return a string such as {@code main: held 12.0 ms, waited 0.0 ms, released 3.1 ms}
     */
    @Override
    public String toString() {
      return threadName + ": held " + millis(held) + ", waited " + millis(waited)
          + ", released " + millis(released);
    }
  }
}
