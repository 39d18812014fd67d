package io.github.gilpatterns.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * The thread of an {@code Owner} or {@code SerialExecutor} ran one message (the event's
 * duration), after it had waited {@link #queued} in the mailbox.
 */
@Name("io.github.gilpatterns.OwnerMessage")
@Label("Owner Message")
@Category({"gilpatterns", "Owner"})
@Description("An owner thread ran one message; queued is how long the message waited first")
@StackTrace(false)
public final class OwnerMessageEvent extends Event {
  /** Answers {@link #isEnabled()} without an allocation per check. */
  public static final OwnerMessageEvent PROBE = new OwnerMessageEvent();

  /** The owner's name (its thread's name). */
  @Label("Owner")
  public String owner = "";

  /**
   * How long the message waited in the mailbox, from its acceptance to the start of its run;
   * {@code -1} if it was sent before this event type was enabled (it carries no timestamp).
   */
  @Label("Queued")
  @Timespan(Timespan.NANOSECONDS)
  public long queued = -1L;
}
