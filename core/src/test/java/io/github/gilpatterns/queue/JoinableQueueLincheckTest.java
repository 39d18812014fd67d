package io.github.gilpatterns.queue;

import static io.github.gilpatterns.queue.LincheckBudget.modelChecking;
import static io.github.gilpatterns.queue.LincheckBudget.stress;

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
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Lincheck checks that {@link JoinableQueue} is linearizable: every history of concurrent calls it
 * produces could also have come from {@link Spec}, the queue's Javadoc written as a sequential
 * program (an {@link ArrayDeque} plus the task count and shutdown rules of Python 3.13's
 * {@code queue.Queue}).
 */
@Tag("lincheck")
class JoinableQueueLincheckTest {

    /**
     * The sequential specification: what each operation does when the calls happen one at a time.
     */
    public static class Spec {
        private final int capacity;
        private final ArrayDeque<Integer> elements = new ArrayDeque<>();
        private long tasks;
        private boolean shutdown;

        Spec(int capacity, long tasks) {
            this.capacity = capacity;
            this.tasks = tasks;
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

        public boolean isTerminated() {
            return shutdown && tasks == 0;
        }
    }

    /** {@link Spec} of an unbounded queue. */
    public static final class UnboundedSpec extends Spec {
        public UnboundedSpec() {
            super(Integer.MAX_VALUE, 0L);
        }
    }

    /** {@link Spec} of {@code bounded(2)}. */
    public static final class BoundedSpec extends Spec {
        public BoundedSpec() {
            super(2, 0L);
        }
    }

    /** {@link Spec} of {@link NearTaskLimit}. */
    public static final class NearTaskLimitSpec extends Spec {
        public NearTaskLimitSpec() {
            super(Integer.MAX_VALUE, JoinableQueue.MAX_CTL_TASKS - 1);
        }
    }

    /** {@link Spec} of {@link SpareTasks}. */
    public static final class SpareTasksSpec extends Spec {
        public SpareTasksSpec() {
            super(Integer.MAX_VALUE, 1L + JoinableQueue.CHUNK);
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

        @Operation
        public boolean isTerminated() {
            return queue.isTerminated();
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

    /**
     * {@link Operations} on an unbounded queue one task short of what its state word holds:
     * the second insertion moves tasks to the spare count.
     */
    public static final class NearTaskLimit extends Operations {
        public NearTaskLimit() {
            super(new JoinableQueue<>(Integer.MAX_VALUE, JoinableQueue.MAX_CTL_TASKS - 1, 0L));
        }
    }

    /**
     * {@link Operations} on an unbounded queue whose state word holds one task and whose spare
     * count holds more: the second {@code taskDone()} moves tasks back into the word.
     */
    public static final class SpareTasks extends Operations {
        public SpareTasks() {
            super(new JoinableQueue<>(Integer.MAX_VALUE, 1L, JoinableQueue.CHUNK));
        }
    }

    @Test
    void unboundedModelChecking() {
        modelChecking().sequentialSpecification(UnboundedSpec.class).check(Unbounded.class);
    }

    @Test
    void boundedModelChecking() {
        modelChecking().sequentialSpecification(BoundedSpec.class).check(Bounded.class);
    }

    @Test
    void unboundedStress() {
        stress().sequentialSpecification(UnboundedSpec.class).check(Unbounded.class);
    }

    @Test
    void boundedStress() {
        stress().sequentialSpecification(BoundedSpec.class).check(Bounded.class);
    }

    /**
     * One minimized history for each way a two-lock queue whose element count, task count and
     * shutdown flag live in separate fields fails to be linearizable, as a fixed scenario: the
     * model checker explores the interleavings of just these calls, so a failure names the
     * broken guarantee.
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

        /**
         * {@code peek()} returns only an element whose insertion has taken effect: here not 2
         * while the element 1 it saw counted is polled and the node of 2 is linked but not yet
         * counted, after which {@code poll()} could not find 2.
         */
        @Test
        void peekSeesOnlyInsertedElements() {
            checkScenario(Unbounded.class, UnboundedSpec.class, List.of(call("offer", 1)),
                    List.of(List.of(call("poll"), call("offer", 2)),
                            List.of(call("peek"), call("poll"))));
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

    /**
     * The task count's overflow paths, which need 2<sup>31</sup> unfinished tasks: an insertion
     * that moves tasks to the spare count, a {@code taskDone()} that moves them back, and a
     * discard that takes more tasks than the state word holds, each racing the readers.
     */
    @Nested
    class TaskOverflow {

        @Test
        void insertionThatMovesTasksAside() {
            checkScenario(NearTaskLimit.class, NearTaskLimitSpec.class, List.of(call("offer", 1)),
                    List.of(List.of(call("offer", 2)),
                            List.of(call("unfinishedTasks"), call("taskDone"), call("size"))));
        }

        @Test
        void taskDoneThatMovesTasksBack() {
            checkScenario(SpareTasks.class, SpareTasksSpec.class, List.of(call("taskDone")),
                    List.of(List.of(call("taskDone"), call("offer", 2)),
                            List.of(call("unfinishedTasks"), call("taskDone"))));
        }

        @Test
        void shutdownNowThatTakesTasksFromTheSpare() {
            checkScenario(SpareTasks.class, SpareTasksSpec.class,
                    List.of(call("offer", 1), call("offer", 2), call("taskDone"),
                            call("taskDone"), call("taskDone")),
                    List.of(List.of(call("shutdownNow")),
                            List.of(call("unfinishedTasks"), call("size"), call("taskDone"))));
        }

        @Test
        void nearTaskLimitModelChecking() {
            modelChecking().iterations(3).threads(2)
                    .sequentialSpecification(NearTaskLimitSpec.class).check(NearTaskLimit.class);
        }

        @Test
        void spareTasksModelChecking() {
            modelChecking().iterations(3).threads(2)
                    .sequentialSpecification(SpareTasksSpec.class).check(SpareTasks.class);
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
     * {@code spec}: every interleaving the checker reaches, up to 500, must be linearizable. (200
     * are enough to find each of these histories in a queue that updates its element count, task
     * count and shutdown flag in separate steps.)
     */
    static void checkScenario(Class<? extends Operations> test, Class<? extends Spec> spec,
            List<Actor> initial, List<List<Actor>> threads) {
        new ModelCheckingOptions()
                .iterations(0)
                .invocationsPerIteration(500)
                .addCustomScenario(new ExecutionScenario(initial, threads, List.of(), null))
                .sequentialSpecification(spec)
                .check(test);
    }
}
