package io.github.gilpatterns.jcstress.report;

import java.util.List;
import java.util.Locale;

/** {@code claims.md}: the verdicts and one table row per test and outcome, for diffs and reviews. */
final class MarkdownReport {

    private MarkdownReport() {}

    static String render(Run run) {
        StringBuilder out = new StringBuilder();
        out.append("# jcstress claims (").append(run.mode()).append(" mode)\n\n")
                .append("- JVM: ").append(run.jvm()).append("\n- OS: ").append(run.os())
                .append("\n- CPUs: ").append(run.cpus()).append("\n- Mode: ").append(run.mode())
                .append("\n- Tests: ").append(run.tests().size()).append("\n");
        for (Claim claim : Claim.values()) {
            List<Run.Test> tests = run.testsOf(claim);
            out.append("\n## ").append(claim.number()).append(". ").append(claim.sentence()).append("\n\n");
            for (Verdict v : Verdict.of(claim, tests)) {
                out.append("**").append(v.word()).append(":** ").append(v.text()).append("\n\n");
            }
            if (tests.isEmpty()) {
                continue;
            }
            out.append("| test | side | outcome | samples | freq | expect | description |\n")
                    .append("|---|---|---|--:|--:|---|---|\n");
            for (Run.Test test : tests) {
                for (Run.Outcome o : test.outcomes()) {
                    out.append("| ").append(cell(test.shortName())).append(" | ").append(test.broken() ? "broken" : "fixed")
                            .append(" | `").append(cell(o.id())).append("` | ")
                            .append(String.format(Locale.US, "%,d", o.samples())).append(" | ")
                            .append(Verdict.percent(test.frequency(o.samples()))).append(" | ").append(o.expect())
                            .append(" | ").append(cell(o.description())).append(" |\n");
                }
            }
        }
        return out.toString().replace("\n\n\n", "\n\n");
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
