package io.github.gilpatterns.jfr;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * A waiting thread (the event thread) asked the holder of an emulated GIL to drop it, after
 * one switch interval without a switch.
 */
@Name("io.github.gilpatterns.GilDropRequest")
@Label("GIL Drop Request")
@Description("The event thread asked the holder of an emulated GIL to drop it")
public final class GilDropRequestEvent extends GilEvent {
  /** Answers {@link #isEnabled()} without an allocation per check. */
  public static final GilDropRequestEvent PROBE = new GilDropRequestEvent();

  /** The name of the thread asked to drop it, empty if it had just dropped it. */
  @Label("Holder")
  public String holder = "";
}
