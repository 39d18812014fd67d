package io.github.gilpatterns.jcstress.report;

import static io.github.gilpatterns.jcstress.report.Runs.broken;
import static io.github.gilpatterns.jcstress.report.Runs.fixed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class CompareTest {

    private static final Run A = Runs.run(2, broken("Counter_01_LostUpdates.Plain", 500, 500),
            fixed("Counter_02_Owned.Owner", 1_000, 0, "OK"));

    @Test
    void json_readsBackWhatItWrote() {
        Run.Test quoted = new Run.Test(Runs.PACKAGE + "X_01.Y", Claim.PRINT_JOBS, false,
                "Claim 4: \"quoted\", back\\slash, a 1 µs tab\tand\nnewline", "OK", 1,
                List.of(Runs.outcome("A1 B1", Run.ACCEPTABLE, Long.MAX_VALUE)));
        Run run = Runs.run(2, broken("Counter_01_LostUpdates.Plain", 1, 2), quoted);
        assertEquals(run, Run.fromJson(run.toJson()));
    }

    @Test
    void json_refusesAClaimNumberNoClaimHas() {
        String json = A.toJson().replace("\"claim\":1", "\"claim\":99");
        assertThrows(IllegalArgumentException.class, () -> Run.fromJson(json));
    }

    @Test
    void sameRun_noDifferences() {
        assertEquals(List.of(), Compare.differences(A, Run.fromJson(A.toJson()), 5));
    }

    @Test
    void outcomeSeenInOneRunOnly_reported() {
        Run b = Runs.run(2, broken("Counter_01_LostUpdates.Plain", 0, 1_000), fixed("Counter_02_Owned.Owner", 1_000, 0, "OK"));
        assertEquals(List.of("Counter_01_LostUpdates.Plain [1, 1, 1] (Interesting): seen in A only: "
                + "500 of 1,000 samples in A, 0 of 1,000 samples in B",
                "Counter_01_LostUpdates.Plain [1, 2, 2] (Acceptable): frequency 50.00% in A, 100.00% in B (+50.00 points)"),
                Compare.differences(A, b, 5));
    }

    @Test
    void frequencyChange_reportedFromTheThresholdOn() {
        Run b = Runs.run(2, broken("Counter_01_LostUpdates.Plain", 440, 560), fixed("Counter_02_Owned.Owner", 1_000, 0, "OK"));
        assertEquals(List.of(
                "Counter_01_LostUpdates.Plain [1, 1, 1] (Interesting): frequency 50.00% in A, 44.00% in B (-6.00 points)",
                "Counter_01_LostUpdates.Plain [1, 2, 2] (Acceptable): frequency 50.00% in A, 56.00% in B (+6.00 points)"),
                Compare.differences(A, b, 5));
        assertEquals(List.of(), Compare.differences(A, b, 6.5));
    }

    @Test
    void environmentAndTestsInOneRunOnly_reported() {
        Run b = Runs.run(4, broken("Counter_01_LostUpdates.Plain", 500, 500));
        assertEquals(List.of("CPUs: 2 in A, 4 in B", "Counter_02_Owned.Owner: ran in A only"), Compare.differences(A, b, 5));
    }
}
