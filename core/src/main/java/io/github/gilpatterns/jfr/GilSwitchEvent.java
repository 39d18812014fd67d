package io.github.gilpatterns.jfr;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** An emulated GIL changed hands: the event thread took it from another last holder. */
@Name("io.github.gilpatterns.GilSwitch")
@Label("GIL Switch")
@Description("The event thread took an emulated GIL that another thread held last")
public final class GilSwitchEvent extends GilEvent {
  /** Answers {@link #isEnabled()} without an allocation per check. */
  public static final GilSwitchEvent PROBE = new GilSwitchEvent();

  /** The name of the thread that held the GIL last. */
  @Label("Previous Holder")
  public String previous = "";

  /** The id ({@code Thread.getId()}) of the thread that held the GIL last. */
  @Label("Previous Holder Id")
  public long previousId;
}
