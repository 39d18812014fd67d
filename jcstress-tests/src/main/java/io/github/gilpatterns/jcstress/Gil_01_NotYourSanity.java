package io.github.gilpatterns.jcstress;

import io.github.gilpatterns.gil.Gil;
import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LL_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    Claim 3 (the Stack Overflow question "Python threads all executing on a single core"): "The GIL
    prevents simultaneous access to Python objects by multiple threads. But this does not save you
    (as illustrated by the Bank example) from being a lock-sensitive creature; you don't get a free
    ride. The GIL is there to protect the interpreter's memory, not your sanity."

    The emulated GIL (io.github.gilpatterns.gil.Gil) gives mutual exclusion between
    checkpoints: a thread that holds it runs alone until it reaches Gil.checkpoint() while
    another thread has asked for the GIL, and only there can the GIL change hands. So whether
    counter += 1 is safe depends only on where the checkpoints fall:
      - BetweenCheckpoints: the checkpoint sits between whole increments (a loop back-edge,
        where CPython 3.10+ checks its eval breaker): no increment is ever lost, even though
        the GIL changes hands many times per sample.
      - CheckpointInsideRMW: the checkpoint sits between the read and the write (in CPython,
        the eval breaker checked between LOAD and STORE, or a call inside the expression):
        when the GIL changes hands there, the other thread's increments are overwritten.
      - FreeThreaded, FreeThreadedInsideRMW: Gil.freeThreaded() (python3.13t, PEP 703) has the
        same API and no lock; both threads run at once and increments are lost wherever the
        checkpoints are.

    Each actor holds the GIL and runs INCREMENTS iterations of the loop, as two CPython threads
    each running "for _ in range(n): counter += 1". The arbiter reports whether the GIL changed
    hands in the middle of the work (a forced drop at a checkpoint, from Gil.stats()) and how
    many increments were lost (2 * INCREMENTS - counter). The switch interval is 1 microsecond
    instead of CPython's 5 ms so that switches happen within a sample (a timed park of 1 us
    lasts some 50 us on Linux, so a holder must run longer than that to be asked to drop);
    the algorithm is the same (ceval_gil.c), only the clock is faster. Both actors pass a
    StartGate first: jcstress does not line up long-running actors on the same state.

    How to run this test:
       $ jcstress-tests/run.sh quick -t Gil_01_NotYourSanity
       $ java -jar jcstress-tests/target/jcstress.jar -t Gil_01_NotYourSanity[.SubTestName]

    Expected outcomes ("switched" = the GIL changed hands at a checkpoint mid-work):
        RESULT                   BetweenCheckpoints   CheckpointInsideRMW       FreeThreaded*
        no switch, none lost     Acceptable           Acceptable                Acceptable
        switched, none lost      Acceptable           Acceptable                (cannot switch)
        switched, N lost         Forbidden            Acceptable, interesting   (cannot switch)
        no switch, N lost        Forbidden            Forbidden                 Acceptable, interesting
 */
public class Gil_01_NotYourSanity {

    /** Increments per actor per sample. */
    static final int INCREMENTS = 300_000;

    /** The switch interval of the test GILs: short, so that the GIL changes hands within a sample. */
    static final Duration SWITCH_INTERVAL = Duration.ofNanos(1_000);

    static Gil newGil() {
        return Gil.builder().switchInterval(SWITCH_INTERVAL).build();
    }

    /** "none lost", "1-9 lost", "10-99 lost" or "100 or more lost". */
    static String lost(long counter) {
        long lost = 2L * INCREMENTS - counter;
        if (lost == 0) {
            return "none lost";
        } else if (lost < 0) {
            return "counted " + (-lost) + " too many";
        } else if (lost < 10) {
            return "1-9 lost";
        } else if (lost < 100) {
            return "10-99 lost";
        } else {
            return "100 or more lost";
        }
    }

    static String switched(Gil gil) {
        return gil.stats().forcedDrops() > 0 ? "switched" : "no switch";
    }

    static void acquire(Gil gil) {
        Blocking.call(gil::acquire);
    }

    /*
      ----------------------------------------------------------------------------------------
        Safe: the checkpoint is at the loop back-edge, between whole increments.
     */
    @JCStressTest
    @Description("Claim 3: under the GIL, with checkpoints only between whole increments, no increment is lost.")
    @Outcome(id = "no switch, none lost", expect = ACCEPTABLE, desc = "One actor ran all its increments before the other got the GIL.")
    @Outcome(id = "switched, none lost", expect = ACCEPTABLE, desc = "The GIL changed hands at checkpoints mid-work, always between whole increments: nothing lost.")
    @Outcome(id = "switched, .* lost", expect = FORBIDDEN, desc = "Increments lost although the GIL only changed hands between them: no mutual exclusion.")
    @Outcome(expect = FORBIDDEN, desc = "Increments lost or invented without any switch: the GIL let both actors run at once.")
    @State
    public static class BetweenCheckpoints {
        final Gil gil = newGil();
        final StartGate gate = new StartGate();
        long counter;

        void work() {
            gate.arriveAndAwait();
            acquire(gil);
            try {
                for (int i = 0; i < INCREMENTS; i++) {
                    Gil.checkpoint();
                    counter++;
                }
            } finally {
                gil.release();
            }
        }

        @Actor
        public void actor1() {
            work();
        }

        @Actor
        public void actor2() {
            work();
        }

        @Arbiter
        public void arbiter(LL_Result r) {
            r.r1 = switched(gil);
            r.r2 = lost(counter);
        }
    }

    /*
      ----------------------------------------------------------------------------------------
        Broken: the checkpoint falls between the read and the write of counter += 1.
     */
    @JCStressTest
    @Description("Claim 3, broken: a GIL checkpoint between the read and the write of counter += 1 loses updates.")
    @Outcome(id = "no switch, none lost", expect = ACCEPTABLE, desc = "One actor ran all its increments before the other got the GIL.")
    @Outcome(id = "switched, none lost", expect = ACCEPTABLE, desc = "The GIL changed hands mid-work, but never between a read and its write.")
    @Outcome(id = "switched, (1-9|10-99|100 or more) lost", expect = ACCEPTABLE_INTERESTING, desc = "The GIL changed hands between a read and its write: the other actor's increments were overwritten. The GIL protects the interpreter, not your counter.")
    @Outcome(expect = FORBIDDEN, desc = "Increments lost or invented without any switch: the GIL let both actors run at once.")
    @State
    public static class CheckpointInsideRMW {
        final Gil gil = newGil();
        final StartGate gate = new StartGate();
        long counter;

        void work() {
            gate.arriveAndAwait();
            acquire(gil);
            try {
                for (int i = 0; i < INCREMENTS; i++) {
                    long v = counter;
                    Gil.checkpoint();
                    counter = v + 1;
                }
            } finally {
                gil.release();
            }
        }

        @Actor
        public void actor1() {
            work();
        }

        @Actor
        public void actor2() {
            work();
        }

        @Arbiter
        public void arbiter(LL_Result r) {
            r.r1 = switched(gil);
            r.r2 = lost(counter);
        }
    }

    /*
      ----------------------------------------------------------------------------------------
        Broken without any GIL: free-threaded, checkpoints between whole increments (the
        same loop as BetweenCheckpoints). Both actors run at once.
     */
    @JCStressTest
    @Description("Claim 3, broken: free-threaded (no GIL), counter += 1 from two threads loses updates.")
    @Outcome(id = "no switch, none lost", expect = ACCEPTABLE, desc = "The actors did not overlap (or were lucky): nothing lost.")
    @Outcome(id = "no switch, (1-9|10-99|100 or more) lost", expect = ACCEPTABLE_INTERESTING, desc = "Both actors incremented at once and overwrote each other: free-threaded counter += 1 loses updates.")
    @Outcome(expect = FORBIDDEN, desc = "A free-threaded Gil switched, or increments were invented.")
    @State
    public static class FreeThreaded {
        final Gil gil = Gil.freeThreaded();
        final StartGate gate = new StartGate();
        long counter;

        void work() {
            gate.arriveAndAwait();
            acquire(gil);
            try {
                for (int i = 0; i < INCREMENTS; i++) {
                    Gil.checkpoint();
                    counter++;
                }
            } finally {
                gil.release();
            }
        }

        @Actor
        public void actor1() {
            work();
        }

        @Actor
        public void actor2() {
            work();
        }

        @Arbiter
        public void arbiter(LL_Result r) {
            r.r1 = switched(gil);
            r.r2 = lost(counter);
        }
    }
}
