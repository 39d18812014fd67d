package io.github.gilpatterns.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many producers and consumers: nothing lost, nothing processed twice, and {@code join()} returns
 * only after every item was processed, with the consumers' plain writes visible to the joiner.
 * Properties only; no assertion depends on speed.
 */
@Timeout(120)
class JoinableQueueStressTest {

    /**
     * 4 producers put 250,000 distinct items each, 4 consumers take them. Each consumer marks
     * the item in an atomic bitmap (a second mark is a duplicate) and in a plain {@code byte[]},
     * then calls {@code taskDone()}. After the producers finish, {@code join()} must return only
     * when all 1,000,000 items are processed, and the plain array, read without synchronization,
     * must show every item: {@code taskDone()} happens-before {@code join()} returns.
     */
    @Test
    void fourProducersFourConsumersMillionItems() throws InterruptedException {
        runProducersConsumers(JoinableQueue.bounded(1024), 4, 4, 1_000_000);
    }

    /** The same with an unbounded queue (producers never wait) and more threads than cores. */
    @Test
    void unboundedManyThreads() throws InterruptedException {
        runProducersConsumers(JoinableQueue.unbounded(), 6, 3, 300_000);
    }

    private static void runProducersConsumers(JoinableQueue<Integer> q, int producers,
            int consumers, int items) throws InterruptedException {
        AtomicIntegerArray seen = new AtomicIntegerArray(items);
        byte[] processedPlain = new byte[items]; // written by consumers, read after join()
        AtomicLong processed = new AtomicLong();
        AtomicInteger duplicates = new AtomicInteger();
        List<TestThread> producerThreads = new ArrayList<>();
        List<TestThread> consumerThreads = new ArrayList<>();
        int perProducer = items / producers;
        assertEquals(items, perProducer * producers);
        for (int c = 0; c < consumers; c++) {
            consumerThreads.add(TestThread.start("consumer-" + c, () -> {
                try {
                    while (true) {
                        int item = q.take();
                        if (seen.getAndIncrement(item) != 0) {
                            duplicates.incrementAndGet();
                        }
                        processedPlain[item] = 1;
                        processed.incrementAndGet();
                        q.taskDone();
                    }
                } catch (QueueShutdownException expected) {
                    // the queue is shut down and empty: done
                }
            }));
        }
        for (int p = 0; p < producers; p++) {
            int first = p * perProducer;
            producerThreads.add(TestThread.start("producer-" + p, () -> {
                for (int i = first; i < first + perProducer; i++) {
                    q.put(i);
                }
            }));
        }
        TestThread.finishAll(producerThreads);
        q.join();
        long processedAtJoin = processed.get();
        for (int i = 0; i < items; i++) {
            if (processedPlain[i] != 1) {
                throw new AssertionError("item " + i + " not visible as processed after join()");
            }
        }
        assertEquals(items, processedAtJoin, "join() returned before every item was processed");
        assertEquals(0, q.unfinishedTasks());
        assertTrue(q.isEmpty());
        q.shutdown();
        TestThread.finishAll(consumerThreads);
        assertEquals(0, duplicates.get(), "items processed twice");
        for (int i = 0; i < items; i++) {
            assertEquals(1, seen.get(i), "item " + i);
        }
        assertEquals(items, processed.get());
    }

    /**
     * Many short rounds of put, process, {@code join()}: exercises the handshake between a
     * {@code taskDone()} that reaches zero and a joiner that is just arriving. A lost wake-up
     * hangs (and the timeout fails the test); an early return shows as a count mismatch.
     */
    @Test
    void joinRoundsNeverReturnEarlyNorHang() throws InterruptedException {
        JoinableQueue<Integer> q = JoinableQueue.unbounded();
        AtomicLong processed = new AtomicLong();
        List<TestThread> workers = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            workers.add(TestThread.start("worker-" + w, () -> {
                try {
                    while (true) {
                        q.take();
                        processed.incrementAndGet();
                        q.taskDone();
                    }
                } catch (QueueShutdownException expected) {
                    // done
                }
            }));
        }
        long put = 0;
        for (int round = 0; round < 20_000; round++) {
            int n = 1 + round % 3;
            for (int i = 0; i < n; i++) {
                q.put(i);
            }
            put += n;
            q.join();
            assertEquals(put, processed.get(), "round " + round);
        }
        q.shutdown();
        TestThread.finishAll(workers);
    }

    /** Concurrent taskDone() calls balance exactly: N succeed, the (N+1)th throws. */
    @Test
    void concurrentTaskDoneBalancesExactly() throws InterruptedException {
        int perThread = 50_000;
        int threads = 4;
        JoinableQueue<Integer> q = JoinableQueue.unbounded();
        for (int i = 0; i < perThread * threads; i++) {
            q.put(i);
        }
        AtomicInteger failures = new AtomicInteger();
        List<TestThread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            ts.add(TestThread.start("done-" + t, () -> {
                for (int i = 0; i < perThread + 10; i++) {
                    try {
                        q.taskDone();
                    } catch (IllegalStateException e) {
                        failures.incrementAndGet();
                    }
                }
            }));
        }
        TestThread.finishAll(ts);
        assertEquals(0, q.unfinishedTasks());
        assertEquals(10 * threads, failures.get());
    }
}
