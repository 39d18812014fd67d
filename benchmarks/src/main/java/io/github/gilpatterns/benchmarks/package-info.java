/**
 * Placeholder package of the benchmarks module; filled by later work.
 */
package io.github.gilpatterns.benchmarks;
