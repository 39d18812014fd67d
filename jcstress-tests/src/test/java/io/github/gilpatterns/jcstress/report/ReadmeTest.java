package io.github.gilpatterns.jcstress.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The module README states the claims as {@link Claim} does and quotes no figure of a run
 * (counts, times, frequencies), which would drift from the tests; {@code claims.md} has them.
 */
class ReadmeTest {

    private static final Pattern HEADING = Pattern.compile("(?m)^### (\\d+)\\. (.+)$");
    private static final Pattern RUN_FIGURE = Pattern.compile(
            "(?<![\\d.])\\d+(\\.\\d+)?%|(?<![\\d.,])[1-9][\\d,.]* (million )?samples|(?<![\\d.])\\d+ tests\\b"
                    + "|\\bin \\d+ s\\b|load average \\d");

    private static String readme() throws IOException {
        return Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
    }

    @Test
    void claimHeadings_areTheClaimSentences() throws IOException {
        List<String> headings = new ArrayList<>();
        Matcher m = HEADING.matcher(readme());
        while (m.find()) {
            headings.add(m.group(1) + ". " + m.group(2));
        }
        List<String> claims = new ArrayList<>();
        for (Claim claim : Claim.values()) {
            claims.add(claim.number() + ". " + claim.sentence());
        }
        assertEquals(claims, headings);
    }

    @Test
    void quotesNoFigureOfARun_outsideExamples() throws IOException {
        String prose = readme().replaceAll("(?s)```.*?```", "");
        List<String> figures = new ArrayList<>();
        Matcher m = RUN_FIGURE.matcher(prose);
        while (m.find()) {
            int line = prose.substring(0, m.start()).split("\n", -1).length;
            figures.add("line " + line + " of the prose: '" + m.group() + "'");
        }
        assertEquals(List.of(), figures);
    }
}
