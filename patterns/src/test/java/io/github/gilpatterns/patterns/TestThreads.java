package io.github.gilpatterns.patterns;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.gilpatterns.testing.Await;
import io.github.gilpatterns.testing.ThreadMode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Starting threads that fail the test loudly, and joining them with a deadline. */
final class TestThreads {

  /** How long any single wait in these tests may take before the test fails. */
  static final long DEADLINE_SECONDS = Await.LIMIT.toSeconds();

  private TestThreads() {}

  /** A body that may throw; its failure is rethrown by {@link #runAll}. */
  @FunctionalInterface
  interface Body {
    void run(int index) throws Exception;
  }

  /**
   * Runs {@code body(0..n-1)} on {@code n} threads released together by a barrier, joins them
   * with a deadline, and rethrows the first failure (with the others suppressed).
   */
  static void runAll(String name, int n, Body body) throws Exception {
    CyclicBarrier start = new CyclicBarrier(n);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      final int index = i;
      Thread t = ThreadMode.newThread(() -> {
        try {
          start.await(DEADLINE_SECONDS, TimeUnit.SECONDS);
          body.run(index);
        } catch (Throwable e) {
          if (!failure.compareAndSet(null, e)) {
            failure.get().addSuppressed(e);
          }
        }
      }, name + "-" + i);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      joinOrFail(t);
    }
    Throwable e = failure.get();
    if (e instanceof Exception) {
      throw (Exception) e;
    } else if (e != null) {
      throw new AssertionError(e);
    }
  }

  /** One submission of a close race: submitter {@code submitter}'s {@code n}-th call. */
  @FunctionalInterface
  interface Submit {
    void submit(int submitter, long n);
  }

  /**
   * The close race every pattern must survive: starts {@code submitters} threads that call
   * {@code submit(i, 0)}, {@code submit(i, 1)}, ... until a call is refused with
   * {@link RejectedExecutionException}, lets them go once all of them have started and runs
   * {@code close} at once, joins them with a deadline, and returns how many calls were accepted
   * in all.
   *
   * <p>The submitters wait for one another before they start submitting: a virtual thread that
   * never blocks keeps its carrier, so with more submitters than carriers the first ones to
   * spin would keep the rest from ever starting. Those that start late, once close() has
   * refused the first, are refused at once.
   */
  static long acceptedWhileClosing(int submitters, Submit submit, Runnable close)
      throws InterruptedException {
    AtomicLong accepted = new AtomicLong();
    CountDownLatch started = new CountDownLatch(submitters);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < submitters; i++) {
      final int submitter = i;
      Thread thread = ThreadMode.newThread(() -> {
        started.countDown();
        try {
          if (!go.await(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
            return; // the test failed before the race; it reports why
          }
        } catch (InterruptedException stopped) {
          return;
        }
        Await.Deadline deadline = Await.deadline("close() to refuse a submission");
        long n = 0;
        try {
          while (true) {
            deadline.check();
            submit.submit(submitter, n);
            n++;
          }
        } catch (RejectedExecutionException closed) {
          accepted.addAndGet(n);
        }
      }, "submitter-" + i);
      threads.add(thread);
      thread.start();
    }
    await(started);
    go.countDown();
    close.run();
    for (Thread t : threads) {
      joinOrFail(t);
    }
    return accepted.get();
  }

  static void joinOrFail(Thread t) throws InterruptedException {
    t.join(TimeUnit.SECONDS.toMillis(DEADLINE_SECONDS));
    if (t.isAlive()) {
      fail("thread " + t.getName() + " still running after " + DEADLINE_SECONDS + " s");
    }
  }

  static void await(CountDownLatch latch) throws InterruptedException {
    assertTrue(latch.await(DEADLINE_SECONDS, TimeUnit.SECONDS), "latch not released in time");
  }

  /** Asserts that no live thread has a name starting with {@code prefix}. */
  static void assertNoThread(String prefix) {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive() && t.getName().startsWith(prefix)) {
        fail("thread left running: " + t.getName());
      }
    }
  }

  /**
   * Blocks the first thread that calls {@link #block()} until {@link #released} is counted down
   * (or the thread is interrupted); later calls pass at once. {@link #entered} says the first
   * caller is blocked.
   */
  static final class Gate {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch released = new CountDownLatch(1);

    /** Returns whether this call blocked and was ended by an interrupt. */
    boolean block() {
      synchronized (this) {
        if (entered.getCount() == 0) {
          return false;
        }
        entered.countDown();
      }
      try {
        released.await();
        return false;
      } catch (InterruptedException e) {
        return true;
      }
    }
  }
}
