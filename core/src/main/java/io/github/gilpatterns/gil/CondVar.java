package io.github.gilpatterns.gil;

import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A condition variable on a {@link ReentrantLock} that wakes as {@code pthread_cond_signal}
 * does: {@link #signal()} unparks the longest waiter at once, and that thread then competes
 * for the lock like any other.
 *
 * <p>A {@link java.util.concurrent.locks.Condition} of a {@code ReentrantLock} wakes later:
 * its {@code signal()} moves the waiter to the lock's queue, and the waiter is unparked only
 * when it reaches the head of that queue and the lock is released. Two signals in a row then
 * wake their waiters one after the other, the second only once the first has run and let go
 * of the lock. {@code ceval_gil.c}'s {@code drop_gil} signals {@code gil->cond} with
 * {@code pthread_cond_signal}, whose waiter wakes at once, in parallel with one signalled just
 * before. That difference decides who wins the GIL when two threads have dropped it a few
 * microseconds apart, as the I/O threads of the convoy effect do.
 *
 * <p>Waiters are woken in the order they began waiting. A waiter that times out, or is
 * interrupted, and finds itself signalled once it holds the lock again counts as signalled,
 * so no signal is lost. All methods must be called with the lock held, and held once:
 * {@link #timedWait} lets go of one hold while it waits.
 */
final class CondVar {
  private static final class Waiter {
    final Thread thread;
    /** Set, under the lock, by the signal that woke this waiter; read by it without the lock. */
    volatile boolean signalled;
    /** Guarded by the lock. */
    Waiter next;

    Waiter(Thread thread) {
      this.thread = thread;
    }
  }

  private final ReentrantLock lock;
  // Guarded by lock: the waiters not yet signalled, oldest first.
  private Waiter head;
  private Waiter tail;

  CondVar(ReentrantLock lock) {
    this.lock = lock;
  }

  /**
   * COND_TIMED_WAIT: releases the lock, waits until signalled or until {@code nanos} have
   * passed, and takes the lock back (without giving way to interrupts, as
   * {@code pthread_mutex_lock} does not).
   *
   * @return whether the wait timed out without a signal
   * @throws InterruptedException if the thread was interrupted while waiting and was not
   *     signalled; a signalled thread returns normally with its interrupt status set
   */
  boolean timedWait(long nanos) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    Waiter w = new Waiter(Thread.currentThread());
    if (tail == null) {
      head = w;
    } else {
      tail.next = w;
    }
    tail = w;
    long deadline = System.nanoTime() + nanos;
    boolean interrupted = false;
    lock.unlock();
    try {
      while (!w.signalled) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0L) {
          break;
        }
        LockSupport.parkNanos(this, remaining);
        if (Thread.interrupted()) {
          interrupted = true;
          break;
        }
      }
    } finally {
      lock.lock();
    }
    if (w.signalled) {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      return false;
    }
    remove(w);
    if (interrupted) {
      throw new InterruptedException();
    }
    return true;
  }

  /** COND_SIGNAL: wakes the longest waiter, if there is one. */
  void signal() {
    Waiter w = head;
    if (w == null) {
      return;
    }
    head = w.next;
    if (head == null) {
      tail = null;
    }
    w.next = null;
    w.signalled = true;
    LockSupport.unpark(w.thread);
  }

  /** The number of threads waiting and not yet signalled. */
  int waiting() {
    int n = 0;
    for (Waiter x = head; x != null; x = x.next) {
      n++;
    }
    return n;
  }

  private void remove(Waiter w) {
    Waiter prev = null;
    for (Waiter x = head; x != null; prev = x, x = x.next) {
      if (x == w) {
        if (prev == null) {
          head = x.next;
        } else {
          prev.next = x.next;
        }
        if (tail == x) {
          tail = prev;
        }
        x.next = null;
        return;
      }
    }
  }
}
