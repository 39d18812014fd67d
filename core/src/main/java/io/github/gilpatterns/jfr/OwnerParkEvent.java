package io.github.gilpatterns.jfr;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** The thread of an owner found its mailbox empty and parked (the event's duration). */
@Name("io.github.gilpatterns.OwnerPark")
@Label("Owner Park")
@Description("An owner thread parked on an empty mailbox for the event's duration")
public final class OwnerParkEvent extends OwnerEvent {
  /** Answers {@link #isEnabled()} without an allocation per check. */
  public static final OwnerParkEvent PROBE = new OwnerParkEvent();
}
