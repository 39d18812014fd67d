package io.github.gilpatterns.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.gilpatterns.testing.Await;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ports of CPython's {@code Lib/test/test_queue.py} (3.13, the {@code queue.Queue} and
 * {@code SimpleQueue} cases that apply to a FIFO queue). Each test names the CPython original.
 *
 * <p>Translation: {@code put(x)} is {@code put}, {@code put_nowait}/{@code put(block=False)} is
 * {@code offer(x)} (false instead of {@code Full}), {@code put(x, timeout=t)} is
 * {@code offer(x, t, unit)}, {@code get()} is {@code take()}, {@code get_nowait()} is
 * {@code poll()} (null instead of {@code Empty}; on a shut-down empty queue null too, so the
 * port checks {@code isShutdown()}), {@code get(timeout=t)} is {@code poll(t, unit)},
 * {@code shutdown(immediate=True)} is {@code shutdownNow()}, {@code ShutDown} is
 * {@link QueueShutdownException} and {@code ValueError} from {@code task_done()} is
 * {@link IllegalStateException}.
 *
 * <p>CPython's blocking tests sleep 0.1 s in the trigger thread "to give the blocking function a
 * chance to block"; here the blocking call runs in a {@link TestThread} and the trigger waits
 * until that thread is actually parked. Not ported: {@code test_shrinking_queue} (the capacity is
 * final), the {@code LifoQueue}/{@code PriorityQueue} variants, {@code FailingQueueTest} (it
 * overrides the private {@code _put}/{@code _get} hooks; the class is final) and
 * {@code test_reentrancy} (a {@code __del__} callback re-entering {@code put} has no Java
 * analogue).
 */
@Timeout(60)
class JoinableQueueCPythonTest {

    private static final int QUEUE_SIZE = 5;

    private static boolean qfull(JoinableQueue<?> q) {
        return q.remainingCapacity() == 0;
    }

    /**
     * CPython's {@code do_blocking_test}: runs {@code block} in a thread, waits until it is
     * parked, records that the trigger ran, runs {@code trigger}, and returns what {@code block}
     * returned; fails if {@code block} returned before the trigger.
     */
    private static <T> T doBlockingTest(Blocking<T> block, TestThread.Body trigger)
            throws Throwable {
        AtomicBoolean triggered = new AtomicBoolean();
        AtomicReference<T> result = new AtomicReference<>();
        TestThread t = TestThread.start("blocking", () -> {
            result.set(block.call());
            assertTrue(triggered.get(), "blocking function appeared not to block");
        });
        t.awaitBlocked();
        triggered.set(true);
        trigger.run();
        t.finish();
        return result.get();
    }

    @FunctionalInterface
    private interface Blocking<T> {
        T call() throws Throwable;
    }

    // ------------------------------------------------------------------ BaseQueueTestMixin

    private void basicQueueTest(JoinableQueue<Object> q) throws Throwable {
        assertEquals(0, q.size(), "call this function with an empty queue");
        assertTrue(q.isEmpty());
        assertFalse(qfull(q));
        // I guess we better check things actually queue correctly a little :)
        q.put(111);
        q.put(333);
        q.put(222);
        assertEquals(List.of(111, 333, 222), List.of(q.take(), q.take(), q.take()),
                "didn't seem to queue the correct data");
        for (int i = 0; i < QUEUE_SIZE - 1; i++) {
            q.put(i);
            assertTrue(q.size() > 0, "queue should not be empty");
        }
        assertFalse(qfull(q), "queue should not be full");
        int last = 2 * QUEUE_SIZE;
        int full = 3 * 2 * QUEUE_SIZE;
        q.put(last);
        assertTrue(qfull(q), "queue should be full");
        assertFalse(q.isEmpty());
        assertFalse(q.offer(full), "didn't appear to block with a full queue");
        assertFalse(q.offer(full, 10, TimeUnit.MILLISECONDS),
                "didn't appear to time out with a full queue");
        // Test a blocking put
        doBlockingTest(() -> {
            q.put(full);
            return null;
        }, q::take);
        assertTrue(doBlockingTest(() -> q.offer(full, 10, TimeUnit.SECONDS), q::take));
        // Empty it
        for (int i = 0; i < QUEUE_SIZE; i++) {
            q.take();
        }
        assertEquals(0, q.size(), "queue should be empty");
        assertNull(q.poll(), "didn't appear to block with an empty queue");
        assertNull(q.poll(10, TimeUnit.MILLISECONDS),
                "didn't appear to time out with an empty queue");
        // Test a blocking get
        assertEquals("empty", doBlockingTest(q::take, () -> q.put("empty")));
        assertEquals("empty", doBlockingTest(() -> q.poll(10, TimeUnit.SECONDS),
                () -> q.put("empty")));
    }

    /** Guarded by itself for writers; read without it after {@code join()} (join's HB edge). */
    private long cum;

    private void worker(JoinableQueue<Integer> q) throws InterruptedException {
        while (true) {
            int x = q.take();
            if (x < 0) {
                q.taskDone();
                return;
            }
            synchronized (this) {
                cum += x;
            }
            q.taskDone();
        }
    }

    private void queueJoinTest(JoinableQueue<Integer> q) throws Throwable {
        cum = 0;
        List<TestThread> threads = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            threads.add(TestThread.start("worker-" + i, () -> worker(q)));
        }
        for (int i = 0; i < 100; i++) {
            q.put(i);
        }
        q.join();
        // Read without the lock: join() returning happens-after every taskDone().
        assertEquals(IntStream.range(0, 100).sum(), cum,
                "q.join() did not block until all tasks were done");
        for (int i = 0; i < 2; i++) {
            q.put(-1); // instruct the threads to close
        }
        q.join(); // verify that you can join twice
        TestThread.finishAll(threads);
    }

    @Test
    @DisplayName("test_queue_task_done")
    void queueTaskDone() {
        // Test to make sure a queue task completed successfully.
        JoinableQueue<Integer> q = JoinableQueue.unbounded();
        IllegalStateException e = assertThrows(IllegalStateException.class, q::taskDone,
                "did not detect task count going negative");
        assertEquals("taskDone() called too many times", e.getMessage());
    }

    @Test
    @DisplayName("test_queue_join")
    void queueJoin() throws Throwable {
        // Test that a queue join()s successfully, and before anything else
        // (done twice for insurance).
        JoinableQueue<Integer> q = JoinableQueue.unbounded();
        queueJoinTest(q);
        queueJoinTest(q);
        assertThrows(IllegalStateException.class, q::taskDone,
                "did not detect task count going negative");
    }

    @Test
    @DisplayName("test_basic")
    void basic() throws Throwable {
        // Do it a couple of times on the same queue.
        // Done twice to make sure works with same instance reused.
        JoinableQueue<Object> q = JoinableQueue.bounded(QUEUE_SIZE);
        basicQueueTest(q);
        basicQueueTest(q);
    }

    @Test
    @DisplayName("test_negative_timeout_raises_exception (deviation: negative means do not wait)")
    void negativeTimeoutMeansDoNotWait() throws InterruptedException {
        // CPython raises ValueError for a negative timeout; BlockingQueue treats it as zero.
        JoinableQueue<Integer> q = JoinableQueue.bounded(1);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertNull(q.poll(-1, TimeUnit.SECONDS));
            assertTrue(q.offer(1, -1, TimeUnit.SECONDS)); // room: inserts without waiting
            assertFalse(q.offer(2, -1, TimeUnit.SECONDS)); // full: fails without waiting
            assertEquals(1, q.poll(-1, TimeUnit.SECONDS));
            assertFalse(q.join(Duration.ofSeconds(-1)));
        });
    }

    @Test
    @DisplayName("test_nowait")
    void nowait() {
        JoinableQueue<Integer> q = JoinableQueue.bounded(QUEUE_SIZE);
        for (int i = 0; i < QUEUE_SIZE; i++) {
            assertTrue(q.offer(1));
        }
        assertFalse(q.offer(1));
        for (int i = 0; i < QUEUE_SIZE; i++) {
            assertNotNull(q.poll());
        }
        assertNull(q.poll());
    }

    @Test
    @DisplayName("test_shutdown_empty")
    void shutdownEmpty() {
        JoinableQueue<String> q = JoinableQueue.unbounded();
        q.shutdown();
        assertThrows(QueueShutdownException.class, () -> q.put("data"));
        assertThrows(QueueShutdownException.class, q::take);
    }

    @Test
    @DisplayName("test_shutdown_nonempty")
    void shutdownNonempty() throws InterruptedException {
        JoinableQueue<String> q = JoinableQueue.unbounded();
        q.put("data");
        q.shutdown();
        assertEquals("data", q.take());
        assertThrows(QueueShutdownException.class, q::take);
    }

    @Test
    @DisplayName("test_shutdown_immediate")
    void shutdownImmediate() throws InterruptedException {
        JoinableQueue<String> q = JoinableQueue.unbounded();
        q.put("data");
        assertEquals(List.of("data"), q.shutdownNow());
        assertThrows(QueueShutdownException.class, q::take);
    }

    @Test
    @DisplayName("test_shutdown_allowed_transitions")
    void shutdownAllowedTransitions() {
        // allowed transitions would be from alive via shutdown to immediate
        JoinableQueue<String> q = JoinableQueue.unbounded();
        assertFalse(q.isShutdown());

        q.shutdown();
        assertTrue(q.isShutdown());

        q.shutdownNow();
        assertTrue(q.isShutdown());

        q.shutdown();
        assertTrue(q.isShutdown());
    }

    private void shutdownAllMethodsInOneThread(boolean immediate) throws InterruptedException {
        JoinableQueue<String> q = JoinableQueue.bounded(2);
        q.put("L");
        assertTrue(q.offer("O"));
        if (immediate) {
            assertEquals(List.of("L", "O"), q.shutdownNow());
        } else {
            q.shutdown();
        }

        assertThrows(QueueShutdownException.class, () -> q.put("E"));
        assertThrows(QueueShutdownException.class, () -> q.offer("W"));
        if (immediate) {
            assertThrows(QueueShutdownException.class, q::take);
            assertNull(q.poll());
            assertThrows(IllegalStateException.class, q::taskDone);
            assertTrue(q.join(Duration.ofSeconds(10)));
        } else {
            assertTrue(List.of("L", "O").contains(q.take()));
            q.taskDone();
            assertTrue(List.of("L", "O").contains(q.take()));
            q.taskDone();
            assertTrue(q.join(Duration.ofSeconds(10)));
            // on shutdown() when the queue is empty, take() throws and polls return null at once
            assertThrows(QueueShutdownException.class, q::take);
            assertNull(q.poll());
            assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> assertNull(q.poll(1, TimeUnit.HOURS)));
        }
    }

    @Test
    @DisplayName("test_shutdown_all_methods_in_one_thread")
    void shutdownAllMethodsInOneThread() throws InterruptedException {
        shutdownAllMethodsInOneThread(false);
    }

    @Test
    @DisplayName("test_shutdown_immediate_all_methods_in_one_thread")
    void shutdownImmediateAllMethodsInOneThread() throws InterruptedException {
        shutdownAllMethodsInOneThread(true);
    }

    private void shutdownAllMethodsInManyThreads(boolean immediate) throws Exception {
        // Run a 'multi-producers/consumers queue' use case, with enough items in the queue.
        // When shut down, all running threads will be joined.
        JoinableQueue<Integer> q = JoinableQueue.unbounded();
        List<Boolean> resPuts = Collections.synchronizedList(new ArrayList<>());
        List<Boolean> resGets = Collections.synchronizedList(new ArrayList<>());
        List<Boolean> resShutdown = Collections.synchronizedList(new ArrayList<>());
        int writeThreads = 4;
        int readThreads = 6;
        int joinThreads = 2;
        int nbMsgs = 1024 * 64;
        int nbMsgsW = nbMsgs / writeThreads;
        int whenExecShutdown = nbMsgsW / 2;
        // A barrier makes sure that all writers put their first items and every reader got at
        // least one item before the race starts. Joiners take part only when immediate.
        int nparties = writeThreads + readThreads + (immediate ? joinThreads : 0);
        CyclicBarrier barrierStart = new CyclicBarrier(nparties);
        CountDownLatch evExecShutdown = new CountDownLatch(1);
        AtomicBoolean shutdownRequested = new AtomicBoolean();
        List<TestThread> ps = new ArrayList<>();
        for (int w = 0; w < writeThreads; w++) {
            ps.add(TestThread.start("writer-" + w, () -> {
                for (int i = 0; i < whenExecShutdown / 2; i++) {
                    q.put(i);
                }
                barrierStart.await(TestThread.TIMEOUT_SECONDS, TimeUnit.SECONDS);
                for (int i = whenExecShutdown / 2; i < nbMsgsW; i++) {
                    try {
                        q.put(i);
                    } catch (QueueShutdownException e) {
                        resPuts.add(false);
                        break;
                    }
                    // Trigger queue shutdown; only one thread should call shutdown().
                    if (i == whenExecShutdown && shutdownRequested.compareAndSet(false, true)) {
                        evExecShutdown.countDown();
                        resPuts.add(true);
                    }
                }
            }));
        }
        for (int r = 0; r < readThreads; r++) {
            ps.add(TestThread.start("reader-" + r, () -> {
                // Get at least one item.
                q.take();
                q.taskDone();
                barrierStart.await(TestThread.TIMEOUT_SECONDS, TimeUnit.SECONDS);
                Await.Idle idle = Await.idle("an item or the shutdown");
                while (true) {
                    Integer x = q.poll(); // get_nowait()
                    if (x != null) {
                        q.taskDone();
                        idle.progress();
                    } else if (q.isShutdown() && q.isEmpty()) { // get_nowait() raising ShutDown
                        resGets.add(true);
                        break;
                    } else {
                        idle.pause(); // get_nowait() raising Empty: yield, then park
                    }
                }
            }));
        }
        ps.add(TestThread.start("shutdown", () -> {
            assertTrue(evExecShutdown.await(TestThread.TIMEOUT_SECONDS, TimeUnit.SECONDS));
            if (immediate) {
                q.shutdownNow();
            } else {
                q.shutdown();
            }
            resShutdown.add(q.size() == 0);
        }));
        if (immediate) {
            for (int j = 0; j < joinThreads; j++) {
                ps.add(TestThread.start("joiner-" + j, () -> {
                    barrierStart.await(TestThread.TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    q.join();
                }));
            }
        }
        TestThread.finishAll(ps);

        assertTrue(resPuts.contains(true));
        assertEquals(readThreads, Collections.frequency(resGets, true));
        if (immediate) {
            assertEquals(List.of(true), resShutdown);
            assertTrue(q.isEmpty());
        }
        // Every reader finished every task it took, and no one else took any.
        assertEquals(0, q.unfinishedTasks());
    }

    @Test
    @DisplayName("test_shutdown_all_methods_in_many_threads")
    void shutdownAllMethodsInManyThreads() throws Exception {
        shutdownAllMethodsInManyThreads(false);
    }

    @Test
    @DisplayName("test_shutdown_immediate_all_methods_in_many_threads")
    void shutdownImmediateAllMethodsInManyThreads() throws Exception {
        shutdownAllMethodsInManyThreads(true);
    }

    /** CPython's {@code _get}/{@code _get_shutdown}: records whether the outcome was expected. */
    private static TestThread.Body get(JoinableQueue<String> q, CountDownLatch go,
            List<Boolean> results, boolean shutdown) {
        return () -> {
            assertTrue(go.await(TestThread.TIMEOUT_SECONDS, TimeUnit.SECONDS));
            try {
                q.take();
                results.add(!shutdown);
            } catch (QueueShutdownException e) {
                results.add(shutdown);
            }
        };
    }

    private static TestThread.Body getTaskDone(JoinableQueue<String> q, CountDownLatch go,
            List<Boolean> results) {
        return () -> {
            assertTrue(go.await(TestThread.TIMEOUT_SECONDS, TimeUnit.SECONDS));
            try {
                q.take();
                q.taskDone();
                results.add(true);
            } catch (QueueShutdownException e) {
                results.add(false);
            }
        };
    }

    private static TestThread.Body put(JoinableQueue<String> q, String msg, CountDownLatch go,
            List<Boolean> results, boolean shutdown) {
        return () -> {
            assertTrue(go.await(TestThread.TIMEOUT_SECONDS, TimeUnit.SECONDS));
            try {
                q.put(msg);
                results.add(!shutdown);
            } catch (QueueShutdownException e) {
                results.add(shutdown);
            }
        };
    }

    private static TestThread.Body join(JoinableQueue<String> q, List<Boolean> results) {
        return () -> {
            try {
                q.join();
                results.add(true);
            } catch (QueueShutdownException e) {
                results.add(false);
            }
        };
    }

    private static void shutdown(JoinableQueue<?> q, boolean immediate) {
        if (immediate) {
            q.shutdownNow();
        } else {
            q.shutdown();
        }
    }

    private void shutdownGet(boolean immediate) throws InterruptedException {
        JoinableQueue<String> q = JoinableQueue.bounded(2);
        List<Boolean> results = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        q.put("Y");
        q.put("D");
        // queue full
        List<TestThread> threads = new ArrayList<>();
        if (immediate) {
            for (int i = 0; i < 2; i++) {
                threads.add(TestThread.start("get-" + i, get(q, go, results, true)));
            }
        } else {
            // on shutdown() one of these threads should get QueueShutdownException
            for (int i = 0; i < 3; i++) {
                threads.add(TestThread.start("get-" + i, get(q, go, results, false)));
            }
        }
        shutdown(q, immediate);
        go.countDown();
        TestThread.finishAll(threads);
        if (immediate) {
            assertEquals(List.of(true, true), results);
        } else {
            List<Boolean> sorted = new ArrayList<>(results);
            Collections.sort(sorted);
            assertEquals(List.of(false, true, true), sorted);
        }
    }

    @Test
    @DisplayName("test_shutdown_get")
    void shutdownGet() throws InterruptedException {
        shutdownGet(false);
    }

    @Test
    @DisplayName("test_shutdown_immediate_get")
    void shutdownImmediateGet() throws InterruptedException {
        shutdownGet(true);
    }

    private void shutdownPut(boolean immediate) throws InterruptedException {
        JoinableQueue<String> q = JoinableQueue.bounded(2);
        List<Boolean> results = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        q.put("Y");
        q.put("D");
        // queue full
        List<TestThread> threads = List.of(
                TestThread.start("put-E", put(q, "E", go, results, true)),
                TestThread.start("put-W", put(q, "W", go, results, true)));
        // (CPython's test_shutdown_immediate_put calls shutdown() in both variants; here the
        // immediate variant really is immediate.)
        shutdown(q, immediate);
        go.countDown();
        TestThread.finishAll(threads);
        assertEquals(List.of(true, true), results);
    }

    @Test
    @DisplayName("test_shutdown_put")
    void shutdownPut() throws InterruptedException {
        shutdownPut(false);
    }

    @Test
    @DisplayName("test_shutdown_immediate_put")
    void shutdownImmediatePut() throws InterruptedException {
        shutdownPut(true);
    }

    private void shutdownJoin(boolean immediate) throws InterruptedException {
        JoinableQueue<String> q = JoinableQueue.unbounded();
        List<Boolean> results = Collections.synchronizedList(new ArrayList<>());
        q.put("Y");
        CountDownLatch go = new CountDownLatch(1);
        int nb = q.size();
        List<TestThread> threads = new ArrayList<>();
        threads.add(TestThread.start("join-0", join(q, results)));
        threads.add(TestThread.start("join-1", join(q, results)));
        List<TestThread> getters = new ArrayList<>();
        if (!immediate) {
            List<Boolean> res = Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < nb; i++) {
                getters.add(TestThread.start("get-task-done-" + i, getTaskDone(q, go, res)));
            }
        }
        shutdown(q, immediate);
        go.countDown();
        TestThread.finishAll(getters);
        TestThread.finishAll(threads);
        assertEquals(List.of(true, true), results);
    }

    @Test
    @DisplayName("test_shutdown_immediate_join")
    void shutdownImmediateJoin() throws InterruptedException {
        shutdownJoin(true);
    }

    @Test
    @DisplayName("test_shutdown_join")
    void shutdownJoin() throws InterruptedException {
        shutdownJoin(false);
    }

    private void shutdownPutJoin(boolean immediate) throws InterruptedException {
        JoinableQueue<String> q = JoinableQueue.bounded(2);
        List<Boolean> results = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        q.put("Y");
        // queue not full
        List<TestThread> threads = List.of(
                TestThread.start("put-E", put(q, "E", go, results, true)),
                TestThread.start("join", join(q, results)));
        assertEquals(1, q.unfinishedTasks());

        shutdown(q, immediate);
        go.countDown();

        if (immediate) {
            assertNull(q.poll()); // get_nowait() raises ShutDown: poll() returns null ...
            assertThrows(QueueShutdownException.class, q::take); // ... and take() throws
        } else {
            assertEquals("Y", q.take());
            q.taskDone();
        }
        TestThread.finishAll(threads);
        assertEquals(List.of(true, true), results);
    }

    @Test
    @DisplayName("test_shutdown_immediate_put_join")
    void shutdownImmediatePutJoin() throws InterruptedException {
        shutdownPutJoin(true);
    }

    @Test
    @DisplayName("test_shutdown_put_join")
    void shutdownPutJoin() throws InterruptedException {
        shutdownPutJoin(false);
    }

    @Test
    @DisplayName("test_shutdown_get_task_done_join")
    void shutdownGetTaskDoneJoin() throws InterruptedException {
        JoinableQueue<String> q = JoinableQueue.bounded(2);
        List<Boolean> results = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        q.put("Y");
        q.put("D");
        assertEquals(q.size(), q.unfinishedTasks());

        List<TestThread> threads = List.of(
                TestThread.start("get-task-done-0", getTaskDone(q, go, results)),
                TestThread.start("get-task-done-1", getTaskDone(q, go, results)),
                TestThread.start("join-0", join(q, results)),
                TestThread.start("join-1", join(q, results)));
        go.countDown();
        q.shutdown();
        TestThread.finishAll(threads);
        assertEquals(List.of(true, true, true, true), results);
    }

    @Test
    @DisplayName("test_shutdown_pending_get")
    void shutdownPendingGet() throws InterruptedException {
        JoinableQueue<String> q = JoinableQueue.unbounded();
        List<Object> results = Collections.synchronizedList(new ArrayList<>());
        TestThread getThread = TestThread.start("get", () -> {
            try {
                results.add(q.take());
            } catch (Exception e) {
                results.add(e);
            }
        });
        getThread.awaitBlocked(); // really pending (CPython only hopes it is)
        q.shutdown();
        getThread.finish();
        assertEquals(1, results.size());
        assertInstanceOf(QueueShutdownException.class, results.get(0));
    }

    // ------------------------------------------------------------------ BaseSimpleQueueTest

    private static void consume(JoinableQueue<Integer> q, Queue<Integer> results,
            int sentinel) throws InterruptedException {
        while (true) {
            int val = q.take();
            if (val == sentinel) {
                return;
            }
            results.add(val);
        }
    }

    private static void consumeNonblock(JoinableQueue<Integer> q,
            Queue<Integer> results, int sentinel) {
        Await.Idle idle = Await.idle("an item");
        while (true) {
            Integer val;
            while ((val = q.poll()) == null) {
                idle.pause();
            }
            idle.progress();
            if (val == sentinel) {
                return;
            }
            results.add(val);
        }
    }

    private static void consumeTimeout(JoinableQueue<Integer> q,
            Queue<Integer> results, int sentinel) throws InterruptedException {
        while (true) {
            Integer val;
            Await.Deadline deadline = Await.deadline("an item");
            while ((val = q.poll(10, TimeUnit.MICROSECONDS)) == null) {
                deadline.check(); // the timed poll parks; the deadline bounds the retries
            }
            if (val == sentinel) {
                return;
            }
            results.add(val);
        }
    }

    @FunctionalInterface
    private interface ConsumeFunc {
        void run(JoinableQueue<Integer> q, Queue<Integer> results, int sentinel)
                throws InterruptedException;
    }

    private static List<Integer> runThreads(int nThreads, JoinableQueue<Integer> q,
            List<Integer> inputs, ConsumeFunc consumeFunc) throws InterruptedException {
        Queue<Integer> results = new ConcurrentLinkedQueue<>();
        int sentinel = -1;
        ConcurrentLinkedDeque<Integer> seq = new ConcurrentLinkedDeque<>(inputs);
        Random rnd = new Random(42);
        List<TestThread> threads = new ArrayList<>();
        for (int i = 0; i < nThreads; i++) {
            long seed = rnd.nextLong();
            threads.add(TestThread.start("feed-" + i, () -> {
                // CPython's feed() sleeps up to 1 ms at random to vary interleavings; yield does.
                Random r = new Random(seed);
                while (true) {
                    Integer val = seq.pollFirst();
                    if (val == null) {
                        q.put(sentinel);
                        return;
                    }
                    q.put(val);
                    if (r.nextBoolean()) {
                        Thread.yield();
                    }
                }
            }));
        }
        for (int i = 0; i < nThreads; i++) {
            threads.add(TestThread.start("consume-" + i,
                    () -> consumeFunc.run(q, results, sentinel)));
        }
        TestThread.finishAll(threads);
        assertTrue(q.isEmpty());
        assertEquals(0, q.size());
        return new ArrayList<>(results);
    }

    @Test
    @DisplayName("SimpleQueue test_basic")
    void simpleBasic() throws InterruptedException {
        // Basic tests for get(), put() etc.
        JoinableQueue<Integer> q = JoinableQueue.unbounded();
        assertTrue(q.isEmpty());
        assertEquals(0, q.size());
        q.put(1);
        assertFalse(q.isEmpty());
        assertEquals(1, q.size());
        q.put(2);
        assertTrue(q.offer(3));
        q.put(4);
        assertFalse(q.isEmpty());
        assertEquals(4, q.size());

        assertEquals(1, q.take());
        assertEquals(3, q.size());

        assertEquals(2, q.poll());
        assertEquals(2, q.size());

        assertEquals(3, q.poll(0, TimeUnit.SECONDS));
        assertFalse(q.isEmpty());
        assertEquals(1, q.size());

        assertEquals(4, q.poll(100, TimeUnit.MILLISECONDS));
        assertTrue(q.isEmpty());
        assertEquals(0, q.size());

        assertNull(q.poll());
        assertNull(q.poll(1, TimeUnit.MILLISECONDS));
        assertTrue(q.isEmpty());
        assertEquals(0, q.size());
    }

    @Test
    @DisplayName("SimpleQueue test_order")
    void order() throws InterruptedException {
        // Test a pair of concurrent put() and get()
        List<Integer> inputs = IntStream.range(0, 100).boxed().collect(Collectors.toList());
        List<Integer> results = runThreads(1, JoinableQueue.unbounded(), inputs,
                JoinableQueueCPythonTest::consume);
        // One producer, one consumer => results appended in well-defined order
        assertEquals(inputs, results);
    }

    @Test
    @DisplayName("SimpleQueue test_many_threads")
    void manyThreads() throws InterruptedException {
        // Test multiple concurrent put() and get()
        List<Integer> inputs = IntStream.range(0, 10_000).boxed().collect(Collectors.toList());
        List<Integer> results = runThreads(50, JoinableQueue.unbounded(), inputs,
                JoinableQueueCPythonTest::consume);
        Collections.sort(results);
        assertEquals(inputs, results);
    }

    @Test
    @DisplayName("SimpleQueue test_many_threads_nonblock")
    void manyThreadsNonblock() throws InterruptedException {
        // Test multiple concurrent put() and get(block=False)
        List<Integer> inputs = IntStream.range(0, 10_000).boxed().collect(Collectors.toList());
        List<Integer> results = runThreads(50, JoinableQueue.unbounded(), inputs,
                JoinableQueueCPythonTest::consumeNonblock);
        Collections.sort(results);
        assertEquals(inputs, results);
    }

    @Test
    @DisplayName("SimpleQueue test_many_threads_timeout")
    void manyThreadsTimeout() throws InterruptedException {
        // Test multiple concurrent put() and get(timeout=...)
        List<Integer> inputs = IntStream.range(0, 1_000).boxed().collect(Collectors.toList());
        List<Integer> results = runThreads(50, JoinableQueue.unbounded(), inputs,
                JoinableQueueCPythonTest::consumeTimeout);
        Collections.sort(results);
        assertEquals(inputs, results);
    }

    @Test
    @DisplayName("SimpleQueue test_references")
    void references() throws InterruptedException {
        // The queue should lose references to each item as soon as it leaves the queue.
        int n = 20;
        JoinableQueue<Object> q = JoinableQueue.unbounded();
        for (int i = 0; i < n; i++) {
            q.put(new Object());
        }
        for (int i = 0; i < n; i++) {
            WeakReference<Object> wr = new WeakReference<>(q.take());
            awaitCleared(wr);
        }
    }

    private static void awaitCleared(WeakReference<?> wr) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (wr.get() != null) {
            if (System.nanoTime() - deadline > 0) {
                fail("the queue still references a taken element");
            }
            System.gc();
        }
    }
}
