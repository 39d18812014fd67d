/**
 * Placeholder package of the patterns module; filled by later work.
 */
package io.github.gilpatterns.patterns;
