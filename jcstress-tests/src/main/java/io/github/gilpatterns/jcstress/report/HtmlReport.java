package io.github.gilpatterns.jcstress.report;

import java.util.List;
import java.util.Locale;

/**
 * {@code claims.html}: one section per claim with its verdicts, then its broken and fixed tests
 * side by side, each outcome's samples and frequency drawn as a bar, and a link to jcstress's own
 * page for each test (which sits beside it, named after the test's class).
 */
final class HtmlReport {

    private HtmlReport() {}

    private static final String STYLE = """
            body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 78em; padding: 0 1em; color: #222; }
            h1 { margin-bottom: .2em; } .run { color: #555; margin-top: 0; }
            ol.summary li { margin: .2em 0; }
            section.claim { border-top: 2px solid #ccc; margin-top: 2em; padding-top: .5em; }
            .verdict { margin: .4em 0; font-size: 1.05em; }
            .word { font-weight: bold; padding: 0 .35em; border-radius: 3px; color: #fff; }
            .word.proved { background: #b3261e; } .word.held { background: #1b7f3b; }
            .word.not-seen, .word.not-run { background: #777; } .word.refuted, .word.failed { background: #000; }
            .sides { display: flex; gap: 1.5em; align-items: flex-start; }
            .side { flex: 1; min-width: 0; } .side > h3 { margin: .6em 0 .2em; }
            .test { border: 1px solid #ddd; border-radius: 4px; padding: .4em .6em; margin: .5em 0; }
            .test h4 { margin: 0; font-size: 1em; } .test p { margin: .2em 0; color: #555; font-size: .9em; }
            table { border-collapse: collapse; width: 100%; font-size: .85em; }
            td, th { padding: .15em .4em; text-align: left; vertical-align: top; }
            td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
            td.id { font-family: monospace; white-space: nowrap; }
            td.bar { width: 22%; } .bar div { height: .9em; min-width: 1px; }
            .Acceptable .bar div { background: #5b8def; } .Interesting .bar div { background: #e8710a; min-width: 3px; }
            .Forbidden .bar div { background: #000; } tr.zero { color: #999; } tr.zero .bar div { min-width: 0; }
            .expect { font-size: .8em; text-transform: uppercase; letter-spacing: .03em; }
            """;

    static String render(Run run) {
        StringBuilder out = new StringBuilder();
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>jcstress claims (").append(esc(run.mode())).append(")</title>\n<style>\n")
                .append(STYLE).append("</style>\n</head>\n<body>\n");
        out.append("<h1>What this jcstress run proved</h1>\n<p class=\"run\">")
                .append(esc(run.mode())).append(" mode; ").append(esc(run.jvm())).append("; ")
                .append(esc(run.os())).append("; ").append(run.cpus()).append(" CPUs; ")
                .append(run.tests().size()).append(" tests. jcstress's own report: <a href=\"index.html\">index.html</a>.</p>\n");
        out.append("<p>Each claim has a <b>broken</b> version, whose race the tests hope to catch "
                + "(an <span class=\"expect\">interesting</span> outcome with samples is the race caught in the act: "
                + "jcstress marks such a test PASSED / INTERESTING), and <b>fixed</b> versions, in which every outcome "
                + "but the correct ones is <span class=\"expect\">forbidden</span>: one forbidden sample fails the run. "
                + "No forbidden outcome in millions of samples is evidence, not proof, that the fix is right.</p>\n");
        out.append("<ol class=\"summary\">\n");
        for (Claim claim : Claim.values()) {
            List<Verdict> verdicts = Verdict.of(claim, run.testsOf(claim));
            out.append("<li value=\"").append(claim.number()).append("\"><a href=\"#claim-").append(claim.number())
                    .append("\">").append(esc(claim.sentence())).append("</a> ");
            for (Verdict v : verdicts) {
                out.append(word(v, "")).append(' ');
            }
            out.append("</li>\n");
        }
        out.append("</ol>\n");
        for (Claim claim : Claim.values()) {
            section(out, claim, run.testsOf(claim));
        }
        out.append("</body>\n</html>\n");
        return out.toString();
    }

    private static void section(StringBuilder out, Claim claim, List<Run.Test> tests) {
        out.append("<section class=\"claim\" id=\"claim-").append(claim.number()).append("\">\n<h2>")
                .append(claim.number()).append(". ").append(esc(claim.sentence())).append("</h2>\n");
        for (Verdict v : Verdict.of(claim, tests)) {
            out.append("<p class=\"verdict\">").append(word(v, ":")).append(' ').append(esc(v.text())).append("</p>\n");
        }
        if (!tests.isEmpty()) {
            out.append("<div class=\"sides\">\n");
            side(out, "Broken", "broken", tests.stream().filter(Run.Test::broken).toList());
            side(out, "Fixed", "fixed", tests.stream().filter(t -> !t.broken()).toList());
            out.append("</div>\n");
        }
        out.append("</section>\n");
    }

    private static void side(StringBuilder out, String title, String cls, List<Run.Test> tests) {
        out.append("<div class=\"side ").append(cls).append("\">\n<h3>").append(title).append("</h3>\n");
        for (Run.Test test : tests) {
            out.append("<div class=\"test\">\n<h4><a href=\"").append(esc(test.name())).append(".html\">")
                    .append(esc(test.shortName())).append("</a></h4>\n<p>").append(esc(test.description()))
                    .append("<br>").append(Verdict.count(test.samples())).append(" samples, ")
                    .append(test.configurations()).append(" JVM configuration").append(test.configurations() == 1 ? "" : "s")
                    .append(", jcstress status ").append(esc(test.status())).append("</p>\n<table>\n")
                    .append("<tr><th>outcome</th><th>samples</th><th>freq</th><th></th><th>expect</th><th>meaning</th></tr>\n");
            for (Run.Outcome o : test.outcomes()) {
                double share = test.frequency(o.samples());
                out.append("<tr class=\"").append(esc(o.expect())).append(o.samples() == 0 ? " zero" : "").append("\">")
                        .append("<td class=\"id\">").append(esc(o.id())).append("</td>")
                        .append("<td class=\"num\">").append(String.format(Locale.US, "%,d", o.samples())).append("</td>")
                        .append("<td class=\"num\">").append(Verdict.percent(share)).append("</td>")
                        .append("<td class=\"bar\"><div style=\"width:")
                        .append(String.format(Locale.ROOT, "%.2f", share * 100)).append("%\"></div></td>")
                        .append("<td class=\"expect\">").append(esc(o.expect())).append("</td>")
                        .append("<td>").append(esc(o.description())).append("</td></tr>\n");
            }
            out.append("</table>\n</div>\n");
        }
        out.append("</div>\n");
    }

    private static String word(Verdict v, String colon) {
        return "<span class=\"word " + v.word().toLowerCase(Locale.ROOT).replace(" this run", "").replace(' ', '-')
                + "\">" + esc(v.word()) + colon + "</span>";
    }

    static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
