package io.github.gilpatterns.jcstress;

import static io.github.gilpatterns.jcstress.SharedOwner.OWNER;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import com.google.common.util.concurrent.Uninterruptibles;
import java.util.concurrent.CountDownLatch;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/*
    Claim 5e: Owner.join() never hangs once the messages it waits for have run. The joiner
    registers what it waits for and sleeps; the owner thread, after running messages, checks
    for joiners and wakes them. If the last message finishes just as the joiner registers, a
    careless hand-shake loses the wake-up (see JoinableQueue_03_JoinTerminates.NotifyWithoutCount
    for what that looks like).

    Mode.Termination: the actor sends a message that blocks on a latch and join()s the shared
    owner (SharedOwner); the signal opens the latch, the message finishes, and join() must
    return. TERMINATED means it did; STALE means it was still blocked long after.

    How to run this test:
       $ jcstress-tests/run.sh quick -t Owner_02_JoinTerminates
       $ java -jar jcstress-tests/target/jcstress.jar -t Owner_02_JoinTerminates

    Expected outcomes:
        TERMINATED   Acceptable   the last message finished and join() returned
        STALE        Forbidden    join() missed the wake-up
 */
@JCStressTest(Mode.Termination)
@Description("Claim 5: Owner.join() always wakes when the message it waits for finishes.")
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "The signal let actor1's message finish, and actor1's join() returned.")
@Outcome(id = "STALE", expect = FORBIDDEN, desc = "actor1's message has run but its join() is still blocked: a lost wake-up.")
@State
public class Owner_02_JoinTerminates {

    final CountDownLatch release = new CountDownLatch(1);

    @Actor
    public void actor1() throws InterruptedException {
        OWNER.tell(ignored -> Uninterruptibles.awaitUninterruptibly(release));
        OWNER.join();
    }

    @Signal
    public void signal() {
        release.countDown();
    }
}
