package io.github.gilpatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.github.gilpatterns.owner.Owner;
import java.util.concurrent.RejectedExecutionException;
import org.jctools.queues.atomic.MpscUnboundedAtomicArrayQueue;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/*
    Claim 7: a tell() racing close() either is accepted, and then its message runs exactly
    once before close() returns, or is refused with RejectedExecutionException, and then it
    never runs. Nothing accepted is lost.

    The obvious way to build a closable mailbox gets this wrong: the sender checks a "closed"
    flag, then offers; the owner, told to close, drains the queue until it is empty and ends.
    A sender that saw "open" just before the flag was set can land its message after the
    owner's last look: the sender was told "accepted" and the message never runs.
    Owner's mailbox keeps the closed bit inside the index that every offer CASes, so one atomic
    instruction accepts a message and orders it against close() (Mailbox_01_OfferRacingClose
    tests that mailbox on its own, including a close racing the link of a new chunk).

    actor1 sends one message that increments the sample's counter (a plain field only the
    owner thread touches) and records whether the send was accepted; actor2 closes the owner
    (close() waits until the owner thread has ended) and reads the counter. The Owner tests
    start and close one owner per sample, a full life cycle each time, so they collect tens
    of thousands of samples, not millions.

    How to run this test:
       $ jcstress-tests/run.sh quick -t Owner_03_TellRacingClose
       $ java -jar jcstress-tests/target/jcstress.jar -t Owner_03_TellRacingClose[.SubTestName]

    Result "accepted (1) or refused (0), times the message ran":
        RESULT   CheckThenOffer            Unbounded, Bounded
        1, 1     Acceptable                Acceptable   accepted, ran once
        0, 0     Acceptable                Acceptable   refused, never ran
        1, 0     Acceptable, interesting   Forbidden    accepted and lost
        other    Forbidden                 Forbidden
 */
public class Owner_03_TellRacingClose {

    /*
      ----------------------------------------------------------------------------------------
        Broken: check a volatile "closed" flag, then offer to a JCTools MPSC queue; close()
        sets the flag and the owner drains until the queue is empty, then stops. (actor2 plays
        the owner's last drain.)
     */
    @JCStressTest
    @Description("Claim 7, broken: 'check closed, then offer' can accept a message after the owner's last drain.")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "The message was accepted and the owner's drain ran it.")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "actor1 saw the flag and was refused; nothing ran.")
    @Outcome(id = "1, 0", expect = ACCEPTABLE_INTERESTING, desc = "actor1 saw 'open' and offered after the owner's last drain: accepted and lost.")
    @Outcome(expect = FORBIDDEN, desc = "Refused but ran, or ran twice.")
    @State
    public static class CheckThenOffer {
        final MpscUnboundedAtomicArrayQueue<Runnable> queue = new MpscUnboundedAtomicArrayQueue<>(16);
        volatile boolean closed;
        int ran;

        @Actor
        public void actor1(II_Result r) {
            if (closed) {
                r.r1 = 0;
                return;
            }
            queue.offer(() -> ran++);
            r.r1 = 1;
        }

        @Actor
        public void actor2(II_Result r) {
            closed = true;
            Runnable message;
            while ((message = queue.poll()) != null) {
                message.run();
            }
            r.r2 = ran; // the owner has ended: what is offered from now on never runs
        }
    }

    /** The owned state of the fixed tests: a plain field, touched only by the owner thread. */
    static final class Counter {
        int count;
    }

    /*
      ----------------------------------------------------------------------------------------
        Fixed: Owner.tell racing Owner.close, unbounded mailbox (the default).
     */
    @JCStressTest
    @Description("Claim 7: a tell() racing close() runs exactly once or is refused (unbounded mailbox).")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "tell() was accepted; close() returned after the message ran once.")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "close() came first: tell() threw RejectedExecutionException and the message never ran.")
    @Outcome(expect = FORBIDDEN, desc = "An accepted message was lost, a refused one ran, or one ran twice.")
    @State
    public static class Unbounded {
        final Counter counter = new Counter();
        final Owner<Counter> owner = Owner.builder(counter).name("owner-03").daemon(true).start();

        @Actor
        public void actor1(II_Result r) {
            r.r1 = tell(owner);
        }

        @Actor
        public void actor2(II_Result r) {
            owner.close();
            r.r2 = counter.count; // close() returned after the owner thread ended
        }
    }

    /*
      ----------------------------------------------------------------------------------------
        Fixed: the same with a bounded mailbox of one slot.
     */
    @JCStressTest
    @Description("Claim 7: a tell() racing close() runs exactly once or is refused (bounded mailbox).")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "tell() was accepted; close() returned after the message ran once.")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "close() came first: tell() threw RejectedExecutionException and the message never ran.")
    @Outcome(expect = FORBIDDEN, desc = "An accepted message was lost, a refused one ran, or one ran twice.")
    @State
    public static class Bounded {
        final Counter counter = new Counter();
        final Owner<Counter> owner =
                Owner.builder(counter).name("owner-03").mailboxCapacity(1).daemon(true).start();

        @Actor
        public void actor1(II_Result r) {
            r.r1 = tell(owner);
        }

        @Actor
        public void actor2(II_Result r) {
            owner.close();
            r.r2 = counter.count;
        }
    }

    /** Sends one increment: 1 if accepted, 0 if refused. */
    static int tell(Owner<Counter> owner) {
        try {
            owner.tell(c -> c.count++);
            return 1;
        } catch (RejectedExecutionException refused) {
            return 0;
        }
    }
}
