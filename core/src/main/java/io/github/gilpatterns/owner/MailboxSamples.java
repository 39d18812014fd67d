package io.github.gilpatterns.owner;

import io.github.gilpatterns.jfr.OwnerMailboxEvent;
import jdk.jfr.FlightRecorder;

/**
 * The periodic {@code io.github.gilpatterns.OwnerMailbox} Flight Recorder event: once per
 * period (1 s unless the recording's settings say otherwise) one event per live owner or
 * serial executor, with its mailbox depth and processed count.
 *
 * <p>The hook is added the first time an owner starts while Flight Recorder is initialized
 * (from the start of the JVM with {@code -XX:StartFlightRecording}, or once a program has
 * started a recording), so that a program that records nothing never loads Flight Recorder.
 * It reads the owners from {@link ExitHooks#live()}, which holds an owner only while its thread
 * is live, and its thread references it anyway: the hook keeps no owner alive, and after every
 * owner has terminated it commits nothing. It is never removed.
 */
final class MailboxSamples {
  /** Whether the hook is added; written once, under the class lock. */
  private static volatile boolean registered;

  private MailboxSamples() {}

  static void registerIfRecording() {
    if (registered || !FlightRecorder.isInitialized()) {
      return;
    }
    synchronized (MailboxSamples.class) {
      if (!registered) {
        FlightRecorder.addPeriodicEvent(OwnerMailboxEvent.class, MailboxSamples::sample);
        registered = true;
      }
    }
  }

  private static void sample() {
    for (SerialCore<?> core : ExitHooks.live()) {
      OwnerMailboxEvent event = new OwnerMailboxEvent();
      event.owner = core.name;
      event.depth = core.pending();
      event.processed = core.processed();
      event.commit();
    }
  }
}
