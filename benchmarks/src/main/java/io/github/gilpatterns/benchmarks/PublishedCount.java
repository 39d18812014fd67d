package io.github.gilpatterns.benchmarks;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A count written by one consumer thread after each message (a release store, a plain
 * {@code mov} on x86) and read by producers, alone on its cache lines: the same publication
 * {@code Owner} does for {@code processed()}, so that the hand-rolled baselines pay what the
 * owner pays.
 */
final class PublishedCount {
  /** Longs on each side of the slot: 128 bytes, two cache lines. */
  private static final int PAD = 16;

  private final AtomicLongArray slot = new AtomicLongArray(2 * PAD + 1);

  /**
   * Publishes a new value; one writer thread only.
   *
   * @param value the number of messages processed so far
   */
  void publish(long value) {
    slot.lazySet(PAD, value);
  }

  /**
   * Returns the last published value.
   *
   * @return the number of messages processed so far
   */
  long get() {
    return slot.get(PAD);
  }
}
