package io.github.gilpatterns.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** An emulated GIL changed hands: the event thread took it from another last holder. */
@Name("io.github.gilpatterns.GilSwitch")
@Label("GIL Switch")
@Category({"gilpatterns", "GIL"})
@Description("The event thread took an emulated GIL that another thread held last")
@StackTrace(false)
public final class GilSwitchEvent extends Event {
  /** Creates an event; the library fills and commits it, a recording's reader reads it. */
  public GilSwitchEvent() {}

  /** Answers {@link #isEnabled()} without an allocation per check. */
  public static final GilSwitchEvent PROBE = new GilSwitchEvent();

  /** The GIL, as {@code Gil.toString()} names it without its state. */
  @Label("GIL")
  public String gil = "";

  /** The name of the thread that held the GIL last. */
  @Label("Previous Holder")
  public String previous = "";

  /** The id ({@code Thread.getId()}) of the thread that held the GIL last. */
  @Label("Previous Holder Id")
  public long previousId;
}
