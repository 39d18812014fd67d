package io.github.gilpatterns.queue;

import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Lincheck checks that {@link JoinableQueue} is linearizable: every history of concurrent calls it
 * produces could also have come from {@link Spec}, the queue's Javadoc written as a sequential
 * program (an {@link ArrayDeque} plus the task count and shutdown rules of Python 3.13's
 * {@code queue.Queue}).
 */
class JoinableQueueLincheckTest {

    /**
     * The sequential specification: what each operation does when the calls happen one at a time.
     */
    public static class Spec {
        private final int capacity;
        private final ArrayDeque<Integer> elements = new ArrayDeque<>();
        private long tasks;
        private boolean shutdown;

        Spec(int capacity) {
            this.capacity = capacity;
        }

        public boolean offer(int e) {
            if (shutdown) {
                throw new QueueShutdownException();
            }
            if (elements.size() == capacity) {
                return false;
            }
            elements.add(e);
            tasks++;
            return true;
        }

        public Integer poll() {
            return elements.poll();
        }

        public Integer peek() {
            return elements.peek();
        }

        public int size() {
            return elements.size();
        }

        public boolean isEmpty() {
            return elements.isEmpty();
        }

        public int remainingCapacity() {
            if (shutdown) {
                return 0;
            }
            return capacity == Integer.MAX_VALUE ? Integer.MAX_VALUE : capacity - elements.size();
        }

        public void taskDone() {
            if (tasks == 0) {
                throw new IllegalStateException("taskDone() called too many times");
            }
            tasks--;
        }

        public long unfinishedTasks() {
            return tasks;
        }

        public void shutdown() {
            shutdown = true;
        }

        public List<Integer> shutdownNow() {
            shutdown = true;
            List<Integer> removed = new ArrayList<>(elements);
            elements.clear();
            tasks = Math.max(0, tasks - removed.size());
            return removed;
        }

        public boolean isShutdown() {
            return shutdown;
        }
    }

    /** {@link Spec} of an unbounded queue. */
    public static final class UnboundedSpec extends Spec {
        public UnboundedSpec() {
            super(Integer.MAX_VALUE);
        }
    }

    /** {@link Spec} of {@code bounded(2)}. */
    public static final class BoundedSpec extends Spec {
        public BoundedSpec() {
            super(2);
        }
    }

    /** The operations Lincheck calls, on the real queue. */
    @Param(name = "element", gen = IntGen.class, conf = "1:3")
    public abstract static class Operations {
        private final JoinableQueue<Integer> queue;

        Operations(JoinableQueue<Integer> queue) {
            this.queue = queue;
        }

        @Operation
        public boolean offer(@Param(name = "element") int e) {
            return queue.offer(e);
        }

        @Operation
        public Integer poll() {
            return queue.poll();
        }

        @Operation
        public Integer peek() {
            return queue.peek();
        }

        @Operation
        public int size() {
            return queue.size();
        }

        @Operation
        public boolean isEmpty() {
            return queue.isEmpty();
        }

        @Operation
        public int remainingCapacity() {
            return queue.remainingCapacity();
        }

        @Operation
        public void taskDone() {
            queue.taskDone();
        }

        @Operation
        public long unfinishedTasks() {
            return queue.unfinishedTasks();
        }

        @Operation
        public void shutdown() {
            queue.shutdown();
        }

        @Operation
        public List<Integer> shutdownNow() {
            return queue.shutdownNow();
        }

        @Operation
        public boolean isShutdown() {
            return queue.isShutdown();
        }
    }

    /** {@link Operations} on {@link JoinableQueue#unbounded()}. */
    public static final class Unbounded extends Operations {
        public Unbounded() {
            super(JoinableQueue.unbounded());
        }
    }

    /** {@link Operations} on {@code JoinableQueue.bounded(2)}. */
    public static final class Bounded extends Operations {
        public Bounded() {
            super(JoinableQueue.bounded(2));
        }
    }

    @Test
    void unboundedModelChecking() {
        new ModelCheckingOptions()
                .iterations(30)
                .invocationsPerIteration(2_000)
                .threads(3)
                .actorsPerThread(3)
                .sequentialSpecification(UnboundedSpec.class)
                .check(Unbounded.class);
    }

    @Test
    void boundedModelChecking() {
        new ModelCheckingOptions()
                .iterations(30)
                .invocationsPerIteration(2_000)
                .threads(3)
                .actorsPerThread(3)
                .sequentialSpecification(BoundedSpec.class)
                .check(Bounded.class);
    }

    @Test
    void unboundedStress() {
        new StressOptions()
                .iterations(30)
                .invocationsPerIteration(2_000)
                .threads(3)
                .actorsPerThread(3)
                .sequentialSpecification(UnboundedSpec.class)
                .check(Unbounded.class);
    }

    @Test
    void boundedStress() {
        new StressOptions()
                .iterations(30)
                .invocationsPerIteration(2_000)
                .threads(3)
                .actorsPerThread(3)
                .sequentialSpecification(BoundedSpec.class)
                .check(Bounded.class);
    }

    /**
     * One minimized history per defect the model checker found, as a fixed scenario: the model
     * checker then explores the interleavings of just these calls. Each scenario is the smallest
     * that shows its defect, so a failure names the broken guarantee.
     */
    @Nested
    class KnownHistories {

        /**
         * A successful {@code taskDone()} proves that an insertion took effect, so a later
         * {@code poll()} must find the element: the task and the element appear in one step.
         */
        @Test
        void taskDoneAfterAnInsertionMeansTheElementIsThere() {
            checkScenario(Unbounded.class, UnboundedSpec.class, List.of(),
                    List.of(List.of(call("offer", 2)),
                            List.of(call("taskDone"), call("poll"))));
            checkScenario(Unbounded.class, UnboundedSpec.class, List.of(),
                    List.of(List.of(call("offer", 2)),
                            List.of(call("unfinishedTasks"), call("poll"))));
        }

        /** {@code peek()} returns only an element whose insertion has taken effect. */
        @Test
        void peekSeesOnlyInsertedElements() {
            checkScenario(Unbounded.class, UnboundedSpec.class, List.of(call("offer", 1)),
                    List.of(List.of(call("offer", 2)),
                            List.of(call("peek"), call("poll")),
                            List.of(call("poll"))));
        }

        /** {@code unfinishedTasks()} returns a value the count had at one instant. */
        @Test
        void unfinishedTasksIsOneInstantsCount() {
            checkScenario(Unbounded.class, UnboundedSpec.class, List.of(call("offer", 1)),
                    List.of(List.of(call("unfinishedTasks")),
                            List.of(call("taskDone"), call("offer", 2))));
        }

        /**
         * {@code shutdownNow()} removes the elements and finishes their tasks in one step: once
         * {@code size()} shows the only element gone, {@code taskDone()} must throw.
         */
        @Test
        void shutdownNowDiscardsElementsAndTasksTogether() {
            checkScenario(Unbounded.class, UnboundedSpec.class, List.of(call("offer", 1)),
                    List.of(List.of(call("shutdownNow")),
                            List.of(call("size"), call("taskDone"))));
        }

        /**
         * {@code remainingCapacity()} answers for one state: capacity minus size before the
         * shutdown, 0 after it, never capacity minus a size from after the shutdown.
         */
        @Test
        void remainingCapacityReadsOneState() {
            checkScenario(Bounded.class, BoundedSpec.class, List.of(call("offer", 1)),
                    List.of(List.of(call("remainingCapacity")),
                            List.of(call("shutdown"), call("poll"))));
        }

        /**
         * {@code shutdownNow()} shuts down and empties the queue in one step: a thread that sees
         * it shut down sees it empty.
         */
        @Test
        void shutdownNowShutsDownAndEmptiesTogether() {
            checkScenario(Unbounded.class, UnboundedSpec.class, List.of(call("offer", 1)),
                    List.of(List.of(call("shutdownNow")),
                            List.of(call("isShutdown"), call("size"))));
        }
    }

    /** One call of the operation {@code name} of {@link Operations}, with {@code args}. */
    static Actor call(String name, Object... args) {
        for (Method m : Operations.class.getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == args.length) {
                return new Actor(m, Arrays.asList(args));
            }
        }
        throw new IllegalArgumentException("no operation " + name + "/" + args.length);
    }

    /**
     * Model-checks the single scenario {@code initial}, then {@code threads} in parallel, against
     * {@code spec}: every interleaving the checker reaches must be linearizable.
     */
    static void checkScenario(Class<? extends Operations> test, Class<? extends Spec> spec,
            List<Actor> initial, List<List<Actor>> threads) {
        new ModelCheckingOptions()
                .iterations(0)
                .invocationsPerIteration(10_000)
                .addCustomScenario(new ExecutionScenario(initial, threads, List.of(), null))
                .sequentialSpecification(spec)
                .check(test);
    }
}
