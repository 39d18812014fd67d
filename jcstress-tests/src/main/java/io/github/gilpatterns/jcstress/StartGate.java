package io.github.gilpatterns.jcstress;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes two actors start their work on one jcstress state at the same moment.
 *
 * <p>jcstress runs each actor over a batch of states without waiting for the other actor
 * between states. For short actors that is what it wants (they overlap by chance, often);
 * for actors that run for tens of microseconds it means that after the first state of a
 * batch the two actors drift apart and rarely work on the same state at the same time,
 * so a race that needs them to overlap for a while is never exercised. Each actor calls
 * {@link #arriveAndAwait()} first; both return once both have arrived. It spins: there are
 * exactly two actors, each on its own CPU.
 */
final class StartGate {

    private final AtomicInteger arrived = new AtomicInteger();

    void arriveAndAwait() {
        arrived.incrementAndGet();
        while (arrived.get() < 2) {
            Thread.onSpinWait();
        }
    }
}
