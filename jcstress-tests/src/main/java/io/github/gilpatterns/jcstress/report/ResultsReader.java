package io.github.gilpatterns.jcstress.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.infra.TestInfo;
import org.openjdk.jcstress.infra.collectors.DiskReadCollector;
import org.openjdk.jcstress.infra.collectors.InProcessCollector;
import org.openjdk.jcstress.infra.collectors.TestResult;
import org.openjdk.jcstress.infra.grading.GradingResult;
import org.openjdk.jcstress.infra.grading.ReportUtils;
import org.openjdk.jcstress.infra.grading.TestGrading;
import org.openjdk.jcstress.infra.runners.TestList;

/**
 * Reads a run from the result file jcstress 0.16 writes ({@code jcstress-results-*.bin.gz}, one
 * record per test and JVM configuration) with jcstress's own reader and grading: the same
 * counts, expectations and descriptions its console and HTML reports show, merged per test
 * as its "RUN RESULTS" section merges them.
 */
final class ResultsReader {

    private ResultsReader() {}

    /** The run whose result file is in {@code dir}; test descriptions come from the jar's test list. */
    static Run read(Path dir, String mode) throws IOException {
        Path blob;
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> blobs = files.filter(p -> p.getFileName().toString().matches("jcstress-results-.*\\.bin\\.gz"))
                    .sorted().toList();
            if (blobs.isEmpty()) {
                throw new IOException("no jcstress-results-*.bin.gz in " + dir);
            }
            blob = blobs.get(blobs.size() - 1);
        }
        InProcessCollector collector = new InProcessCollector();
        DiskReadCollector reader = new DiskReadCollector(blob.toString(), collector);
        try {
            reader.dump();
        } catch (ClassNotFoundException e) {
            throw new IOException("cannot read " + blob, e);
        } finally {
            reader.close();
        }
        List<TestResult> perConfig = new ArrayList<>(collector.getTestResults());
        List<Run.Test> tests = new ArrayList<>();
        for (TestResult merged : ReportUtils.mergedByName(perConfig)) {
            String name = merged.getName();
            TestInfo info = TestList.getInfo(name);
            String description = info == null ? "" : info.description();
            Claim claim = Claim.ofDescription(description).orElseThrow(() -> new IOException(
                    name + ": its @Description does not start with 'Claim N' of a known claim: " + description));
            boolean broken = info != null
                    && info.cases().stream().anyMatch(c -> c.expect() == Expect.ACCEPTABLE_INTERESTING);
            int configurations = (int) perConfig.stream().filter(r -> r.getName().equals(name)).count();
            List<Run.Outcome> outcomes = new ArrayList<>();
            for (GradingResult g : TestGrading.grade(merged).gradingResults.values()) {
                outcomes.add(new Run.Outcome(g.id, label(g.expect), g.count, g.description));
            }
            tests.add(new Run.Test(name, claim, broken, description, ReportUtils.statusToLabel(merged),
                    configurations, outcomes));
        }
        tests.sort(Comparator.comparing(Run.Test::name));
        Map<String, String> env = perConfig.isEmpty() || perConfig.get(0).getEnv() == null
                ? Map.of() : perConfig.get(0).getEnv().entries();
        String jvm = env.getOrDefault("java.vm.name", System.getProperty("java.vm.name")) + " "
                + env.getOrDefault("java.vm.version", System.getProperty("java.vm.version")) + " ("
                + env.getOrDefault("java.vm.vendor", System.getProperty("java.vm.vendor")) + ")";
        String os = env.getOrDefault("os.name", System.getProperty("os.name")) + " "
                + env.getOrDefault("os.version", System.getProperty("os.version")) + " "
                + env.getOrDefault("os.arch", System.getProperty("os.arch"));
        return new Run(mode, jvm, os, Runtime.getRuntime().availableProcessors(), tests);
    }

    private static String label(Expect expect) {
        switch (expect) {
            case ACCEPTABLE: return Run.ACCEPTABLE;
            case ACCEPTABLE_INTERESTING: return Run.INTERESTING;
            case FORBIDDEN: return Run.FORBIDDEN;
            default: return expect.toString();
        }
    }
}
