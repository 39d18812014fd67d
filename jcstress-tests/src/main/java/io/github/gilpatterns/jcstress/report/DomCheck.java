package io.github.gilpatterns.jcstress.report;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the DOM a browser built from {@code claims.html} (Chromium's {@code --dump-dom}
 * output): one section per claim, numbered as {@link Claim} numbers them and in that order,
 * and in each at least one verdict that opens with a verdict word and goes on with a sentence.
 */
final class DomCheck {

    private DomCheck() {}

    private static final Pattern SECTION = Pattern.compile(
            "<section class=\"claim\" id=\"claim-(\\d+)\">(.*?)</section>", Pattern.DOTALL);
    private static final Pattern VERDICT = Pattern.compile("<p class=\"verdict\">(.*?)</p>", Pattern.DOTALL);
    private static final Pattern WORD = Pattern.compile("^(" + String.join("|", Verdict.PROVED, Verdict.NOT_SEEN,
            Verdict.HELD, Verdict.REFUTED, Verdict.FAILED, Verdict.NOT_RUN) + "): \\S.{10,}");

    /** The problems found; empty when every claim has a section with a verdict. */
    static List<String> problems(String dom) {
        List<String> problems = new ArrayList<>();
        Matcher section = SECTION.matcher(dom);
        List<Integer> numbers = new ArrayList<>();
        while (section.find()) {
            int number = Integer.parseInt(section.group(1));
            numbers.add(number);
            Matcher verdict = VERDICT.matcher(section.group(2));
            int verdicts = 0;
            while (verdict.find()) {
                String text = verdict.group(1).replaceAll("<[^>]*>", "").replaceAll("\\s+", " ").trim();
                if (!WORD.matcher(text).matches()) {
                    problems.add("claim " + number + ": a verdict without a verdict word and a sentence: '" + text + "'");
                }
                verdicts++;
            }
            if (verdicts == 0) {
                problems.add("claim " + number + ": no verdict");
            }
        }
        List<Integer> expected = new ArrayList<>();
        for (Claim claim : Claim.values()) {
            expected.add(claim.number());
        }
        if (!numbers.equals(expected)) {
            problems.add("claim sections " + numbers + ", expected " + expected);
        }
        return problems;
    }
}
