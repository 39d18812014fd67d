package io.github.gilpatterns.gil;

import java.time.Duration;
import java.util.Objects;

/**
 * An immutable snapshot of a {@link Gil}'s counters, returned by {@link Gil#stats()}. All
 * counts are since the GIL was created. A {@linkplain Gil#freeThreaded() free-threaded}
 * GIL counts only acquisitions; its other fields are zero.
 *
 * <p><b>Memory consistency effects:</b> a {@code GilStats} is immutable and safe to share
 * between threads without synchronization.
 *
 * @param acquisitions how many times a thread took the GIL from free (the outermost
 *     {@link Gil#acquire()}, each re-take after a checkpoint switch or a
 *     {@link Gil#releasing(java.util.concurrent.Callable) releasing} call; re-entrant
 *     acquisitions are not counted)
 * @param switches how many times the GIL was taken by a thread other than the one that
 *     last dropped it ({@code gil->switch_number})
 * @param dropRequests how many times a waiter, after a switch interval without a switch,
 *     asked the holder to drop the GIL
 * @param forcedDrops how many times a holder dropped the GIL at a
 *     {@link Gil#checkpoint() checkpoint} to honour a drop request
 * @param totalWait total time threads spent waiting to take the GIL
 * @param maxWait the longest single wait to take the GIL
 */
public record GilStats(long acquisitions, long switches, long dropRequests, long forcedDrops,
             Duration totalWait, Duration maxWait) {
  /**
   * Checks the components.
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
  public GilStats {
    Objects.requireNonNull(totalWait, "totalWait");
    Objects.requireNonNull(maxWait, "maxWait");
    if (acquisitions < 0 || switches < 0 || dropRequests < 0 || forcedDrops < 0) {
      throw new IllegalArgumentException("negative count");
    }
  }
}
