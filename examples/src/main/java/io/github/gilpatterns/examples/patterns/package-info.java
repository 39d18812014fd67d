/**
 * One small runnable program per pattern of {@code gilpatterns-patterns}: each has a {@code main}
 * and a {@code run(PrintStream)} that the examples launcher calls. Beside them are the
 * demonstrations that are not patterns to use: Raymond Hettinger's worked example
 * ({@link io.github.gilpatterns.examples.patterns.HettingerExample}) and a bank broken on purpose,
 * whose balances are shared plain memory, to compare with {@code Bank.owned}.
 */
package io.github.gilpatterns.examples.patterns;
