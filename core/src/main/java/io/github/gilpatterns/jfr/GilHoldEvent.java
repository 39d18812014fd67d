package io.github.gilpatterns.jfr;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** A thread held an emulated GIL, from taking it to dropping it (the event's duration). */
@Name("io.github.gilpatterns.GilHold")
@Label("GIL Hold")
@Description("The event thread held an emulated GIL for the event's duration")
public final class GilHoldEvent extends GilEvent {
  /** Answers {@link #isEnabled()} without an allocation per check. */
  public static final GilHoldEvent PROBE = new GilHoldEvent();
}
