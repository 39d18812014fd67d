package io.github.gilpatterns.gil;

import static io.github.gilpatterns.gil.TestSupport.TIMEOUT;
import static io.github.gilpatterns.gil.TestSupport.awaitCondition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link CondVar}, the GIL's cond: waiters are woken oldest first, one per signal; a wait with
 * no signal times out; an interrupt ends an unsignalled wait with {@link InterruptedException};
 * and every return holds the lock again.
 */
@Timeout(60)
class CondVarTest {
  private final ReentrantLock lock = new ReentrantLock();
  private final CondVar cond = new CondVar(lock);

  private int waiting() {
    lock.lock();
    try {
      return cond.waiting();
    } finally {
      lock.unlock();
    }
  }

  private void awaitWaiting(int n) {
    IntSupplier w = this::waiting;
    awaitCondition(n + " thread(s) wait on the CondVar", () -> w.getAsInt() == n);
  }

  private void signal() {
    lock.lock();
    try {
      cond.signal();
    } finally {
      lock.unlock();
    }
  }

  /** A thread that waits once, up to TIMEOUT, and records its name and whether it timed out. */
  private TestSupport.Worker waiter(String name, List<String> woken) {
    return TestSupport.start(name, () -> {
      lock.lock();
      try {
        boolean timedOut = cond.timedWait(TIMEOUT.toNanos());
        assertTrue(lock.isHeldByCurrentThread(), "returned without the lock");
        woken.add(name);
        return timedOut;
      } finally {
        lock.unlock();
      }
    });
  }

  @Test
  void eachSignalWakesTheLongestWaiter() throws Exception {
    List<String> woken = new CopyOnWriteArrayList<>();
    TestSupport.Worker first = waiter("first", woken);
    awaitWaiting(1);
    TestSupport.Worker second = waiter("second", woken);
    awaitWaiting(2);

    signal();
    assertEquals(false, first.join(), "the signalled waiter reported a timeout");
    assertEquals(List.of("first"), woken);
    assertEquals(1, waiting());

    signal();
    assertEquals(false, second.join());
    assertEquals(List.of("first", "second"), woken);
    assertEquals(0, waiting());
  }

  @Test
  void aWaitWithNoSignalTimesOutHoldingTheLock() throws Exception {
    signal(); // no waiter: nothing is kept for a later one
    lock.lock();
    try {
      long start = System.nanoTime();
      assertTrue(cond.timedWait(TimeUnit.MILLISECONDS.toNanos(5)));
      assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(5), "returned before its timeout");
      assertTrue(lock.isHeldByCurrentThread());
      assertEquals(0, cond.waiting());
    } finally {
      lock.unlock();
    }
  }

  @Test
  void anInterruptEndsAnUnsignalledWaitHoldingTheLock() throws Exception {
    TestSupport.Worker w = TestSupport.start("interrupted", () -> {
      lock.lock();
      try {
        assertThrows(InterruptedException.class, () -> cond.timedWait(TIMEOUT.toNanos()));
        assertTrue(lock.isHeldByCurrentThread(), "threw without the lock");
        assertEquals(0, cond.waiting(), "left its place in the queue");
        assertFalse(Thread.currentThread().isInterrupted(), "InterruptedException thrown with the status still set");
        return null;
      } finally {
        lock.unlock();
      }
    });
    awaitWaiting(1);
    w.thread.interrupt();
    w.join();
  }

  @Test
  void aSignalledWaiterInterruptedBeforeItReturnsKeepsTheSignalAndTheInterrupt() throws Exception {
    TestSupport.Worker w = TestSupport.start("signalled", () -> {
      lock.lock();
      try {
        boolean timedOut = cond.timedWait(TIMEOUT.toNanos());
        return List.of(timedOut, Thread.interrupted());
      } finally {
        lock.unlock();
      }
    });
    awaitWaiting(1);
    lock.lock();
    try {
      cond.signal();
      w.thread.interrupt(); // before the waiter can take the lock back
    } finally {
      lock.unlock();
    }
    assertEquals(List.of(false, true), w.join(), "[timed out, interrupted]");
  }

  @Test
  void anAlreadyInterruptedThreadDoesNotWait() {
    lock.lock();
    try {
      Thread.currentThread().interrupt();
      assertThrows(InterruptedException.class, () -> cond.timedWait(TIMEOUT.toNanos()));
      assertEquals(0, cond.waiting());
      assertTrue(lock.isHeldByCurrentThread());
    } finally {
      lock.unlock();
    }
  }
}
