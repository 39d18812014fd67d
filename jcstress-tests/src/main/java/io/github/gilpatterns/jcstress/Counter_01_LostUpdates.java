package io.github.gilpatterns.jcstress;

import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    Claim 1 (notebook "Way one: Threads": "Threads are easy, threading is its usual self"): two
    threads that each do counter++ on a shared counter can lose an update. counter++ is three steps,
    read, add, write; when both threads read before either writes, both write the same value and one
    increment is gone for good. Making the field volatile does not help (each step is still
    separate); a lock or an atomic read-modify-write does.

    The owner-based counters (Owner.tell, CounterManager) are in Counter_02_Owned.

    How to run this test:
       $ jcstress-tests/run.sh quick -t Counter_01_LostUpdates
       $ java -jar jcstress-tests/target/jcstress.jar -t Counter_01_LostUpdates[.SubTestName]

    Each actor increments once and records the value it wrote; the arbiter, which runs after
    both actors, records the final count. Result "r1, r2, final".

    Expected outcomes:
        RESULT     Plain, Volatile              Synchronized, Atomic
        1, 2, 2    Acceptable                   Acceptable    actor1 incremented first, then actor2
        2, 1, 2    Acceptable                   Acceptable    actor2 incremented first, then actor1
        1, 1, 1    Acceptable, interesting      Forbidden     both read 0: one update is lost
        (other)    Forbidden                    Forbidden

    How often a run saw the lost update (it varies with the machine, its load and the JIT):
    its jcstress-tests/results/<mode>/claims.md, claim 1.
 */
public class Counter_01_LostUpdates {

    /*
      ----------------------------------------------------------------------------------------
        Broken: a plain long, counter++ from two threads.
     */
    @JCStressTest
    @Description("Claim 1, broken: counter++ on a plain long from two threads loses updates.")
    @Outcome(id = "1, 2, 2", expect = ACCEPTABLE, desc = "actor1 incremented first, then actor2: no update lost.")
    @Outcome(id = "2, 1, 2", expect = ACCEPTABLE, desc = "actor2 incremented first, then actor1: no update lost.")
    @Outcome(id = "1, 1, 1", expect = ACCEPTABLE_INTERESTING, desc = "Both actors read 0 and wrote 1: one increment is lost for good.")
    @Outcome(expect = FORBIDDEN, desc = "Any other result: the counter invented or dropped a value.")
    @State
    public static class Plain {
        long counter;

        @Actor
        public void actor1(JJJ_Result r) {
            r.r1 = ++counter;
        }

        @Actor
        public void actor2(JJJ_Result r) {
            r.r2 = ++counter;
        }

        @Arbiter
        public void arbiter(JJJ_Result r) {
            r.r3 = counter;
        }
    }

    /*
      ----------------------------------------------------------------------------------------
        Still broken: volatile makes each read and each write visible at once, but ++ is still
        a read followed by a separate write, and both actors can read the same value.
     */
    @JCStressTest
    @Description("Claim 1, still broken: volatile does not make counter++ atomic.")
    @Outcome(id = "1, 2, 2", expect = ACCEPTABLE, desc = "actor1 incremented first, then actor2: no update lost.")
    @Outcome(id = "2, 1, 2", expect = ACCEPTABLE, desc = "actor2 incremented first, then actor1: no update lost.")
    @Outcome(id = "1, 1, 1", expect = ACCEPTABLE_INTERESTING, desc = "Both actors read 0 and wrote 1: volatile does not make ++ atomic, one increment is lost.")
    @Outcome(expect = FORBIDDEN, desc = "Any other result: the counter invented or dropped a value.")
    @State
    public static class Volatile {
        volatile long counter;

        @Actor
        public void actor1(JJJ_Result r) {
            r.r1 = ++counter;
        }

        @Actor
        public void actor2(JJJ_Result r) {
            r.r2 = ++counter;
        }

        @Arbiter
        public void arbiter(JJJ_Result r) {
            r.r3 = counter;
        }
    }

    /*
      ----------------------------------------------------------------------------------------
        Fixed with a lock (Python's "with my_lock:"): the read and the write happen while the
        other actor cannot run its own increment.
     */
    @JCStressTest
    @Description("Claim 1, fixed with a lock: no update is lost.")
    @Outcome(id = "1, 2, 2", expect = ACCEPTABLE, desc = "actor1 took the lock first, then actor2.")
    @Outcome(id = "2, 1, 2", expect = ACCEPTABLE, desc = "actor2 took the lock first, then actor1.")
    @Outcome(id = "1, 1, 1", expect = FORBIDDEN, desc = "Both actors read 0 inside the lock: the lock failed to exclude.")
    @Outcome(expect = FORBIDDEN, desc = "Any other result: the counter invented or dropped a value.")
    @State
    public static class Synchronized {
        long counter;

        @Actor
        public void actor1(JJJ_Result r) {
            synchronized (this) {
                r.r1 = ++counter;
            }
        }

        @Actor
        public void actor2(JJJ_Result r) {
            synchronized (this) {
                r.r2 = ++counter;
            }
        }

        @Arbiter
        public void arbiter(JJJ_Result r) {
            r.r3 = counter;
        }
    }

    /*
      ----------------------------------------------------------------------------------------
        Fixed with one atomic read-modify-write instruction (AtomicLong.incrementAndGet).
     */
    @JCStressTest
    @Description("Claim 1, fixed with AtomicLong.incrementAndGet(): no update is lost.")
    @Outcome(id = "1, 2, 2", expect = ACCEPTABLE, desc = "actor1's atomic increment came first, then actor2's.")
    @Outcome(id = "2, 1, 2", expect = ACCEPTABLE, desc = "actor2's atomic increment came first, then actor1's.")
    @Outcome(id = "1, 1, 1", expect = FORBIDDEN, desc = "Both atomic increments returned 1: an atomic update was lost.")
    @Outcome(expect = FORBIDDEN, desc = "Any other result: the counter invented or dropped a value.")
    @State
    public static class Atomic {
        final AtomicLong counter = new AtomicLong();

        @Actor
        public void actor1(JJJ_Result r) {
            r.r1 = counter.incrementAndGet();
        }

        @Actor
        public void actor2(JJJ_Result r) {
            r.r2 = counter.incrementAndGet();
        }

        @Arbiter
        public void arbiter(JJJ_Result r) {
            r.r3 = counter.get();
        }
    }
}
