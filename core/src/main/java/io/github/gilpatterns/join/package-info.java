/**
 * Joining helpers: {@link io.github.gilpatterns.join.Threads} starts and joins platform threads
 * the way Python's {@code threading} module does, and {@link io.github.gilpatterns.join.TaskGroup}
 * is a structured scope (Python's {@code asyncio.TaskGroup}) whose first failure cancels the
 * other tasks and whose {@code close()} never leaves a forked thread running.
 *
 * <p>This is the third rule of the seed notebooks' "sanity" list: to wait for threads,
 * {@code join()} the thread or the queue to signal that no work is left.
 */
package io.github.gilpatterns.join;
