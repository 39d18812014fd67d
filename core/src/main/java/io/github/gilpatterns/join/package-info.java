/**
 * The {@code join} primitives of gilpatterns-core.
 */
package io.github.gilpatterns.join;
