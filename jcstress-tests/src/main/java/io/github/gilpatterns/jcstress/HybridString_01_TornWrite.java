package io.github.gilpatterns.jcstress;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    Claim 2 (notebook "Way one: Threads": "An implementation of the python language is, itself, a
    multithreaded program"): thread one sets global_str = "abcdefg", thread two sets global_str =
    "hijklmnop", and "the interpreter must ensure that global_str is one value or the other and NOT
    a hybrid of the two" (the notebook shows the hybrid "abclmnop").

    In Java, as in CPython, one reference write cannot tear: a String field holds one string or
    the other (JLS 17.7). The hybrid appears as soon as a value is written in two parts, which
    is what a CPython string object would be without the GIL and what any Java object with two
    fields is: here a "string" of two fields, head and tail, written one after the other. Two
    unsynchronised two-part writes can leave the string half old, half new for good, and a
    reader can see half of a write in progress. A lock around both parts (or an owner thread,
    HybridString_02_Owned) makes each write all-or-nothing again.

    How to run this test:
       $ jcstress-tests/run.sh quick -t HybridString_01_TornWrite
       $ java -jar jcstress-tests/target/jcstress.jar -t HybridString_01_TornWrite[.SubTestName]

    Expected outcomes (the result is the string head + tail):
        RESULT        OneReference  TwoWriters, WriterReader     Locked*
        abcdefg       Acceptable    Acceptable                   Acceptable     one write, whole
        hijklmnop     Acceptable    Acceptable                   Acceptable     the other, whole
        abcklmnop     Forbidden     Acceptable, interesting      Forbidden      head old, tail new
        hijdefg       Forbidden     Acceptable, interesting      Forbidden      head new, tail old
        (other)       Forbidden     Forbidden                    Forbidden

    How often a run saw the hybrids: its jcstress-tests/results/<mode>/claims.md, claim 2.
 */
public class HybridString_01_TornWrite {

    static final String OLD_HEAD = "abc";
    static final String OLD_TAIL = "defg";
    static final String NEW_HEAD = "hij";
    static final String NEW_TAIL = "klmnop";

    /*
      ----------------------------------------------------------------------------------------
        Baseline: global_str is one reference. Two writers, the arbiter prints what is left.
        A reference write is atomic in Java, so no hybrid can exist.
     */
    @JCStressTest
    @Description("Claim 2, baseline: a single String reference write never tears.")
    @Outcome(id = "abcdefg", expect = ACCEPTABLE, desc = "actor1's whole string is left: actor2 wrote first.")
    @Outcome(id = "hijklmnop", expect = ACCEPTABLE, desc = "actor2's whole string is left: actor1 wrote first.")
    @Outcome(expect = FORBIDDEN, desc = "A hybrid or empty string: a single reference write tore.")
    @State
    public static class OneReference {
        String globalStr = "";

        @Actor
        public void actor1() {
            globalStr = OLD_HEAD + OLD_TAIL;
        }

        @Actor
        public void actor2() {
            globalStr = NEW_HEAD + NEW_TAIL;
        }

        @Arbiter
        public void arbiter(L_Result r) {
            r.r1 = globalStr;
        }
    }

    /*
      ----------------------------------------------------------------------------------------
        Broken: the notebook's two writers, but the string is written in two parts. If the
        writes interleave (actor1's head, actor2's head, actor2's tail, actor1's tail), the
        string left behind is a hybrid, and stays one.
     */
    @JCStressTest
    @Description("Claim 2, broken: two unlocked two-part writes can leave a hybrid string for good.")
    @Outcome(id = "abcdefg", expect = ACCEPTABLE, desc = "actor1's whole string is left: its two parts were both written last.")
    @Outcome(id = "hijklmnop", expect = ACCEPTABLE, desc = "actor2's whole string is left: its two parts were both written last.")
    @Outcome(id = "hijdefg", expect = ACCEPTABLE_INTERESTING, desc = "Hybrid: actor2's head, actor1's tail. The writes interleaved and the string is torn for good.")
    @Outcome(id = "abcklmnop", expect = ACCEPTABLE_INTERESTING, desc = "Hybrid: actor1's head, actor2's tail. The writes interleaved and the string is torn for good.")
    @Outcome(expect = FORBIDDEN, desc = "Some part was never written: not a possible interleaving.")
    @State
    public static class TwoWriters {
        String head = "";
        String tail = "";

        @Actor
        public void actor1() {
            head = OLD_HEAD;
            tail = OLD_TAIL;
        }

        @Actor
        public void actor2() {
            head = NEW_HEAD;
            tail = NEW_TAIL;
        }

        @Arbiter
        public void arbiter(L_Result r) {
            r.r1 = head + tail;
        }
    }

    /*
      ----------------------------------------------------------------------------------------
        Broken: one writer replaces "abcdefg" with "hijklmnop" in two parts while a reader
        prints the string. The reader can see a write half done; with plain fields it can even
        see the second part without the first (the compiler and the CPU may reorder them).
     */
    @JCStressTest
    @Description("Claim 2, broken: a reader can see an unlocked two-part write half done.")
    @Outcome(id = "abcdefg", expect = ACCEPTABLE, desc = "actor2 read before actor1 wrote anything it could see.")
    @Outcome(id = "hijklmnop", expect = ACCEPTABLE, desc = "actor2 read after actor1's whole write.")
    @Outcome(id = "abcklmnop", expect = ACCEPTABLE_INTERESTING, desc = "Hybrid: actor2 saw the new tail with the old head, a write half done (or reordered).")
    @Outcome(id = "hijdefg", expect = ACCEPTABLE_INTERESTING, desc = "Hybrid: actor2 saw the new head with the old tail, a write half done.")
    @Outcome(expect = FORBIDDEN, desc = "A part that was never written: not a possible execution.")
    @State
    public static class WriterReader {
        String head = OLD_HEAD;
        String tail = OLD_TAIL;

        @Actor
        public void actor1() {
            head = NEW_HEAD;
            tail = NEW_TAIL;
        }

        @Actor
        public void actor2(L_Result r) {
            String h = head;
            String t = tail;
            r.r1 = h + t;
        }
    }

    /*
      ----------------------------------------------------------------------------------------
        Fixed with a lock ("with my_lock:" around both parts): the two writes are one step for
        every other thread that takes the lock, so only whole strings are ever left behind.
     */
    @JCStressTest
    @Description("Claim 2, fixed with a lock: two-part writes never interleave.")
    @Outcome(id = "abcdefg", expect = ACCEPTABLE, desc = "actor1's whole string is left: it took the lock last.")
    @Outcome(id = "hijklmnop", expect = ACCEPTABLE, desc = "actor2's whole string is left: it took the lock last.")
    @Outcome(expect = FORBIDDEN, desc = "A hybrid: the two-part writes interleaved in spite of the lock.")
    @State
    public static class LockedTwoWriters {
        String head = "";
        String tail = "";

        @Actor
        public void actor1() {
            synchronized (this) {
                head = OLD_HEAD;
                tail = OLD_TAIL;
            }
        }

        @Actor
        public void actor2() {
            synchronized (this) {
                head = NEW_HEAD;
                tail = NEW_TAIL;
            }
        }

        @Arbiter
        public void arbiter(L_Result r) {
            synchronized (this) {
                r.r1 = head + tail;
            }
        }
    }

    /*
      ----------------------------------------------------------------------------------------
        Fixed with a lock on both sides: the reader takes the same lock, so it sees the string
        before the write or after it, never in between.
     */
    @JCStressTest
    @Description("Claim 2, fixed with a lock: a reader never sees half a write.")
    @Outcome(id = "abcdefg", expect = ACCEPTABLE, desc = "actor2 took the lock first and read the old string.")
    @Outcome(id = "hijklmnop", expect = ACCEPTABLE, desc = "actor1 took the lock first; actor2 read the new string.")
    @Outcome(expect = FORBIDDEN, desc = "A hybrid: actor2 saw half of a write made under the lock.")
    @State
    public static class LockedWriterReader {
        String head = OLD_HEAD;
        String tail = OLD_TAIL;

        @Actor
        public void actor1() {
            synchronized (this) {
                head = NEW_HEAD;
                tail = NEW_TAIL;
            }
        }

        @Actor
        public void actor2(L_Result r) {
            String h;
            String t;
            synchronized (this) {
                h = head;
                t = tail;
            }
            r.r1 = h + t;
        }
    }
}
