package io.github.gilpatterns.jcstress.report;

import static io.github.gilpatterns.jcstress.report.Runs.broken;
import static io.github.gilpatterns.jcstress.report.Runs.fixed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class VerdictTest {

    private static List<String> verdicts(Run.Test... tests) {
        return Verdict.of(Claim.LOST_UPDATES, List.of(tests)).stream().map(Verdict::toString).toList();
    }

    @Test
    void brokenSeenAndFixedClean_provedAndHeld() {
        assertEquals(List.of(
                "Proved: the broken version lost an update in 38.5% of 2.9 M samples (Counter_01_LostUpdates.Plain).",
                "Held: the fixed version never lost one in 3.1 M samples over 2 JVM configurations."),
                verdicts(broken("Counter_01_LostUpdates.Plain", 1_116_500, 1_783_500),
                        fixed("Counter_02_Owned.Owner", 3_100_000, 0, "OK")));
    }

    @Test
    void brokenNeverRaced_notSeenWithWhatTheRaceNeeds() {
        List<String> verdicts = verdicts(broken("Counter_01_LostUpdates.Plain", 0, 14_590),
                fixed("Counter_02_Owned.Owner", 10, 0, "OK"));
        assertEquals("Not seen this run: the race needs " + Claim.LOST_UPDATES.raceNeeds()
                + "; Counter_01_LostUpdates.Plain showed none in 14,590 samples.", verdicts.get(0));
        assertTrue(verdicts.get(1).startsWith("Held: "), verdicts.get(1));
    }

    @Test
    void oneOfTwoBrokenRaced_provedNamesTheOtherAsNotSeen() {
        String proved = verdicts(broken("Counter_01_LostUpdates.Plain", 50, 50),
                broken("Counter_01_LostUpdates.Volatile", 0, 100)).get(0);
        assertTrue(proved.startsWith("Proved: the broken version lost an update in 50.0% of 100 samples (Counter_01_LostUpdates.Plain);"), proved);
        assertTrue(proved.contains("not seen this run in Counter_01_LostUpdates.Volatile: the race needs"), proved);
    }

    @Test
    void fixedWithForbiddenSamples_refuted() {
        assertEquals(List.of("Refuted: Counter_01_LostUpdates.Synchronized showed a forbidden outcome 3 times in 1,003 samples."),
                verdicts(fixed("Counter_01_LostUpdates.Synchronized", 1_000, 3, "FAILED")));
    }

    @Test
    void errorsAndForbiddenInBrokenTests_failed() {
        assertEquals(List.of("Failed: Counter_02_Owned.Owner ended ERROR."),
                verdicts(fixed("Counter_02_Owned.Owner", 1_000, 0, "ERROR")));
        Run.Test odd = new Run.Test(Runs.PACKAGE + "Counter_01_LostUpdates.Plain", Claim.LOST_UPDATES, true, "Claim 1, broken",
                "FAILED", 1, List.of(Runs.outcome("1, 1, 1", Run.INTERESTING, 5), Runs.outcome("9, 9, 9", Run.FORBIDDEN, 1)));
        assertEquals("Failed: Counter_01_LostUpdates.Plain showed a forbidden outcome 1 times in 6 samples.",
                verdicts(odd).get(1));
    }

    @Test
    void noTestSelected_notRun() {
        assertEquals(List.of("Not run: no test of this claim was selected in this run."), verdicts());
    }

    @Test
    void figures_readAsPeopleReadThem() {
        assertEquals("14,590", Verdict.count(14_590));
        assertEquals("2.9 M", Verdict.count(2_940_000));
        assertEquals("0%", Verdict.percent(0));
        assertEquals("0.0500%", Verdict.percent(0.0005));
        assertEquals("7.50%", Verdict.percent(0.075));
        assertEquals("38.5%", Verdict.percent(0.385));
    }
}
