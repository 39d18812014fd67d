package io.github.gilpatterns.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link JoinableQueue}'s {@code ExecutorService} life cycle: {@code isTerminated()},
 * {@code awaitTermination}, {@code close()}, and the {@code Duration} overloads of the timed
 * methods. Every wait is bounded; no test sleeps to let another thread get somewhere.
 */
@Timeout(60)
class JoinableQueueLifecycleTest {

    private static JoinableQueue<String> queueOf(String... elements) {
        JoinableQueue<String> q = JoinableQueue.unbounded();
        for (String e : elements) {
            assertTrue(q.offer(e));
        }
        return q;
    }

    @Test
    void terminatedMeansShutDownAndNoTaskUnfinished() throws InterruptedException {
        JoinableQueue<String> q = queueOf("a");
        assertFalse(q.isTerminated()); // open
        assertEquals("a", q.take());
        q.shutdown();
        assertFalse(q.isTerminated()); // shut down, but "a" is not done
        q.taskDone();
        assertTrue(q.isTerminated());
        assertTrue(q.awaitTermination(Duration.ZERO));

        JoinableQueue<String> idle = JoinableQueue.unbounded();
        assertFalse(idle.isTerminated()); // no task, but open
        idle.shutdown();
        assertTrue(idle.isTerminated());

        JoinableQueue<String> discarded = queueOf("a", "b");
        assertEquals(List.of("a", "b"), discarded.shutdownNow());
        assertTrue(discarded.isTerminated()); // the discarded elements finished their tasks
    }

    @Test
    void awaitTerminationBlocksUntilTheLastTaskDone() throws InterruptedException {
        for (boolean duration : new boolean[] {false, true}) {
            JoinableQueue<String> q = queueOf("a", "b");
            q.take();
            q.take();
            q.shutdown();
            TestThread waiter = TestThread.start("awaiter", () -> assertTrue(duration
                    ? q.awaitTermination(Duration.ofSeconds(TestThread.TIMEOUT_SECONDS))
                    : q.awaitTermination(TestThread.TIMEOUT_SECONDS, TimeUnit.SECONDS)));
            waiter.awaitBlocked();
            q.taskDone();
            waiter.awaitBlocked(); // one task is still unfinished
            assertTrue(waiter.isAlive());
            q.taskDone();
            waiter.finish();
        }
    }

    @Test
    void awaitTerminationWakesWhenAnIdleQueueIsShutDown() throws InterruptedException {
        JoinableQueue<String> q = JoinableQueue.unbounded();
        TestThread waiter = TestThread.start("awaiter",
                () -> assertTrue(q.awaitTermination(TestThread.TIMEOUT_SECONDS, TimeUnit.SECONDS)));
        waiter.awaitBlocked();
        q.shutdown();
        waiter.finish();

        JoinableQueue<String> r = queueOf("a");
        TestThread waiter2 = TestThread.start("awaiter-2",
                () -> assertTrue(r.awaitTermination(TestThread.TIMEOUT_SECONDS, TimeUnit.SECONDS)));
        waiter2.awaitBlocked();
        r.shutdownNow(); // discards "a" and its task, and shuts down: terminated
        waiter2.finish();
    }

    @Test
    void awaitTerminationTimesOutAndNonPositiveTimeoutsDoNotWait() throws InterruptedException {
        JoinableQueue<String> q = queueOf("a");
        q.shutdown();
        assertFalse(q.awaitTermination(20, TimeUnit.MILLISECONDS));
        assertFalse(q.awaitTermination(Duration.ofMillis(20)));
        long start = System.nanoTime();
        assertFalse(q.awaitTermination(0, TimeUnit.SECONDS));
        assertFalse(q.awaitTermination(-1, TimeUnit.DAYS));
        assertFalse(q.awaitTermination(Duration.ZERO));
        assertFalse(q.awaitTermination(Duration.ofSeconds(Long.MIN_VALUE))); // no overflow
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10),
                "a non-positive timeout waited");
        q.poll();
        q.taskDone();
        assertTrue(q.awaitTermination(-1, TimeUnit.SECONDS)); // checks without waiting
        assertThrows(NullPointerException.class, () -> q.awaitTermination(1, null));
        assertThrows(NullPointerException.class, () -> q.awaitTermination(null));
    }

    @Test
    void awaitTerminationThrowsWhenInterruptedAndClearsTheStatus() throws InterruptedException {
        JoinableQueue<String> q = queueOf("a");
        q.shutdown();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> q.awaitTermination(1, TimeUnit.HOURS));
        assertFalse(Thread.interrupted());
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> q.awaitTermination(Duration.ZERO));
        assertFalse(Thread.interrupted());

        AtomicBoolean flagAfter = new AtomicBoolean(true);
        TestThread waiter = TestThread.start("awaiter", () -> {
            assertThrows(InterruptedException.class, () -> q.awaitTermination(1, TimeUnit.HOURS));
            flagAfter.set(Thread.currentThread().isInterrupted());
        });
        waiter.awaitBlocked();
        waiter.interrupt();
        waiter.finish();
        assertFalse(flagAfter.get(), "interrupt status should be cleared");
        assertEquals(1, q.unfinishedTasks()); // nothing changed
        assertFalse(q.isTerminated());
    }

    @Test
    void closeShutsDownAndWaitsForTheTakenTasks() throws InterruptedException {
        JoinableQueue<String> q = queueOf("a", "b");
        AtomicReference<String> processed = new AtomicReference<>();
        CountDownLatch tookA = new CountDownLatch(1);
        CountDownLatch finishA = new CountDownLatch(1);
        TestThread worker = TestThread.start("worker", () -> {
            try {
                while (true) {
                    String item = q.take();
                    if (item.equals("a")) {
                        tookA.countDown();
                        assertTrue(finishA.await(TestThread.TIMEOUT_SECONDS, TimeUnit.SECONDS));
                    }
                    processed.set(item);
                    q.taskDone();
                }
            } catch (QueueShutdownException expected) {
                // shut down and drained
            }
        });
        assertTrue(tookA.await(TestThread.TIMEOUT_SECONDS, TimeUnit.SECONDS));
        TestThread closer = TestThread.start("closer", () -> {
            q.close();
            assertTrue(q.isTerminated());
            assertFalse(Thread.currentThread().isInterrupted());
        });
        closer.awaitBlocked();
        assertTrue(q.isShutdown());
        assertThrows(QueueShutdownException.class, () -> q.offer("c"));
        assertTrue(closer.isAlive()); // "a" is taken and unfinished, "b" is queued
        finishA.countDown();
        closer.finish();
        worker.finish();
        assertEquals("b", processed.get()); // close() let the queued element be processed
        q.close(); // again: returns at once
        assertTrue(q.isTerminated());
    }

    @Test
    void closeOfAnIdleQueueReturnsAtOnce() {
        JoinableQueue<String> q = JoinableQueue.unbounded();
        try (JoinableQueue<String> resource = q) {
            assertFalse(resource.isShutdown());
        }
        assertTrue(q.isShutdown());
        assertTrue(q.isTerminated());
        q.close();
    }

    @Test
    void closeInterruptedCallsShutdownNowOnceKeepsWaitingAndReassertsTheInterrupt()
            throws InterruptedException {
        JoinableQueue<String> q = queueOf("taken", "queued-1", "queued-2");
        assertEquals("taken", q.take()); // its task stays unfinished until the end of the test
        AtomicBoolean interruptedAfter = new AtomicBoolean();
        TestThread closer = TestThread.start("closer", () -> {
            q.close();
            interruptedAfter.set(Thread.currentThread().isInterrupted());
        });
        closer.awaitBlocked();
        assertEquals(2, q.size()); // shutdown() keeps the queued elements
        closer.interrupt();
        // shutdownNow() discards the queued elements...
        TestThread.awaitTrue("close() calls shutdownNow() when interrupted", q::isEmpty);
        closer.awaitBlocked(); // ... and close() waits again, for the taken task
        assertEquals(1, q.unfinishedTasks()); // ... and their tasks, not the taken one's
        assertTrue(closer.isAlive());
        closer.interrupt(); // a second interrupt: no second shutdownNow() is needed or seen
        closer.awaitBlocked();
        assertTrue(closer.isAlive());
        q.taskDone();
        closer.finish();
        assertTrue(interruptedAfter.get(), "close() must return with the interrupt status set");
        assertTrue(q.isTerminated());
    }

    @Test
    void closeCalledWithTheInterruptStatusSetShutsDownNow() {
        JoinableQueue<String> q = queueOf("queued");
        Thread.currentThread().interrupt();
        q.close(); // interrupted on entry: shutdownNow() discards "queued", and nothing is left
        assertTrue(Thread.interrupted(), "close() must keep the interrupt status");
        assertTrue(q.isTerminated());
        assertTrue(q.isEmpty());
    }

    @Test
    void durationOverloadsOfTheTimedMethods() throws InterruptedException {
        JoinableQueue<String> q = JoinableQueue.bounded(1);
        assertTrue(q.offer("a", Duration.ZERO));
        assertFalse(q.offer("b", Duration.ofMillis(20))); // full: times out
        assertFalse(q.offer("b", Duration.ofSeconds(Long.MIN_VALUE)));
        assertEquals("a", q.poll(Duration.ofSeconds(1)));
        assertNull(q.poll(Duration.ofMillis(20))); // empty: times out
        assertNull(q.poll(Duration.ofSeconds(Long.MIN_VALUE)));
        assertFalse(q.join(Duration.ZERO));
        assertFalse(q.join(20, TimeUnit.MILLISECONDS));
        q.taskDone();
        assertTrue(q.join(0, TimeUnit.SECONDS));
        assertThrows(NullPointerException.class, () -> q.offer("x", null));
        assertThrows(NullPointerException.class, () -> q.poll(null));
        assertEquals(0, q.unfinishedTasks());

        TestThread putter = TestThread.start("putter",
                () -> assertTrue(q.offer("c", Duration.ofSeconds(TestThread.TIMEOUT_SECONDS))));
        putter.finish();
        TestThread blockedPutter = TestThread.start("blocked-putter",
                () -> assertTrue(q.offer("d", Duration.ofSeconds(TestThread.TIMEOUT_SECONDS))));
        blockedPutter.awaitBlocked();
        assertEquals("c", q.poll(Duration.ZERO));
        blockedPutter.finish();
        TestThread interrupted = TestThread.start("interrupted-poller", () -> {
            assertEquals("d", q.poll(Duration.ZERO));
            assertThrows(InterruptedException.class, () -> q.poll(Duration.ofHours(1)));
            assertFalse(Thread.currentThread().isInterrupted());
        });
        interrupted.awaitBlocked();
        interrupted.interrupt();
        interrupted.finish();
    }
}
