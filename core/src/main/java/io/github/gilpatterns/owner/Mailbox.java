package io.github.gilpatterns.owner;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The mailbox of an {@link Owner}: a multi-producer, single-consumer FIFO that can be closed, and
 * whose producer index carries the closed bit, so that one atomic instruction both accepts an
 * element and orders it against {@link #close()}.
 *
 * <p>{@link #offer} returns {@link #OFFERED}, {@link #FULL} (bounded mailboxes only) or
 * {@link #CLOSED}. An offer that returned {@code OFFERED} is counted in the value {@code close()}
 * returns, and an offer that was not counted there returned {@code CLOSED}: there is no third
 * case, so an owner that takes exactly that many elements has taken every accepted element and
 * nothing else. A general-purpose MPSC queue cannot say this: a sender that checked "open" and
 * then offered may land its element after the consumer has decided that the queue is finished.
 *
 * <p>IMPLEMENTATION NOTES: {@code offer}, {@code close} and the read-only methods may be called by
 * any thread; {@code relaxedPoll}, {@code relaxedPeek} and {@code poll} only by the one consumer.
 * {@code offer} and {@code close} are lock-free except while a producer of an unbounded mailbox
 * links a new chunk (a few plain stores, once per chunk), which the others wait out;
 * {@code relaxedPoll} and {@code relaxedPeek} are wait-free; {@code poll} waits for a producer
 * between its claim and its store.
 *
 * @param <E> the type of the elements
 */
abstract class Mailbox<E> extends MailboxIndices {

  /*
   * Implementation overview.
   *
   * The algorithm is JCTools' MPSC array queues (MpscArrayQueue and, for the unbounded
   * mailbox, BaseMpscLinkedArrayQueue): a producer claims a slot with a CAS on the producer
   * index, then stores its element into the slot with a release store; the consumer reads the
   * slot with an acquire load, treats null as "not yet", clears it and advances its own index
   * with a release store. What is added is two flag bits in the producer index:
   *
   *   producerIndex = count << 2 | CLOSED_BIT | RESIZING_BIT
   *
   * count is the number of elements accepted so far. CLOSED_BIT is set once, by close(), with a
   * CAS; every later offer sees it in the same load that precedes its CAS and returns CLOSED,
   * and an offer whose CAS succeeded did so before the close CAS (the CAS of a closed index
   * would fail), so the count close() reads is exactly the number of accepted offers.
   * RESIZING_BIT (unbounded and ring) is held by the producer switching to the next chunk;
   * see Unbounded and Ring.
   * close() waits while it is set, because the linking producer publishes the next index with
   * a plain volatile store that would erase a CLOSED_BIT set meanwhile.
   *
   * The indices live on their own cache lines (128 bytes apart, for the adjacent-line
   * prefetcher), in a class hierarchy because the JVM lays out superclass fields first.
   */

  /** {@link #offer} accepted the element. */
  static final int OFFERED = 0;
  /** {@link #offer} found a bounded mailbox full; nothing changed. */
  static final int FULL = 1;
  /** {@link #offer} found the mailbox closed; nothing changed. */
  static final int CLOSED = 2;

  static final long RESIZING_BIT = 1L;
  static final long CLOSED_BIT = 2L;
  /** One element in the producer index. */
  static final long ONE = 4L;

  /** Largest bounded mailbox. */
  static final int MAX_CAPACITY = 1 << 30;
  /** Slots per chunk: of the unbounded mailbox, and of a bounded one larger than that. */
  static final int CHUNK = 1024;
  /** Rounds of {@link #backOff} that spin, then that yield; later rounds sleep 50 us. */
  private static final int SPINS_BEFORE_YIELD = 64;
  private static final int YIELDS_BEFORE_SLEEP = 64;
  private static final long SLEEP_NANOS = 50_000L;

  static final VarHandle ELEMENT = MethodHandles.arrayElementVarHandle(Object[].class);

  /**
   * Returns an unbounded mailbox that grows by chunks of {@code chunkSize} slots.
   *
   * @param chunkSize slots per chunk, a power of two of at least 2
   */
  static <E> Mailbox<E> unbounded(int chunkSize) {
    return new Unbounded<>(chunkSize);
  }

  /**
   * Returns a mailbox that holds at most {@code capacity} elements: one array allocated now when
   * the capacity is at most {@link #CHUNK}, else a ring of chunks of that size that grows as the
   * backlog does.
   *
   * @param capacity from 1 to 2<sup>30</sup>
   */
  static <E> Mailbox<E> bounded(int capacity) {
    return capacity <= CHUNK ? new Bounded<>(capacity) : new Ring<>(capacity, CHUNK);
  }

  /**
   * Returns a bounded mailbox built as a ring of chunks of {@code chunkSize} slots, whatever
   * the capacity (for tests: small chunks exercise the chunk switches).
   *
   * @param capacity from 1 to 2<sup>30</sup>
   * @param chunkSize a power of two of at least 2
   */
  static <E> Mailbox<E> ring(int capacity, int chunkSize) {
    return new Ring<>(capacity, chunkSize);
  }

  /**
   * Appends {@code e} unless the mailbox is closed or (bounded) full.
   *
   * @return {@link #OFFERED}, {@link #FULL} or {@link #CLOSED}
   */
  abstract int offer(E e);

  /** Consumer only: takes the next element, or returns {@code null} if none is visible yet. */
  abstract @Nullable E relaxedPoll();

  /** Consumer only: the next element without taking it, or {@code null} if none is visible. */
  abstract @Nullable E relaxedPeek();

  /**
   * Consumer only: takes the next element, waiting for a producer that has claimed its slot but
   * not yet stored into it; returns {@code null} only if no accepted element is left (an offer
   * still linking a new chunk is not accepted yet; none is once the mailbox is closed).
   */
  final @Nullable E poll() {
    for (int spins = 0; ; spins++) {
      E e = relaxedPoll();
      if (e != null || consumerIndex() == acceptedCount()) {
        return e;
      }
      backOff(spins);
    }
  }

  /**
   * Consumer only: takes the element at {@code slots[offset]}, the slot of consumer index
   * {@code c}, if its producer has stored it: clears the slot (a plain store, ordered before the
   * release store of the advanced index that lets a producer reuse the slot) and advances the
   * index.
   */
  final @Nullable E take(Object[] slots, int offset, long c) {
    @SuppressWarnings("unchecked")
    E e = (E) ELEMENT.getAcquire(slots, offset);
    if (e != null) {
      slots[offset] = null;
      soConsumerIndex(c + 1);
    }
    return e;
  }

  /**
   * Stops accepting: every later offer returns {@link #CLOSED}. Idempotent.
   *
   * @return the number of elements ever accepted, final from now on
   */
  final long close() {
    for (int spins = 0; ; spins++) {
      long p = lvProducerIndex();
      if ((p & CLOSED_BIT) != 0L) {
        return p >>> 2;
      }
      if ((p & RESIZING_BIT) == 0L && casProducerIndex(p, p | CLOSED_BIT)) {
        return p >>> 2;
      }
      backOff(spins);
    }
  }

  /** Whether {@link #close()} has been called (its CAS has taken effect). */
  final boolean isClosed() {
    return (lvProducerIndex() & CLOSED_BIT) != 0L;
  }

  /**
   * The number of elements accepted so far: offers whose claim took effect, including any whose
   * store is still in flight. Does not count an offer that is linking a new chunk.
   */
  final long acceptedCount() {
    return lvProducerIndex() >>> 2;
  }

  /** The number of elements the consumer has taken so far. */
  final long consumerIndex() {
    return lvConsumerIndex();
  }

  /**
   * Whether every accepted element has been taken. Unlike {@link #relaxedPeek()}, this sees an
   * element whose producer has claimed its slot but not yet stored into it.
   */
  final boolean isEmpty() {
    // Consumer index first, so that a concurrent offer or poll can only make the answer err
    // toward "not empty"; read the other way round, a poll and an offer between the two reads
    // could report "empty" while an element is there.
    long c = lvConsumerIndex();
    return c == acceptedCount();
  }

  /**
   * One round of waiting for another thread that holds a claimed slot or the resize flag:
   * normally nanoseconds, so spin first; yield, then sleep, in case that thread was preempted.
   */
  static void backOff(int round) {
    if (round < SPINS_BEFORE_YIELD) {
      Thread.onSpinWait();
    } else if (round < SPINS_BEFORE_YIELD + YIELDS_BEFORE_SLEEP) {
      Thread.yield();
    } else {
      LockSupport.parkNanos(SLEEP_NANOS);
    }
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * Linked chunks of {@code chunkSize} slots plus one link slot. Chunks are aligned to indices:
   * the chunk holding index i covers [i - i % chunkSize, that + chunkSize). The producer that
   * claims the first index of a chunk that does not exist yet links it: it allocates the chunk
   * before claiming (so that an {@link OutOfMemoryError} changes nothing), claims with a CAS
   * that sets RESIZING_BIT instead of advancing the count, stores its element into slot 0 of the
   * new chunk, publishes the chunk and the new limit for producers, stores the advanced index
   * (volatile), and last links the chunk from the old one's link slot (release), which is what
   * the consumer follows. While RESIZING_BIT is set, other producers and close() wait; the
   * window holds no allocation, only stores. Producers read producerChunk and producerLimit
   * after their acquire of the index; if a resize changed them meanwhile, the index changed
   * too and their CAS fails, so an offer that succeeds used the chunk that belongs to its index.
   * Unlike JCTools' queue, no slot of a chunk is spent on a JUMP marker: the consumer knows the
   * boundary from the index.
   */
  static final class Unbounded<E> extends UnboundedFields<E> {
    /** 128 bytes after the fields (a class's longs are laid out first). */
    @SuppressWarnings("unused")
    private long t00, t01, t02, t03, t04, t05, t06, t07, t08, t09, t10, t11, t12, t13, t14, t15;

    Unbounded(int chunkSize) {
      super(chunkSize);
    }

    @Override
    int offer(E e) {
      Object[] fresh = null;
      for (int spins = 0; ; ) {
        long p = lvProducerIndex();
        if ((p & (CLOSED_BIT | RESIZING_BIT)) != 0L) {
          if ((p & CLOSED_BIT) != 0L) {
            return CLOSED;
          }
          backOff(spins++); // another producer is linking a chunk
          continue;
        }
        long index = p >>> 2;
        Object[] chunk = producerChunk;
        if (index < producerLimit) {
          if (casProducerIndex(p, p + ONE)) {
            ELEMENT.setRelease(chunk, (int) index & mask, e);
            return OFFERED;
          }
        } else {
          if (fresh == null) {
            fresh = new Object[chunkSize + 1];
          }
          if (casProducerIndex(p, p | RESIZING_BIT)) {
            fresh[0] = e; // published by the release store of the link below
            producerChunk = fresh;
            producerLimit = index + chunkSize;
            svProducerIndex(p + ONE); // volatile: Owner's idle protocol reads ownerParked next
            ELEMENT.setRelease(chunk, chunkSize, fresh);
            return OFFERED;
          }
        }
      }
    }

    @Override
    @Nullable E relaxedPoll() {
      long c = lpConsumerIndex();
      Object[] chunk = chunkOf(c);
      if (chunk == null) {
        return null;
      }
      return take(chunk, (int) c & mask, c);
    }

    @Override
    @Nullable E relaxedPeek() {
      long c = lpConsumerIndex();
      Object[] chunk = chunkOf(c);
      @SuppressWarnings("unchecked")
      E e = chunk == null ? null : (E) ELEMENT.getAcquire(chunk, (int) c & mask);
      return e;
    }

    /**
     * Consumer only: the chunk holding consumer index {@code c}; at a chunk boundary, moves to
     * the next chunk if the producer that claimed its first slot has linked it, else returns
     * {@code null} (the element is not visible yet).
     */
    private Object @Nullable [] chunkOf(long c) {
      Object[] chunk = consumerChunk;
      if (c != consumerLimit) {
        return chunk;
      }
      Object[] next = (Object[]) ELEMENT.getAcquire(chunk, chunkSize);
      if (next != null) {
        consumerChunk = next;
        consumerLimit = c + chunkSize;
      }
      return next;
    }
  }

  /** The fields of {@link Unbounded}: read by the producers or the consumer on every call. */
  abstract static class UnboundedFields<E> extends Mailbox<E> {
    final int chunkSize;
    final int mask;
    /** Written only by the producer holding RESIZING_BIT, before it stores the next index. */
    Object[] producerChunk;
    long producerLimit;
    /** Consumer only. */
    Object[] consumerChunk;
    long consumerLimit;

    UnboundedFields(int chunkSize) {
      if (chunkSize < 2 || Integer.bitCount(chunkSize) != 1) {
        throw new IllegalArgumentException("chunk size must be a power of two >= 2: " + chunkSize);
      }
      this.chunkSize = chunkSize;
      this.mask = chunkSize - 1;
      Object[] first = new Object[chunkSize + 1];
      this.producerChunk = first;
      this.producerLimit = chunkSize;
      this.consumerChunk = first;
      this.consumerLimit = chunkSize;
    }
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * One array of a power-of-two size of at least {@code capacity}; the bound is exact: an offer
   * claims index i only if i - consumerIndex < capacity. As in JCTools' MpscArrayQueue,
   * producers cache consumerIndex + capacity in producerLimit (release-stored, acquire-loaded,
   * possibly stale and therefore too small, never too large) and read the consumer index only
   * when their index reaches it. The consumer clears a slot before it releases the advanced
   * consumer index, so a producer that may claim a slot finds it cleared.
   */
  static final class Bounded<E> extends BoundedFields<E> {
    /** 128 bytes after the fields (a class's longs are laid out first). */
    @SuppressWarnings("unused")
    private long t00, t01, t02, t03, t04, t05, t06, t07, t08, t09, t10, t11, t12, t13, t14, t15;

    Bounded(int capacity) {
      super(capacity);
    }

    @Override
    int offer(E e) {
      for (;;) {
        long p = lvProducerIndex();
        if ((p & CLOSED_BIT) != 0L) {
          return CLOSED;
        }
        long index = p >>> 2;
        if (index >= (long) PRODUCER_LIMIT.getAcquire(this)) {
          long limit = lvConsumerIndex() + capacity;
          if (index >= limit) {
            return FULL;
          }
          PRODUCER_LIMIT.setRelease(this, limit);
        }
        if (casProducerIndex(p, p + ONE)) {
          ELEMENT.setRelease(slots, (int) index & mask, e);
          return OFFERED;
        }
      }
    }

    @Override
    @Nullable E relaxedPoll() {
      long c = lpConsumerIndex();
      return take(slots, (int) c & mask, c);
    }

    @Override
    @Nullable E relaxedPeek() {
      @SuppressWarnings("unchecked")
      E e = (E) ELEMENT.getAcquire(slots, (int) lpConsumerIndex() & mask);
      return e;
    }
  }

  /** The fields of {@link Bounded}: read by the producers or the consumer on every call. */
  abstract static class BoundedFields<E> extends Mailbox<E> {
    static final VarHandle PRODUCER_LIMIT;

    static {
      try {
        PRODUCER_LIMIT = MethodHandles.lookup()
            .findVarHandle(BoundedFields.class, "producerLimit", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final Object[] slots;
    final int mask;
    final long capacity;
    /** consumerIndex + capacity as some producer last saw it; through PRODUCER_LIMIT. */
    @SuppressWarnings("unused")
    long producerLimit;

    BoundedFields(int capacity) {
      if (capacity < 1 || capacity > MAX_CAPACITY) {
        throw new IllegalArgumentException("capacity must be between 1 and 2^30: " + capacity);
      }
      int size = capacity == 1 ? 1 : Integer.highestOneBit(capacity - 1) << 1;
      this.slots = new Object[size];
      this.mask = size - 1;
      this.capacity = capacity;
      PRODUCER_LIMIT.setRelease(this, (long) capacity);
    }
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * A bounded mailbox whose memory follows its backlog: a ring of chunks of {@code chunkSize}
   * slots that starts as one chunk linked to itself and grows by one chunk each time the
   * producer reaches the end of a chunk whose successor in the ring still holds elements the
   * consumer has not taken; a successor the consumer has left is reused. The bound is exact,
   * checked as in {@link Bounded}; it also bounds the ring, to ceil(capacity / chunkSize) + 1
   * chunks, because a producer at most {@code capacity} indices ahead of the consumer is at most
   * that many chunks ahead. This is what JCTools' {@code MpscChunkedArrayQueue} achieves with
   * JUMP markers; here chunks are aligned to indices, as in {@link Unbounded}.
   *
   * <p>Chunk switch: the producer that claims index {@code end} (the first index after its chunk)
   * does it holding RESIZING_BIT. It reads the consumer index and chunk: if the successor's
   * current use ended at or before that index and the consumer is in another chunk, the
   * consumer has left the successor for good (a consumer that has taken a chunk's last element
   * but not yet followed its link still needs the link as it is), and the producer reuses it by
   * release-storing its new {@code start}; otherwise it links a fresh chunk (allocated before
   * the claim, so that an {@link OutOfMemoryError} changes nothing) between the two. Either
   * way it stores its element into slot 0, publishes the chunk for producers, and last stores
   * the advanced index (volatile), after which the other producers go on. A stale consumer index
   * can only make the producer insert a chunk it did not need; it never reuses a chunk the
   * consumer is in. The consumer, at the end of its chunk, follows the link and moves into the
   * chunk only if that chunk's {@code start} is its index: a consumer that read the link just
   * before a fresh chunk was inserted sees the successor's old start and reads the link again
   * on its next poll.
   */
  static final class Ring<E> extends RingFields<E> {
    /** 128 bytes after the fields (a class's longs are laid out first). */
    @SuppressWarnings("unused")
    private long t00, t01, t02, t03, t04, t05, t06, t07, t08, t09, t10, t11, t12, t13, t14, t15;

    Ring(int capacity, int chunkSize) {
      super(capacity, chunkSize);
    }

    @Override
    int offer(E e) {
      Chunk fresh = null;
      for (int spins = 0; ; ) {
        long p = lvProducerIndex();
        if ((p & (CLOSED_BIT | RESIZING_BIT)) != 0L) {
          if ((p & CLOSED_BIT) != 0L) {
            return CLOSED;
          }
          backOff(spins++); // another producer is switching chunks
          continue;
        }
        long index = p >>> 2;
        if (index >= (long) PRODUCER_LIMIT.getAcquire(this)) {
          long limit = lvConsumerIndex() + capacity;
          if (index >= limit) {
            return FULL;
          }
          PRODUCER_LIMIT.setRelease(this, limit);
        }
        Chunk chunk = producerChunk;
        if (index < producerEnd) {
          if (casProducerIndex(p, p + ONE)) {
            ELEMENT.setRelease(chunk.slots, (int) index & mask, e);
            return OFFERED;
          }
          continue;
        }
        Chunk next = chunk.next; // stable: only the producer holding RESIZING_BIT writes it
        if (fresh == null && !consumerLeft(next)) {
          fresh = new Chunk(chunkSize);
        }
        if (casProducerIndex(p, p | RESIZING_BIT)) {
          Chunk target;
          if (consumerLeft(next)) {
            target = next;
            Chunk.START.setRelease(target, index);
          } else {
            target = fresh; // non-null: the consumer index only grows, so it was in next then too
            target.start = index; // published by the release store of the link
            target.next = next;
            Chunk.NEXT.setRelease(chunk, target);
          }
          ELEMENT.setRelease(target.slots, 0, e);
          producerChunk = target;
          producerEnd = index + chunkSize;
          svProducerIndex(p + ONE); // volatile: publishes the fields above to the next producer
          return OFFERED;
        }
      }
    }

    /**
     * Whether the consumer has taken every element of {@code chunk}'s current use and moved on
     * to the next chunk: a consumer at the end of the chunk still has to read its link. The
     * index is read first: once it shows the chunk consumed, the consumer's move into the chunk
     * is visible, so a chunk other than {@code chunk} is one it moved to afterwards.
     */
    private boolean consumerLeft(Chunk chunk) {
      long c = lvConsumerIndex();
      return (long) Chunk.START.getAcquire(chunk) + chunkSize <= c
          && CONSUMER_CHUNK.getAcquire(this) != chunk;
    }

    @Override
    @Nullable E relaxedPoll() {
      long c = lpConsumerIndex();
      Chunk chunk = chunkOf(c);
      if (chunk == null) {
        return null;
      }
      return take(chunk.slots, (int) c & mask, c);
    }

    @Override
    @Nullable E relaxedPeek() {
      long c = lpConsumerIndex();
      Chunk chunk = chunkOf(c);
      @SuppressWarnings("unchecked")
      E e = chunk == null ? null : (E) ELEMENT.getAcquire(chunk.slots, (int) c & mask);
      return e;
    }

    /**
     * Consumer only: the chunk holding consumer index {@code c}; at a chunk boundary, moves to
     * the linked chunk once its start is {@code c}, else returns {@code null}.
     */
    private @Nullable Chunk chunkOf(long c) {
      Chunk chunk = consumerChunk;
      if (c != consumerEnd) {
        return chunk;
      }
      Chunk next = (Chunk) Chunk.NEXT.getAcquire(chunk);
      if ((long) Chunk.START.getAcquire(next) != c) {
        return null; // not switched to yet
      }
      CONSUMER_CHUNK.setRelease(this, next); // before any of its elements is taken
      consumerEnd = c + chunkSize;
      return next;
    }

    /** The number of chunks in the ring, for tests; consumer only, while nobody offers. */
    int chunks() {
      int n = 1;
      for (Chunk c = consumerChunk.next; c != consumerChunk; c = c.next) {
        n++;
      }
      return n;
    }
  }

  /** One chunk of a {@link Ring}: its slots, the first index of its current use, its successor. */
  static final class Chunk {
    static final VarHandle START;
    static final VarHandle NEXT;

    static {
      try {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        START = lookup.findVarHandle(Chunk.class, "start", long.class);
        NEXT = lookup.findVarHandle(Chunk.class, "next", Chunk.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final Object[] slots;
    /** First index stored here in its current use; through START once the chunk is linked. */
    long start;
    /** The successor in the ring; written only by the producer holding RESIZING_BIT. */
    Chunk next;

    Chunk(int size) {
      this.slots = new Object[size];
      this.next = this;
    }
  }

  /** The fields of {@link Ring}: read by the producers or the consumer on every call. */
  abstract static class RingFields<E> extends Mailbox<E> {
    static final VarHandle PRODUCER_LIMIT;
    static final VarHandle CONSUMER_CHUNK;

    static {
      try {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        PRODUCER_LIMIT = lookup.findVarHandle(RingFields.class, "producerLimit", long.class);
        CONSUMER_CHUNK = lookup.findVarHandle(RingFields.class, "consumerChunk", Chunk.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final int chunkSize;
    final int mask;
    final long capacity;
    /** consumerIndex + capacity as some producer last saw it; through PRODUCER_LIMIT. */
    @SuppressWarnings("unused")
    long producerLimit;
    /** Written only by the producer holding RESIZING_BIT, before it stores the next index. */
    Chunk producerChunk;
    long producerEnd;
    /** The chunk the consumer is in: written by the consumer (release), read by producers. */
    Chunk consumerChunk;
    /** Consumer only. */
    long consumerEnd;

    RingFields(int capacity, int chunkSize) {
      if (capacity < 1 || capacity > MAX_CAPACITY) {
        throw new IllegalArgumentException("capacity must be between 1 and 2^30: " + capacity);
      }
      if (chunkSize < 2 || Integer.bitCount(chunkSize) != 1) {
        throw new IllegalArgumentException("chunk size must be a power of two >= 2: " + chunkSize);
      }
      this.chunkSize = chunkSize;
      this.mask = chunkSize - 1;
      this.capacity = capacity;
      Chunk first = new Chunk(chunkSize);
      this.producerChunk = first;
      this.producerEnd = chunkSize;
      this.consumerChunk = first;
      this.consumerEnd = chunkSize;
      PRODUCER_LIMIT.setRelease(this, (long) capacity);
    }
  }
}

/**
 * Cache-line padding before the producer index; the {@code int} fills the 4-byte gap after a
 * compressed object header, where the JVM would otherwise put a field of a subclass.
 */
abstract class MailboxPad0 {
  int p00;
  long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15, p16;
}

/** The producer index: {@code count << 2 | CLOSED_BIT | RESIZING_BIT}. */
abstract class MailboxProducerIndex extends MailboxPad0 {
  private static final VarHandle PRODUCER_INDEX;

  static {
    try {
      PRODUCER_INDEX = MethodHandles.lookup()
          .findVarHandle(MailboxProducerIndex.class, "producerIndex", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @SuppressWarnings("unused") // accessed through PRODUCER_INDEX
  private long producerIndex;

  final long lvProducerIndex() {
    return (long) PRODUCER_INDEX.getVolatile(this);
  }

  final void svProducerIndex(long value) {
    PRODUCER_INDEX.setVolatile(this, value);
  }

  final boolean casProducerIndex(long expected, long value) {
    return PRODUCER_INDEX.compareAndSet(this, expected, value);
  }
}

/** Cache-line padding between the indices. */
abstract class MailboxPad1 extends MailboxProducerIndex {
  long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;
}

/** The consumer index: written only by the consumer, with release stores. */
abstract class MailboxConsumerIndex extends MailboxPad1 {
  private static final VarHandle CONSUMER_INDEX;

  static {
    try {
      CONSUMER_INDEX = MethodHandles.lookup()
          .findVarHandle(MailboxConsumerIndex.class, "consumerIndex", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private long consumerIndex;

  /** Consumer only: its own index, a plain load. */
  final long lpConsumerIndex() {
    return consumerIndex;
  }

  final long lvConsumerIndex() {
    return (long) CONSUMER_INDEX.getVolatile(this);
  }

  final void soConsumerIndex(long value) {
    CONSUMER_INDEX.setRelease(this, value);
  }
}

/** Cache-line padding after the consumer index; the cold fields of the subclasses follow. */
abstract class MailboxIndices extends MailboxConsumerIndex {
  long r00, r01, r02, r03, r04, r05, r06, r07, r08, r09, r10, r11, r12, r13, r14, r15;
}
