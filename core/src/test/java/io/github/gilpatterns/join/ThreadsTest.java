package io.github.gilpatterns.join;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.Uninterruptibles;
import io.github.gilpatterns.testing.RecordingThreadFactory;
import io.github.gilpatterns.testing.ThreadMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ThreadsTest {

  @Test
  void startRunsTheTaskOnANamedNonDaemonThread() throws Exception {
    CountDownLatch ran = new CountDownLatch(1);
    String[] seenName = new String[1];
    Thread t = Threads.start("worker-1", () -> {
      seenName[0] = Thread.currentThread().getName();
      ran.countDown();
    });
    assertTrue(ran.await(10, SECONDS));
    t.join();
    assertEquals("worker-1", seenName[0]);
    assertFalse(t.isDaemon());
  }

  @Test
  void startDaemonMarksTheThreadDaemon() throws Exception {
    Thread t = Threads.startDaemon("daemon-1", () -> { });
    t.join();
    assertTrue(t.isDaemon());
  }

  @Test
  void nullArgumentsAreRejectedBeforeAnyThreadStarts() {
    assertThrows(NullPointerException.class, () -> Threads.start((String) null, () -> { }));
    assertThrows(NullPointerException.class, () -> Threads.start("x", null));
    assertThrows(NullPointerException.class, () -> Threads.joinAll(null));
    assertThrows(NullPointerException.class,
        () -> Threads.joinAll(Arrays.asList(Thread.currentThread(), null)));
    assertThrows(NullPointerException.class,
        () -> Threads.joinAll(List.of(), null));
    assertThrows(NullPointerException.class, () -> Threads.factory(null));
  }

  @Test
  void joinAllMakesEveryThreadsWritesVisible() throws Exception {
    long[] results = new long[8];
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < results.length; i++) {
      int slot = i;
      threads.add(ThreadMode.start("writer-" + i, () -> results[slot] = slot * 1000L + 7));
    }
    Threads.joinAll(threads);
    for (int i = 0; i < results.length; i++) {
      assertEquals(i * 1000L + 7, results[i]);
      assertFalse(threads.get(i).isAlive());
    }
  }

  @Test
  void joinAllWithTimeoutReturnsExactlyTheThreadsStillAlive() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Runnable blocked = () -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    Thread quick1 = ThreadMode.start("quick-1", () -> { });
    Thread stuck1 = ThreadMode.start("stuck-1", blocked);
    Thread quick2 = ThreadMode.start("quick-2", () -> { });
    Thread stuck2 = ThreadMode.start("stuck-2", blocked);
    quick1.join();
    quick2.join();
    try {
      List<Thread> alive =
          Threads.joinAll(List.of(quick1, stuck1, quick2, stuck2), Duration.ofMillis(50));
      assertEquals(List.of(stuck1, stuck2), alive);
    } finally {
      release.countDown();
    }
    assertEquals(List.of(), Threads.joinAll(List.of(stuck1, stuck2), Duration.ofSeconds(10)));
  }

  @Test
  void joinAllWithNonPositiveTimeoutOnlyReports() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Thread stuck = ThreadMode.start("stuck", () -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    try {
      assertEquals(List.of(stuck), Threads.joinAll(List.of(stuck), Duration.ZERO));
      assertEquals(List.of(stuck), Threads.joinAll(List.of(stuck), Duration.ofSeconds(-1)));
    } finally {
      release.countDown();
      stuck.join();
    }
  }

  @Test
  void interruptedJoinAllThrowsAndClearsTheStatus() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Thread stuck = ThreadMode.start("stuck", () -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    try {
      Thread.currentThread().interrupt();
      assertThrows(InterruptedException.class, () -> Threads.joinAll(List.of(stuck)));
      assertFalse(Thread.interrupted());
      Thread.currentThread().interrupt();
      assertThrows(InterruptedException.class,
          () -> Threads.joinAll(List.of(stuck), Duration.ofSeconds(10)));
      assertFalse(Thread.interrupted());
    } finally {
      release.countDown();
      stuck.join();
    }
  }

  @Test
  void joinAllWithATimeUnitReturnsTheThreadsStillAlive() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Thread quick = ThreadMode.start("quick", () -> { });
    Thread stuck = ThreadMode.start("stuck", () -> {
      Uninterruptibles.awaitUninterruptibly(release);
    });
    quick.join();
    try {
      assertEquals(List.of(stuck), Threads.joinAll(List.of(quick, stuck), 20, MILLISECONDS));
      assertEquals(List.of(stuck), Threads.joinAll(List.of(stuck), 0, SECONDS));
      assertThrows(NullPointerException.class, () -> Threads.joinAll(List.of(stuck), 1, null));
    } finally {
      release.countDown();
    }
    assertEquals(List.of(), Threads.joinAll(List.of(quick, stuck), 20, SECONDS));
    assertEquals(List.of(), Threads.joinAll(List.of(stuck), Long.MAX_VALUE, SECONDS), "saturates");
  }

  @Test
  void startWithAFactoryStartsTheFactorysThread() throws Exception {
    RecordingThreadFactory recording = new RecordingThreadFactory("made");
    CountDownLatch ran = new CountDownLatch(1);
    Thread[] runner = new Thread[1];
    Thread t = Threads.start(recording, () -> {
      runner[0] = Thread.currentThread();
      ran.countDown();
    });
    assertTrue(ran.await(10, SECONDS));
    t.join();
    assertEquals(List.of(t), recording.made);
    assertSame(t, runner[0]);
    assertThrows(NullPointerException.class, () -> Threads.start((ThreadFactory) null, () -> { }));
    assertThrows(NullPointerException.class, () -> Threads.start(recording, null));
    assertEquals(1, recording.made.size(), "nothing was made for bad arguments");
  }

  @Test
  void startWithAFactoryThatFailsRejectsTheStart() {
    IllegalStateException refusal = new IllegalStateException("no threads today");
    RejectedExecutionException e = assertThrows(RejectedExecutionException.class,
        () -> Threads.start(r -> {
          throw refusal;
        }, () -> { }));
    assertSame(refusal, e.getCause());
    assertThrows(RejectedExecutionException.class, () -> Threads.start(r -> null, () -> { }));
    Thread started = ThreadMode.start("already", () -> { });
    assertThrows(IllegalThreadStateException.class, () -> Threads.start(r -> started, () -> { }));
  }

  @Test
  void factoryWithABaseRenamesTheBasesThreadsAndKeepsTheRest() throws Exception {
    String prefix = "Based" + UUID.randomUUID();
    RecordingThreadFactory base = new RecordingThreadFactory("base");
    ThreadFactory named = Threads.factory(prefix, base);
    Thread first = named.newThread(() -> { });
    Thread second = named.newThread(() -> { });
    assertEquals(List.of(first, second), base.made, "the base's own threads");
    assertEquals(prefix + "-0_0", first.getName());
    assertEquals(prefix + "-0_1", second.getName());
    ThreadFactory daemons = Threads.factory(prefix + "-d", r -> {
      Thread t = new Thread(r);
      t.setDaemon(true);
      return t;
    });
    assertTrue(daemons.newThread(() -> { }).isDaemon(), "the base's daemon status is kept");
    AtomicInteger asked = new AtomicInteger();
    ThreadFactory sometimesNull = Threads.factory(prefix + "-n",
        r -> asked.getAndIncrement() == 0 ? null : new Thread(r));
    assertEquals(null, sometimesNull.newThread(() -> { }));
    assertEquals(prefix + "-n-0_0", sometimesNull.newThread(() -> { }).getName(),
        "a null from the base uses no thread number");
    assertThrows(NullPointerException.class, () -> Threads.factory(prefix, (ThreadFactory) null));
    assertThrows(NullPointerException.class, () -> Threads.factory(null, base));
  }

  @Test
  void factoryNamesThreadsLikeConcurrentFutures() {
    String prefix = "Pool" + UUID.randomUUID();
    ThreadFactory first = Threads.factory(prefix);
    ThreadFactory second = Threads.factory(prefix);
    assertEquals(prefix + "-0_0", first.newThread(() -> { }).getName());
    assertEquals(prefix + "-0_1", first.newThread(() -> { }).getName());
    assertEquals(prefix + "-1_0", second.newThread(() -> { }).getName());
    assertFalse(first.newThread(() -> { }).isDaemon());
    assertTrue(Threads.factory(prefix, true).newThread(() -> { }).isDaemon());
  }
}
