package io.github.gilpatterns.patterns;

import java.lang.System.Logger.Level;
import java.lang.System.Logger;

/**
 * The patterns' one way of reporting a failure: to the user's failure handler, never letting
 * anything escape, so that the worker or stage that reports it keeps running.
 */
final class Failures {

  private Failures() {}

  /**
   * Runs {@code handler}, the user's failure handler called with {@code failure}; if that
   * throws, logs it on {@code log} with the original failure suppressed in it. Nothing escapes.
   *
   * @param source what failed, for the log: "worker pool crawler", "stage numbers.parse"
   */
  static void report(Logger log, String source, Object item, Throwable failure,
      Runnable handler) {
    try {
      handler.run();
    } catch (Throwable handlerFailure) {
      try {
        if (handlerFailure != failure) {
          handlerFailure.addSuppressed(failure);
        }
        log.log(Level.WARNING, () -> "the failure handler of " + source
            + " threw while handling a failure on " + item, handlerFailure);
      } catch (Throwable ignored) {
        // Nothing is left to report to; the thread must keep running.
      }
    }
  }
}
