package io.github.gilpatterns.patterns;

import io.github.gilpatterns.owner.Owner;
import java.util.concurrent.TimeUnit;

/**
 * The patterns' {@code close()}: everything accepted runs, whatever interrupts the closing
 * thread. {@link Owner#close()} follows {@code ExecutorService.close()} and stops at once when
 * interrupted; the patterns promise instead never to drop an accepted increment, job or transfer.
 */
final class Closing {

  private Closing() {}

  /** An {@code awaitTermination(long, TimeUnit)}. */
  @FunctionalInterface
  interface Termination {
    boolean await(long timeout, TimeUnit unit) throws InterruptedException;
  }

  /**
   * Shuts {@code owner} down and waits until its thread has ended, every accepted message run; an
   * interrupt while waiting is kept and set again on return. On the owner thread itself it only
   * shuts down. Returns also if the owner thread ended unexpectedly (that end was logged). When it
   * returns, the owner thread is no longer alive.
   */
  static void closeRunningEverything(Owner<?> owner) {
    owner.shutdown();
    if (owner.isOwnerThread()) {
      return;
    }
    awaitTerminationUninterruptibly(owner::awaitTermination);
    owner.close(); // terminated: joins the thread, so none is left running
  }

  /**
   * Waits until {@code termination} reports the end, however long that takes; an interrupt while
   * waiting is kept and set again on return. Returns also if the thread ended unexpectedly
   * ({@code IllegalStateException}: that end was logged).
   */
  static void awaitTerminationUninterruptibly(Termination termination) {
    boolean interrupted = false;
    boolean ended = false;
    while (!ended) {
      try {
        ended = termination.await(1L, TimeUnit.DAYS);
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (IllegalStateException endedUnexpectedly) {
        ended = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
