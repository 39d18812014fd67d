package io.github.gilpatterns.jcstress.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The differences that matter between two runs' {@code claims.json}: where they ran, a test in
 * one run only, an outcome seen (with samples) in one run and not in the other, and an outcome
 * whose share of its test's samples moved by at least a threshold, in percentage points.
 * Frequencies depend on the machine, its load and the JIT; an outcome seen on one machine and
 * never on the other is the difference to look at first.
 */
final class Compare {

    private Compare() {}

    /**
     * The differences, one line each, in the order they matter: where the runs ran, outcomes
     * seen in one run only, tests in one run only or with another status, frequency changes.
     * Empty when the runs agree.
     */
    static List<String> differences(Run a, Run b, double points) {
        List<String> lines = new ArrayList<>();
        List<String> seenInOne = new ArrayList<>();
        List<String> tests = new ArrayList<>();
        List<String> frequencies = new ArrayList<>();
        environment(lines, "mode", a.mode(), b.mode());
        environment(lines, "JVM", a.jvm(), b.jvm());
        environment(lines, "OS", a.os(), b.os());
        environment(lines, "CPUs", String.valueOf(a.cpus()), String.valueOf(b.cpus()));
        Map<String, Run.Test> testsA = byName(a);
        Map<String, Run.Test> testsB = byName(b);
        Set<String> names = new LinkedHashSet<>(testsA.keySet());
        names.addAll(testsB.keySet());
        for (String name : names.stream().sorted().toList()) {
            Run.Test ta = testsA.get(name);
            Run.Test tb = testsB.get(name);
            if (ta == null || tb == null) {
                tests.add((ta == null ? tb : ta).shortName() + ": ran in " + (ta == null ? "B" : "A") + " only");
                continue;
            }
            if (!ta.status().equals(tb.status())) {
                tests.add(ta.shortName() + ": status " + ta.status() + " in A, " + tb.status() + " in B");
            }
            Map<String, Run.Outcome> oa = byId(ta);
            Map<String, Run.Outcome> ob = byId(tb);
            Set<String> ids = new LinkedHashSet<>(oa.keySet());
            ids.addAll(ob.keySet());
            for (String id : ids) {
                long sa = oa.containsKey(id) ? oa.get(id).samples() : 0;
                long sb = ob.containsKey(id) ? ob.get(id).samples() : 0;
                String expect = (oa.containsKey(id) ? oa.get(id) : ob.get(id)).expect();
                String what = ta.shortName() + " [" + id + "] (" + expect + ")";
                if ((sa > 0) != (sb > 0)) {
                    seenInOne.add(what + ": seen in " + (sa > 0 ? "A" : "B") + " only: "
                            + describe(ta, sa) + " in A, " + describe(tb, sb) + " in B");
                } else if (sa > 0) {
                    double fa = ta.frequency(sa) * 100;
                    double fb = tb.frequency(sb) * 100;
                    if (Math.abs(fa - fb) >= points) {
                        frequencies.add(what + ": frequency " + String.format(Locale.ROOT, "%.2f%% in A, %.2f%% in B (%+.2f points)",
                                fa, fb, fb - fa));
                    }
                }
            }
        }
        lines.addAll(seenInOne);
        lines.addAll(tests);
        lines.addAll(frequencies);
        return lines;
    }

    private static String describe(Run.Test test, long samples) {
        return Verdict.count(samples) + " of " + Verdict.count(test.samples()) + " samples";
    }

    private static void environment(List<String> lines, String what, String a, String b) {
        if (!Objects.equals(a, b)) {
            lines.add(what + ": " + a + " in A, " + b + " in B");
        }
    }

    private static Map<String, Run.Test> byName(Run run) {
        Map<String, Run.Test> map = new LinkedHashMap<>();
        run.tests().forEach(t -> map.put(t.name(), t));
        return map;
    }

    private static Map<String, Run.Outcome> byId(Run.Test test) {
        Map<String, Run.Outcome> map = new LinkedHashMap<>();
        test.outcomes().forEach(o -> map.put(o.id(), o));
        return map;
    }
}
