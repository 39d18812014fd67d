package io.github.gilpatterns.patterns;

/**
 * Receives what a pattern's user code threw on one item: a {@link WorkerPool}'s handler, or a
 * {@link Pipeline} stage's function, key function or sink. It is called on the thread that ran
 * the failing code, before that thread takes its next item, and the item goes no further. If the
 * handler itself throws, that is logged (a {@link System.Logger} {@code WARNING}, with the
 * original failure suppressed in it) and the pattern carries on; so a handler cannot stop a
 * worker or a stage.
 */
@FunctionalInterface
public interface FailureHandler {

  /**
   * Handles the failure of one item.
   *
   * @param source where it failed: the pool's name, or the name of the stage whose code threw
   * @param item the item it failed on
   * @param failure what it threw
   */
  void handle(String source, Object item, Throwable failure);
}
