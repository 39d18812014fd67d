package io.github.gilpatterns.jcstress;

import io.github.gilpatterns.queue.JoinableQueue;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    Claim 5c: a join() never hangs once the unfinished count reaches zero. The last taskDone()
    may come at any moment relative to the joiner: before it calls join(), while it is checking
    the count, or while it sleeps; in every case join() must return. A lost wake-up here is the
    classic "worker finished, main thread waits forever" bug.

    JoinableQueue's join() and taskDone() meet through a Dekker-style handshake (the joiner
    announces itself, then re-reads the count; taskDone() updates the count, then looks for
    joiners), so this is worth testing rather than trusting.

    Mode.Termination: jcstress starts the actor, which joins a queue with one unfinished task,
    then sends the signal, which calls taskDone(). TERMINATED means join() returned; STALE
    means it was still blocked long after the signal.

    How to run this test:
       $ jcstress-tests/run.sh quick -t JoinableQueue_03_JoinTerminates
       $ java -jar jcstress-tests/target/jcstress.jar -t JoinableQueue_03_JoinTerminates[.SubTestName]

    Expected outcomes:
        RESULT       NotifyWithoutCount         Join
        TERMINATED   Acceptable                 Acceptable   the joiner woke up and returned
        STALE        Acceptable, interesting    Forbidden    the joiner missed the wake-up and hangs

    The broken version is the hand-written join people write first: wait() for a notify()
    without re-checking a count. If the notify comes before the wait (the worker was faster),
    the waiter sleeps forever. In a quick run it hangs on the first sample that loses the race
    and jcstress ends that JVM ("Have stale threads, forcing VM to exit"), so it shows only a
    handful of samples.
 */
public class JoinableQueue_03_JoinTerminates {

    /*
      ----------------------------------------------------------------------------------------
        Broken: a hand-written "join" that waits for one notify() and keeps no count.
     */
    @JCStressTest(Mode.Termination)
    @Description("Claim 5, broken: a join that waits for a notify without a count can miss the wake-up.")
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "The notify came while actor1 was waiting: it woke up.")
    @Outcome(id = "STALE", expect = ACCEPTABLE_INTERESTING, desc = "The notify came before actor1 waited: the wake-up is lost and actor1 hangs.")
    @State
    public static class NotifyWithoutCount {

        @Actor
        public void actor1() throws InterruptedException {
            synchronized (this) {
                wait();
            }
        }

        @Signal
        public void signal() {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /*
      ----------------------------------------------------------------------------------------
        Fixed: JoinableQueue.join() against the taskDone() of its last unfinished task.
     */
    @JCStressTest(Mode.Termination)
    @Description("Claim 5: JoinableQueue.join() always wakes when the last taskDone() comes.")
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "taskDone() brought the count to zero and actor1's join() returned.")
    @Outcome(id = "STALE", expect = FORBIDDEN, desc = "The count is zero but actor1's join() is still blocked: a lost wake-up.")
    @State
    public static class Join {
        final JoinableQueue<String> queue = JoinableQueue.unbounded();

        public Join() {
            queue.add("task");
            queue.poll();
        }

        @Actor
        public void actor1() throws InterruptedException {
            queue.join();
        }

        @Signal
        public void signal() {
            queue.taskDone();
        }
    }

    /*
      ----------------------------------------------------------------------------------------
        Fixed, two tasks: join() must wait through the first taskDone() (the count is still
        one) and return after the second. Both come from the signal, back to back.
     */
    @JCStressTest(Mode.Termination)
    @Description("Claim 5: JoinableQueue.join() waits through the first of two taskDone() calls and wakes at the second.")
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "Both tasks were done and actor1's join() returned.")
    @Outcome(id = "STALE", expect = FORBIDDEN, desc = "The count is zero but actor1's join() is still blocked: a lost wake-up.")
    @State
    public static class JoinTwoTasks {
        final JoinableQueue<String> queue = JoinableQueue.unbounded();

        public JoinTwoTasks() {
            queue.add("task 1");
            queue.add("task 2");
        }

        @Actor
        public void actor1() throws InterruptedException {
            queue.join();
        }

        @Signal
        public void signal() {
            queue.taskDone();
            queue.taskDone();
        }
    }
}
