package io.github.gilpatterns.jfr;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;

/** A periodic sample of one running owner's mailbox depth. */
@Name("io.github.gilpatterns.OwnerMailbox")
@Label("Owner Mailbox")
@Description("The number of accepted messages of a running owner that have not run yet")
@Period("1 s")
public final class OwnerMailboxEvent extends OwnerEvent {
  /** Accepted messages that have not finished running. */
  @Label("Depth")
  public long depth;

  /** Messages run so far. */
  @Label("Processed")
  public long processed;
}
