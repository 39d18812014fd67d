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
import org.openjdk.jcstress.infra.results.L_Result;

/*
    Claim 2, fixed Hettinger's way: the two-part string of HybridString_01_TornWrite belongs to one
    owner thread; writers send the whole two-part write as one message and readers ask for the
    string. Messages run one at a time on the owner thread, so no write can be seen half done and no
    two writes can interleave: without any lock in the writers or readers.

    The owner is shared by all samples (see SharedOwner); head and tail are plain fields of
    the sample that only messages touch.

    How to run this test:
       $ jcstress-tests/run.sh quick -t HybridString_02_Owned
       $ java -jar jcstress-tests/target/jcstress.jar -t HybridString_02_Owned[.SubTestName]

    Expected outcomes (head + tail):
        abcdefg, hijklmnop     Acceptable   a whole string
        abcklmnop, hijdefg     Forbidden    a hybrid
 */
public class HybridString_02_Owned {

    /*
      ----------------------------------------------------------------------------------------
        The notebook's two writers, through the owner; the arbiter joins and asks.
     */
    @JCStressTest
    @Description("Claim 2, fixed with an Owner: two-part writes sent as messages never interleave.")
    @Outcome(id = "abcdefg", expect = ACCEPTABLE, desc = "actor1's whole string is left: the owner ran its message last.")
    @Outcome(id = "hijklmnop", expect = ACCEPTABLE, desc = "actor2's whole string is left: the owner ran its message last.")
    @Outcome(expect = FORBIDDEN, desc = "A hybrid: the owner interleaved two messages, or join() did not wait for them.")
    @State
    public static class TwoWriters {
        String head = "";
        String tail = "";

        @Actor
        public void actor1() {
            OWNER.tell(ignored -> {
                head = HybridString_01_TornWrite.OLD_HEAD;
                tail = HybridString_01_TornWrite.OLD_TAIL;
            });
        }

        @Actor
        public void actor2() {
            OWNER.tell(ignored -> {
                head = HybridString_01_TornWrite.NEW_HEAD;
                tail = HybridString_01_TornWrite.NEW_TAIL;
            });
        }

        @Arbiter
        public void arbiter(L_Result r) {
            Blocking.join(OWNER);
            r.r1 = head + tail;
        }
    }

    /*
      ----------------------------------------------------------------------------------------
        One writer, one reader: the reader asks the owner for the string.
     */
    @JCStressTest
    @Description("Claim 2, fixed with an Owner: ask() never returns half a write.")
    @Outcome(id = "abcdefg", expect = ACCEPTABLE, desc = "actor2's query ran before actor1's write.")
    @Outcome(id = "hijklmnop", expect = ACCEPTABLE, desc = "actor2's query ran after actor1's write.")
    @Outcome(expect = FORBIDDEN, desc = "A hybrid: actor2's query saw half of actor1's write.")
    @State
    public static class WriterReader {
        String head = HybridString_01_TornWrite.OLD_HEAD;
        String tail = HybridString_01_TornWrite.OLD_TAIL;

        @Actor
        public void actor1() {
            OWNER.tell(ignored -> {
                head = HybridString_01_TornWrite.NEW_HEAD;
                tail = HybridString_01_TornWrite.NEW_TAIL;
            });
        }

        @Actor
        public void actor2(L_Result r) {
            r.r1 = Blocking.get(OWNER.ask(ignored -> head + tail));
        }
    }
}
