/**
 * The {@code gil} primitives of gilpatterns-core.
 */
package io.github.gilpatterns.gil;
