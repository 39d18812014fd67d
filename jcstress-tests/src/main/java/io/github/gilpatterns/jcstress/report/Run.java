package io.github.gilpatterns.jcstress.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One jcstress run as the claims report sees it: where it ran, and every test with its
 * outcomes merged over the JVM configurations it ran in. Built from jcstress's result file
 * ({@link ResultsReader}) or read back from a {@code claims.json} ({@link #fromJson}).
 *
 * @param mode the run.sh mode, "quick" or "full"
 * @param jvm the JVM the tests ran on, "OpenJDK 64-Bit Server VM 17.0.15+6 (Debian)"
 * @param os the operating system, "Linux 6.1.0 amd64"
 * @param cpus the CPUs the machine offered
 * @param tests the tests that ran, in name order
 */
public record Run(String mode, String jvm, String os, int cpus, List<Test> tests) {

    /** Expectations as jcstress prints them. */
    static final String ACCEPTABLE = "Acceptable";
    static final String INTERESTING = "Interesting";
    static final String FORBIDDEN = "Forbidden";

    public Run {
        tests = List.copyOf(tests);
    }

    /**
     * One outcome of one test.
     *
     * @param id the result the actors recorded, "1, 1, 1"
     * @param expect {@code Acceptable}, {@code Interesting} or {@code Forbidden}
     * @param samples how many samples had this result
     * @param description what the result means, from the test's {@code @Outcome}
     */
    public record Outcome(String id, String expect, long samples, String description) {}

    /**
     * One test, its outcomes merged over the JVM configurations it ran in.
     *
     * @param name the test's class name, "io.github.gilpatterns.jcstress.Counter_01_LostUpdates.Plain"
     * @param claim the claim its description names
     * @param broken whether it is the claim's broken side (it declares an interesting outcome)
     * @param description the test's jcstress {@code @Description}
     * @param status jcstress's verdict on the test: OK, FAILED, ERROR and so on
     * @param configurations how many JVM configurations it ran in
     * @param outcomes its declared and observed outcomes
     */
    public record Test(String name, Claim claim, boolean broken, String description, String status,
                       int configurations, List<Outcome> outcomes) {

        public Test {
            outcomes = List.copyOf(outcomes);
        }

        /** The name without its package: "Counter_01_LostUpdates.Plain". */
        public String shortName() {
            int nested = name.lastIndexOf('.', name.lastIndexOf('.') - 1);
            return name.substring(nested + 1);
        }

        public long samples() {
            return outcomes.stream().mapToLong(Outcome::samples).sum();
        }

        /** Samples of the outcomes with this expectation. */
        public long samples(String expect) {
            return outcomes.stream().filter(o -> o.expect.equals(expect)).mapToLong(Outcome::samples).sum();
        }

        /** The share of this test's samples, 0 to 1. */
        public double frequency(long count) {
            long total = samples();
            return total == 0 ? 0 : (double) count / total;
        }
    }

    /** The tests of one claim, in name order. */
    public List<Test> testsOf(Claim claim) {
        return tests.stream().filter(t -> t.claim == claim).toList();
    }

    /** This run as JSON: the run's environment, then one record per test and outcome. */
    public String toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("mode", mode);
        root.put("jvm", jvm);
        root.put("os", os);
        root.put("cpus", cpus);
        List<Object> records = new ArrayList<>();
        for (Test test : tests) {
            for (Outcome outcome : test.outcomes) {
                Map<String, Object> record = new LinkedHashMap<>();
                record.put("claim", test.claim.number());
                record.put("test", test.name);
                record.put("side", test.broken ? "broken" : "fixed");
                record.put("status", test.status);
                record.put("configurations", test.configurations);
                record.put("testDescription", test.description);
                record.put("outcome", outcome.id);
                record.put("expect", outcome.expect);
                record.put("samples", outcome.samples);
                record.put("frequency", test.frequency(outcome.samples));
                record.put("description", outcome.description);
                records.add(record);
            }
        }
        root.put("records", records);
        return Json.write(root) + "\n";
    }

    /** Reads back what {@link #toJson} wrote. */
    public static Run fromJson(String json) {
        Map<?, ?> root = (Map<?, ?>) Json.parse(json);
        Map<String, List<Map<?, ?>>> byTest = new LinkedHashMap<>();
        for (Object record : (List<?>) root.get("records")) {
            Map<?, ?> r = (Map<?, ?>) record;
            byTest.computeIfAbsent((String) r.get("test"), k -> new ArrayList<>()).add(r);
        }
        List<Test> tests = new ArrayList<>();
        byTest.forEach((name, records) -> {
            Map<?, ?> first = records.get(0);
            int number = ((Number) first.get("claim")).intValue();
            Claim claim = Claim.ofNumber(number)
                    .orElseThrow(() -> new IllegalArgumentException(name + ": no claim " + number));
            List<Outcome> outcomes = records.stream().map(r -> new Outcome((String) r.get("outcome"),
                    (String) r.get("expect"), ((Number) r.get("samples")).longValue(),
                    (String) r.get("description"))).toList();
            tests.add(new Test(name, claim, "broken".equals(first.get("side")),
                    (String) first.get("testDescription"), (String) first.get("status"),
                    ((Number) first.get("configurations")).intValue(), outcomes));
        });
        return new Run((String) root.get("mode"), (String) root.get("jvm"), (String) root.get("os"),
                ((Number) Objects.requireNonNull(root.get("cpus"), "cpus")).intValue(), tests);
    }
}
