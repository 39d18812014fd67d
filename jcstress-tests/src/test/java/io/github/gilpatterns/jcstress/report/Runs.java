package io.github.gilpatterns.jcstress.report;

import java.util.List;

/** Hand-made runs for the report's tests, shaped like Counter_01_LostUpdates's tests. */
final class Runs {

    private Runs() {}

    static final String PACKAGE = "io.github.gilpatterns.jcstress.";

    static Run.Outcome outcome(String id, String expect, long samples) {
        return new Run.Outcome(id, expect, samples, "what " + id + " means");
    }

    /** A broken test: a race outcome with {@code raced} samples and a correct one with the rest. */
    static Run.Test broken(String name, long raced, long correct) {
        return new Run.Test(PACKAGE + name, Claim.LOST_UPDATES, true, "Claim 1, broken: it races.", "OK", 2,
                List.of(outcome("1, 1, 1", Run.INTERESTING, raced), outcome("1, 2, 2", Run.ACCEPTABLE, correct),
                        outcome("0, 0, 0", Run.FORBIDDEN, 0)));
    }

    /** A fixed test: correct outcomes, and a forbidden one with {@code forbidden} samples. */
    static Run.Test fixed(String name, long correct, long forbidden, String status) {
        return new Run.Test(PACKAGE + name, Claim.LOST_UPDATES, false, "Claim 1, fixed: it holds.", status, 2,
                List.of(outcome("1, 2, 2", Run.ACCEPTABLE, correct), outcome("1, 1, 1", Run.FORBIDDEN, forbidden)));
    }

    static Run run(int cpus, Run.Test... tests) {
        return new Run("quick", "OpenJDK 64-Bit Server VM 17.0.15+6 (Debian)", "Linux 6.1 amd64", cpus, List.of(tests));
    }
}
