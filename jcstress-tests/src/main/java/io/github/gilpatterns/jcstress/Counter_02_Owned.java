package io.github.gilpatterns.jcstress;

import static io.github.gilpatterns.jcstress.SharedOwner.OWNER;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJ_Result;
import org.openjdk.jcstress.infra.results.J_Result;

/*
    Claim 1, fixed Hettinger's way (Raymond Hettinger's worked example of threading): "Access global
    state from ONE thread only; communicate to that ONE thread from other threads using a Queue; to
    wait, join() the Queue." Counter_01_LostUpdates.Plain loses increments; here the same two
    increments are sent as messages to the thread that owns the counter, which runs them one after
    the other, so none is ever lost, and the counter needs no lock, volatile or atomic.

    Owner: the owner is one long-lived io.github.gilpatterns.owner.Owner shared by all samples
    (SharedOwner explains why and why that is honest); each sample's counter is a plain field
    that only messages touch. The arbiter join()s the owner, which waits until both messages
    have run and makes their writes visible, then reads the counter on its own thread.

    CounterManager: the pattern class itself (io.github.gilpatterns.patterns.CounterManager),
    which owns its own thread, so this test starts and closes one per sample: a whole life
    cycle (start, increment from two threads, join, count, close) each time. Thread starts make
    it collect far fewer samples than the Owner test, which exercises the same mechanism
    millions of times.

    How to run this test:
       $ jcstress-tests/run.sh quick -t Counter_02_Owned
       $ java -jar jcstress-tests/target/jcstress.jar -t Counter_02_Owned[.SubTestName]

    Result "value actor1's increment produced, value actor2's produced, final count", as in
    Counter_01_LostUpdates:
        RESULT     Owner
        1, 2, 2    Acceptable   actor1's message ran first, then actor2's
        2, 1, 2    Acceptable   actor2's message ran first, then actor1's
        1, 1, 1    Forbidden    both messages read 0: the owner ran them at the same time
        (other)    Forbidden    e.g. 0s: join() returned before the messages ran or were visible

    Result "count after join()" for CounterManager: 2 Acceptable; 1 or 0 Forbidden.
 */
public class Counter_02_Owned {

    /** A sample's counter: plain fields, touched only on the owner thread. */
    static final class Counter {
        long count;
        long producedByActor1;
        long producedByActor2;
    }

    /*
      ----------------------------------------------------------------------------------------
        Fixed: owner.tell(c -> c.count++) from both actors; owner.join() before reading.
     */
    @JCStressTest
    @Description("Claim 1, fixed Hettinger's way: increments sent to an Owner thread are never lost.")
    @Outcome(id = "1, 2, 2", expect = ACCEPTABLE, desc = "The owner ran actor1's increment, then actor2's: none lost.")
    @Outcome(id = "2, 1, 2", expect = ACCEPTABLE, desc = "The owner ran actor2's increment, then actor1's: none lost.")
    @Outcome(id = "1, 1, 1", expect = FORBIDDEN, desc = "Both increments read 0: the owner ran two messages at once and lost one.")
    @Outcome(expect = FORBIDDEN, desc = "join() returned before both messages had run, or without making their writes visible.")
    @State
    public static class Owner {
        final Counter counter = new Counter();

        @Actor
        public void actor1() {
            OWNER.tell(ignored -> counter.producedByActor1 = ++counter.count);
        }

        @Actor
        public void actor2() {
            OWNER.tell(ignored -> counter.producedByActor2 = ++counter.count);
        }

        @Arbiter
        public void arbiter(JJJ_Result r) {
            Blocking.join(OWNER);
            r.r1 = counter.producedByActor1;
            r.r2 = counter.producedByActor2;
            r.r3 = counter.count;
        }
    }

    /*
      ----------------------------------------------------------------------------------------
        Fixed with the pattern class: CounterManager.increment(1) from both actors; the arbiter
        join()s, reads count() and closes the counter manager (one per sample).
     */
    @JCStressTest
    @Description("Claim 1, fixed with CounterManager: increments from two threads are never lost.")
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "The counter manager applied both increments.")
    @Outcome(id = "1", expect = FORBIDDEN, desc = "One increment was lost.")
    @Outcome(expect = FORBIDDEN, desc = "join() or count() returned before both increments were applied, or the count is invented.")
    @State
    public static class CounterManager {
        final io.github.gilpatterns.patterns.CounterManager counter =
                io.github.gilpatterns.patterns.CounterManager.start("jcstress-counter-manager");

        @Actor
        public void actor1() {
            counter.increment(1);
        }

        @Actor
        public void actor2() {
            counter.increment(1);
        }

        @Arbiter
        public void arbiter(J_Result r) {
            try {
                Blocking.call(counter::join);
                Blocking.call(() -> r.r1 = counter.count());
            } finally {
                counter.close();
            }
        }
    }
}
