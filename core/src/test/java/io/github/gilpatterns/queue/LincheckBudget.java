package io.github.gilpatterns.queue;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.StressOptions;

/**
 * The random scenarios and the effort that every Lincheck test of core spends on them, in one
 * place, so that the whole Lincheck suite (the queue's and the owner mailbox's) stays within
 * CI's time budget: under three minutes on a 2-core machine.
 */
public final class LincheckBudget {

    private LincheckBudget() {}

    /**
     * Random scenarios of three threads of three calls (after two initial calls, before one
     * final call), for the model checker: a few hundred interleavings of each of ten scenarios.
     */
    public static ModelCheckingOptions modelChecking() {
        return new ModelCheckingOptions()
                .iterations(10)
                .invocationsPerIteration(300)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(1);
    }

    /** The same shape of scenario, each run a few thousand times on real threads. */
    public static StressOptions stress() {
        return new StressOptions()
                .iterations(20)
                .invocationsPerIteration(2_000)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(1);
    }
}
