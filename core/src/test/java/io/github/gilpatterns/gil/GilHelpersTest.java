package io.github.gilpatterns.gil;

import static io.github.gilpatterns.gil.TestSupport.awaitCondition;
import static io.github.gilpatterns.gil.TestSupport.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.UndeclaredThrowableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The calls that spare a task the boilerplate: releasing(..) with the caller's own checked
 * exception, Gil.sleep, holding(..) and Gil.current().
 */
@Timeout(60)
class GilHelpersTest {

  // ---- releasing(..): the checked exception propagates as itself ----

  /** Compiles only if a lambda that throws nothing checked makes releasing throw nothing. */
  private static String releaseNothingChecked(Gil gil) {
    List<String> list = new ArrayList<>();
    gil.releasing(() -> list.add("a"));
    gil.releasing(list::clear);
    gil.releasing(() -> {
      list.add("b");
    });
    return gil.releasing(() -> list.get(0));
  }

  /** Compiles only if {@code () -> Thread.sleep(..)} makes releasing throw InterruptedException. */
  private static void releaseInterruptibly(Gil gil) throws InterruptedException {
    gil.releasing(() -> Thread.sleep(0));
    gil.releasing(() -> TimeUnit.MILLISECONDS.sleep(0));
  }

  /** Compiles only if an IOException-throwing call makes releasing throw just IOException. */
  private static int releaseIo(Gil gil, boolean fail) throws IOException {
    return gil.releasing(() -> {
      if (fail) {
        throw new IOException("read failed");
      }
      return 42;
    });
  }

  @Test
  void releasingThrowsTheCallersOwnCheckedException() throws Exception {
    Gil gil = Gil.create();
    gil.acquire();
    try {
      assertEquals("b", releaseNothingChecked(gil));
      releaseInterruptibly(gil);
      assertEquals(42, releaseIo(gil, false));
      IOException e = assertThrows(IOException.class, () -> releaseIo(gil, true));
      assertEquals("read failed", e.getMessage());
      assertTrue(gil.isHeldByCurrentThread(), "taken back after the call threw");
    } finally {
      gil.release();
    }
  }

  @Test
  void releasingTakesCallableAndRunnableValues() throws Exception {
    Gil gil = Gil.create();
    Callable<Boolean> heldInside = gil::isHeldByCurrentThread;
    AtomicBoolean ranWithout = new AtomicBoolean();
    Runnable action = () -> ranWithout.set(!gil.isHeldByCurrentThread());
    gil.acquire();
    try {
      assertFalse(gil.releasing(heldInside));
      gil.releasing(action);
      assertTrue(ranWithout.get());
      assertTrue(gil.isHeldByCurrentThread());
      assertThrows(NullPointerException.class, () -> gil.releasing((Callable<?>) null));
      assertThrows(NullPointerException.class, () -> gil.releasing((CheckedRunnable<?>) null));
      assertTrue(gil.isHeldByCurrentThread(), "a null argument drops nothing");
    } finally {
      gil.release();
    }
  }

  @Test
  void aCheckedRunnableRunAsARunnableWrapsItsCheckedException() {
    CheckedRunnable<IOException> io = () -> {
      throw new IOException("io");
    };
    UndeclaredThrowableException e = assertThrows(UndeclaredThrowableException.class, io::run);
    assertInstanceOf(IOException.class, e.getUndeclaredThrowable());
    CheckedRunnable<RuntimeException> unchecked = () -> {
      throw new IllegalStateException("as itself");
    };
    assertThrows(IllegalStateException.class, unchecked::run);
    CheckedRunnable<InterruptedException> interrupted = () -> {
      throw new InterruptedException();
    };
    assertThrows(UndeclaredThrowableException.class, interrupted::run);
    assertTrue(Thread.interrupted(), "the interrupt is set again, not lost");
  }

  // ---- Gil.sleep ----

  @Test
  void sleepRejectsBadArgumentsAndChangesNothing() throws Exception {
    Gil gil = Gil.create();
    gil.acquire();
    try {
      assertThrows(IllegalArgumentException.class, () -> Gil.sleep(Duration.ofNanos(-1)));
      assertThrows(IllegalArgumentException.class, () -> Gil.sleep(-1, TimeUnit.SECONDS));
      assertThrows(NullPointerException.class, () -> Gil.sleep(null));
      assertThrows(NullPointerException.class, () -> Gil.sleep(1, null));
      assertTrue(gil.isHeldByCurrentThread());
      assertEquals(1, gil.stats().acquisitions(), "the GIL was never dropped");
    } finally {
      gil.release();
    }
  }

  @Test
  void sleepWhileInterruptedThrowsAtOnceKeepingTheGil() throws Exception {
    Gil gil = Gil.create();
    gil.acquire();
    try {
      Thread.currentThread().interrupt();
      assertThrows(InterruptedException.class, () -> Gil.sleep(Duration.ofDays(1)));
      assertFalse(Thread.currentThread().isInterrupted(), "cleared, as Thread.sleep clears it");
      assertTrue(gil.isHeldByCurrentThread());
      assertEquals(1, gil.stats().acquisitions(), "the GIL was never dropped");
    } finally {
      gil.release();
    }
  }

  @Test
  void sleepWithoutAGilJustSleeps() throws Exception {
    Gil.sleep(Duration.ZERO);
    Gil.sleep(1, TimeUnit.NANOSECONDS);
    assertEquals(Optional.empty(), Gil.current());
  }

  @Test
  void sleepZeroDropsAndTakesBackTheGilLikeTimeSleepZero() throws Exception {
    Gil gil = Gil.create();
    gil.acquire();
    gil.acquire();
    try {
      Gil.sleep(Duration.ZERO);
      Gil.sleep(0, TimeUnit.SECONDS);
      assertEquals(3, gil.stats().acquisitions(), "dropped and taken back twice");
      gil.release();
      assertTrue(gil.isHeldByCurrentThread(), "hold count 2 restored");
    } finally {
      gil.release();
    }
  }

  @Test
  void aSleeperLetsOthersHoldTheGilAndAnInterruptEndsTheSleep() throws Exception {
    Gil gil = Gil.create();
    CountDownLatch holding = new CountDownLatch(1);
    TestSupport.Worker sleeper = start("sleeper", () -> {
      gil.acquire();
      try {
        holding.countDown();
        InterruptedException e =
            assertThrows(InterruptedException.class, () -> Gil.sleep(1, TimeUnit.DAYS));
        return gil.isHeldByCurrentThread() && e != null;
      } finally {
        gil.release();
      }
    });
    assertTrue(holding.await(20, TimeUnit.SECONDS));
    // Succeeds only if the sleeper dropped the GIL; a sleep that kept it would block this.
    gil.holding(() -> assertSame(gil, Gil.current().orElseThrow()));
    sleeper.thread.interrupt();
    assertEquals(Boolean.TRUE, sleeper.join(), "the interrupted sleeper took the GIL back");
  }

  // ---- holding(..) ----

  @Test
  void holdingRunsTheTaskHoldingTheGilAndReleasesIt() throws Exception {
    Gil gil = Gil.create();
    assertTrue(gil.holding(gil::isHeldByCurrentThread));
    assertFalse(gil.isHeldByCurrentThread());
    AtomicBoolean ran = new AtomicBoolean();
    gil.holding(() -> ran.set(gil.isHeldByCurrentThread()));
    assertTrue(ran.get());
    Callable<Boolean> callable = gil::isHeldByCurrentThread;
    assertTrue(gil.holding(callable));
    Runnable runnable = () -> ran.set(false);
    gil.holding(runnable);
    assertFalse(ran.get());
    assertFalse(gil.isHeldByCurrentThread());
    assertEquals(4, gil.stats().acquisitions());
  }

  @Test
  void holdingReleasesWhenTheTaskThrowsAndKeepsItsException() throws Exception {
    Gil gil = Gil.create();
    IOException e = assertThrows(IOException.class, () -> gil.holding(() -> {
      throw new IOException("task failed");
    }));
    assertEquals("task failed", e.getMessage());
    assertFalse(gil.isHeldByCurrentThread());
  }

  @Test
  void holdingIsReentrant() throws Exception {
    Gil gil = Gil.create();
    gil.acquire();
    try {
      assertTrue(gil.holding(gil::isHeldByCurrentThread));
      assertTrue(gil.isHeldByCurrentThread(), "the outer hold is kept");
      assertEquals(1, gil.stats().acquisitions(), "a re-entrant hold takes nothing");
    } finally {
      gil.release();
    }
    assertThrows(IllegalMonitorStateException.class, gil::release, "hold count back to 0");
  }

  @Test
  void holdingRunsNothingWhileHoldingAnotherGilOrInterrupted() throws Exception {
    Gil gil = Gil.create();
    Gil other = Gil.create();
    AtomicInteger ran = new AtomicInteger();
    other.acquire();
    try {
      assertThrows(IllegalStateException.class, () -> gil.holding(ran::incrementAndGet));
    } finally {
      other.release();
    }
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, () -> gil.holding(ran::incrementAndGet));
    assertEquals(0, ran.get());
    assertEquals(0, gil.stats().acquisitions());
    assertThrows(NullPointerException.class, () -> gil.holding((Runnable) null));
    assertThrows(NullPointerException.class, () -> gil.holding((CheckedCallable<?, ?>) null));
  }

  @Test
  void holdingExcludesAnotherHolder() throws Exception {
    Gil gil = Gil.create();
    CountDownLatch firstIn = new CountDownLatch(1);
    CountDownLatch letFirstOut = new CountDownLatch(1);
    AtomicBoolean secondRan = new AtomicBoolean();
    TestSupport.Worker first = start("first", () -> gil.holding(() -> {
      firstIn.countDown();
      return letFirstOut.await(20, TimeUnit.SECONDS); // holds the GIL, no checkpoint
    }));
    assertTrue(firstIn.await(20, TimeUnit.SECONDS));
    TestSupport.Worker second = start("second", () -> {
      gil.holding(() -> secondRan.set(true));
      return null;
    });
    awaitCondition("the second thread waits for the GIL", () -> gil.waiters() == 1);
    assertFalse(secondRan.get(), "ran while the first thread held the GIL");
    letFirstOut.countDown();
    assertEquals(Boolean.TRUE, first.join());
    second.join();
    assertTrue(secondRan.get());
  }

  // ---- Gil.current() ----

  @Test
  void currentIsTheGilTheThreadHolds() throws Exception {
    Gil gil = Gil.create();
    assertEquals(Optional.empty(), Gil.current());
    gil.acquire();
    try {
      assertSame(gil, Gil.current().orElseThrow());
      assertEquals(Optional.empty(), gil.releasing(Gil::current), "none inside releasing");
    } finally {
      gil.release();
    }
    assertEquals(Optional.empty(), Gil.current());
    Gil free = Gil.freeThreaded();
    assertSame(free, free.holding(() -> Gil.current().orElseThrow()));
  }

  /** One task, three modes: it finds its worker's GIL with Gil.current(). */
  @Test
  void oneTaskServesAllThreeModes() throws Exception {
    Callable<Gil> task = () -> {
      Gil.checkpoint();
      Gil.sleep(Duration.ZERO); // drops and takes back whichever GIL the worker holds
      return Gil.current().orElseThrow();
    };
    Gil shared = Gil.create();
    Gil free = Gil.freeThreaded();
    try (GilExecutor gilPool = GilExecutor.create(shared, 2);
        GilExecutor freePool = GilExecutor.create(free, 2);
        GilExecutor interpreters = GilExecutor.perInterpreter(2)) {
      assertSame(shared, gilPool.submit(task).get(20, TimeUnit.SECONDS));
      assertSame(free, freePool.submit(task).get(20, TimeUnit.SECONDS));
      Gil own = interpreters.submit(task).get(20, TimeUnit.SECONDS);
      assertTrue(interpreters.gils().contains(own), own + " is one of the interpreters' GILs");
    }
  }
}
