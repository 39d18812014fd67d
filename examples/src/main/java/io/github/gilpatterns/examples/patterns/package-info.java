/**
 * One small runnable program per pattern of {@code gilpatterns-patterns}: each has a {@code main}
 * and a {@code run(PrintStream)} that the examples launcher calls.
 */
package io.github.gilpatterns.examples.patterns;
