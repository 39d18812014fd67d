package io.github.gilpatterns.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** The thread of an owner found its mailbox empty and parked (the event's duration). */
@Name("io.github.gilpatterns.OwnerPark")
@Label("Owner Park")
@Category({"gilpatterns", "Owner"})
@Description("An owner thread parked on an empty mailbox for the event's duration")
@StackTrace(false)
public final class OwnerParkEvent extends Event {
  /** Creates an event; the library fills and commits it, a recording's reader reads it. */
  public OwnerParkEvent() {}

  /** Answers {@link #isEnabled()} without an allocation per check. */
  public static final OwnerParkEvent PROBE = new OwnerParkEvent();

  /** The owner's name (its thread's name). */
  @Label("Owner")
  public String owner = "";
}
