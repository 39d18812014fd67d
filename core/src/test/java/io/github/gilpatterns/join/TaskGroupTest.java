package io.github.gilpatterns.join;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.Uninterruptibles;
import io.github.gilpatterns.testing.Await;
import io.github.gilpatterns.testing.RecordingThreadFactory;
import io.github.gilpatterns.testing.ThreadMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TaskGroupTest {

  /** A group whose threads are of {@link ThreadMode}'s kind. */
  private static TaskGroup group(String name) {
    return TaskGroup.builder().name(name).threadFactory(ThreadMode.factory(name)).build();
  }

  /** Blocks until interrupted, recording its thread and the interrupt. */
  private static final class Blocker {
    final CountDownLatch started = new CountDownLatch(1);
    final AtomicBoolean interrupted = new AtomicBoolean();
    final AtomicReference<Thread> thread = new AtomicReference<>();

    String call() throws InterruptedException {
      thread.set(Thread.currentThread());
      started.countDown();
      try {
        new CountDownLatch(1).await();
        return "never";
      } catch (InterruptedException e) {
        interrupted.set(true);
        throw e;
      }
    }
  }

  @Test
  void joinWaitsForEveryTaskAndMakesItsWritesVisible() throws Exception {
    long[] slots = new long[16];
    List<ListenableFuture<Integer>> futures = new ArrayList<>();
    try (TaskGroup group = group("sum")) {
      for (int i = 0; i < slots.length; i++) {
        int slot = i;
        futures.add(group.fork(() -> {
          slots[slot] = slot + 1;
          return slot;
        }));
      }
      group.join();
    }
    for (int i = 0; i < slots.length; i++) {
      assertEquals(i + 1, slots[i]);
      assertEquals(i, Futures.getDone(futures.get(i)));
    }
  }

  @Test
  void threadsAreNamedAfterTheGroup() throws Exception {
    try (TaskGroup group = TaskGroup.create("fetch")) {
      ListenableFuture<String> a = group.fork(() -> Thread.currentThread().getName());
      ListenableFuture<String> b = group.fork(() -> Thread.currentThread().getName());
      ListenableFuture<Boolean> daemon = group.fork(() -> Thread.currentThread().isDaemon());
      group.join();
      assertEquals("fetch-0", Futures.getDone(a));
      assertEquals("fetch-1", Futures.getDone(b));
      assertFalse(Futures.getDone(daemon), "the default threads are non-daemon");
    }
    assertTrue(TaskGroup.create().name().startsWith("TaskGroup-"));
  }

  @Test
  void aFailingForkCancelsItsSiblingsAndJoinRethrowsIt() throws Exception {
    Blocker sibling = new Blocker();
    IllegalArgumentException boom = new IllegalArgumentException("boom");
    TaskGroup group = group("fail");
    ListenableFuture<String> siblingFuture = group.fork(sibling::call);
    assertTrue(sibling.started.await(10, SECONDS));
    ListenableFuture<String> failing = group.fork(() -> {
      throw boom;
    });
    ExecutionException thrown = assertThrows(ExecutionException.class, group::join);
    assertSame(boom, thrown.getCause());
    assertTrue(sibling.interrupted.get(), "sibling was interrupted");
    assertTrue(siblingFuture.isCancelled());
    assertFalse(sibling.thread.get().isAlive());
    assertSame(boom, assertThrows(ExecutionException.class, failing::get).getCause());
    assertEquals(0, boom.getSuppressed().length, "a cancelled sibling is not a failure");
    assertThrows(IllegalStateException.class, () -> group.fork(() -> "late"));
    group.close();
  }

  @Test
  void laterFailuresAreSuppressedOnTheFirst() throws Exception {
    CountDownLatch secondWaiting = new CountDownLatch(1);
    IllegalStateException first = new IllegalStateException("first");
    IllegalArgumentException second = new IllegalArgumentException("second");
    try (TaskGroup group = group("tasks")) {
      group.fork(() -> {
        // The interrupt that ends this wait comes only from the group recording the first
        // failure; this task then fails with something other than the cancellation.
        try {
          secondWaiting.countDown();
          new CountDownLatch(1).await();
        } catch (InterruptedException cancelled) {
          throw second;
        }
        return null;
      });
      assertTrue(secondWaiting.await(10, SECONDS));
      group.fork(() -> {
        throw first;
      });
      ExecutionException thrown = assertThrows(ExecutionException.class, group::join);
      assertSame(first, thrown.getCause());
      assertEquals(List.of(second), List.of(first.getSuppressed()));
    }
  }

  @Test
  void closeWithoutJoinWaitsForTheForkedTasksAndLeavesNoThreadRunning() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<Thread> threads = new CopyOnWriteArrayList<>();
    TaskGroup group = group("waited");
    ListenableFuture<String> fa = group.fork(() -> {
      threads.add(Thread.currentThread());
      release.await();
      return "a";
    });
    ListenableFuture<String> fb = group.fork(() -> {
      threads.add(Thread.currentThread());
      release.await();
      return "b";
    });
    Thread closer = ThreadMode.start("closer", group::close);
    Await.blocked(closer);
    assertTrue(group.isShutdown(), "close() shut the group down first");
    assertFalse(fa.isDone() || fb.isDone(), "close() cancelled nothing: it waits");
    release.countDown();
    closer.join(SECONDS.toMillis(20));
    assertFalse(closer.isAlive());
    assertEquals("a", Futures.getDone(fa));
    assertEquals("b", Futures.getDone(fb));
    for (Thread t : threads) {
      assertFalse(t.isAlive(), "close() returned before " + t.getName() + " exited");
    }
  }

  @Test
  void closeAfterShutdownNowWaitsForATaskThatFinishesAfterItsInterrupt() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    List<String> log = new CopyOnWriteArrayList<>();
    AtomicReference<Thread> thread = new AtomicReference<>();
    try (TaskGroup group = group("tasks")) {
      group.fork(() -> {
        thread.set(Thread.currentThread());
        started.countDown();
        try {
          new CountDownLatch(1).await();
        } catch (InterruptedException e) {
          for (int i = 0; i < 1000; i++) {
            log.add("cleanup");
          }
        }
        return null;
      });
      assertTrue(started.await(10, SECONDS));
      assertEquals(List.of(), group.shutdownNow(), "the task had begun: none is handed back");
    }
    assertEquals(1000, log.size(), "close() returned before the task's cleanup ended");
    assertFalse(thread.get().isAlive());
  }

  @Test
  void aTaskCanForkSiblingsButNotWaitForItsOwnGroup() throws Exception {
    try (TaskGroup group = group("tasks")) {
      ListenableFuture<Integer> outer = group.fork(() -> {
        assertThrows(IllegalStateException.class, group::join);
        assertThrows(IllegalStateException.class, () -> group.awaitTermination(Duration.ZERO));
        ListenableFuture<Integer> sibling = group.fork(() -> 41);
        group.close(); // on its own thread: shuts the group down and returns
        assertTrue(group.isShutdown());
        return Futures.getUnchecked(sibling) + 1;
      });
      group.join();
      assertEquals(42, Futures.getDone(outer));
    }
  }

  @Test
  void badInputAndUseAfterCloseChangeNothing() throws Exception {
    assertThrows(NullPointerException.class, () -> TaskGroup.create(null));
    assertThrows(NullPointerException.class, () -> TaskGroup.builder().name(null));
    assertThrows(NullPointerException.class, () -> TaskGroup.builder().threadFactory(null));
    TaskGroup group = group("closed");
    assertThrows(NullPointerException.class, () -> group.fork(null));
    assertThrows(NullPointerException.class, () -> group.awaitTermination(null));
    assertThrows(NullPointerException.class, () -> group.awaitTermination(1, null));
    assertFalse(group.isShutdown(), "bad arguments change nothing");
    group.close();
    group.close();
    assertThrows(IllegalStateException.class, () -> group.fork(() -> "late"));
    group.join();
    assertTrue(group.isShutdown() && group.isTerminated());
  }

  @Test
  void interruptedJoinThrowsAndTasksKeepRunning() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (TaskGroup group = group("tasks")) {
      ListenableFuture<String> f = group.fork(() -> {
        release.await();
        return "done";
      });
      Thread.currentThread().interrupt();
      assertThrows(InterruptedException.class, group::join);
      assertFalse(f.isDone());
      release.countDown();
      group.join();
      assertEquals("done", Futures.getDone(f));
    }
  }

  @Test
  void forkedTasksRunOnTheSuppliedFactorysThreads() throws Exception {
    RecordingThreadFactory factory = new RecordingThreadFactory("made");
    try (TaskGroup group = TaskGroup.builder().name("supplied").threadFactory(factory).build()) {
      ListenableFuture<Thread> a = group.fork(Thread::currentThread);
      ListenableFuture<Thread> b = group.fork(Thread::currentThread);
      group.join();
      assertEquals(List.of(Futures.getDone(a), Futures.getDone(b)), factory.made);
      assertTrue(Futures.getDone(a).getName().startsWith("made-"), "the factory names them");
      assertEquals("supplied", group.name());
    }
  }

  @Test
  void aFactoryThatFailsRefusesTheForkAndChangesNothing() throws Exception {
    IllegalStateException refusal = new IllegalStateException("no threads today");
    TaskGroup throwing = TaskGroup.builder().name("throwing").threadFactory(r -> {
      throw refusal;
    }).build();
    RejectedExecutionException e =
        assertThrows(RejectedExecutionException.class, () -> throwing.fork(() -> "x"));
    assertSame(refusal, e.getCause());
    TaskGroup nulls = TaskGroup.builder().name("nulls").threadFactory(r -> null).build();
    assertThrows(RejectedExecutionException.class, () -> nulls.fork(() -> "x"));
    for (TaskGroup group : List.of(throwing, nulls)) {
      assertFalse(group.isShutdown());
      group.join(); // nothing was forked
      group.shutdown();
      assertTrue(group.awaitTermination(Duration.ZERO), "no thread was ever started");
    }
  }

  @Test
  void shutdownRefusesForksLetsRunningTasksFinishAndAwaitTerminationWaitsForThem()
      throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    AtomicReference<Thread> thread = new AtomicReference<>();
    try (TaskGroup group = group("orderly")) {
      ListenableFuture<String> running = group.fork(() -> {
        thread.set(Thread.currentThread());
        try {
          release.await();
        } catch (InterruptedException e) {
          interrupted.set(true);
          throw e;
        }
        return "finished";
      });
      assertFalse(group.awaitTermination(Duration.ofMillis(20)), "not shut down yet");
      group.shutdown();
      group.shutdown(); // idempotent
      assertTrue(group.isShutdown());
      assertThrows(IllegalStateException.class, () -> group.fork(() -> "late"));
      assertFalse(group.awaitTermination(20, TimeUnit.MILLISECONDS), "a task is running");
      assertFalse(group.isTerminated());
      release.countDown();
      assertTrue(group.awaitTermination(Duration.ofSeconds(20)));
      assertTrue(group.isTerminated());
      assertFalse(thread.get().isAlive(), "terminated means the thread has ended");
      assertEquals("finished", Futures.getDone(running));
      assertFalse(interrupted.get(), "shutdown() interrupts nothing");
      group.join();
    }
  }

  @Test
  void awaitTerminationWithoutAShutdownTimesOutEvenWhenIdle() throws Exception {
    try (TaskGroup group = group("idle")) {
      assertFalse(group.awaitTermination(Duration.ofMillis(20)));
      assertFalse(group.awaitTermination(0, TimeUnit.SECONDS));
      assertFalse(group.isTerminated());
      group.shutdown();
      assertTrue(group.awaitTermination(Duration.ZERO));
      assertTrue(group.awaitTermination(Duration.ofSeconds(Long.MAX_VALUE)), "saturates");
    }
  }

  @Test
  void shutdownNowReturnsTheTasksNotYetBegunAndInterruptsTheRest() throws Exception {
    // The factory's threads wait at a gate before they begin their task, so the second
    // task is forked (its thread started) but not begun when shutdownNow() runs.
    CountDownLatch gate = new CountDownLatch(1);
    ThreadFactory base = ThreadMode.factory("gated");
    AtomicInteger forks = new AtomicInteger();
    ThreadFactory gated = r -> base.newThread(() -> {
      if (forks.getAndIncrement() > 0) {
        Uninterruptibles.awaitUninterruptibly(gate);
      }
      r.run();
    });
    Blocker running = new Blocker();
    AtomicBoolean lateRan = new AtomicBoolean();
    Callable<String> late = () -> {
      lateRan.set(true);
      return "late";
    };
    TaskGroup group = TaskGroup.builder().name("now").threadFactory(gated).build();
    ListenableFuture<String> runningFuture = group.fork(running::call);
    assertTrue(running.started.await(10, SECONDS));
    ListenableFuture<String> lateFuture = group.fork(late);
    List<Callable<?>> neverRan = group.shutdownNow();
    gate.countDown();
    assertEquals(List.of(late), neverRan);
    assertTrue(group.isShutdown());
    assertThrows(IllegalStateException.class, () -> group.fork(() -> "later"));
    assertTrue(group.awaitTermination(Duration.ofSeconds(20)));
    assertTrue(running.interrupted.get(), "the running task was interrupted");
    assertTrue(runningFuture.isCancelled() && lateFuture.isCancelled());
    assertFalse(lateRan.get(), "a returned task never runs");
    group.join(); // cancelled tasks are not failures
    assertEquals(List.of(), group.shutdownNow(), "nothing left");
  }

  @Test
  void aFailureShutsTheGroupDown() throws Exception {
    try (TaskGroup group = group("failing")) {
      group.fork(() -> {
        throw new IllegalStateException("boom");
      });
      assertThrows(ExecutionException.class, group::join);
      assertTrue(group.isShutdown(), "a failed group refuses forks");
      assertTrue(group.awaitTermination(Duration.ofSeconds(20)));
    }
  }

  @Test
  void anInterruptedAwaitTerminationThrowsAndTheTasksKeepRunning() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (TaskGroup group = group("await")) {
      ListenableFuture<String> f = group.fork(() -> {
        release.await();
        return "done";
      });
      group.shutdown();
      Thread.currentThread().interrupt();
      assertThrows(InterruptedException.class, () -> group.awaitTermination(Duration.ofSeconds(20)));
      assertFalse(Thread.interrupted(), "the interrupt status is cleared");
      assertFalse(f.isDone());
      release.countDown();
      assertTrue(group.awaitTermination(20, SECONDS));
      assertEquals("done", Futures.getDone(f));
    }
  }

  @Test
  void aTaskCannotAwaitItsOwnGroupsTermination() throws Exception {
    try (TaskGroup group = group("self")) {
      ListenableFuture<Boolean> f = group.fork(() -> {
        assertThrows(IllegalStateException.class, () -> group.awaitTermination(Duration.ZERO));
        group.shutdown(); // allowed from a task
        return group.isShutdown();
      });
      group.join();
      assertTrue(Futures.getDone(f));
    }
  }

  @Test
  void anInterruptedCloseCancelsKeepsWaitingAndReassertsTheInterrupt() throws Exception {
    // The task ignores its cancellation until released; close() must not return before it
    // ends, even when the closing thread is interrupted meanwhile.
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch cancelled = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean cleanedUp = new AtomicBoolean();
    TaskGroup group = group("stubborn");
    group.fork(() -> {
      try {
        started.countDown();
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        cancelled.countDown();
        Uninterruptibles.awaitUninterruptibly(release);
        cleanedUp.set(true);
      }
      return null;
    });
    // A task cancelled before it starts never runs; this test is about one that is running.
    assertTrue(started.await(10, SECONDS), "the task started");
    AtomicBoolean interruptedAfterClose = new AtomicBoolean();
    AtomicBoolean sawCleanup = new AtomicBoolean();
    Thread closer = ThreadMode.start("closer", () -> {
      group.close();
      sawCleanup.set(cleanedUp.get());
      interruptedAfterClose.set(Thread.currentThread().isInterrupted());
    });
    Await.blocked(closer);
    assertEquals(1L, cancelled.getCount(), "close() waits; it cancels nothing until interrupted");
    closer.interrupt();
    assertTrue(cancelled.await(10, SECONDS), "the interrupted close() cancelled the task");
    release.countDown();
    closer.join(SECONDS.toMillis(20));
    assertFalse(closer.isAlive());
    assertTrue(sawCleanup.get(), "close() returned before the task ended");
    assertTrue(interruptedAfterClose.get(), "close() re-asserts the interrupt");
    assertTrue(group.isTerminated());
  }
}
