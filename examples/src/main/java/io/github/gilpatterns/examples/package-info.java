/**
 * Placeholder package of the examples module; filled by later work.
 */
package io.github.gilpatterns.examples;
