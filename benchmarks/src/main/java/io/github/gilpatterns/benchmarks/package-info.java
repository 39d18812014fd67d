/**
 * JMH benchmarks of gilpatterns, and measurement programs that JMH's modes do not fit.
 *
 * <p>Build the shaded jar with {@code mvn -B -ntp -o -pl benchmarks -am package -DskipTests}
 * and run {@code java -jar benchmarks/target/benchmarks.jar [regex] [JMH options]}; each
 * benchmark's Javadoc gives its exact command, and {@code benchmarks/RESULTS.md} keeps the
 * figures with the commands that produced them.
 *
 * <p>The throughput benchmarks ({@code OwnerTellBenchmark}, {@code GilExecutorBenchmark},
 * {@code JoinableQueueBenchmark}) count operations on JMH's producer threads and bound the
 * backlog, so that the count is what the consumer processed; their teardowns fail the run if
 * a message was lost. {@code benchmarks/smoke.sh} (run by CI) builds the jar and runs every
 * benchmark for one short iteration, so that they cannot rot.
 */
package io.github.gilpatterns.benchmarks;
