package io.github.gilpatterns.queue;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when an element is inserted into a {@link JoinableQueue} that has been shut down, or
 * when {@link JoinableQueue#take()} finds a shut-down queue empty. It is the Java counterpart of
 * Python 3.13's {@code queue.ShutDown}.
 *
 * <p>It extends {@link IllegalStateException} so that code written against the
 * {@link java.util.Queue#add(Object)} contract ("the element cannot be added at this time") keeps
 * working: an insertion refused because of shutdown is reported the same way as an insertion
 * refused because the queue is full, only with a more precise type.
 */
public class QueueShutdownException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** Creates an exception with the message {@code "queue is shut down"}. */
    public QueueShutdownException() {
        super("queue is shut down");
    }

    /**
     * Creates an exception with the given detail message.
     *
     * @param message the detail message, or {@code null}
     */
    public QueueShutdownException(@Nullable String message) {
        super(message);
    }
}
