/**
 * Queues that know when the work they carried is done.
 *
 * <p>{@link io.github.gilpatterns.queue.JoinableQueue} is Python's {@code queue.Queue} as a
 * {@link java.util.concurrent.BlockingQueue}: each insertion adds an unfinished task, consumers
 * report each task done with {@code taskDone()}, {@code join()} waits until none is left, and
 * Python 3.13's {@code shutdown(immediate)} becomes {@code shutdown()} and {@code shutdownNow()}
 * with {@link io.github.gilpatterns.queue.QueueShutdownException}. It is the queue of Raymond
 * Hettinger's rule from the seed notebooks: one thread owns a resource, everyone else talks to it
 * through a queue, and {@code join()} waits until nothing is left.
 */
package io.github.gilpatterns.queue;
