package io.github.gilpatterns.jcstress.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.infra.TestInfo;
import org.openjdk.jcstress.infra.runners.TestList;

/** Every jcstress test of the module belongs to a claim, and every claim has both sides. */
class ClaimsTest {

    private static final Pattern DESCRIPTION = Pattern.compile("^Claim (\\d+)(?:, ([^:]+))?: \\S.*");

    @Test
    void everyTestNamesAClaim_andSaysBrokenExactlyWhenItDeclaresTheRace() {
        assertFalse(TestList.tests().isEmpty(), "no META-INF/TestList on the class path");
        List<String> problems = new ArrayList<>();
        Map<Claim, int[]> sides = new EnumMap<>(Claim.class);
        for (String name : TestList.tests()) {
            TestInfo info = TestList.getInfo(name);
            Matcher m = DESCRIPTION.matcher(info.description());
            if (!m.matches() || Claim.ofDescription(info.description()).isEmpty()) {
                problems.add(name + ": description does not open with 'Claim N' of a known claim: " + info.description());
                continue;
            }
            boolean saysBroken = m.group(2) != null && m.group(2).contains("broken");
            boolean declaresRace = info.cases().stream().anyMatch(c -> c.expect() == Expect.ACCEPTABLE_INTERESTING);
            if (saysBroken != declaresRace) {
                problems.add(name + ": says " + (saysBroken ? "broken" : "not broken") + " but "
                        + (declaresRace ? "declares" : "does not declare") + " an interesting outcome");
            }
            sides.computeIfAbsent(Claim.ofDescription(info.description()).get(), c -> new int[2])[declaresRace ? 0 : 1]++;
        }
        for (Claim claim : Claim.values()) {
            int[] counts = sides.getOrDefault(claim, new int[2]);
            if (counts[0] == 0 || counts[1] == 0) {
                problems.add("claim " + claim.number() + ": " + counts[0] + " broken and " + counts[1] + " fixed tests");
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void numbersAreOneToN() {
        for (int i = 0; i < Claim.values().length; i++) {
            assertEquals(i + 1, Claim.values()[i].number());
            assertEquals(Claim.values()[i], Claim.ofNumber(i + 1).orElseThrow());
        }
        assertTrue(Claim.ofDescription("Claim 12: x").isEmpty());
        assertTrue(Claim.ofDescription("A claim 1").isEmpty());
    }
}
