package io.github.gilpatterns.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A thread waited in {@code JoinableQueue.join} (or {@code awaitTermination}) for the
 * unfinished tasks to reach zero (the event's duration). Joins that return at once, with no
 * task unfinished, commit no event.
 */
@Name("io.github.gilpatterns.JoinableQueueJoin")
@Label("JoinableQueue Join")
@Category({"gilpatterns", "JoinableQueue"})
@Description("The event thread waited for a JoinableQueue's unfinished tasks to reach zero")
@StackTrace(false)
public final class JoinableQueueJoinEvent extends Event {
  /** Creates an event; the library fills and commits it, a recording's reader reads it. */
  public JoinableQueueJoinEvent() {}

  /** Answers {@link #isEnabled()} without an allocation per check. */
  public static final JoinableQueueJoinEvent PROBE = new JoinableQueueJoinEvent();

  /** The unfinished tasks when the wait began. */
  @Label("Unfinished At Start")
  public long unfinishedAtStart;

  /** Whether the count reached zero ({@code false}: the timeout elapsed or an interrupt). */
  @Label("Completed")
  public boolean completed;

  /** Whether the wait was for termination (shut down and no task unfinished). */
  @Label("Termination")
  public boolean termination;
}
