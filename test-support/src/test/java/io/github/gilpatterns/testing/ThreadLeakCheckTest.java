package io.github.gilpatterns.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * Runs small sample tests under {@link ThreadLeakCheck} with JUnit's engine test kit, and checks
 * each outcome: a test that ends its threads passes; one that leaves a thread, platform or
 * {@link ThreadMode}'s, fails naming it, and the thread is stopped; one whose thread ignores the
 * interrupt fails saying it would not stop; a failed test keeps its own failure.
 */
class ThreadLeakCheckTest {

  /** Set while a sample runs under the test kit; the samples skip themselves otherwise. */
  static volatile boolean sampling;

  /** The thread the last sample left behind. */
  static final AtomicReference<Thread> left = new AtomicReference<>();

  /** Lets the interrupt-proof spinner end. */
  static final AtomicBoolean release = new AtomicBoolean();

  @AfterEach
  void endWhatTheSamplesLeft() throws InterruptedException {
    release.set(true);
    Thread t = left.getAndSet(null);
    if (t != null) {
      t.interrupt();
      t.join(TimeUnit.SECONDS.toMillis(10));
      assertFalse(t.isAlive(), t.getName() + " still alive");
    }
  }

  private static Events run(Class<?> sample) {
    sampling = true;
    release.set(false);
    try {
      return EngineTestKit.engine("junit-jupiter")
          .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
          .configurationParameter(ThreadLeakCheck.GRACE_PARAMETER, "200")
          .configurationParameter(ThreadLeakCheck.STOP_PARAMETER, "500")
          .selectors(selectClass(sample))
          .execute()
          .testEvents();
    } finally {
      sampling = false;
    }
  }

  private static Throwable failure(Events events) {
    List<Event> finished = events.finished().list();
    assertEquals(1, finished.size(), "one test ran");
    TestExecutionResult result = finished.get(0).getPayload(TestExecutionResult.class).orElseThrow();
    assertEquals(TestExecutionResult.Status.FAILED, result.getStatus(), "the sample failed");
    return result.getThrowable().orElseThrow();
  }

  private static void blockForever(CountDownLatch started) {
    started.countDown();
    try {
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // stopped, as ThreadLeakCheck asks
    }
  }

  static class EndsItsThread {
    @Test
    void sample() throws InterruptedException {
      Assumptions.assumeTrue(sampling);
      ThreadMode.start("short-lived", () -> { }).join();
    }
  }

  @Test
  void aTestThatEndsItsThreadsPasses() {
    run(EndsItsThread.class).assertStatistics(s -> s.started(1).succeeded(1).failed(0));
  }

  static class LeavesAThreadModeThread {
    @Test
    void sample() throws InterruptedException {
      Assumptions.assumeTrue(sampling);
      CountDownLatch started = new CountDownLatch(1);
      left.set(ThreadMode.start("left-blocked", () -> blockForever(started)));
      assertTrue(started.await(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void aPassingTestThatLeavesAThreadFailsNamingItAndTheThreadIsStopped() throws InterruptedException {
    Throwable f = failure(run(LeavesAThreadModeThread.class));
    assertInstanceOf(AssertionError.class, f);
    assertTrue(f.getMessage().contains("sample() left 1 thread(s) running; an interrupt stopped them:"), f.getMessage());
    assertTrue(f.getMessage().contains("\"left-blocked\" WAITING"), f.getMessage());
    Thread t = left.get();
    t.join(TimeUnit.SECONDS.toMillis(10));
    assertFalse(t.isAlive(), "the check interrupted the thread, which then ended");
  }

  static class LeavesAPlatformThread {
    @Test
    void sample() throws InterruptedException {
      Assumptions.assumeTrue(sampling);
      CountDownLatch started = new CountDownLatch(1);
      Thread t = new Thread(() -> blockForever(started), "left-platform");
      left.set(t);
      t.start();
      assertTrue(started.await(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void aPlatformThreadNotMadeByThreadModeIsFoundToo() {
    Throwable f = failure(run(LeavesAPlatformThread.class));
    assertTrue(f.getMessage().contains("\"left-platform\" WAITING"), f.getMessage());
  }

  static class LeavesAnInterruptProofSpinner {
    @Test
    void sample() throws InterruptedException {
      Assumptions.assumeTrue(sampling);
      CountDownLatch started = new CountDownLatch(1);
      left.set(ThreadMode.start("spinner", () -> {
        started.countDown();
        while (!release.get()) {
          Thread.onSpinWait(); // ignores interrupts: the kind of loop the check must report
        }
      }));
      assertTrue(started.await(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void aThreadThatIgnoresTheInterruptIsReportedAsNotStopping() {
    Throwable f = failure(run(LeavesAnInterruptProofSpinner.class));
    assertTrue(f.getMessage().contains(
        "sample() left 1 thread(s) running that an interrupt did not stop within 500 ms:"), f.getMessage());
    assertTrue(f.getMessage().contains("\"spinner\" RUNNABLE"), f.getMessage());
  }

  static class FailsLeavingAThread {
    @Test
    void sample() throws InterruptedException {
      Assumptions.assumeTrue(sampling);
      CountDownLatch started = new CountDownLatch(1);
      left.set(ThreadMode.start("left-by-failure", () -> blockForever(started)));
      assertTrue(started.await(10, TimeUnit.SECONDS));
      throw new AssertionError("the sample's own failure");
    }
  }

  @Test
  void aFailedTestKeepsItsOwnFailureAndItsThreadsAreStoppedAtOnce() throws InterruptedException {
    Throwable f = failure(run(FailsLeavingAThread.class));
    assertEquals("the sample's own failure", f.getMessage());
    assertEquals(0, f.getSuppressed().length, "every thread stopped: nothing to add");
    Thread t = left.get();
    t.join(TimeUnit.SECONDS.toMillis(10));
    assertFalse(t.isAlive(), "interrupted without waiting out the grace");
  }
}
