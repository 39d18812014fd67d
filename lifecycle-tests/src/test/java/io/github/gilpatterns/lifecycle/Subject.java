package io.github.gilpatterns.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.gilpatterns.join.Lifecycle;
import io.github.gilpatterns.testing.Await;
import io.github.gilpatterns.testing.RecordingThreadFactory;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One thread-owning type under the {@link Lifecycle} contract: a fresh, running service, and the
 * means to hand it work, to hold its threads, and to run code on them. Each type's subject says
 * what its work is; {@link LifecycleContractTest} does the rest, the same for every type.
 *
 * <p>Work is numbered: work {@code id}, when it runs, writes {@code plain[id]} (a plain write, for
 * the contract's happens-before edge to make visible) and then adds {@code id} to {@link #ran}.
 *
 * @param <W> the type of the work {@code shutdownNow()} hands back
 */
public abstract class Subject<W> {

  /** The most pieces of numbered work a property hands over. */
  static final int MAX_WORK = 32;

  final Lifecycle<W> service;
  /** The ids of the numbered work that has run. */
  final Set<Integer> ran = ConcurrentHashMap.newKeySet();
  /** Written, plainly, by numbered work as it runs. */
  final int[] plain = new int[MAX_WORK];
  /** The threads the service made, where it takes a thread factory. */
  final RecordingThreadFactory threads;

  protected Subject(RecordingThreadFactory threads, Lifecycle<W> service) {
    this.threads = threads;
    this.service = service;
  }

  /** Runs numbered work {@code id}: the write, then the record. */
  public final void record(int id) {
    plain[id] = 1;
    ran.add(id);
  }

  /**
   * Hands over numbered work {@code id}. Returns once the service has accepted it, or throws
   * {@link #refusal()} if it refuses it (once shut down).
   */
  protected abstract void submit(int id);

  /** Hands over work that runs {@code code} on a thread of the service. */
  protected abstract void onServiceThread(Runnable code);

  /**
   * The ids of the numbered work among what {@code shutdownNow()} handed back, in the order given;
   * other work (a blocker, code) is left out.
   */
  protected abstract List<Integer> ids(List<W> handedBack);

  /** The name the subject gave the service. */
  protected abstract String name();

  /** How many threads run the service's work: a blocker must hold them all. */
  protected int threadCount() {
    return 1;
  }

  /**
   * Whether work accepted while every thread is held waits for a thread (in a queue or a
   * mailbox), so that {@code shutdownNow()} hands it back. A task group starts a thread per task
   * instead.
   */
  protected boolean holdsWork() {
    return true;
  }

  /** Whether {@code shutdownNow()} hands work back in the order it would have run. */
  protected boolean ordered() {
    return true;
  }

  /**
   * Whether the service's threads are its own: false for a queue, whose consumers are the
   * caller's threads (the subject's one consumer stands in for them). A queue neither interrupts
   * its consumers nor knows them.
   */
  protected boolean ownsThreads() {
    return true;
  }

  /** What the service throws at work it refuses. */
  protected Class<? extends RuntimeException> refusal() {
    return RejectedExecutionException.class;
  }

  /** Holds every thread of the service with work that waits until released or interrupted. */
  final Blocker block() {
    Blocker blocker = new Blocker(threadCount());
    for (int i = 0; i < threadCount(); i++) {
      onServiceThread(blocker::hold);
    }
    Await.until(service.name() + "'s threads are held",
        () -> blocker.entered.getCount() == 0L);
    return blocker;
  }

  /** Hands over numbered work {@code 0} to {@code n - 1}. */
  final void submitAll(int n) {
    for (int id = 0; id < n; id++) {
      submit(id);
    }
  }

  /**
   * The ids of the numbered work that has run: by default those {@link #record recorded} as
   * they ran. A subject whose work runs no code of the test's (a keyed counter's increment)
   * reads them from the service instead, and then has no plain writes to check.
   */
  protected Set<Integer> ran() throws InterruptedException {
    return ran;
  }

  /** Whether the work writes {@link #plain} as it runs (see {@link #ran()}). */
  protected boolean recordsAsItRuns() {
    return true;
  }

  /** Asserts that numbered work {@code 0} to {@code n - 1} ran, and its writes are visible. */
  final void assertRan(int n) throws InterruptedException {
    Set<Integer> ran = ran();
    for (int id = 0; id < n; id++) {
      assertTrue(ran.contains(id), service.name() + ": work " + id + " never ran; ran " + ran);
      if (recordsAsItRuns()) {
        assertEquals(1, plain[id], service.name() + ": work " + id + "'s write is not visible");
      }
    }
  }

  /** Asserts that every thread the service made has ended (soon after its termination). */
  final void assertNoThreadAlive() {
    for (Thread t : threads.made) {
      Await.until(t.getName() + " of " + service.name() + " has ended", () -> !t.isAlive());
    }
  }

  /** Ends whatever a failed property left running. */
  final void cleanUp() throws InterruptedException {
    service.shutdownNow();
    service.awaitTermination(Await.LIMIT.toSeconds(), TimeUnit.SECONDS);
  }

  @Override
  public String toString() {
    return service.getClass().getSimpleName();
  }

  /** Work that holds a thread of the service until released, or interrupted. */
  static final class Blocker {
    final CountDownLatch entered;
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger interrupted = new AtomicInteger();

    Blocker(int threads) {
      this.entered = new CountDownLatch(threads);
    }

    void hold() {
      entered.countDown();
      try {
        if (!release.await(Await.LIMIT.toSeconds(), TimeUnit.SECONDS)) {
          throw new AssertionError("a blocker was never released");
        }
      } catch (InterruptedException e) {
        interrupted.incrementAndGet();
      }
    }

    void release() {
      release.countDown();
    }
  }
}
