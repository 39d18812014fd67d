package io.github.gilpatterns.jcstress;

import static io.github.gilpatterns.jcstress.SharedOwner.OWNER;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/*
    Claim 5d: Owner.join() waits until every message sent before the call has run, and what
    those messages wrote is visible after it returns (Owner's memory consistency effects);
    ask() likewise: a query sent after a tell runs after it and its result shows the tell's
    writes.

    Each actor sends a message that writes a plain field of the sample (on the owner thread),
    then reads that field back on its own thread: at once (broken), after join(), or through
    ask(). Both actors do this at the same time, on the shared owner (see SharedOwner), so
    each join() also has the other actor's message, and other samples', to wait for.

    How to run this test:
       $ jcstress-tests/run.sh quick -t Owner_01_JoinSeesMessageWrites
       $ java -jar jcstress-tests/target/jcstress.jar -t Owner_01_JoinSeesMessageWrites[.SubTestName]

    Result "what actor1 read of its message's write, what actor2 read of its message's write":
        RESULT   NoJoin                    Join, Ask
        1, 2     Acceptable                Acceptable   both messages had run and were visible
        0, *     Acceptable, interesting   Forbidden    actor1 read before its message ran
        *, 0     Acceptable, interesting   Forbidden    actor2 read before its message ran
 */
public class Owner_01_JoinSeesMessageWrites {

    /*
      ----------------------------------------------------------------------------------------
        Broken: tell() returns as soon as the message is in the mailbox; reading at once may
        come before the owner has run it.
     */
    @JCStressTest
    @Description("Claim 5, broken: tell() does not wait, so reading at once may miss the message's write.")
    @Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "The owner had already run both messages when the actors read.")
    @Outcome(id = {"0, 2", "1, 0", "0, 0"}, expect = ACCEPTABLE_INTERESTING, desc = "An actor read before the owner ran its message: tell() does not wait.")
    @Outcome(expect = FORBIDDEN, desc = "A value no message wrote.")
    @State
    public static class NoJoin {
        int writtenForActor1;
        int writtenForActor2;

        @Actor
        public void actor1(II_Result r) {
            OWNER.tell(ignored -> writtenForActor1 = 1);
            r.r1 = writtenForActor1;
        }

        @Actor
        public void actor2(II_Result r) {
            OWNER.tell(ignored -> writtenForActor2 = 2);
            r.r2 = writtenForActor2;
        }
    }

    /*
      ----------------------------------------------------------------------------------------
        Fixed: join() before reading (Python's counter_queue.join()).
     */
    @JCStressTest
    @Description("Claim 5: Owner.join() returns after earlier messages ran, with their writes visible.")
    @Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "Each actor's join() returned after its message ran, and saw its write.")
    @Outcome(expect = FORBIDDEN, desc = "join() returned before the actor's message ran, or without making its write visible.")
    @State
    public static class Join {
        int writtenForActor1;
        int writtenForActor2;

        @Actor
        public void actor1(II_Result r) {
            OWNER.tell(ignored -> writtenForActor1 = 1);
            Blocking.join(OWNER);
            r.r1 = writtenForActor1;
        }

        @Actor
        public void actor2(II_Result r) {
            OWNER.tell(ignored -> writtenForActor2 = 2);
            Blocking.join(OWNER);
            r.r2 = writtenForActor2;
        }
    }

    /*
      ----------------------------------------------------------------------------------------
        Fixed: ask() the owner for the value. The query runs after the earlier message (one
        sender's messages run in order) and its result carries what the owner saw.
     */
    @JCStressTest
    @Description("Claim 5: an ask() after a tell() runs after it and sees its write.")
    @Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "Each actor's query ran after its message and returned its write.")
    @Outcome(expect = FORBIDDEN, desc = "A query ran before the earlier message of the same actor, or did not see its write.")
    @State
    public static class Ask {
        int writtenForActor1;
        int writtenForActor2;

        @Actor
        public void actor1(II_Result r) {
            OWNER.tell(ignored -> writtenForActor1 = 1);
            r.r1 = Blocking.get(OWNER.ask(ignored -> writtenForActor1));
        }

        @Actor
        public void actor2(II_Result r) {
            OWNER.tell(ignored -> writtenForActor2 = 2);
            r.r2 = Blocking.get(OWNER.ask(ignored -> writtenForActor2));
        }
    }
}
