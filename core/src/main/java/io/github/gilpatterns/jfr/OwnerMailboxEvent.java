package io.github.gilpatterns.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/** A periodic sample of one running owner's mailbox depth. */
@Name("io.github.gilpatterns.OwnerMailbox")
@Label("Owner Mailbox")
@Category({"gilpatterns", "Owner"})
@Description("The number of accepted messages of a running owner that have not run yet")
@StackTrace(false)
@Period("1 s")
public final class OwnerMailboxEvent extends Event {
  /** Creates an event; the library fills and commits it, a recording's reader reads it. */
  public OwnerMailboxEvent() {}

  /** The owner's name (its thread's name). */
  @Label("Owner")
  public String owner = "";

  /** Accepted messages that have not finished running. */
  @Label("Depth")
  public long depth;

  /** Messages run so far. */
  @Label("Processed")
  public long processed;
}
