package io.github.gilpatterns.benchmarks;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The bounded backlog shared by the producer-counted throughput benchmarks: every
 * {@link #CHECK_MASK}{@code + 1} sends, a producer thread waits while more than
 * {@link #BOUND} messages sent by all the producers have not been processed yet.
 *
 * <p>Why: these benchmarks count operations on the producer side (JMH's threads call
 * {@code tell}, {@code execute} or {@code put}), but what they mean to measure is how many
 * messages the consumer processes per second. With an unbounded queue and producers faster
 * than the consumer, a producer-side count measures the producers and a growing heap. The
 * bound keeps the two counts within about 70,000 messages of each other (0.2% of a 2 s
 * iteration at 20 M/s; 2% at 2 M/s).
 *
 * <p>Why the bound holds: a producer passes a check only when the consumer has processed
 * all but {@code BOUND} of the sends it can see (its own, and the others' as of their last
 * check), so at any time the backlog is at most {@code BOUND} plus fewer than
 * {@code 2 * (CHECK_MASK + 1)} unchecked sends per producer, however unevenly they run.
 *
 * <p>The first test needs no shared producer counter (which would itself be a contended
 * line every producer writes); see {@link #afterSend}.
 *
 * <p>The wait spins briefly and then sleeps ({@code parkNanos}, about 50 us on Linux) until
 * the backlog is below the bound again. It must not spin or yield for long: with four
 * producers and a consumer on 2 vCPUs, waiting producers that stay runnable take CPU time
 * from the consumer they wait for (a first version that yielded, with a bound of 1024,
 * measured the producers' {@code sched_yield} calls: a spinning JCTools consumer fell to
 * 0.4 M/s). The bound is deep enough (about 3 ms of work at 20 M/s) that the consumer does
 * not run dry while the producers sleep or are descheduled, so the figure is the consumer's
 * capacity, not the harness's wake-up latency. Every variant of a comparison uses this same
 * code, so the waiting costs them alike; variants with their own bound (an
 * {@code ArrayBlockingQueue}, a bounded mailbox) block in their own way first.
 */
abstract class Backlog {
  /** Largest number of messages sent and not yet processed that the producers allow. */
  static final long BOUND = 1 << 16;
  /** A producer checks the backlog once every {@code CHECK_MASK + 1} sends. */
  static final long CHECK_MASK = 31;
  /** Spins before a waiting producer starts to sleep. */
  private static final int SPINS = 64;
  /** A waiting producer's sleep; Linux rounds it up to about 50 us (timer slack). */
  private static final long PARK_NANOS = 10_000L;
  /** A backlog that does not drain for this long means the consumer has failed. */
  private static final long STALL_NANOS = 30_000_000_000L;
  /** Longs between two producers' published counts: 128 bytes. */
  private static final int PAD = 16;
  private static final int MAX_PRODUCERS = 64;

  /** Each producer's sends as of its last check, on its own cache lines. */
  private final AtomicLongArray sentSlots = new AtomicLongArray((MAX_PRODUCERS + 1) * PAD);
  private final AtomicInteger producerCount = new AtomicInteger();

  /**
   * Returns how many messages the consumer has processed so far; a volatile (or acquire) read
   * of a counter the consumer publishes after each message.
   *
   * @return the number of messages processed
   */
  abstract long processed();

  /**
   * Registers a producer thread.
   *
   * @return the producer's slot, to pass to {@link #afterSend}
   */
  final int register() {
    int i = producerCount.getAndIncrement();
    if (i >= MAX_PRODUCERS) {
      throw new IllegalStateException("more than " + MAX_PRODUCERS + " producers");
    }
    return (i + 1) * PAD;
  }

  /**
   * Called by a producer after each send: every {@code CHECK_MASK + 1} sends, publishes its
   * count and waits until the backlog is at most {@link #BOUND}.
   *
   * <p>The first test, {@code sent * producers - processed <= BOUND}, reads only the
   * consumer's count; it passes whenever this producer is not ahead of the others. Only when
   * it fails does the producer add up every producer's published count, a snapshot of the
   * true number of sends (less the unpublished ones), and wait until the consumer has come
   * within {@code BOUND} of it; the consumer alone can make that true, so a producer never
   * waits for the others (who may have stopped at the end of an iteration).
   *
   * @param sent messages this producer has sent, including the one just sent
   * @param producers the number of producer threads
   * @param slot this producer's slot from {@link #register()}
   */
  final void afterSend(long sent, int producers, int slot) {
    if ((sent & CHECK_MASK) == 0) {
      sentSlots.lazySet(slot, sent);
      if (processed() < sent * producers - BOUND) {
        await(slot, sent);
      }
    }
  }

  private void await(int slot, long sent) {
    long total = 0;
    for (int i = PAD, n = sentSlots.length(); i < n; i += PAD) {
      total += i == slot ? sent : sentSlots.get(i);
    }
    long needed = total - BOUND;
    int spins = 0;
    long deadline = 0L;
    while (processed() < needed) {
      if (++spins < SPINS) {
        Thread.onSpinWait();
      } else if (spins == SPINS) {
        deadline = System.nanoTime() + STALL_NANOS;
      } else {
        LockSupport.parkNanos(PARK_NANOS);
        if (System.nanoTime() - deadline > 0L) {
          throw new IllegalStateException("the backlog did not drain for "
              + STALL_NANOS / 1_000_000_000L + " s: the consumer has died or deadlocked");
        }
      }
    }
  }
}
