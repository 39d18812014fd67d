package io.github.gilpatterns.owner;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The fields of a {@link SerialCore} that a send or the run loop reads on every message, with
 * 128 bytes of padding before them ({@link SerialPadding}) and, in {@code SerialCore} itself,
 * after them.
 *
 * <p>Why: an owned state is usually allocated just before its owner
 * ({@code Owner.start(name, new Counter())}), and the garbage collector may later copy any object
 * next to it. The owner thread writes that state on every message; a sender reads
 * {@code mailbox} and {@code ownerParked} on every send. Sharing a cache line with the state
 * made every send miss: {@code OwnerTellBenchmark}'s {@code ownerPlainState} variant. The JVM
 * lays out superclass fields first, and within a class the {@code long}s first, so the padding
 * classes fence these fields off whatever the state's layout is.
 *
 * @param <M> the type of the messages
 */
abstract class SerialHotFields<M> extends SerialPadding {

  /** Longs between two hot counters: 128 bytes, two cache lines (adjacent-line prefetch). */
  static final int PAD = 16;
  /** Slot of the processed count in {@link #processedSlot}. */
  static final int PROCESSED = PAD;

  /** Accepts a send exactly when its offer returns OFFERED; closed before runState moves. */
  final Mailbox<M> mailbox;
  /** The thread that runs the messages; the only consumer of {@link #mailbox}. */
  final Thread thread;
  /** Messages run (including failed ones) at {@link #PROCESSED}; written only by the thread. */
  final AtomicLongArray processedSlot = new AtomicLongArray(2 * PAD + 1);
  /** RUNNING, SHUTDOWN, STOP or TERMINATED; only moves forward. Read by the run loop. */
  volatile int runState;
  /** The thread has announced it is about to park; see the idle protocol. */
  volatile boolean ownerParked;

  SerialHotFields(Settings settings, String name) {
    this.mailbox = settings.newMailbox();
    this.thread = settings.newThread(this::runThread, name);
  }

  /** The body of the thread. */
  abstract void runThread();
}

/**
 * 128 bytes before {@link SerialHotFields}; the {@code int} fills the 4-byte gap after a
 * compressed object header, where the JVM would otherwise put a field of a subclass.
 */
abstract class SerialPadding {
  int p00;
  long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15, p16;
}
