package io.github.gilpatterns.jfr;

import jdk.jfr.Category;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.StackTrace;

/**
 * What every event of an owner (or serial executor) has: its category, no stack trace, and the
 * owner it is about. The subclasses are the event types.
 */
@Category({"gilpatterns", "Owner"})
@StackTrace(false)
public abstract class OwnerEvent extends Event {
  /** The owner's name (its thread's name). */
  @Label("Owner")
  public String owner = "";

  /** For the event types. */
  protected OwnerEvent() {}
}
