package io.github.gilpatterns.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A sender (the event thread) found an owner's thread parked and unparked it. */
@Name("io.github.gilpatterns.OwnerUnpark")
@Label("Owner Unpark")
@Category({"gilpatterns", "Owner"})
@Description("The event thread sent a message to a parked owner and woke its thread")
@StackTrace(false)
public final class OwnerUnparkEvent extends Event {
  /** Creates an event; the library fills and commits it, a recording's reader reads it. */
  public OwnerUnparkEvent() {}

  /** Answers {@link #isEnabled()} without an allocation per check. */
  public static final OwnerUnparkEvent PROBE = new OwnerUnparkEvent();

  /** The owner's name (its thread's name). */
  @Label("Owner")
  public String owner = "";
}
