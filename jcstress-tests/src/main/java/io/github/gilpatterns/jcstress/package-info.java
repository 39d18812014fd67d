/**
 * Placeholder package of the jcstress-tests module; filled by later work.
 */
package io.github.gilpatterns.jcstress;
