package io.github.gilpatterns.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.gilpatterns.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Java side of {@link JoinableQueue}: argument checks, task accounting, collection methods. */
@Timeout(60)
class JoinableQueueTest {

    private static JoinableQueue<String> queueOf(int capacity, String... elements) {
        JoinableQueue<String> q = capacity == 0 ? JoinableQueue.unbounded()
                : JoinableQueue.bounded(capacity);
        for (String e : elements) {
            assertTrue(q.offer(e));
        }
        return q;
    }

    @Nested
    class Arguments {

        @Test
        void boundedRejectsCapacityBelowOne() {
            for (int bad : new int[] {0, -1, Integer.MIN_VALUE}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> JoinableQueue.bounded(bad));
                assertTrue(e.getMessage().contains(String.valueOf(bad)), e.getMessage());
            }
            assertEquals(1, JoinableQueue.bounded(1).remainingCapacity());
        }

        @Test
        void nullElementsAreRejectedAndChangeNothing() {
            JoinableQueue<String> q = queueOf(2, "a");
            assertThrows(NullPointerException.class, () -> q.put(null));
            assertThrows(NullPointerException.class, () -> q.offer(null));
            assertThrows(NullPointerException.class, () -> q.offer(null, 1, TimeUnit.SECONDS));
            assertThrows(NullPointerException.class, () -> q.add(null));
            assertEquals(1, q.size());
            assertEquals(1, q.unfinishedTasks());
            assertEquals(List.of("a"), List.copyOf(q));
        }

        @Test
        void nullArgumentsAreRejected() {
            JoinableQueue<String> q = queueOf(2, "a");
            assertThrows(NullPointerException.class, () -> q.offer("b", 1, null));
            assertThrows(NullPointerException.class, () -> q.poll(1, null));
            assertThrows(NullPointerException.class, () -> q.join((Duration) null));
            assertThrows(NullPointerException.class, () -> q.join(1, null));
            assertThrows(NullPointerException.class, () -> q.drainTo(null));
            assertThrows(NullPointerException.class, () -> q.drainTo(null, 1));
            assertThrows(NullPointerException.class, () -> q.toArray((String[]) null));
            assertThrows(IllegalArgumentException.class, () -> q.drainTo(q));
            assertThrows(IllegalArgumentException.class, () -> q.drainTo(q, 1));
            assertEquals(List.of("a"), List.copyOf(q));
            assertEquals(1, q.unfinishedTasks());
        }

        @Test
        void nullIsNeverContainedNorRemoved() {
            JoinableQueue<String> q = queueOf(0, "a");
            assertFalse(q.contains(null));
            assertFalse(q.remove(null));
            assertEquals(1, q.unfinishedTasks());
        }
    }

    @Nested
    class Tasks {

        @Test
        void everySuccessfulInsertionAddsOneTask() throws InterruptedException {
            JoinableQueue<String> q = JoinableQueue.bounded(5);
            q.put("put");
            assertTrue(q.offer("offer"));
            assertTrue(q.offer("offer-timed", 1, TimeUnit.SECONDS));
            assertTrue(q.add("add"));
            assertTrue(q.addAll(List.of("addAll")));
            assertEquals(5, q.unfinishedTasks());
            // refused insertions add nothing
            assertFalse(q.offer("full"));
            assertFalse(q.offer("full", 0, TimeUnit.SECONDS));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> q.add("x"));
            assertFalse(e instanceof QueueShutdownException);
            assertEquals(5, q.unfinishedTasks());
            assertEquals(5, q.size());
        }

        @Test
        void takingDoesNotFinishTasks() throws InterruptedException {
            JoinableQueue<String> q = queueOf(0, "a", "b", "c", "d", "e", "f");
            assertEquals("a", q.take());
            assertEquals("b", q.poll());
            assertEquals("c", q.poll(1, TimeUnit.SECONDS));
            assertEquals("d", q.remove());
            List<String> sink = new ArrayList<>();
            assertEquals(2, q.drainTo(sink));
            assertEquals(List.of("e", "f"), sink);
            assertTrue(q.isEmpty());
            assertEquals(6, q.unfinishedTasks());
            for (int i = 0; i < 6; i++) {
                q.taskDone();
            }
            assertEquals(0, q.unfinishedTasks());
            assertTrue(q.join(Duration.ZERO));
        }

        @Test
        void taskDoneTooManyTimesThrowsAndChangesNothing() {
            JoinableQueue<String> q = queueOf(0, "a", "b");
            q.taskDone();
            q.taskDone();
            IllegalStateException e = assertThrows(IllegalStateException.class, q::taskDone);
            assertEquals("taskDone() called too many times", e.getMessage());
            assertEquals(0, q.unfinishedTasks());
            assertTrue(q.offer("c"));
            assertEquals(1, q.unfinishedTasks()); // not 0: the failed call left no debt
        }

        @Test
        void discardingRemovalsFinishTheirTasks() {
            JoinableQueue<String> q = queueOf(0, "a", "b", "c", "d", "e", "f", "g", "h");
            assertEquals(8, q.unfinishedTasks());
            assertTrue(q.remove("c"));
            assertFalse(q.remove("absent"));
            assertEquals(7, q.unfinishedTasks());

            Iterator<String> it = q.iterator();
            assertEquals("a", it.next());
            it.remove();
            assertEquals(6, q.unfinishedTasks());

            assertTrue(q.removeIf(s -> s.equals("b") || s.equals("d")));
            assertEquals(4, q.unfinishedTasks());
            assertTrue(q.removeAll(List.of("e")));
            assertEquals(3, q.unfinishedTasks());
            assertTrue(q.retainAll(List.of("f", "g")));
            assertEquals(2, q.unfinishedTasks());
            assertEquals(List.of("f", "g"), List.copyOf(q));

            q.clear();
            assertTrue(q.isEmpty());
            assertEquals(0, q.unfinishedTasks());
        }

        @Test
        void discardingNeverTakesTheCountBelowZero() {
            JoinableQueue<String> q = queueOf(0, "a", "b", "c");
            q.taskDone(); // early taskDone() calls, before anything was taken: allowed
            q.taskDone();
            assertEquals(1, q.unfinishedTasks());
            q.clear(); // removes 3 elements, finishes only the 1 task left
            assertEquals(0, q.unfinishedTasks());

            JoinableQueue<String> r = queueOf(0, "a", "b");
            r.taskDone();
            r.taskDone();
            assertEquals(List.of("a", "b"), r.shutdownNow());
            assertEquals(0, r.unfinishedTasks());
        }

        @Test
        void joinReturnsAtOnceWhenNothingIsUnfinished() throws InterruptedException {
            JoinableQueue<String> q = JoinableQueue.unbounded();
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                q.join();
                assertTrue(q.join(Duration.ZERO));
                assertTrue(q.join(1, TimeUnit.HOURS));
            });
        }

        @Test
        void timedJoinReturnsFalseWhileTasksAreUnfinished() throws InterruptedException {
            JoinableQueue<String> q = queueOf(0, "a");
            assertFalse(q.join(Duration.ZERO));
            assertFalse(q.join(Duration.ofMillis(20)));
            assertFalse(q.join(20, TimeUnit.MILLISECONDS));
            assertFalse(q.join(Duration.ofSeconds(Long.MIN_VALUE))); // no overflow
            q.poll();
            q.taskDone();
            assertTrue(q.join(Duration.ZERO));
        }

        @Test
        void joinReturnsOnlyWhenTheLastTaskIsDone() throws InterruptedException {
            JoinableQueue<String> q = queueOf(0, "a", "b", "c");
            List<TestThread> joiners = new ArrayList<>();
            List<Long> seenAtReturn = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < 3; i++) {
                boolean timed = i == 0;
                joiners.add(TestThread.start("joiner-" + i, () -> {
                    if (timed) {
                        assertTrue(q.join(Duration.ofSeconds(TestThread.TIMEOUT_SECONDS)));
                    } else {
                        q.join();
                    }
                    seenAtReturn.add(q.unfinishedTasks());
                }));
            }
            for (TestThread t : joiners) {
                t.awaitBlocked();
            }
            q.taskDone();
            q.taskDone();
            for (TestThread t : joiners) {
                assertTrue(t.isAlive());
            }
            q.taskDone();
            TestThread.finishAll(joiners);
            assertEquals(List.of(0L, 0L, 0L), seenAtReturn);
        }

        @Test
        void clearAndRemoveReleaseJoiners() throws InterruptedException {
            JoinableQueue<String> q = queueOf(0, "a", "b");
            TestThread joiner = TestThread.start("joiner", q::join);
            joiner.awaitBlocked();
            assertTrue(q.remove("a"));
            assertEquals(1, q.unfinishedTasks());
            q.clear();
            joiner.finish();
            assertEquals(0, q.unfinishedTasks());
        }

        @Test
        void joinThrowsWhenInterruptedOnEntry() {
            JoinableQueue<String> q = JoinableQueue.unbounded();
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, q::join);
            assertFalse(Thread.interrupted());
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, () -> q.join(Duration.ofSeconds(1)));
            assertFalse(Thread.interrupted());
        }

        @Test
        void joinThrowsWhenInterruptedWhileWaiting() throws InterruptedException {
            JoinableQueue<String> q = queueOf(0, "a");
            for (boolean timed : new boolean[] {false, true}) {
                AtomicBoolean flagAfter = new AtomicBoolean(true);
                TestThread joiner = TestThread.start("joiner", () -> {
                    assertThrows(InterruptedException.class, () -> {
                        if (timed) {
                            q.join(1, TimeUnit.HOURS);
                        } else {
                            q.join();
                        }
                    });
                    flagAfter.set(Thread.currentThread().isInterrupted());
                });
                joiner.awaitBlocked();
                joiner.interrupt();
                joiner.finish();
                assertFalse(flagAfter.get(), "interrupt status should be cleared");
            }
            assertEquals(1, q.unfinishedTasks());
        }
    }

    /**
     * More than 2<sup>31</sup> unfinished tasks (a queue used without {@code taskDone()}): the
     * count goes on exactly. The queues start just below or above that limit, as no test can
     * insert 2<sup>31</sup> elements.
     */
    @Nested
    class TaskOverflow {

        private static final long LIMIT = JoinableQueue.MAX_CTL_TASKS;
        private static final long CHUNK = JoinableQueue.CHUNK;

        @Test
        void insertionsBeyondTheLimitAreCounted() throws InterruptedException {
            JoinableQueue<String> q = new JoinableQueue<>(Integer.MAX_VALUE, LIMIT - 1, 0L);
            assertEquals(LIMIT - 1, q.unfinishedTasks());
            q.put("a");
            assertEquals(LIMIT, q.unfinishedTasks());
            assertTrue(q.offer("b")); // the limit reached: this one moves tasks aside first
            assertTrue(q.offer("c", 0, TimeUnit.SECONDS));
            assertEquals(LIMIT + 2, q.unfinishedTasks());
            assertEquals(3, q.size());
            assertEquals("a", q.take());
            q.taskDone();
            q.taskDone();
            assertEquals(LIMIT, q.unfinishedTasks());
            q.clear();
            assertEquals(LIMIT - 2, q.unfinishedTasks());
            assertFalse(q.join(Duration.ZERO));
        }

        @Test
        void taskDoneBelowTheTasksInTheStateWordUsesTheSpare() {
            JoinableQueue<String> q = new JoinableQueue<>(Integer.MAX_VALUE, 1L, CHUNK);
            assertEquals(CHUNK + 1, q.unfinishedTasks());
            q.taskDone();
            q.taskDone(); // none left in the word: moves tasks back from the spare
            assertEquals(CHUNK - 1, q.unfinishedTasks());
            for (int i = 0; i < 1000; i++) {
                q.taskDone();
            }
            assertEquals(CHUNK - 1001, q.unfinishedTasks());
        }

        @Test
        void discardingMoreElementsThanTheWordHoldsTasksUsesTheSpare() {
            JoinableQueue<String> q = new JoinableQueue<>(Integer.MAX_VALUE, 0L, CHUNK);
            assertTrue(q.offer("a"));
            assertTrue(q.offer("b"));
            assertTrue(q.offer("c"));
            q.taskDone();
            q.taskDone();
            q.taskDone(); // the word holds no task now; the spare holds CHUNK
            assertEquals(CHUNK, q.unfinishedTasks());
            assertTrue(q.remove("b"));
            assertEquals(CHUNK - 1, q.unfinishedTasks());
            assertEquals(List.of("a", "c"), q.shutdownNow());
            assertEquals(CHUNK - 3, q.unfinishedTasks());
            assertTrue(q.isShutdown());
            assertEquals(0, q.size());
        }

        @Test
        void tooManyTaskDonesStillThrowAfterTheSpareIsUsedUp() {
            JoinableQueue<String> q = new JoinableQueue<>(Integer.MAX_VALUE, 0L, 0L);
            IllegalStateException e = assertThrows(IllegalStateException.class, q::taskDone);
            assertEquals("taskDone() called too many times", e.getMessage());
            assertEquals(0, q.unfinishedTasks());
            assertThrows(IllegalArgumentException.class,
                    () -> new JoinableQueue<String>(1, -1L, 0L));
            assertThrows(IllegalArgumentException.class,
                    () -> new JoinableQueue<String>(1, 0L, CHUNK + 1));
        }
    }

    @Nested
    class Blocking {

        @Test
        void interruptedPutInsertsNothing() throws InterruptedException {
            JoinableQueue<String> q = queueOf(1, "a");
            for (boolean timed : new boolean[] {false, true}) {
                TestThread putter = TestThread.start("putter", () ->
                        assertThrows(InterruptedException.class, () -> {
                            if (timed) {
                                q.offer("b", 1, TimeUnit.HOURS);
                            } else {
                                q.put("b");
                            }
                        }));
                putter.awaitBlocked();
                putter.interrupt();
                putter.finish();
            }
            assertEquals(List.of("a"), List.copyOf(q));
            assertEquals(1, q.unfinishedTasks());
        }

        @Test
        void interruptedTakeRemovesNothing() throws InterruptedException {
            JoinableQueue<String> q = JoinableQueue.unbounded();
            for (boolean timed : new boolean[] {false, true}) {
                TestThread taker = TestThread.start("taker", () ->
                        assertThrows(InterruptedException.class, () -> {
                            if (timed) {
                                q.poll(1, TimeUnit.HOURS);
                            } else {
                                q.take();
                            }
                        }));
                taker.awaitBlocked();
                taker.interrupt();
                taker.finish();
            }
            q.put("a");
            assertEquals("a", q.poll());
        }

        @Test
        void takeFromAFullQueueReleasesAPutter() throws InterruptedException {
            JoinableQueue<String> q = queueOf(2, "a", "b");
            TestThread putter = TestThread.start("putter", () -> q.put("c"));
            putter.awaitBlocked();
            assertEquals("a", q.take());
            putter.finish();
            assertEquals(List.of("b", "c"), List.copyOf(q));
        }

        @Test
        void drainToReleasesPutters() throws InterruptedException {
            JoinableQueue<String> q = queueOf(2, "a", "b");
            TestThread p1 = TestThread.start("putter-1", () -> q.put("c"));
            TestThread p2 = TestThread.start("putter-2", () -> q.put("d"));
            p1.awaitBlocked();
            p2.awaitBlocked();
            List<String> sink = new ArrayList<>();
            assertEquals(2, q.drainTo(sink));
            TestThread.finishAll(List.of(p1, p2));
            assertEquals(List.of("a", "b"), sink);
            assertEquals(List.of("c", "d"), q.stream().sorted().collect(Collectors.toList()));
        }

        @Test
        void clearReleasesPutters() throws InterruptedException {
            JoinableQueue<String> q = queueOf(1, "a");
            TestThread p1 = TestThread.start("putter-1", () -> q.put("b"));
            p1.awaitBlocked();
            q.clear();
            p1.finish();
            assertEquals(List.of("b"), List.copyOf(q));
        }
    }

    @Nested
    class Shutdown {

        @Test
        void shutdownWakesBlockedPuttersWhoInsertNothing() throws InterruptedException {
            JoinableQueue<String> q = queueOf(1, "a");
            TestThread putter = TestThread.start("putter", () ->
                    assertThrows(QueueShutdownException.class, () -> q.put("b")));
            TestThread offerer = TestThread.start("offerer", () ->
                    assertThrows(QueueShutdownException.class,
                            () -> q.offer("c", 1, TimeUnit.HOURS)));
            putter.awaitBlocked();
            offerer.awaitBlocked();
            q.shutdown();
            TestThread.finishAll(List.of(putter, offerer));
            assertEquals(List.of("a"), List.copyOf(q));
            assertEquals(1, q.unfinishedTasks());
        }

        @Test
        void shutdownWakesBlockedTakers() throws InterruptedException {
            JoinableQueue<String> q = JoinableQueue.unbounded();
            AtomicReference<Object> polled = new AtomicReference<>("not yet");
            TestThread taker = TestThread.start("taker", () ->
                    assertThrows(QueueShutdownException.class, q::take));
            TestThread poller = TestThread.start("poller", () ->
                    polled.set(q.poll(1, TimeUnit.HOURS)));
            taker.awaitBlocked();
            poller.awaitBlocked();
            q.shutdown();
            TestThread.finishAll(List.of(taker, poller));
            assertNull(polled.get());
        }

        @Test
        void shutdownNowWakesBlockedTakersAndPutters() throws InterruptedException {
            JoinableQueue<String> full = queueOf(1, "a");
            JoinableQueue<String> empty = JoinableQueue.unbounded();
            TestThread putter = TestThread.start("putter", () ->
                    assertThrows(QueueShutdownException.class, () -> full.put("b")));
            TestThread taker = TestThread.start("taker", () ->
                    assertThrows(QueueShutdownException.class, empty::take));
            putter.awaitBlocked();
            taker.awaitBlocked();
            assertEquals(List.of("a"), full.shutdownNow());
            assertEquals(List.of(), empty.shutdownNow());
            TestThread.finishAll(List.of(putter, taker));
        }

        @Test
        void shutdownDoesNotReleaseJoiners() throws InterruptedException {
            JoinableQueue<String> q = queueOf(0, "a");
            q.shutdown();
            assertFalse(q.join(Duration.ofMillis(20)));
            assertEquals("a", q.take());
            assertFalse(q.join(Duration.ZERO)); // taken but not done
            q.taskDone();
            assertTrue(q.join(Duration.ZERO));
        }

        @Test
        void shutdownNowDiscardsQueuedTasksButNotTakenOnes() throws InterruptedException {
            JoinableQueue<String> q = queueOf(0, "a", "b", "c");
            assertEquals("a", q.take());
            TestThread joiner = TestThread.start("joiner", q::join);
            joiner.awaitBlocked();
            assertEquals(List.of("b", "c"), q.shutdownNow());
            assertEquals(1, q.unfinishedTasks());
            assertTrue(joiner.isAlive());
            q.taskDone(); // the worker that took "a" finishes it
            joiner.finish();
            assertEquals(0, q.unfinishedTasks());
            assertEquals(List.of(), q.shutdownNow());
        }

        @Test
        void everyMethodAfterShutdown() throws InterruptedException {
            JoinableQueue<String> q = queueOf(1, "a");
            q.shutdown();
            assertTrue(q.isShutdown());
            // insertions: QueueShutdownException, even when full, even when not waiting
            assertThrows(QueueShutdownException.class, () -> q.offer("x"));
            assertThrows(QueueShutdownException.class, () -> q.add("x"));
            assertThrows(QueueShutdownException.class, () -> q.addAll(List.of("x")));
            assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                    assertThrows(QueueShutdownException.class,
                            () -> q.offer("x", 1, TimeUnit.HOURS)));
            assertEquals(0, q.remainingCapacity());
            // elements already queued are still there
            assertEquals("a", q.peek());
            assertEquals("a", q.element());
            assertTrue(q.contains("a"));
            assertEquals("a", q.remove());
            // shut down and empty
            assertNull(q.peek());
            assertNull(q.poll());
            assertThrows(NoSuchElementException.class, q::remove);
            assertThrows(NoSuchElementException.class, q::element);
            assertEquals(0, q.drainTo(new ArrayList<>()));
            assertThrows(QueueShutdownException.class, q::take);
            assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> assertNull(q.poll(1, TimeUnit.HOURS)));
            // tasks work as before
            assertEquals(1, q.unfinishedTasks());
            q.taskDone();
            assertTrue(q.join(Duration.ZERO));
            assertEquals("[]", q.toString());
        }

        @Test
        void exceptionIsAnIllegalStateException() {
            JoinableQueue<String> q = JoinableQueue.unbounded();
            q.shutdown();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> q.add("x"));
            assertInstanceOf(QueueShutdownException.class, e);
            assertEquals("queue is shut down", e.getMessage());
            assertEquals("custom", new QueueShutdownException("custom").getMessage());
        }
    }

    @Nested
    class CollectionMethods {

        @Test
        void fifoPeekElementRemove() {
            JoinableQueue<String> q = queueOf(0, "a", "b");
            assertEquals("a", q.peek());
            assertEquals("a", q.element());
            assertEquals("a", q.remove());
            assertEquals("b", q.poll());
            assertNull(q.peek());
            assertNull(q.poll());
            assertThrows(NoSuchElementException.class, q::element);
            assertThrows(NoSuchElementException.class, q::remove);
        }

        @Test
        void remainingCapacity() throws InterruptedException {
            JoinableQueue<String> b = JoinableQueue.bounded(3);
            assertEquals(3, b.remainingCapacity());
            b.put("a");
            assertEquals(2, b.remainingCapacity());
            b.put("b");
            b.put("c");
            assertEquals(0, b.remainingCapacity());
            b.take();
            assertEquals(1, b.remainingCapacity());

            JoinableQueue<String> u = queueOf(0, "a");
            assertEquals(Integer.MAX_VALUE, u.remainingCapacity());
            u.shutdown();
            assertEquals(0, u.remainingCapacity());
        }

        @Test
        void sizeContainsToArrayToString() {
            JoinableQueue<String> q = queueOf(0, "a", "b", "c");
            assertEquals(3, q.size());
            assertTrue(q.contains("b"));
            assertFalse(q.contains("z"));
            assertTrue(q.containsAll(List.of("a", "c")));
            assertArrayEquals(new Object[] {"a", "b", "c"}, q.toArray());
            assertEquals("[a, b, c]", q.toString());

            String[] small = new String[1];
            String[] grown = q.toArray(small);
            assertNotSame(small, grown);
            assertArrayEquals(new String[] {"a", "b", "c"}, grown);

            String[] exact = new String[3];
            assertSame(exact, q.toArray(exact));
            assertArrayEquals(new String[] {"a", "b", "c"}, exact);

            String[] large = {"x", "x", "x", "x", "x"};
            assertSame(large, q.toArray(large));
            assertArrayEquals(new String[] {"a", "b", "c", null, "x"}, large);

            assertThrows(ArrayStoreException.class, () -> q.toArray(new Integer[0]));
        }

        @Test
        void removeObjectTakesTheFirstEqualElementAnywhere() {
            JoinableQueue<String> q = queueOf(3, "a", "b", "a");
            assertTrue(q.remove("a"));
            assertEquals(List.of("b", "a"), List.copyOf(q));
            assertTrue(q.remove("a")); // the last node: the tail moves back
            assertTrue(q.offer("c"));
            assertEquals(List.of("b", "c"), List.copyOf(q));
            assertTrue(q.remove("b"));
            assertTrue(q.remove("c"));
            assertTrue(q.isEmpty());
            assertTrue(q.offer("d"));
            assertEquals("d", q.poll());
        }

        @Test
        void drainToWithLimitKeepsOrder() {
            JoinableQueue<String> q = queueOf(0, "a", "b", "c");
            List<String> sink = new ArrayList<>();
            assertEquals(0, q.drainTo(sink, 0));
            assertEquals(0, q.drainTo(sink, -1));
            assertEquals(2, q.drainTo(sink, 2));
            assertEquals(List.of("a", "b"), sink);
            assertEquals(1, q.drainTo(sink, 5));
            assertEquals(List.of("a", "b", "c"), sink);
            assertEquals(0, q.drainTo(sink));
            assertTrue(q.offer("d"));
            assertEquals(List.of("d"), List.copyOf(q));
            assertEquals(3 + 1, q.unfinishedTasks());
        }

        @Test
        void drainToStopsAtAThrowingCollectionAndLosesNothing() {
            JoinableQueue<String> q = queueOf(0, "a", "b", "c");
            List<String> sink = new ArrayList<String>() {
                @Override
                public boolean add(String s) {
                    if (s.equals("b")) {
                        throw new IllegalStateException("no b");
                    }
                    return super.add(s);
                }
            };
            assertThrows(IllegalStateException.class, () -> q.drainTo(sink));
            assertEquals(List.of("a"), sink);
            assertEquals(List.of("b", "c"), List.copyOf(q));
            assertEquals(2, q.size());
        }

        @Test
        void iteratorBasics() {
            JoinableQueue<String> q = queueOf(0, "a", "b", "c");
            Iterator<String> it = q.iterator();
            assertThrows(IllegalStateException.class, it::remove);
            assertEquals("a", it.next());
            assertEquals("b", it.next());
            it.remove();
            assertThrows(IllegalStateException.class, it::remove);
            assertEquals("c", it.next());
            assertFalse(it.hasNext());
            assertThrows(NoSuchElementException.class, it::next);
            assertEquals(List.of("a", "c"), List.copyOf(q));
            assertFalse(JoinableQueue.unbounded().iterator().hasNext());
        }

        @Test
        void iteratorSurvivesTakesAndSkipsTakenElements() throws InterruptedException {
            JoinableQueue<String> q = queueOf(0, "a", "b", "c", "d");
            Iterator<String> it = q.iterator();
            assertEquals("a", it.next()); // iterator now holds "b"
            assertEquals("a", q.take());
            assertEquals("b", q.take());
            assertEquals("c", q.take());
            assertEquals("b", it.next()); // already handed out by hasNext's snapshot
            it.remove(); // "b" was taken: nothing to remove, no task finished
            assertEquals(4, q.unfinishedTasks());
            assertTrue(it.hasNext());
            assertEquals("d", it.next()); // "c" was taken while the iterator was away
            assertFalse(it.hasNext());
        }

        @Test
        void iteratorSurvivesRemoveAndClear() {
            JoinableQueue<String> q = queueOf(0, "a", "b", "c");
            Iterator<String> it = q.iterator();
            assertEquals("a", it.next());
            assertTrue(q.remove("b"));
            assertEquals("b", it.next()); // the snapshot of the next element
            assertEquals("c", it.next());
            Iterator<String> it2 = q.iterator();
            q.clear();
            assertTrue(q.offer("z"));
            assertEquals("a", it2.next());
            assertEquals("z", it2.next()); // cleared nodes are skipped; new ones are seen
            assertFalse(it2.hasNext());
        }

        @Test
        void iteratorIsWeaklyConsistentUnderConcurrentPutsAndTakes() throws InterruptedException {
            JoinableQueue<Integer> q = JoinableQueue.bounded(64);
            AtomicBoolean stop = new AtomicBoolean();
            int items = 50_000;
            TestThread producer = TestThread.start("producer", () -> {
                for (int i = 0; i < items; i++) {
                    q.put(i);
                }
                stop.set(true);
            });
            TestThread consumer = TestThread.start("consumer", () -> {
                for (int i = 0; i < items; i++) {
                    assertEquals(i, q.take());
                    q.taskDone();
                }
            });
            long passes = 0;
            Await.Deadline deadline = Await.deadline("the producer to finish");
            while (!stop.get() || passes == 0) {
                deadline.check();
                int previous = -1;
                for (int x : q) { // never throws, every element at most once, in order
                    assertTrue(x > previous, x + " after " + previous);
                    previous = x;
                }
                passes++;
            }
            TestThread.finishAll(List.of(producer, consumer));
            assertTrue(q.join(Duration.ofSeconds(10)));
        }

        @Test
        void spliteratorAndStreams() {
            JoinableQueue<String> q = queueOf(0, "a", "b", "c");
            Spliterator<String> s = q.spliterator();
            assertTrue(s.hasCharacteristics(Spliterator.CONCURRENT));
            assertTrue(s.hasCharacteristics(Spliterator.NONNULL));
            assertTrue(s.hasCharacteristics(Spliterator.ORDERED));
            assertFalse(s.hasCharacteristics(Spliterator.SIZED));
            assertEquals("abc", q.stream().collect(Collectors.joining()));
            assertEquals(3, q.parallelStream().count());
            List<String> seen = new ArrayList<>();
            q.forEach(seen::add);
            assertEquals(List.of("a", "b", "c"), seen);
        }
    }

    @Test
    void takenElementsAreCountedAsUnfinishedUntilDone() throws InterruptedException {
        // the WorkerPool idiom in one thread
        JoinableQueue<String> q = JoinableQueue.bounded(2);
        AtomicLong processed = new AtomicLong();
        TestThread worker = TestThread.start("worker", () -> {
            try {
                while (true) {
                    q.take();
                    processed.incrementAndGet();
                    q.taskDone();
                }
            } catch (QueueShutdownException e) {
                // done
            }
        });
        for (int i = 0; i < 100; i++) {
            q.put("job-" + i);
        }
        q.join();
        assertEquals(100, processed.get());
        q.shutdown();
        worker.finish();
    }
}
