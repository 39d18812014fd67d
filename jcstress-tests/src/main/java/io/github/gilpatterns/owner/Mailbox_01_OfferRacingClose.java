package io.github.gilpatterns.owner;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/*
    Claim 7, underneath: the owner's mailbox (package-private in gilpatterns-core; this test
    lives in the same package to reach it) accepts an offer exactly when the offer is counted
    in what close() returns. Owner_03_TellRacingClose tests the same claim through Owner.

    actor1 offers one element and records the outcome; actor2 plays the closing owner: it
    closes the mailbox (close() returns the final accepted count) and drains it with poll(),
    which waits for a producer that has claimed its slot but not yet stored. The arbiter
    records whether the mailbox is still closed. Counts exclude the elements each state
    starts with.

      - InChunk: an unbounded mailbox with room in its chunk: the offer is one CAS.
      - ChunkLink: an unbounded mailbox with chunks of 2, holding 2 elements, so that actor1's
        offer is the one that links the next chunk (it holds the resize bit while close()
        runs). A close() that set its bit during the link would be overwritten by the index
        the linking producer publishes: "0, 0, 1, 0" below.
      - Bounded: a bounded mailbox of one slot.
      - RingSwitch: a large bounded mailbox (a ring of chunks, here of 2 slots) holding 2
        elements, so that actor1's offer switches to a new chunk while close() runs.
      - RingConsumerAtChunkEnd (a different claim, same mailbox): the consumer has taken the
        last element of its chunk but not yet followed the link, while a producer offers three
        elements across the next chunk boundary; all three must reach the consumer, in order.
        A producer that reused, or linked after, the chunk the consumer still stands at would
        strand it: "0, 0, 0, 0" or "1, 0, 0, 0".

    How to run this test:
       $ jcstress-tests/run.sh quick -t Mailbox_01_OfferRacingClose
       $ java -jar jcstress-tests/target/jcstress.jar -t Mailbox_01_OfferRacingClose[.SubTestName]

    Result "offer outcome (0 OFFERED, 2 CLOSED), count close() returned, elements drained,
    closed at the end (1)":
        0, 1, 1, 1   Acceptable   the offer came first: counted, and drained once
        2, 0, 0, 1   Acceptable   close() came first: refused, not counted, nothing drained
        other        Forbidden
 */
public class Mailbox_01_OfferRacingClose {

    static final String OFFER_FIRST = "0, 1, 1, 1";
    static final String CLOSE_FIRST = "2, 0, 0, 1";

    @JCStressTest
    @Description("Claim 7: an offer into a chunk with room, racing close(), is counted exactly when accepted.")
    @Outcome(id = OFFER_FIRST, expect = ACCEPTABLE, desc = "Offered first: close() counted it and the drain took it once.")
    @Outcome(id = CLOSE_FIRST, expect = ACCEPTABLE, desc = "Closed first: the offer was refused and nothing was drained.")
    @Outcome(expect = FORBIDDEN, desc = "An accepted element uncounted or lost, a refused one drained, or the closed bit lost.")
    @State
    public static class InChunk {
        final Mailbox<Object> mailbox = Mailbox.unbounded(1024);

        @Actor
        public void actor1(IIII_Result r) {
            r.r1 = mailbox.offer(this);
        }

        @Actor
        public void actor2(IIII_Result r) {
            closeAndDrain(mailbox, 0, r);
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            r.r4 = mailbox.isClosed() ? 1 : 0;
        }
    }

    @JCStressTest
    @Description("Claim 7: an offer that links a new chunk, racing close(), is counted exactly when accepted.")
    @Outcome(id = OFFER_FIRST, expect = ACCEPTABLE, desc = "Offered (and linked) first: close() counted it and the drain took it once.")
    @Outcome(id = CLOSE_FIRST, expect = ACCEPTABLE, desc = "Closed first: the offer was refused and nothing was drained.")
    @Outcome(expect = FORBIDDEN, desc = "An accepted element uncounted or lost, a refused one drained, or the closed bit lost.")
    @State
    public static class ChunkLink {
        final Mailbox<Object> mailbox = Mailbox.unbounded(2);

        public ChunkLink() {
            mailbox.offer("first");
            mailbox.offer("second"); // the chunk is full: the next offer links a new one
        }

        @Actor
        public void actor1(IIII_Result r) {
            r.r1 = mailbox.offer(this);
        }

        @Actor
        public void actor2(IIII_Result r) {
            closeAndDrain(mailbox, 2, r);
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            r.r4 = mailbox.isClosed() ? 1 : 0;
        }
    }

    @JCStressTest
    @Description("Claim 7: an offer into a bounded mailbox, racing close(), is counted exactly when accepted.")
    @Outcome(id = OFFER_FIRST, expect = ACCEPTABLE, desc = "Offered first: close() counted it and the drain took it once.")
    @Outcome(id = CLOSE_FIRST, expect = ACCEPTABLE, desc = "Closed first: the offer was refused and nothing was drained.")
    @Outcome(expect = FORBIDDEN, desc = "An accepted element uncounted or lost, a refused one drained, or the closed bit lost.")
    @State
    public static class Bounded {
        final Mailbox<Object> mailbox = Mailbox.bounded(1);

        @Actor
        public void actor1(IIII_Result r) {
            r.r1 = mailbox.offer(this);
        }

        @Actor
        public void actor2(IIII_Result r) {
            closeAndDrain(mailbox, 0, r);
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            r.r4 = mailbox.isClosed() ? 1 : 0;
        }
    }

    @JCStressTest
    @Description("Claim 7: an offer that switches a ring mailbox to a new chunk, racing close(), is counted exactly when accepted.")
    @Outcome(id = OFFER_FIRST, expect = ACCEPTABLE, desc = "Offered (and switched) first: close() counted it and the drain took it once.")
    @Outcome(id = CLOSE_FIRST, expect = ACCEPTABLE, desc = "Closed first: the offer was refused and nothing was drained.")
    @Outcome(expect = FORBIDDEN, desc = "An accepted element uncounted or lost, a refused one drained, or the closed bit lost.")
    @State
    public static class RingSwitch {
        final Mailbox<Object> mailbox = Mailbox.ring(8, 2);

        public RingSwitch() {
            mailbox.offer("first");
            mailbox.offer("second"); // the chunk is full: the next offer switches chunks
        }

        @Actor
        public void actor1(IIII_Result r) {
            r.r1 = mailbox.offer(this);
        }

        @Actor
        public void actor2(IIII_Result r) {
            closeAndDrain(mailbox, 2, r);
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            r.r4 = mailbox.isClosed() ? 1 : 0;
        }
    }

    @JCStressTest
    @Description("Claim 7: a ring mailbox's consumer at the end of a chunk is never stranded by producers crossing the next boundary.")
    @Outcome(id = "1, 2, 1, 0", expect = ACCEPTABLE, desc = "The consumer took one element during the offers, the rest after, in order.")
    @Outcome(id = "0, 3, 1, 0", expect = ACCEPTABLE, desc = "The consumer took nothing during the offers, all three after, in order.")
    @Outcome(expect = FORBIDDEN, desc = "An element did not reach the consumer, or came out of order: the consumer was sent to the wrong chunk.")
    @State
    public static class RingConsumerAtChunkEnd {
        final Mailbox<Integer> mailbox = Mailbox.ring(8, 2);
        int expected = 2;
        boolean inOrder = true;

        public RingConsumerAtChunkEnd() {
            mailbox.offer(0);
            mailbox.offer(1);
            mailbox.relaxedPoll();
            mailbox.relaxedPoll(); // the consumer stands at the end of its only chunk
        }

        @Actor
        public void producer() {
            mailbox.offer(2);
            mailbox.offer(3); // fills [2, 4)
            mailbox.offer(4); // crosses the boundary at 4
        }

        @Actor
        public void consumer(IIII_Result r) {
            r.r1 = take();
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            int taken = 0;
            for (int i = 0; i < 3; i++) { // every offer has completed: no waiting is needed
                taken += take();
            }
            r.r2 = taken;
            r.r3 = inOrder ? 1 : 0;
        }

        /** One relaxed poll by the single consumer: 1 if it took the next element in order. */
        private int take() {
            Integer e = mailbox.relaxedPoll();
            if (e == null) {
                return 0;
            }
            if (e != expected++) {
                inOrder = false;
            }
            return 1;
        }
    }

    /** The closing owner: close, then take everything accepted (beyond the first {@code already}). */
    static void closeAndDrain(Mailbox<Object> mailbox, int already, IIII_Result r) {
        r.r2 = (int) mailbox.close() - already;
        int drained = 0;
        while (mailbox.poll() != null) {
            drained++;
        }
        r.r3 = drained - already;
    }
}
