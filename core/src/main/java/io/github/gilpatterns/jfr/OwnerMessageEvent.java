package io.github.gilpatterns.jfr;

import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/**
 * The thread of an {@code Owner} or {@code SerialExecutor} ran one message (the event's
 * duration), after it had waited {@link #queued} in the mailbox.
 *
 * <p>Off unless a recording's settings enable it: one event per message costs an owner
 * most of its {@code tell} throughput (about 14 M/s down to 4 M/s with one producer on two
 * cores), so {@code -XX:StartFlightRecording} with the default settings leaves it out. A
 * settings file that turns it on, passed after the default one
 * ({@code settings=default,settings=owner-messages.jfc}), records it.
 */
@Name("io.github.gilpatterns.OwnerMessage")
@Enabled(false)
@Label("Owner Message")
@Description("An owner thread ran one message; queued is how long the message waited first")
public final class OwnerMessageEvent extends OwnerEvent {
  /** Answers {@link #isEnabled()} without an allocation per check. */
  public static final OwnerMessageEvent PROBE = new OwnerMessageEvent();

  /**
   * How long the message waited in the mailbox, from its acceptance to the start of its run;
   * {@code -1} if it was sent before this event type was enabled (it carries no timestamp).
   */
  @Label("Queued")
  @Timespan(Timespan.NANOSECONDS)
  public long queued = -1L;
}
