package io.github.gilpatterns.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A waiting thread (the event thread) asked the holder of an emulated GIL to drop it, after
 * one switch interval without a switch.
 */
@Name("io.github.gilpatterns.GilDropRequest")
@Label("GIL Drop Request")
@Category({"gilpatterns", "GIL"})
@Description("The event thread asked the holder of an emulated GIL to drop it")
@StackTrace(false)
public final class GilDropRequestEvent extends Event {
  /** Creates an event; the library fills and commits it, a recording's reader reads it. */
  public GilDropRequestEvent() {}

  /** Answers {@link #isEnabled()} without an allocation per check. */
  public static final GilDropRequestEvent PROBE = new GilDropRequestEvent();

  /** The GIL, as {@code Gil.toString()} names it without its state. */
  @Label("GIL")
  public String gil = "";

  /** The name of the thread asked to drop it, empty if it had just dropped it. */
  @Label("Holder")
  public String holder = "";
}
