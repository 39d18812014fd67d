package io.github.gilpatterns.jcstress;

import io.github.gilpatterns.queue.JoinableQueue;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;
import org.openjdk.jcstress.infra.results.JJJ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    Claim 5b: taskDone() balances insertions exactly, even when calls race. Every successful
    insertion adds one unfinished task and every successful taskDone() removes one; a
    taskDone() with nothing unfinished throws IllegalStateException and changes nothing
    (Python's "task_done() called too many times" ValueError). So two racing taskDone() calls
    on one unfinished task finish it once, and a taskDone() racing with the put() of the only
    task either finishes it (the put came first) or is refused (it came first), never both and
    never neither. Whether a join() returns or hangs follows from this count; that a joiner
    wakes up when it reaches zero is JoinableQueue_03_JoinTerminates.

    JoinableQueue.taskDone() is lock-free (a CAS on a "done" counter checked against the
    "takes" and "puts" counters); these tests race it against itself and against put().

    How to run this test:
       $ jcstress-tests/run.sh quick -t JoinableQueue_02_TaskDoneBalances
       $ java -jar jcstress-tests/target/jcstress.jar -t JoinableQueue_02_TaskDoneBalances[.SubTestName]

    Expected outcomes: see each test; every unlisted result is forbidden.
 */
public class JoinableQueue_02_TaskDoneBalances {

    /*
      ----------------------------------------------------------------------------------------
        One unfinished task, two racing taskDone() calls. Result "actor1 succeeded, actor2
        succeeded, unfinished tasks afterwards" (1 = taskDone returned, 0 = it threw).
     */
    @JCStressTest
    @Description("Claim 5: two racing taskDone() calls on one unfinished task finish it exactly once.")
    @Outcome(id = {"1, 0, 0", "0, 1, 0"}, expect = ACCEPTABLE, desc = "Exactly one actor finished the task; the other was told \"called too many times\".")
    @Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "Both actors finished the same single task: the count went below zero.")
    @Outcome(id = "0, 0, .*", expect = FORBIDDEN, desc = "Both actors were refused although one task was unfinished.")
    @Outcome(expect = FORBIDDEN, desc = "The unfinished count is wrong afterwards.")
    @State
    public static class TwoCallsOneTask {
        final JoinableQueue<String> queue = JoinableQueue.unbounded();

        public TwoCallsOneTask() {
            queue.add("task");
            queue.poll();
        }

        @Actor
        public void actor1(JJJ_Result r) {
            r.r1 = tryTaskDone(queue);
        }

        @Actor
        public void actor2(JJJ_Result r) {
            r.r2 = tryTaskDone(queue);
        }

        @Arbiter
        public void arbiter(JJJ_Result r) {
            r.r3 = queue.unfinishedTasks();
        }
    }

    /*
      ----------------------------------------------------------------------------------------
        Two unfinished tasks, two racing taskDone() calls: both must succeed, none lost.
     */
    @JCStressTest
    @Description("Claim 5: two racing taskDone() calls on two unfinished tasks both succeed.")
    @Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "Both actors finished one task each; nothing is left unfinished.")
    @Outcome(expect = FORBIDDEN, desc = "A taskDone() was refused or lost although two tasks were unfinished.")
    @State
    public static class TwoCallsTwoTasks {
        final JoinableQueue<String> queue = JoinableQueue.unbounded();

        public TwoCallsTwoTasks() {
            queue.add("task 1");
            queue.add("task 2");
            queue.poll();
            queue.poll();
        }

        @Actor
        public void actor1(JJJ_Result r) {
            r.r1 = tryTaskDone(queue);
        }

        @Actor
        public void actor2(JJJ_Result r) {
            r.r2 = tryTaskDone(queue);
        }

        @Arbiter
        public void arbiter(JJJ_Result r) {
            r.r3 = queue.unfinishedTasks();
        }
    }

    /*
      ----------------------------------------------------------------------------------------
        An empty queue; actor1 adds one task while actor2 calls taskDone(). Result "actor2
        succeeded, unfinished tasks afterwards".
     */
    @JCStressTest
    @Description("Claim 5: taskDone() racing the insertion of the only task keeps the count exact.")
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "actor1's add() came first and actor2's taskDone() finished that task.")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "actor2's taskDone() came first and was refused; actor1's task is still unfinished.")
    @Outcome(id = "1, 1", expect = FORBIDDEN, desc = "taskDone() succeeded but the task is still counted: a task was created from nothing.")
    @Outcome(id = "0, 0", expect = FORBIDDEN, desc = "taskDone() was refused but the added task is gone: a task was lost.")
    @Outcome(expect = FORBIDDEN, desc = "The unfinished count is impossible.")
    @State
    public static class PutRacesTaskDone {
        final JoinableQueue<String> queue = JoinableQueue.unbounded();

        @Actor
        public void actor1() {
            queue.add("task");
        }

        @Actor
        public void actor2(JJ_Result r) {
            r.r1 = tryTaskDone(queue);
        }

        @Arbiter
        public void arbiter(JJ_Result r) {
            r.r2 = queue.unfinishedTasks();
        }
    }

    /** Returns 1 if {@code taskDone()} returned normally, 0 if it threw "too many times". */
    static long tryTaskDone(JoinableQueue<?> queue) {
        try {
            queue.taskDone();
            return 1;
        } catch (IllegalStateException tooManyTimes) {
            return 0;
        }
    }
}
