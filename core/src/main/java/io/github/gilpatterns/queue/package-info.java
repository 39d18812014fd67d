/**
 * The {@code queue} primitives of gilpatterns-core.
 */
package io.github.gilpatterns.queue;
