package io.github.gilpatterns.owner;

import java.util.concurrent.atomic.AtomicReference;

/**
 * A bounded mailbox (of up to 1,024 elements in all) whose consumer side throws once, on demand:
 * what it takes to end an owner's run loop unexpectedly, since nothing a message, a listener or
 * an error handler throws does so. The offer protocol is the owner mailbox's (a CAS on the
 * producer index that carries the closed bit), so closing and counting behave as in production.
 */
final class FaultyMailbox<E> extends Mailbox<E> {
  private static final int SIZE = 1024;

  private final Object[] slots = new Object[SIZE];
  /** Waiting elements at most, as a bounded mailbox's. */
  private final int capacity;
  /** Thrown by the next relaxedPoll, then cleared. */
  final AtomicReference<Error> fault = new AtomicReference<>();

  FaultyMailbox(int capacity) {
    this.capacity = capacity;
  }

  @Override
  int offer(E e) {
    for (;;) {
      long p = lvProducerIndex();
      if ((p & CLOSED_BIT) != 0L) {
        return CLOSED;
      }
      long index = p >>> 2;
      if (index >= SIZE) {
        throw new IllegalStateException("FaultyMailbox holds " + SIZE + " elements in all");
      }
      if (index - lvConsumerIndex() >= capacity) {
        return FULL;
      }
      if (casProducerIndex(p, p + ONE)) {
        ELEMENT.setRelease(slots, (int) index, e);
        return OFFERED;
      }
    }
  }

  @Override
  E relaxedPoll() {
    Error error = fault.getAndSet(null);
    if (error != null) {
      throw error;
    }
    long c = lpConsumerIndex();
    if (c >= SIZE) {
      return null;
    }
    @SuppressWarnings("unchecked")
    E e = (E) ELEMENT.getAcquire(slots, (int) c);
    if (e != null) {
      slots[(int) c] = null;
      soConsumerIndex(c + 1);
    }
    return e;
  }

  @Override
  E relaxedPeek() {
    long c = lpConsumerIndex();
    @SuppressWarnings("unchecked")
    E e = c >= SIZE ? null : (E) ELEMENT.getAcquire(slots, (int) c);
    return e;
  }
}
