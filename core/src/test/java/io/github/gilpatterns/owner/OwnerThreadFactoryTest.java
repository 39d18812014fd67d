package io.github.gilpatterns.owner;

import static io.github.gilpatterns.owner.OwnerTestSupport.DEADLINE;
import static io.github.gilpatterns.owner.OwnerTestSupport.awaitBlocked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.common.util.concurrent.Uninterruptibles;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Where the owner thread comes from: a thread factory, virtual threads on JDK 21 and later. */
class OwnerThreadFactoryTest {

  static final class Counter {
    long count;
  }

  /** A factory that records the threads it makes. */
  static final class RecordingFactory implements ThreadFactory {
    final List<Thread> made = new CopyOnWriteArrayList<>();

    @Override
    public Thread newThread(Runnable task) {
      Thread t = new Thread(task, "from-factory");
      t.setDaemon(true);
      made.add(t);
      return t;
    }
  }

  @Test
  void theOwnerRunsOnTheFactorysThreadNamedAfterTheOwner() throws Exception {
    RecordingFactory factory = new RecordingFactory();
    try (Owner<Counter> owner =
        Owner.builder(new Counter()).name("factory-made").threadFactory(factory).start()) {
      assertEquals(1, factory.made.size());
      Thread made = factory.made.get(0);
      assertSame(made, owner.thread());
      assertEquals("factory-made", made.getName(), "the owner names its thread");
      assertTrue(made.isDaemon(), "the factory decides daemon status");
      assertSame(made, owner.ask(c -> Thread.currentThread()).get(10, TimeUnit.SECONDS));
    }
    try (SerialExecutor executor =
        SerialExecutor.builder().name("factory-serial").threadFactory(factory).start()) {
      assertEquals(2, factory.made.size());
      assertSame(factory.made.get(1), executor.submit(Thread::currentThread).get(10,
          TimeUnit.SECONDS));
    }
  }

  @Test
  void aFactoryThatReturnsNullOrAStartedThreadIsRefusedAndStartsNothing() throws Exception {
    Owner.Builder<Counter> nullFactory = Owner.builder(new Counter()).threadFactory(r -> null);
    IllegalStateException e = assertThrows(IllegalStateException.class, nullFactory::start);
    assertTrue(e.getMessage().contains("returned null"), e.getMessage());
    Thread running = new Thread(() -> { }, "already-started");
    running.start();
    running.join();
    Owner.Builder<Counter> started = Owner.builder(new Counter()).threadFactory(r -> running);
    e = assertThrows(IllegalStateException.class, started::start);
    assertTrue(e.getMessage().contains("already started"), e.getMessage());
    assertThrows(IllegalStateException.class,
        () -> SerialExecutor.builder().threadFactory(r -> null).start());
  }

  @Test
  void daemonAndThreadFactoryExcludeEachOtherAndTheRefusalChangesNothing() throws Exception {
    RecordingFactory factory = new RecordingFactory();
    Owner.Builder<Counter> builder = Owner.builder(new Counter()).name("first-wins").daemon(true);
    assertThrows(IllegalStateException.class, () -> builder.threadFactory(factory));
    try (Owner<Counter> owner = builder.start()) {
      assertTrue(owner.thread().isDaemon(), "daemon(true) still holds");
      assertEquals(List.of(), factory.made, "the refused factory was never used");
    }
    Owner.Builder<Counter> other = Owner.builder(new Counter()).threadFactory(factory);
    assertThrows(IllegalStateException.class, () -> other.daemon(false));
    assertThrows(NullPointerException.class, () -> other.threadFactory(null));
    try (Owner<Counter> owner = other.start()) {
      assertSame(factory.made.get(0), owner.thread());
    }
  }

  @Test
  void onJdk21AVirtualThreadFactoryGivesAVirtualOwnerThatParksWhenIdle() throws Exception {
    assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21");
    Method ofVirtual = Thread.class.getMethod("ofVirtual");
    Object builder = ofVirtual.invoke(null);
    ThreadFactory virtual = (ThreadFactory) Class.forName("java.lang.Thread$Builder")
        .getMethod("factory").invoke(builder);
    Method isVirtual = Thread.class.getMethod("isVirtual");
    try (Owner<Counter> owner =
        Owner.builder(new Counter()).name("virtual-owner").threadFactory(virtual).start()) {
      for (int i = 0; i < 1_000; i++) {
        owner.tell(c -> c.count++);
      }
      assertEquals(1_000L, owner.ask(c -> c.count).get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
      assertEquals(Boolean.TRUE, isVirtual.invoke(owner.thread()));
      assertTrue(owner.thread().isDaemon(), "a virtual thread is always a daemon");
      assertEquals("virtual-owner", owner.thread().getName());
      awaitBlocked(owner.thread()); // idle: parked, its carrier free
    }
  }

  /**
   * A factory whose thread lingers after the owner's run loop returns, until {@link #release}:
   * {@link #runLoopEnded} says the run loop is over while the thread is still alive.
   */
  static final class LingeringFactory implements ThreadFactory {
    final CountDownLatch runLoopEnded = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public Thread newThread(Runnable task) {
      return new Thread(() -> {
        task.run();
        runLoopEnded.countDown();
        Uninterruptibles.awaitUninterruptibly(release);
      }, "lingering");
    }

    void awaitRunLoopEnded() throws InterruptedException {
      assertTrue(runLoopEnded.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS), "the run loop ended");
    }
  }

  @Test
  void awaitTerminationAndShutdownNowWaitForTheThreadToExitNotOnlyForTheRunLoop() throws Exception {
    // The releaser lets the lingering thread go only once the test thread waits in
    // awaitTermination: a wait that ended with the run loop would leave it alive and fail below.
    LingeringFactory lingers = new LingeringFactory();
    Owner<Counter> owner = Owner.builder(new Counter()).name("lingers").threadFactory(lingers).start();
    owner.tell(c -> c.count++);
    owner.shutdown();
    lingers.awaitRunLoopEnded();
    assertTrue(owner.isTerminated(), "terminated: the last message has run");
    assertTrue(owner.awaitTermination(Duration.ZERO), "a check does not wait");
    Thread waiter = Thread.currentThread();
    Thread releaser = new Thread(() -> {
      awaitBlocked(waiter);
      lingers.release.countDown();
    }, "releaser");
    releaser.start();
    assertTrue(owner.awaitTermination(DEADLINE));
    assertFalse(owner.thread().isAlive(), "awaitTermination waited for the exit");
    OwnerTestSupport.joinOrFail(releaser);
    assertEquals(1L, (long) owner.readFinalState(c -> c.count));

    // shutdownNow() waits for the exit too: once the run loop has ended, its caller is still
    // waiting, for the thread, until the thread is released.
    LingeringFactory lingers2 = new LingeringFactory();
    Owner<Counter> stopped = Owner.builder(new Counter()).name("lingers-2").threadFactory(lingers2).start();
    AtomicReference<Object> got = new AtomicReference<>();
    Thread stopper = new Thread(() -> got.set(stopped.shutdownNow()), "stopper");
    stopper.start();
    lingers2.awaitRunLoopEnded();
    OwnerTestSupport.awaitCondition("the stopper waits or has returned", () -> !stopper.isAlive()
        || stopper.getState() == Thread.State.WAITING || stopper.getState() == Thread.State.TIMED_WAITING);
    assertTrue(stopper.isAlive(), "shutdownNow() returned while the owner thread was still alive");
    lingers2.release.countDown();
    OwnerTestSupport.joinOrFail(stopper);
    assertEquals(List.of(), got.get());
    assertFalse(stopped.thread().isAlive());
    assertTrue(stopped.isTerminated());
  }
}
