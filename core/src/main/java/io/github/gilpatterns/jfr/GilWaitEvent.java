package io.github.gilpatterns.jfr;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * A thread waited to take an emulated GIL: from finding it held, or from dropping it at a
 * checkpoint to honour a drop request, until taking it (the event's duration).
 */
@Name("io.github.gilpatterns.GilWait")
@Label("GIL Wait")
@Description("The event thread waited for an emulated GIL for the event's duration")
public final class GilWaitEvent extends GilEvent {
  /** Answers {@link #isEnabled()} without an allocation per check. */
  public static final GilWaitEvent PROBE = new GilWaitEvent();

  /** Whether the wait began with a drop at a checkpoint that honoured a drop request. */
  @Label("After Forced Drop")
  public boolean afterForcedDrop;
}
