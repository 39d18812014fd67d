package io.github.gilpatterns.jcstress;

import io.github.gilpatterns.queue.JoinableQueue;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    Claim 5a (Raymond Hettinger's rule 3: "To wait for thread(s), join() the thread or the Queue to
    signal no work is left"): when JoinableQueue.join() returns, every task that was reported done
    with taskDone() is finished, and everything its worker wrote before taskDone() is visible to the
    joiner. join() never returns while a task is still unfinished.

    Setup: the queue holds two tasks, 1 and 2. Each actor is a worker and then a joiner: it
    takes one task (with remove(): both are queued already, so nothing needs to wait), records
    it in its own plain (non-volatile) field, calls taskDone(), then join()s the queue and
    reads the other actor's field. Each actor's join() can only return
    once the other actor has called taskDone(), so it must see the other actor's write.
    Result "what actor1 saw of actor2's task, what actor2 saw of actor1's task".

    How to run this test:
       $ jcstress-tests/run.sh quick -t JoinableQueue_01_JoinSeesTaskWrites
       $ java -jar jcstress-tests/target/jcstress.jar -t JoinableQueue_01_JoinSeesTaskWrites[.SubTestName]

    Expected outcomes:
        RESULT   NoJoin                    Join
        2, 1     Acceptable                Acceptable   actor1 took task 1, actor2 task 2, both saw the other's
        1, 2     Acceptable                Acceptable   actor1 took task 2, actor2 task 1, both saw the other's
        0, *     Acceptable, interesting   Forbidden    actor1 looked before actor2's task was done/visible
        *, 0     Acceptable, interesting   Forbidden    actor2 looked before actor1's task was done/visible
        (other)  Forbidden                 Forbidden    e.g. "1, 1": both took the same task
 */
public class JoinableQueue_01_JoinSeesTaskWrites {

    /*
      ----------------------------------------------------------------------------------------
        Broken: no join. After its own taskDone() each actor reads the other's result at once;
        the other worker may not have finished (or its write may not be visible yet).
     */
    @JCStressTest
    @Description("Claim 5, broken: without join() a worker's result may not be there yet.")
    @Outcome(id = {"2, 1", "1, 2"}, expect = ACCEPTABLE, desc = "Each actor saw the task the other one took: the other had already finished.")
    @Outcome(id = {"0, [12]", "[12], 0", "0, 0"}, expect = ACCEPTABLE_INTERESTING, desc = "An actor read the other's result before it was there: without join() nothing waits for the other worker.")
    @Outcome(expect = FORBIDDEN, desc = "Both actors took the same task, or a task that was never queued.")
    @State
    public static class NoJoin {
        final JoinableQueue<Integer> queue = JoinableQueue.unbounded();
        int doneByActor1;
        int doneByActor2;

        public NoJoin() {
            queue.add(1);
            queue.add(2);
        }

        @Actor
        public void actor1(II_Result r) {
            doneByActor1 = queue.remove();
            queue.taskDone();
            r.r1 = doneByActor2;
        }

        @Actor
        public void actor2(II_Result r) {
            doneByActor2 = queue.remove();
            queue.taskDone();
            r.r2 = doneByActor1;
        }
    }

    /*
      ----------------------------------------------------------------------------------------
        Fixed: join() the queue before reading. It returns only when both tasks are done, and
        the other worker's write before its taskDone() happens-before the return.
     */
    @JCStressTest
    @Description("Claim 5: JoinableQueue.join() returns only after every taskDone(), with the tasks' writes visible.")
    @Outcome(id = {"2, 1", "1, 2"}, expect = ACCEPTABLE, desc = "Each actor's join() returned after the other's taskDone() and saw the task it took.")
    @Outcome(id = {"0, [12]", "[12], 0", "0, 0"}, expect = FORBIDDEN, desc = "join() returned before the other task was done, or without making its write visible.")
    @Outcome(expect = FORBIDDEN, desc = "Both actors took the same task, or a task that was never queued.")
    @State
    public static class Join {
        final JoinableQueue<Integer> queue = JoinableQueue.unbounded();
        int doneByActor1;
        int doneByActor2;

        public Join() {
            queue.add(1);
            queue.add(2);
        }

        @Actor
        public void actor1(II_Result r) {
            doneByActor1 = queue.remove();
            queue.taskDone();
            Blocking.join(queue);
            r.r1 = doneByActor2;
        }

        @Actor
        public void actor2(II_Result r) {
            doneByActor2 = queue.remove();
            queue.taskDone();
            Blocking.join(queue);
            r.r2 = doneByActor1;
        }
    }
}
