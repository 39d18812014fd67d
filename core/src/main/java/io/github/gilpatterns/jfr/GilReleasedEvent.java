package io.github.gilpatterns.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A thread ran without its GIL inside {@code Gil.releasing} or {@code Gil.sleep}, from
 * dropping it until it began to take it back (the event's duration).
 */
@Name("io.github.gilpatterns.GilReleased")
@Label("GIL Released")
@Category({"gilpatterns", "GIL"})
@Description("The event thread ran a blocking call without its emulated GIL")
@StackTrace(false)
public final class GilReleasedEvent extends Event {
  /** Creates an event; the library fills and commits it, a recording's reader reads it. */
  public GilReleasedEvent() {}

  /** Answers {@link #isEnabled()} without an allocation per check. */
  public static final GilReleasedEvent PROBE = new GilReleasedEvent();

  /** The GIL, as {@code Gil.toString()} names it without its state. */
  @Label("GIL")
  public String gil = "";
}
