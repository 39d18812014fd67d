package io.github.gilpatterns.owner;

import static io.github.gilpatterns.owner.OwnerTestSupport.DEADLINE;
import static io.github.gilpatterns.owner.OwnerTestSupport.awaitBlocked;
import static io.github.gilpatterns.owner.OwnerTestSupport.joinOrFail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.ListenableFuture;
import io.github.gilpatterns.owner.OwnerTestSupport.Attempt;
import io.github.gilpatterns.owner.OwnerTestSupport.Gate;
import io.github.gilpatterns.testing.ThreadMode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** SerialExecutor: one task at a time, in order, with ExecutorService's lifecycle. */
class SerialExecutorTest {

  private static SerialExecutor start(String name) {
    SerialExecutor.Builder builder = SerialExecutor.builder().name(name);
    if (ThreadMode.virtual()) {
      builder.threadFactory(ThreadMode.factory("serial"));
    }
    return builder.start();
  }

  /** Plain fields: the executor's tasks are their only writers and readers. */
  static final class Plain {
    long sum;
    int running;
    int maxRunning;
    final long[] next = new long[4];
    boolean outOfOrder;
  }

  @Test
  void tasksRunOneAtATimeInEachSubmittersOrderAndSeeEachOthersWrites() throws Exception {
    Plain plain = new Plain();
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    try (SerialExecutor executor = start("serial-order")) {
      List<Thread> submitters = new ArrayList<>();
      for (int s = 0; s < 4; s++) {
        final int id = s;
        submitters.add(ThreadMode.start("submitter-" + s, () -> {
          for (long i = 0; i < 25_000; i++) {
            final long seq = i;
            executor.execute(() -> {
              if (concurrent.incrementAndGet() != 1) {
                overlaps.incrementAndGet();
              }
              if (plain.next[id] != seq) {
                plain.outOfOrder = true;
              }
              plain.next[id] = seq + 1;
              plain.sum += seq;
              concurrent.decrementAndGet();
            });
          }
        }));
      }
      for (Thread t : submitters) {
        joinOrFail(t);
      }
      executor.join();
      assertEquals(100_000L, executor.processed());
      long sum = executor.submit(() -> plain.sum).get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
      assertEquals(4L * (25_000L * 24_999L / 2), sum, "every task ran exactly once");
      assertFalse(executor.submit(() -> plain.outOfOrder).get(), "a submitter's order is kept");
      assertEquals(0, overlaps.get(), "no two tasks ran at once");
    }
  }

  @Test
  void submitCapturesResultsAndFailuresAndExecuteFailuresGoToTheUncaughtHandler()
      throws Exception {
    List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    ThreadFactory factory = r -> {
      Thread t = ThreadMode.newThread(r, "serial-failures");
      t.setUncaughtExceptionHandler((thread, e) -> uncaught.add(e));
      return t;
    };
    try (SerialExecutor executor =
        SerialExecutor.builder().name("serial-failures").threadFactory(factory).start()) {
      ListenableFuture<String> value = executor.submit(() -> "value");
      ListenableFuture<Integer> given = executor.submit(() -> { }, 42);
      ListenableFuture<?> done = executor.submit(() -> { });
      ListenableFuture<Object> failed = executor.submit((Callable<Object>) () -> {
        throw new IllegalStateException("expected in this test: submitted task failed");
      });
      executor.execute(() -> {
        throw new IllegalStateException("expected in this test: executed task failed");
      });
      ListenableFuture<Boolean> after = executor.submit(executor::isExecutorThread);
      assertEquals("value", value.get(10, TimeUnit.SECONDS));
      assertEquals(42, given.get(10, TimeUnit.SECONDS));
      assertEquals(null, done.get(10, TimeUnit.SECONDS));
      ExecutionException e = assertThrows(ExecutionException.class, () -> failed.get());
      assertInstanceOf(IllegalStateException.class, e.getCause());
      assertTrue(after.get(10, TimeUnit.SECONDS), "the executor carried on, on its own thread");
      assertEquals(1, uncaught.size(), "only the executed task's failure: " + uncaught);
      List<Future<Integer>> all = executor.invokeAll(List.<Callable<Integer>>of(() -> 1, () -> 2, () -> 3));
      int total = 0;
      for (Future<Integer> f : all) {
        total += f.get();
      }
      assertEquals(6, total);
      int any = executor.invokeAny(List.<Callable<Integer>>of(() -> 7));
      assertEquals(7, any);
      assertFalse(executor.isExecutorThread());
    }
  }

  @Test
  void shutdownRunsWhatWasAcceptedAndShutdownNowReturnsWhatNeverRan() throws Exception {
    Gate blocker = new Gate();
    AtomicInteger ran = new AtomicInteger();
    SerialExecutor graceful = start("serial-shutdown");
    graceful.execute(blocker);
    blocker.awaitEntered();
    graceful.execute(ran::incrementAndGet);
    graceful.shutdown();
    assertTrue(graceful.isShutdown());
    assertFalse(graceful.isTerminated());
    assertThrows(RejectedExecutionException.class, () -> graceful.execute(ran::incrementAndGet));
    assertThrows(RejectedExecutionException.class, () -> graceful.submit(() -> 1));
    assertFalse(graceful.awaitTermination(10, TimeUnit.MILLISECONDS));
    blocker.release();
    assertTrue(graceful.awaitTermination(DEADLINE));
    assertTrue(graceful.isTerminated());
    assertEquals(1, ran.get());

    Gate stuck = new Gate();
    SerialExecutor stopped = start("serial-shutdown-now");
    stopped.execute(stuck);
    stuck.awaitEntered();
    List<Runnable> queued = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Runnable r = ran::incrementAndGet;
      queued.add(r);
      stopped.execute(r);
    }
    List<Runnable> notRun = stopped.shutdownNow();
    assertTrue(stuck.interrupted, "the running task is interrupted");
    assertEquals(queued, notRun);
    assertTrue(stopped.awaitTermination(0, TimeUnit.SECONDS));
    assertEquals(1, ran.get(), "none of the returned tasks ran");
    assertThrows(IllegalStateException.class, stopped::join, "they never will");
  }

  @Test
  void interruptedCloseStopsTheRestAndReassertsTheInterrupt() throws Exception {
    Gate blocker = new Gate();
    AtomicInteger ran = new AtomicInteger();
    SerialExecutor executor = start("serial-close");
    executor.execute(blocker);
    blocker.awaitEntered();
    executor.execute(ran::incrementAndGet);
    AtomicReference<Boolean> flag = new AtomicReference<>();
    Thread closer = ThreadMode.start("closer", () -> {
      executor.close();
      flag.set(Thread.currentThread().isInterrupted());
    });
    awaitBlocked(closer);
    closer.interrupt();
    joinOrFail(closer);
    assertEquals(Boolean.TRUE, flag.get());
    assertTrue(blocker.interrupted);
    assertEquals(0, ran.get());
    assertTrue(executor.isTerminated());
  }

  @Test
  void aBoundedExecutorBlocksSubmittersWhileFull() throws Exception {
    Gate blocker = new Gate();
    SerialExecutor.Builder builder = SerialExecutor.builder().name("serial-bounded")
        .mailboxCapacity(1);
    try (SerialExecutor executor = builder.start()) {
      executor.execute(blocker);
      blocker.awaitEntered();
      executor.execute(() -> { }); // fills the mailbox
      Attempt submitter = Attempt.start("bounded-submitter", () -> executor.execute(() -> { }));
      awaitBlocked(submitter.thread);
      blocker.release();
      assertEquals(null, submitter.outcome(), "the submitter got in once there was room");
      assertTrue(executor.join(DEADLINE));
      assertEquals(3L, executor.processed());
    }
  }

  @Test
  void badArgumentsAndOwnThreadWaitsAreRefused() throws Exception {
    try (SerialExecutor executor = start("serial-args")) {
      assertThrows(NullPointerException.class, () -> executor.execute(null));
      assertThrows(NullPointerException.class, () -> executor.join(null));
      assertThrows(NullPointerException.class, () -> executor.awaitTermination(1, null));
      assertThrows(NullPointerException.class, () -> SerialExecutor.start(null));
      AtomicReference<Throwable> seen = new AtomicReference<>();
      executor.execute(() -> {
        try {
          executor.join();
        } catch (Throwable t) {
          seen.set(t);
        }
      });
      executor.join(DEADLINE);
      assertInstanceOf(IllegalStateException.class, seen.get());
      assertEquals(0L, executor.pending());
      assertTrue(executor.toString().startsWith("SerialExecutor[serial-args, running"),
          executor.toString());
      assertSame(null, executor.terminationCause());
    }
  }
}
