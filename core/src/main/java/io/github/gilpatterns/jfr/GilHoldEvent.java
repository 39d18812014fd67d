package io.github.gilpatterns.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A thread held an emulated GIL, from taking it to dropping it (the event's duration). */
@Name("io.github.gilpatterns.GilHold")
@Label("GIL Hold")
@Category({"gilpatterns", "GIL"})
@Description("The event thread held an emulated GIL for the event's duration")
@StackTrace(false)
public final class GilHoldEvent extends Event {
  /** Creates an event; the library fills and commits it, a recording's reader reads it. */
  public GilHoldEvent() {}

  /** Answers {@link #isEnabled()} without an allocation per check. */
  public static final GilHoldEvent PROBE = new GilHoldEvent();

  /** The GIL, as {@code Gil.toString()} names it without its state. */
  @Label("GIL")
  public String gil = "";
}
