package io.github.gilpatterns.jfr;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * A thread ran without its GIL inside {@code Gil.releasing} or {@code Gil.sleep}, from
 * dropping it until it began to take it back (the event's duration).
 */
@Name("io.github.gilpatterns.GilReleased")
@Label("GIL Released")
@Description("The event thread ran a blocking call without its emulated GIL")
public final class GilReleasedEvent extends GilEvent {
  /** Answers {@link #isEnabled()} without an allocation per check. */
  public static final GilReleasedEvent PROBE = new GilReleasedEvent();
}
