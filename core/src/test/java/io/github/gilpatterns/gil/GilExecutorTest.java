package io.github.gilpatterns.gil;

import static io.github.gilpatterns.gil.TestSupport.awaitCondition;
import static io.github.gilpatterns.gil.TestSupport.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.Uninterruptibles;
import io.github.gilpatterns.testing.Await;
import io.github.gilpatterns.testing.RecordingThreadFactory;
import io.github.gilpatterns.testing.ThreadMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.Timeout;

/** GilExecutor: tasks under the GIL, exceptions, shutdown without stranded waiters, modes. */
@Timeout(60)
class GilExecutorTest {

  /** An executor whose workers are of {@link ThreadMode}'s kind. */
  private static GilExecutor pool(Gil gil, int maxWorkers) {
    return GilExecutor.builder().gil(gil).maxWorkers(maxWorkers).threadFactory(ThreadMode.factory("gil-pool")).build();
  }

  @Test
  void rejectsBadArguments() {
    assertThrows(NullPointerException.class, () -> GilExecutor.create(null, 1));
    assertThrows(IllegalArgumentException.class, () -> GilExecutor.create(Gil.create(), 0));
    assertThrows(IllegalArgumentException.class, () -> GilExecutor.perInterpreter(0));
    assertThrows(NullPointerException.class, () -> GilExecutor.builder().threadFactory((ThreadFactory) null));
    assertThrows(IllegalStateException.class, () -> GilExecutor.builder().gil(Gil.create()).perInterpreter(1));
    assertThrows(IllegalStateException.class, () -> GilExecutor.builder().perInterpreter(2).maxWorkers(1));
    assertThrows(IllegalArgumentException.class,
        () -> GilExecutor.builder().maxWorkers(0));
    assertThrows(IllegalArgumentException.class,
        () -> GilExecutor.builder().perInterpreter(0));
    try (GilExecutor pool = GilExecutor.create(Gil.create(), 1)) {
      assertThrows(NullPointerException.class, () -> pool.execute(null));
      assertThrows(NullPointerException.class, () -> pool.awaitTermination((Duration) null));
      assertThrows(NullPointerException.class, () -> pool.awaitTermination(1, null));
      assertFalse(pool.isShutdown(), "bad arguments change nothing");
    }
  }

  @Test
  void tasksRunHoldingTheGilOnPythonNamedThreads() throws Exception {
    Gil gil = Gil.create();
    try (GilExecutor pool = GilExecutor.create(gil, 2)) {
      assertEquals(List.of(gil), pool.gils());
      ListenableFuture<String> f = pool.submit(() -> {
        assertTrue(gil.isHeldByCurrentThread());
        return Thread.currentThread().getName();
      });
      assertTrue(f.get(20, TimeUnit.SECONDS).matches("ThreadPoolExecutor-\\d+_0"), f.get());
    }
    assertFalse(gil.isHeldByCurrentThread());
    assertEquals(1, gil.stats().acquisitions());
  }

  @Test
  void workersAreNamedAfterTheGivenPrefix() throws Exception {
    assertThrows(IllegalArgumentException.class, () -> GilExecutor.create("", Gil.create(), 1));
    assertThrows(IllegalArgumentException.class, () -> GilExecutor.perInterpreter("", 1));
    assertThrows(NullPointerException.class, () -> GilExecutor.create((String) null, Gil.create(), 1));
    assertThrows(NullPointerException.class, () -> GilExecutor.perInterpreter((String) null, 1));
    try (GilExecutor free = GilExecutor.create("fib", Gil.freeThreaded(), 2);
        GilExecutor interpreters = GilExecutor.perInterpreter("interp", 2)) {
      assertEquals(Set.of("fib_0", "fib_1"), workerNames(free));
      assertEquals(Set.of("interp_0", "interp_1"), workerNames(interpreters));
      assertFalse(free.submit(() -> Thread.currentThread().isDaemon()).get(20, TimeUnit.SECONDS));
    }
  }

  /** The names of both workers of a two-worker pool whose tasks run in parallel. */
  private static Set<String> workerNames(GilExecutor pool) throws Exception {
    CyclicBarrier both = new CyclicBarrier(2);
    Set<String> names = ConcurrentHashMap.newKeySet();
    List<ListenableFuture<?>> futures = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      futures.add(pool.submit(() -> {
        names.add(Thread.currentThread().getName());
        return both.await(20, TimeUnit.SECONDS);
      }));
    }
    for (ListenableFuture<?> f : futures) {
      f.get(20, TimeUnit.SECONDS);
    }
    return names;
  }

  @Test
  void aTaskThatThrowsReleasesTheGil() throws Exception {
    Gil gil = Gil.create();
    try (GilExecutor pool = pool(gil, 1)) {
      ListenableFuture<Object> failed = pool.submit(() -> {
        throw new IllegalStateException("task failed");
      });
      ExecutionException e = assertThrows(ExecutionException.class, () -> failed.get(20, TimeUnit.SECONDS));
      assertInstanceOf(IllegalStateException.class, e.getCause());
      // execute(): the exception goes to the worker's handler; the worker survives.
      CountDownLatch handled = new CountDownLatch(1);
      AtomicReference<Thread> worker = new AtomicReference<>();
      pool.execute(() -> {
        worker.set(Thread.currentThread());
        Thread.currentThread().setUncaughtExceptionHandler((t, x) -> handled.countDown());
        throw new IllegalStateException("executed task failed");
      });
      assertTrue(handled.await(20, TimeUnit.SECONDS));
      assertSame(worker.get(), pool.submit(Thread::currentThread).get(20, TimeUnit.SECONDS));
      // And the GIL is free for anyone.
      assertEquals("ok", start("other", () -> {
        gil.acquire();
        gil.release();
        return "ok";
      }).join());
    }
  }

  @Test
  void leakedHoldsAreReleasedAtTaskEnd() throws Exception {
    Gil gil = Gil.create();
    try (GilExecutor pool = pool(gil, 1)) {
      pool.submit(() -> {
        gil.acquire(); // never released by the task
        return null;
      }).get(20, TimeUnit.SECONDS);
      assertEquals("ok", start("other", () -> {
        gil.acquire();
        gil.release();
        return "ok";
      }).join());
    }
  }

  @Test
  void underOneGilTwoTasksNeverOverlap() throws Exception {
    // Both tasks wait at a barrier while holding the GIL without releasing it: the second
    // cannot start, so the first times out. This is a property, not a timing: with any
    // speed the barrier cannot be passed.
    try (GilExecutor pool = pool(Gil.create(), 2)) {
      CyclicBarrier barrier = new CyclicBarrier(2);
      Callable<Object> task = () -> barrier.await(200, TimeUnit.MILLISECONDS);
      List<ListenableFuture<Object>> fs = List.of(pool.submit(task), pool.submit(task));
      int timedOut = 0;
      for (Future<Object> f : fs) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(20, TimeUnit.SECONDS));
        if (e.getCause() instanceof TimeoutException) {
          timedOut++;
        } else {
          assertInstanceOf(BrokenBarrierException.class, e.getCause());
        }
      }
      assertEquals(1, timedOut);
    }
  }

  @Test
  void freeThreadedTasksOverlap() throws Exception {
    assertTasksOverlap(pool(Gil.freeThreaded(), 2));
  }

  @Test
  void perInterpreterTasksOverlapEachUnderItsOwnGil() throws Exception {
    Set<Gil> seen =
        assertTasksOverlap(GilExecutor.builder().perInterpreter(2).threadFactory(ThreadMode.factory("interpreter")).build());
    assertEquals(2, seen.size());
  }

  /** Two tasks meet at a barrier while holding their GILs; returns the GILs they held. */
  private static Set<Gil> assertTasksOverlap(GilExecutor pool) throws Exception {
    try (pool) {
      CyclicBarrier barrier = new CyclicBarrier(2);
      Callable<Gil> task = () -> {
        Gil held = Gil.heldByCurrentThread();
        assertTrue(held != null && held.isHeldByCurrentThread());
        barrier.await(20, TimeUnit.SECONDS);
        return held;
      };
      List<ListenableFuture<Gil>> fs = List.of(pool.submit(task), pool.submit(task));
      Set<Gil> gils = new HashSet<>();
      for (ListenableFuture<Gil> f : fs) {
        gils.add(f.get(30, TimeUnit.SECONDS));
      }
      assertTrue(pool.gils().containsAll(gils));
      return gils;
    }
  }

  @Test
  void perInterpreterWorkersAreNamedLikeInterpreterPoolExecutor() throws Exception {
    try (GilExecutor pool = GilExecutor.perInterpreter(1)) {
      String name = pool.submit(() -> Thread.currentThread().getName()).get(20, TimeUnit.SECONDS);
      assertTrue(name.matches("InterpreterPoolExecutor-\\d+_0"), name);
    }
  }

  @Test
  void shutdownNowNeverStrandsAWorkerWaitingForTheGil() throws Exception {
    Gil gil = Gil.create();
    GilExecutor pool = pool(gil, 3);
    AtomicInteger ran = new AtomicInteger();
    List<ListenableFuture<?>> futures = new ArrayList<>();
    gil.acquire(); // the test thread holds the GIL throughout and never checkpoints
    try {
      for (int i = 0; i < 5; i++) {
        futures.add(pool.submit(ran::incrementAndGet));
      }
      awaitCondition("three workers wait for the GIL", () -> gil.waiters() == 3);
      List<Runnable> notRun = pool.shutdownNow();
      assertEquals(5, notRun.size(), "3 waiting for the GIL + 2 queued are returned");
      // Waited for by another thread, so that this one keeps holding the GIL: the
      // workers must end although the GIL never becomes free.
      Object terminated = start("awaiter", () -> pool.awaitTermination(20, TimeUnit.SECONDS)).join();
      assertEquals(Boolean.TRUE, terminated);
      assertEquals(0, gil.waiters());
      assertTrue(gil.isHeldByCurrentThread());
    } finally {
      gil.release();
    }
    assertEquals(0, ran.get(), "no task ran");
    for (ListenableFuture<?> f : futures) {
      assertFalse(f.isDone(), "shutdownNow returns tasks; it does not complete their futures");
    }
    assertEquals("ok", start("after", () -> {
      gil.acquire();
      gil.release();
      return "ok";
    }).join());
  }

  /** Holds {@code gil} on another thread until the returned latch is counted down. */
  private static CountDownLatch holdElsewhere(Gil gil, List<TestSupport.Worker> holder)
      throws InterruptedException {
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch drop = new CountDownLatch(1);
    holder.add(start("holder", () -> {
      gil.acquire();
      try {
        held.countDown();
        return drop.await(60, TimeUnit.SECONDS);
      } finally {
        gil.release();
      }
    }));
    assertTrue(held.await(20, TimeUnit.SECONDS));
    return drop;
  }

  /**
   * The hand-over race: 50 rounds in which another thread holds the GIL while tasks are
   * submitted to a fresh executor (each becomes a new worker's first task) and to one whose
   * workers already wait for work (each is taken from the queue), then shutdownNow() is called
   * at once. No task can start while the GIL is held elsewhere, so shutdownNow() must return
   * every one of them, and the workers must end while the GIL is still held: a task that is
   * neither returned nor started would be left waiting for the GIL and run later.
   */
  @Test
  void shutdownNowReturnsEveryTaskNotYetStartedHoweverFarItsHandOverGot() throws Exception {
    for (int round = 0; round < 50; round++) {
      Gil gil = Gil.create();
      GilExecutor warm = pool(gil, 2);
      GilExecutor fresh = pool(gil, 2);
      // Two submissions start the warm executor's two workers, which then wait for work.
      warm.submit(() -> { }).get(20, TimeUnit.SECONDS);
      warm.submit(() -> { }).get(20, TimeUnit.SECONDS);
      List<TestSupport.Worker> holder = new ArrayList<>();
      CountDownLatch drop = holdElsewhere(gil, holder);
      AtomicInteger ran = new AtomicInteger();
      try {
        for (GilExecutor pool : List.of(fresh, warm)) {
          String which = "round " + round + ", " + (pool == fresh ? "fresh" : "warm") + " executor: ";
          List<Runnable> tasks = new ArrayList<>();
          for (int i = 0; i < 3; i++) {
            Runnable task = ran::incrementAndGet;
            tasks.add(task);
            pool.execute(task);
          }
          // Vary the moment of shutdownNow() against the workers' hand-over, by round.
          for (int spin = (round % 10) * 100; spin > 0; spin--) {
            Thread.onSpinWait();
          }
          List<Runnable> notRun = pool.shutdownNow();
          assertEquals(new HashSet<>(tasks), new HashSet<>(notRun),
              which + "another thread holds the GIL, so no task can have started and all must be returned");
          assertEquals(tasks.size(), notRun.size(), which + "a task was returned twice");
          assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS),
              which + "a worker is still waiting for the GIL after shutdownNow()");
        }
      } finally {
        drop.countDown();
        TestSupport.joinAll(holder);
        fresh.close();
        warm.close();
      }
      assertEquals(0, ran.get(), "round " + round + ": a task shutdownNow() returned ran anyway");
    }
  }

  @Test
  void shutdownNowWaitsForAWorkerBetweenDequeuingATaskAndRecordingIt() throws Throwable {
    // The worker is stopped just after its dequeue; shutdownNow() lets it go on only after
    // the drain, and must then wait for it to record the task instead of missing it.
    Gil gil = Gil.create();
    CountDownLatch dequeued = new CountDownLatch(1);
    CountDownLatch resume = new CountDownLatch(1);
    AtomicReference<Throwable> probeFailure = new AtomicReference<>();
    GilExecutor pool = GilExecutor.builder().gil(gil).maxWorkers(1).threadFactory(ThreadMode.factory("probed"))
        .probe(new GilExecutor.Probe() {
          @Override
          public void dequeued() {
            dequeued.countDown();
            // The pool's interrupt arrives here; it stays set for the worker to see.
            if (!Uninterruptibles.awaitUninterruptibly(resume, 20, TimeUnit.SECONDS)) {
              probeFailure.set(new AssertionError("shutdownNow() never drained"));
            }
          }

          @Override
          public void drained() {
            resume.countDown();
          }
        }).build();
    assertShutdownNowReturnsTheTaskWhileTheGilIsHeld(gil, pool,
        () -> assertTrue(dequeued.await(20, TimeUnit.SECONDS)));
    assertEquals(null, probeFailure.get());
  }

  /**
   * Holds {@code gil} on another thread, executes one task on {@code pool}, runs
   * {@code untilInPlace} (which returns once the task's worker is where the test wants it),
   * then checks that shutdownNow() returns the task, that the pool terminates while the GIL
   * is still held, and that the task never runs.
   */
  private static void assertShutdownNowReturnsTheTaskWhileTheGilIsHeld(Gil gil,
      GilExecutor pool, Executable untilInPlace) throws Throwable {
    List<TestSupport.Worker> holder = new ArrayList<>();
    CountDownLatch drop = holdElsewhere(gil, holder);
    AtomicInteger ran = new AtomicInteger();
    Runnable task = ran::incrementAndGet;
    try {
      pool.execute(task);
      untilInPlace.execute();
      assertEquals(List.of(task), pool.shutdownNow());
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS), "the worker waits for the GIL");
      assertEquals(0, gil.waiters());
    } finally {
      drop.countDown();
      TestSupport.joinAll(holder);
      pool.close();
    }
    assertEquals(0, ran.get());
  }

  @Test
  void shutdownNowEndsTheWaitOfAWorkerThatTookItsInterruptForAnOrdinaryOne() throws Throwable {
    // The worker sees the pool's interrupt before shutdownNow() claims its task, so it keeps
    // waiting for the GIL; shutdownNow() must interrupt it again after the claim.
    Gil gil = Gil.create();
    CountDownLatch tookInterrupt = new CountDownLatch(1);
    GilExecutor pool = GilExecutor.builder().gil(gil).maxWorkers(1).threadFactory(ThreadMode.factory("probed"))
        .probe(new GilExecutor.Probe() {
          @Override
          public void interruptedWhileWaiting() {
            tookInterrupt.countDown();
          }

          @Override
          public void drained() {
            try {
              assertTrue(tookInterrupt.await(20, TimeUnit.SECONDS), "the worker saw no interrupt");
            } catch (InterruptedException e) {
              throw new AssertionError(e);
            }
          }
        }).build();
    assertShutdownNowReturnsTheTaskWhileTheGilIsHeld(gil, pool,
        () -> awaitCondition("the worker waits for the GIL", () -> gil.waiters() == 1));
  }

  /**
   * Submissions racing shutdownNow(), 50 rounds: two threads execute up to 2,000 tasks each,
   * and the first calls shutdownNow() once both are under way, then submits until it is
   * rejected. Every accepted task must have run or been returned, never both; no rejected
   * task may run or be returned. (The budget keeps the test finite on virtual threads, which
   * are not time-sliced: a submitter that never blocks could keep the stopper off its
   * carrier.)
   */
  @Test
  void aSubmissionRacingShutdownNowRunsOrIsReturnedOrIsRejected() throws Exception {
    for (int round = 0; round < 50; round++) {
      GilExecutor pool = pool(Gil.create(), 2);
      Set<Runnable> ran = ConcurrentHashMap.newKeySet();
      Set<Runnable> returned = ConcurrentHashMap.newKeySet();
      CountDownLatch submitting = new CountDownLatch(2);
      List<TestSupport.Worker> submitters = new ArrayList<>();
      for (int s = 0; s < 2; s++) {
        boolean stopper = s == 0;
        submitters.add(start("submitter-" + s, () -> {
          List<Runnable> accepted = new ArrayList<>();
          List<Runnable> rejected = new ArrayList<>();
          for (int n = 0; rejected.isEmpty() && (stopper || n < 2_000); n++) {
            Runnable task = new Runnable() {
              @Override
              public void run() {
                ran.add(this);
              }
            };
            try {
              pool.execute(task);
              accepted.add(task);
            } catch (RejectedExecutionException e) {
              rejected.add(task);
            }
            if (accepted.size() == 20) {
              submitting.countDown();
              if (stopper) {
                assertTrue(submitting.await(20, TimeUnit.SECONDS));
                returned.addAll(pool.shutdownNow());
              }
            }
          }
          return List.of(accepted, rejected);
        }));
      }
      List<Object> outcomes = TestSupport.joinAll(submitters);
      assertTrue(pool.awaitTermination(20, TimeUnit.SECONDS));
      for (Object o : outcomes) {
        @SuppressWarnings("unchecked")
        List<List<Runnable>> outcome = (List<List<Runnable>>) o;
        for (Runnable task : outcome.get(0)) {
          assertTrue(ran.contains(task) != returned.contains(task),
              "round " + round + ": an accepted task ran " + ran.contains(task)
                  + ", was returned " + returned.contains(task));
        }
        for (Runnable task : outcome.get(1)) {
          assertFalse(ran.contains(task) || returned.contains(task),
              "round " + round + ": a rejected task ran or was returned");
        }
      }
    }
  }

  @Test
  void shutdownNowEndsCheckpointingTasksThatHonourInterrupts() throws Exception {
    // Two CPU-bound tasks take turns at checkpoints until interrupted. shutdownNow()
    // interrupts both; the one waiting inside checkpoint() to take the GIL back keeps
    // waiting, gets it when the other ends, and sees its interrupt status then.
    Gil gil = Gil.builder().switchInterval(Duration.ofMillis(1)).build();
    GilExecutor pool = pool(gil, 2);
    CountDownLatch switched = new CountDownLatch(1);
    Callable<Boolean> spin = () -> {
      Await.Deadline deadline = Await.deadline("shutdownNow() to interrupt");
      while (!Thread.currentThread().isInterrupted()) {
        deadline.check();
        Gil.checkpoint();
        if (gil.stats().forcedDrops() > 4) {
          switched.countDown();
        }
      }
      return gil.isHeldByCurrentThread();
    };
    List<ListenableFuture<Boolean>> fs = List.of(pool.submit(spin), pool.submit(spin));
    assertTrue(switched.await(20, TimeUnit.SECONDS));
    assertEquals(List.of(), pool.shutdownNow());
    assertTrue(pool.awaitTermination(20, TimeUnit.SECONDS));
    for (ListenableFuture<Boolean> f : fs) {
      assertEquals(Boolean.TRUE, f.get(), "ended holding the GIL, released by the executor");
    }
    assertEquals(0, gil.waiters());
  }

  @Test
  void shutdownRunsEveryAcceptedTaskInTurn() throws Exception {
    Gil gil = Gil.builder().switchInterval(Duration.ofMillis(1)).build();
    AtomicInteger done = new AtomicInteger();
    GilExecutor pool = pool(gil, 2);
    for (int i = 0; i < 6; i++) {
      pool.execute(() -> {
        TestSupport.fib(18);
        done.incrementAndGet();
      });
    }
    pool.shutdown();
    assertThrows(RejectedExecutionException.class, () -> pool.execute(() -> { }));
    assertTrue(pool.isShutdown());
    assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
    assertTrue(pool.isTerminated());
    assertEquals(6, done.get());
    assertEquals(6, gil.stats().acquisitions() - gil.stats().forcedDrops());
    pool.close(); // idempotent
  }

  @Test
  void waitingForTasksDropsTheCallersGil() throws Exception {
    Gil gil = Gil.create();
    GilExecutor pool = pool(gil, 2);
    gil.acquire();
    try {
      // invokeAll from a GIL holder: would deadlock if the wait kept the GIL.
      List<Future<Integer>> fs = pool.invokeAll(List.of(() -> 1, () -> 2));
      assertEquals(3, fs.get(0).get() + fs.get(1).get());
      assertTrue(gil.isHeldByCurrentThread());
      assertEquals(Integer.valueOf(7), pool.invokeAny(List.of(() -> 7)));
      pool.submit(() -> { });
      pool.shutdown();
      assertTrue(pool.awaitTermination(20, TimeUnit.SECONDS));
      assertTrue(gil.isHeldByCurrentThread());
    } finally {
      gil.release();
    }
  }

  @Test
  void closeInterruptedCallsShutdownNowAndKeepsTheInterrupt() throws Exception {
    Gil gil = Gil.create();
    GilExecutor pool = pool(gil, 1);
    CountDownLatch started = new CountDownLatch(1);
    ListenableFuture<?> blocked = pool.submit(() -> {
      started.countDown();
      gil.releasing(() -> {
        new CountDownLatch(1).await(); // until interrupted
        return null;
      });
      return null;
    });
    assertTrue(started.await(20, TimeUnit.SECONDS));
    Thread.currentThread().interrupt();
    pool.close();
    assertTrue(Thread.interrupted(), "close() keeps the interrupt status");
    assertTrue(pool.isTerminated());
    ExecutionException e = assertThrows(ExecutionException.class, () -> blocked.get(20, TimeUnit.SECONDS));
    assertInstanceOf(InterruptedException.class, e.getCause());
  }

  @Test
  void theWorkersAreTheSuppliedFactorysThreads() throws Exception {
    RecordingThreadFactory factory = new RecordingThreadFactory("supplied");
    try (GilExecutor pool = GilExecutor.builder().maxWorkers(2).threadFactory(factory).build()) {
      Set<Thread> ranOn = new HashSet<>();
      for (int i = 0; i < 6; i++) {
        ranOn.add(pool.submit(Thread::currentThread).get(20, TimeUnit.SECONDS));
      }
      assertEquals(2, factory.made.size(), "one thread per submission up to maxWorkers");
      assertTrue(new HashSet<>(factory.made).containsAll(ranOn), ranOn + " not in " + factory.made);
      for (Thread t : factory.made) {
        assertTrue(t.getName().startsWith("supplied-"), t.getName());
        assertEquals(ThreadMode.virtual(), TestSupport.isVirtual(t), "the kind ThreadMode selects");
      }
    }
  }

  @Test
  void perInterpreterGivesTheKthThreadTheFactoryMakesTheKthGil() throws Exception {
    RecordingThreadFactory factory = new RecordingThreadFactory("interp");
    try (GilExecutor pool = GilExecutor.builder().perInterpreter(2).threadFactory(factory).build()) {
      CyclicBarrier barrier = new CyclicBarrier(2);
      Callable<List<Object>> task = () -> {
        barrier.await(20, TimeUnit.SECONDS); // both workers at once, one task each
        return List.of(Thread.currentThread(), Gil.heldByCurrentThread());
      };
      List<ListenableFuture<List<Object>>> fs = List.of(pool.submit(task), pool.submit(task));
      Set<Gil> seen = new HashSet<>();
      for (ListenableFuture<List<Object>> f : fs) {
        List<Object> threadAndGil = f.get(20, TimeUnit.SECONDS);
        int k = factory.made.indexOf(threadAndGil.get(0));
        assertTrue(k >= 0, "ran on a thread the factory did not make");
        assertSame(pool.gils().get(k), threadAndGil.get(1));
        seen.add((Gil) threadAndGil.get(1));
      }
      assertEquals(2, seen.size());
    }
  }

  @Test
  void aFactoryThatThrowsRejectsThatSubmissionAndIsAskedAgainNextTime() throws Exception {
    IllegalStateException refusal = new IllegalStateException("no threads today");
    AtomicInteger calls = new AtomicInteger();
    ThreadFactory base = ThreadMode.factory("second-try");
    ThreadFactory failsOnce = r -> {
      if (calls.getAndIncrement() == 0) {
        throw refusal;
      }
      return base.newThread(r);
    };
    try (GilExecutor pool = GilExecutor.builder().maxWorkers(1).threadFactory(failsOnce).build()) {
      AtomicInteger ran = new AtomicInteger();
      RejectedExecutionException e =
          assertThrows(RejectedExecutionException.class, () -> pool.execute(ran::incrementAndGet));
      assertSame(refusal, e.getCause());
      assertFalse(pool.isShutdown());
      assertEquals(1, pool.submit(ran::incrementAndGet).get(20, TimeUnit.SECONDS).intValue(),
          "the rejected task never ran; the next one did");
      assertEquals(2, calls.get());
    }
  }

  @Test
  void aFactoryThatReturnsNullLeavesTheTaskToTheWorkersThatExist() throws Exception {
    RecordingThreadFactory first = new RecordingThreadFactory("only");
    ThreadFactory oneThread = r -> first.made.isEmpty() ? first.newThread(r) : null;
    try (GilExecutor pool = GilExecutor.builder().maxWorkers(2).threadFactory(oneThread).build()) {
      Thread a = pool.submit(Thread::currentThread).get(20, TimeUnit.SECONDS);
      Thread b = pool.submit(Thread::currentThread).get(20, TimeUnit.SECONDS);
      assertEquals(List.of(a), first.made);
      assertSame(a, b, "queued for the one worker there is");
    }
    try (GilExecutor none = GilExecutor.builder().maxWorkers(2).threadFactory(r -> null).build()) {
      assertThrows(RejectedExecutionException.class, () -> none.execute(() -> { }));
      assertEquals(List.of(), none.shutdownNow(), "the rejected task was not queued");
      assertTrue(none.awaitTermination(Duration.ofSeconds(20)));
    }
  }

  @Test
  void awaitTerminationWithADurationTimesOutUntilTheLastTaskEnds() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    GilExecutor pool = pool(Gil.create(), 1);
    ListenableFuture<?> blocked = pool.submit(() -> {
      started.countDown();
      return release.await(20, TimeUnit.SECONDS);
    });
    assertTrue(started.await(20, TimeUnit.SECONDS));
    assertFalse(pool.awaitTermination(Duration.ofMillis(20)), "not even shut down");
    pool.shutdown();
    assertFalse(pool.awaitTermination(Duration.ofMillis(20)), "a task is still running");
    assertFalse(pool.awaitTermination(Duration.ZERO));
    assertFalse(pool.isTerminated());
    release.countDown();
    assertTrue(pool.awaitTermination(Duration.ofSeconds(20)));
    assertTrue(pool.isTerminated());
    assertEquals(Boolean.TRUE, blocked.get());
    assertTrue(pool.awaitTermination(Duration.ofSeconds(Long.MAX_VALUE)), "saturates, no overflow");
  }

  @Test
  void anInterruptedAwaitTerminationThrowsClearsTheStatusAndGivesTheGilBack() throws Exception {
    Gil gil = Gil.create();
    CountDownLatch release = new CountDownLatch(1);
    GilExecutor pool = pool(gil, 1);
    try {
      pool.submit(() -> gil.releasing(() -> release.await(20, TimeUnit.SECONDS)));
      pool.shutdown();
      Thread.currentThread().interrupt();
      assertThrows(InterruptedException.class, () -> pool.awaitTermination(Duration.ofSeconds(20)));
      assertFalse(Thread.interrupted(), "the interrupt status is cleared");
      gil.acquire();
      try {
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> pool.awaitTermination(20, TimeUnit.SECONDS));
        assertFalse(Thread.interrupted());
        assertTrue(gil.isHeldByCurrentThread(), "the GIL is taken back before the throw");
      } finally {
        gil.release();
      }
      assertFalse(pool.isTerminated(), "an interrupted wait does not stop the pool");
    } finally {
      release.countDown();
    }
    assertTrue(pool.awaitTermination(Duration.ofSeconds(20)));
  }
}
