/**
 * The {@code owner} primitives of gilpatterns-core.
 */
package io.github.gilpatterns.owner;
