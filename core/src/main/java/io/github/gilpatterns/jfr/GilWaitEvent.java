package io.github.gilpatterns.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A thread waited to take an emulated GIL: from finding it held, or from dropping it at a
 * checkpoint to honour a drop request, until taking it (the event's duration).
 */
@Name("io.github.gilpatterns.GilWait")
@Label("GIL Wait")
@Category({"gilpatterns", "GIL"})
@Description("The event thread waited for an emulated GIL for the event's duration")
@StackTrace(false)
public final class GilWaitEvent extends Event {
  /** Creates an event; the library fills and commits it, a recording's reader reads it. */
  public GilWaitEvent() {}

  /** Answers {@link #isEnabled()} without an allocation per check. */
  public static final GilWaitEvent PROBE = new GilWaitEvent();

  /** The GIL, as {@code Gil.toString()} names it without its state. */
  @Label("GIL")
  public String gil = "";

  /** Whether the wait began with a drop at a checkpoint that honoured a drop request. */
  @Label("After Forced Drop")
  public boolean afterForcedDrop;
}
