/**
 * One thread owns a state; everyone else talks to it through a mailbox.
 *
 * <p>{@link io.github.gilpatterns.owner.Owner} is Raymond Hettinger's counter manager as a type:
 * the state lives on exactly one thread, other threads {@code tell} it messages (or {@code ask} it
 * questions) through a lock-free multi-producer single-consumer mailbox, and {@code join()} waits
 * until every message sent so far has run, like Python's {@code Queue.join()}. Because only the
 * owner thread touches the state, the state needs no synchronization of its own.
 */
package io.github.gilpatterns.owner;
