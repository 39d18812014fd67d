package io.github.gilpatterns.patterns;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * The patterns' one way of reporting a failure: to the user's {@link FailureHandler}, by default
 * a {@code WARNING} on the pattern's logger, and never letting anything escape, so that the
 * worker or stage that reports it keeps running.
 */
final class Failures {

  private Failures() {}

  /** The default handler: a {@code WARNING} on {@code log} naming the source and the item. */
  static FailureHandler logging(Logger log) {
    return (source, item, failure) ->
        log.log(Level.WARNING, () -> source + " failed on " + item, failure);
  }

  /**
   * Passes the failure to {@code handler}; if that throws, logs it on {@code log} with the
   * original failure suppressed in it. Nothing escapes.
   */
  static void report(FailureHandler handler, Logger log, String source, Object item,
      Throwable failure) {
    try {
      handler.handle(source, item, failure);
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
