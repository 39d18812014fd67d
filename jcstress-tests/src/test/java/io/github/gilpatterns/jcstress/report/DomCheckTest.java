package io.github.gilpatterns.jcstress.report;

import static io.github.gilpatterns.jcstress.report.Runs.broken;
import static io.github.gilpatterns.jcstress.report.Runs.fixed;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The check run on Chromium's DOM of claims.html, here on the page as written. */
class DomCheckTest {

    private static final String PAGE = HtmlReport.render(Runs.run(2, broken("Counter_01_LostUpdates.Plain", 5, 5),
            fixed("Counter_02_Owned.Owner", 10, 0, "OK")));

    @Test
    void everyClaimHasASectionWithAVerdict() {
        assertEquals(List.of(), DomCheck.problems(PAGE));
        assertEquals(List.of(), DomCheck.problems(HtmlReport.render(Runs.run(2))));
    }

    @Test
    void aSectionWithoutVerdict_fails() {
        String start = "<section class=\"claim\" id=\"claim-3\">";
        int at = PAGE.indexOf(start);
        String dom = PAGE.substring(0, at) + PAGE.substring(at).replaceFirst("<p class=\"verdict\">.*?</p>", "");
        assertEquals(List.of("claim 3: no verdict"), DomCheck.problems(dom));
    }

    @Test
    void aVerdictWithoutItsSentence_fails() {
        String dom = PAGE.replaceFirst("(<p class=\"verdict\"><span class=\"word held\">Held:</span>)[^<]*", "$1 ");
        assertEquals(List.of("claim 1: a verdict without a verdict word and a sentence: 'Held:'"), DomCheck.problems(dom));
    }

    @Test
    void aMissingSection_fails() {
        String dom = PAGE.replaceFirst("(?s)<section class=\"claim\" id=\"claim-7\">.*?</section>", "");
        assertEquals(List.of("claim sections [1, 2, 3, 4, 5, 6], expected [1, 2, 3, 4, 5, 6, 7]"), DomCheck.problems(dom));
    }
}
