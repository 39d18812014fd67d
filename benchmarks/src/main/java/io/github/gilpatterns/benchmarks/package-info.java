/**
 * JMH benchmarks of gilpatterns, and measurement programs that JMH's modes do not fit.
 *
 * <p>Build the shaded jar with {@code mvn -B -ntp -o -pl benchmarks -am package -DskipTests}
 * and run {@code java -jar benchmarks/target/benchmarks.jar [regex] [JMH options]}; each
 * benchmark's Javadoc gives its exact command, and {@code benchmarks/RESULTS.md} keeps the
 * figures with the commands that produced them.
 */
package io.github.gilpatterns.benchmarks;
