package io.github.gilpatterns.join;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TaskGroupTest {

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
    try (TaskGroup group = new TaskGroup("sum")) {
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
    try (TaskGroup group = new TaskGroup("fetch")) {
      ListenableFuture<String> a = group.fork(() -> Thread.currentThread().getName());
      ListenableFuture<String> b = group.fork(() -> Thread.currentThread().getName());
      group.join();
      assertEquals("fetch-0", Futures.getDone(a));
      assertEquals("fetch-1", Futures.getDone(b));
    }
    assertTrue(new TaskGroup().name().startsWith("TaskGroup-"));
  }

  @Test
  void aFailingForkCancelsItsSiblingsAndJoinRethrowsIt() throws Exception {
    Blocker sibling = new Blocker();
    IllegalArgumentException boom = new IllegalArgumentException("boom");
    TaskGroup group = new TaskGroup("fail");
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
    try (TaskGroup group = new TaskGroup()) {
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
  void closeWithoutJoinCancelsAndLeavesNoThreadRunning() throws Exception {
    Blocker a = new Blocker();
    Blocker b = new Blocker();
    ListenableFuture<String> fa;
    ListenableFuture<String> fb;
    try (TaskGroup group = new TaskGroup("leaky")) {
      fa = group.fork(a::call);
      fb = group.fork(b::call);
      assertTrue(a.started.await(10, SECONDS));
      assertTrue(b.started.await(10, SECONDS));
    }
    assertFalse(a.thread.get().isAlive());
    assertFalse(b.thread.get().isAlive());
    assertTrue(fa.isCancelled() && fb.isCancelled());
    assertTrue(a.interrupted.get() && b.interrupted.get());
  }

  @Test
  void closeWaitsForATaskThatFinishesAfterItsInterrupt() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    List<String> log = new CopyOnWriteArrayList<>();
    AtomicReference<Thread> thread = new AtomicReference<>();
    try (TaskGroup group = new TaskGroup()) {
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
    }
    assertEquals(1000, log.size(), "close() returned before the task's cleanup ended");
    assertFalse(thread.get().isAlive());
  }

  @Test
  void aTaskCanForkSiblingsButNotJoinItsOwnGroup() throws Exception {
    try (TaskGroup group = new TaskGroup()) {
      ListenableFuture<Integer> outer = group.fork(() -> {
        assertThrows(IllegalStateException.class, group::join);
        assertThrows(IllegalStateException.class, group::close);
        return Futures.getUnchecked(group.fork(() -> 41)) + 1;
      });
      group.join();
      assertEquals(42, Futures.getDone(outer));
    }
  }

  @Test
  void badInputAndUseAfterCloseChangeNothing() throws Exception {
    assertThrows(NullPointerException.class, () -> new TaskGroup(null));
    TaskGroup group = new TaskGroup("closed");
    assertThrows(NullPointerException.class, () -> group.fork(null));
    group.close();
    group.close();
    assertThrows(IllegalStateException.class, () -> group.fork(() -> "late"));
    group.join();
  }

  @Test
  void interruptedJoinThrowsAndTasksKeepRunning() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (TaskGroup group = new TaskGroup()) {
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
}
