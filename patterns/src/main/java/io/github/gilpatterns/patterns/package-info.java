/**
 * Raymond Hettinger's counter manager and print manager, and the patterns that grow from them,
 * built from {@code gilpatterns-core} only.
 *
 * <p>The rule behind all of them is the one Raymond Hettinger's PyBay 2017 talk "Concurrency"
 * ends with: access shared state from one thread only; talk to that thread from the others
 * through a queue; wait with {@code join()} until no work is left. Each class here applies it to
 * one job and shows the Python it comes from beside the Java:
 *
 * <ul>
 *   <li>{@link io.github.gilpatterns.patterns.CounterManager}: a counter owned by one thread;
 *       increments are messages, the count after {@code join()} is exact.
 *   <li>{@link io.github.gilpatterns.patterns.KeyedCounterManager}: Python's
 *       {@code collections.Counter} owned by one thread: many counts, one owner.
 *   <li>{@link io.github.gilpatterns.patterns.PrintManager}: an output owned by one thread; a
 *       print job's lines are always written together.
 *   <li>{@link io.github.gilpatterns.patterns.Bank}: transfers between accounts whose balances
 *       one thread owns, so that no money is lost or created however many threads transfer.
 *   <li>{@link io.github.gilpatterns.patterns.WorkerPool}: N workers draining one joinable queue.
 *   <li>{@link io.github.gilpatterns.patterns.Pipeline}: stages of owner threads connected by
 *       their mailboxes, with per-key order for parallel stages.
 * </ul>
 *
 * <p><b>Common conventions.</b> Bad arguments throw at the call, on the calling thread, and change
 * nothing ({@code NullPointerException} for {@code null}, {@code IllegalArgumentException} for
 * bad numbers or unknown names). Sends after {@code close()} throw
 * {@link java.util.concurrent.RejectedExecutionException}, as for an
 * {@link java.util.concurrent.ExecutorService}; reads after {@code close()} return the final
 * values. Every pattern has the library's one lifecycle contract,
 * {@link io.github.gilpatterns.join.Lifecycle}, and those with a {@code join()} the
 * {@link io.github.gilpatterns.join.Joinable} one: {@code close()} processes everything accepted
 * and waits until every thread of the pattern has ended, and if the closing thread is interrupted
 * it stops as {@code shutdownNow()} does and reports what it dropped by the pattern's name.
 * {@code join()} called on a pattern's own thread throws {@code IllegalStateException} instead
 * of waiting for itself. Every pattern has a builder, with a thread factory. Failure handlers
 * ({@link io.github.gilpatterns.patterns.WorkerPool.FailureHandler},
 * {@link io.github.gilpatterns.patterns.Pipeline.FailureHandler}) see the typed item and the
 * pattern, and may submit the item again. The threads are non-daemon, so close every pattern
 * (try-with-resources).
 */
package io.github.gilpatterns.patterns;
