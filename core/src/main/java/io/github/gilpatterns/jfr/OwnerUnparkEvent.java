package io.github.gilpatterns.jfr;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** A sender (the event thread) found an owner's thread parked and unparked it. */
@Name("io.github.gilpatterns.OwnerUnpark")
@Label("Owner Unpark")
@Description("The event thread sent a message to a parked owner and woke its thread")
public final class OwnerUnparkEvent extends OwnerEvent {
  /** Answers {@link #isEnabled()} without an allocation per check. */
  public static final OwnerUnparkEvent PROBE = new OwnerUnparkEvent();
}
