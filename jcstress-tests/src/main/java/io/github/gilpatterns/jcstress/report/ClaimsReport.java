package io.github.gilpatterns.jcstress.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the claims report of a jcstress run and compares two runs; {@code jcstress-tests/run.sh}
 * calls it after every run and for {@code run.sh compare}.
 *
 * <pre>
 *   java -cp jcstress.jar io.github.gilpatterns.jcstress.report.ClaimsReport write RESULTS_DIR MODE
 *       reads jcstress's result file in RESULTS_DIR, writes claims.html, claims.json and claims.md there
 *   ... ClaimsReport compare A.json B.json [POINTS]
 *       prints the differences; exit 1 when there are any (POINTS: frequency threshold, default 5)
 *   ... ClaimsReport check-dom DOM.html
 *       checks a browser's DOM of claims.html; exit 1 when a claim has no verdict
 * </pre>
 */
public final class ClaimsReport {

    private ClaimsReport() {}

    public static void main(String[] args) throws IOException {
        String command = args.length == 0 ? "" : args[0];
        switch (command) {
            case "write" -> {
                usage(args.length == 3);
                Path dir = Path.of(args[1]);
                Run run = ResultsReader.read(dir, args[2]);
                Files.writeString(dir.resolve("claims.html"), HtmlReport.render(run), StandardCharsets.UTF_8);
                Files.writeString(dir.resolve("claims.json"), run.toJson(), StandardCharsets.UTF_8);
                Files.writeString(dir.resolve("claims.md"), MarkdownReport.render(run), StandardCharsets.UTF_8);
                System.out.println("Claims:");
                for (Claim claim : Claim.values()) {
                    for (Verdict v : Verdict.of(claim, run.testsOf(claim))) {
                        System.out.println("  " + claim.number() + ". " + v);
                    }
                }
                System.out.println("Claims report: " + dir.resolve("claims.html") + " (and claims.json, claims.md)");
            }
            case "compare" -> {
                usage(args.length == 3 || args.length == 4);
                Run a = Run.fromJson(Files.readString(Path.of(args[1]), StandardCharsets.UTF_8));
                Run b = Run.fromJson(Files.readString(Path.of(args[2]), StandardCharsets.UTF_8));
                double points = args.length == 4 ? Double.parseDouble(args[3]) : 5;
                List<String> differences = Compare.differences(a, b, points);
                System.out.println("A: " + args[1] + "\nB: " + args[2]);
                if (differences.isEmpty()) {
                    System.out.println("No differences: the same outcomes seen, no frequency moved by "
                            + points + " points or more.");
                    return;
                }
                differences.forEach(d -> System.out.println("  " + d));
                System.exit(1);
            }
            case "check-dom" -> {
                usage(args.length == 2);
                List<String> problems = DomCheck.problems(Files.readString(Path.of(args[1]), StandardCharsets.UTF_8));
                if (!problems.isEmpty()) {
                    System.err.println("FAILED: claims.html as the browser rendered it (" + args[1] + "):");
                    problems.forEach(p -> System.err.println("  " + p));
                    System.exit(1);
                }
                System.out.println("OK: every one of the " + Claim.values().length + " claims has a verdict in the rendered page.");
            }
            default -> usage(false);
        }
    }

    private static void usage(boolean ok) {
        if (!ok) {
            System.err.println("usage: ClaimsReport write RESULTS_DIR MODE | compare A.json B.json [POINTS] | check-dom DOM.html");
            System.exit(2);
        }
    }
}
