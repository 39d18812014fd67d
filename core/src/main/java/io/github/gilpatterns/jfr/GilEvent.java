package io.github.gilpatterns.jfr;

import jdk.jfr.Category;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.StackTrace;

/**
 * What every event of an emulated GIL has: its category, no stack trace, and the GIL it is about.
 * The subclasses are the event types.
 */
@Category({"gilpatterns", "GIL"})
@StackTrace(false)
public abstract class GilEvent extends Event {
  /** The GIL, as {@code Gil.toString()} names it without its state. */
  @Label("GIL")
  public String gil = "";

  /** For the event types. */
  protected GilEvent() {}
}
