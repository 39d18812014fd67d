package io.github.gilpatterns.jcstress.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What one run showed about one claim, in words: one sentence for its broken side and one
 * for its fixed side, each opening with its verdict ("Proved", "Not seen this run", "Held",
 * "Refuted", "Failed", "Not run").
 *
 * @param word the verdict, "Proved"
 * @param text the sentence after it, with the figures
 */
public record Verdict(String word, String text) {

    static final String PROVED = "Proved";
    static final String NOT_SEEN = "Not seen this run";
    static final String HELD = "Held";
    static final String REFUTED = "Refuted";
    static final String FAILED = "Failed";
    static final String NOT_RUN = "Not run";

    /** The verdicts on {@code claim} from its tests in {@code run}. */
    static List<Verdict> of(Claim claim, List<Run.Test> tests) {
        List<Verdict> verdicts = new ArrayList<>();
        if (tests.isEmpty()) {
            verdicts.add(new Verdict(NOT_RUN, "no test of this claim was selected in this run."));
            return verdicts;
        }
        List<Run.Test> broken = tests.stream().filter(Run.Test::broken).toList();
        List<Run.Test> fixed = tests.stream().filter(t -> !t.broken()).toList();

        List<Run.Test> seen = broken.stream().filter(t -> t.samples(Run.INTERESTING) > 0).toList();
        List<Run.Test> unseen = broken.stream().filter(t -> t.samples(Run.INTERESTING) == 0).toList();
        if (!seen.isEmpty()) {
            String figures = seen.stream().map(t -> percent(t.frequency(t.samples(Run.INTERESTING)))
                    + " of " + count(t.samples()) + " samples (" + t.shortName() + ")")
                    .collect(Collectors.joining(", "));
            String text = (seen.size() == 1 ? "the broken version " : "the broken versions ")
                    + claim.race() + " in " + figures;
            if (!unseen.isEmpty()) {
                text += "; not seen this run in " + names(unseen) + ": the race needs " + claim.raceNeeds();
            }
            verdicts.add(new Verdict(PROVED, text + "."));
        } else if (!broken.isEmpty()) {
            verdicts.add(new Verdict(NOT_SEEN, "the race needs " + claim.raceNeeds() + "; "
                    + names(broken) + " showed none in " + count(total(broken)) + " samples."));
        }

        List<Run.Test> failedBroken = broken.stream().filter(t -> !ok(t)).toList();
        if (!failedBroken.isEmpty()) {
            verdicts.add(new Verdict(FAILED, failures(failedBroken)));
        }

        if (!fixed.isEmpty()) {
            List<Run.Test> refuting = fixed.stream().filter(t -> t.samples(Run.FORBIDDEN) > 0).toList();
            List<Run.Test> failing = fixed.stream().filter(t -> !ok(t)).toList();
            if (!refuting.isEmpty()) {
                verdicts.add(new Verdict(REFUTED, failures(refuting)));
            } else if (!failing.isEmpty()) {
                verdicts.add(new Verdict(FAILED, failures(failing)));
            } else {
                int min = fixed.stream().mapToInt(Run.Test::configurations).min().orElse(0);
                int max = fixed.stream().mapToInt(Run.Test::configurations).max().orElse(0);
                String configurations = min == max ? String.valueOf(min) : min + " to " + max;
                verdicts.add(new Verdict(HELD, (fixed.size() == 1 ? "the fixed version " : "the fixed versions ")
                        + claim.guarantee() + " in " + count(total(fixed)) + " samples over " + configurations
                        + " JVM configuration" + (max == 1 ? "" : "s")
                        + (fixed.size() == 1 ? "." : " each, " + fixed.size() + " tests.")));
            }
        }
        return verdicts;
    }

    private static boolean ok(Run.Test test) {
        return "OK".equals(test.status()) && test.samples(Run.FORBIDDEN) == 0;
    }

    private static String failures(List<Run.Test> tests) {
        return tests.stream().map(t -> t.samples(Run.FORBIDDEN) > 0
                ? t.shortName() + " showed a forbidden outcome " + count(t.samples(Run.FORBIDDEN)) + " times in "
                        + count(t.samples()) + " samples"
                : t.shortName() + " ended " + t.status())
                .collect(Collectors.joining("; ")) + ".";
    }

    private static long total(List<Run.Test> tests) {
        return tests.stream().mapToLong(Run.Test::samples).sum();
    }

    private static String names(List<Run.Test> tests) {
        return tests.stream().map(Run.Test::shortName).collect(Collectors.joining(", "));
    }

    /** A sample count as people read it: "14,590", "2.9 M". */
    static String count(long n) {
        return n >= 1_000_000 ? String.format(Locale.ROOT, "%.1f M", n / 1e6) : String.format(Locale.US, "%,d", n);
    }

    /** A share, 0 to 1, as a percentage: "38.5%", "0.04%", "0%". */
    static String percent(double share) {
        double p = share * 100;
        if (p == 0) {
            return "0%";
        }
        return String.format(Locale.ROOT, p >= 10 ? "%.1f%%" : p >= 0.1 ? "%.2f%%" : "%.4f%%", p);
    }

    @Override
    public String toString() {
        return word + ": " + text;
    }
}
