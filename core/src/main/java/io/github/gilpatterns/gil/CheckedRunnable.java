package io.github.gilpatterns.gil;

import java.lang.reflect.UndeclaredThrowableException;

/**
 * An action whose checked exception is a type parameter, so that a method taking one throws
 * exactly what the action throws: {@code gil.releasing(() -> Thread.sleep(10))} throws
 * {@link InterruptedException}, and {@code gil.releasing(() -> list.clear())} throws no
 * checked exception at all. Write it as a lambda or a method reference; the compiler infers
 * {@code X} from the body ({@link RuntimeException} when the body throws no checked
 * exception, and the closest common supertype when it throws several, such as
 * {@link Exception} for {@code Future.get()}'s {@link InterruptedException} and
 * {@link java.util.concurrent.ExecutionException}).
 *
 * <p>It extends {@link Runnable} so that a method overloaded on both, such as
 * {@link Gil#releasing(Runnable)} and {@link Gil#releasing(CheckedRunnable)}, picks this, the
 * more specific one, for a lambda (a lambda that throws a checked exception fits a
 * {@code Runnable} in shape, and would otherwise make the call ambiguous or fail to
 * compile), and the {@code Runnable} one for a value typed {@code Runnable}.
 *
 * @param <X> the checked exception the action may throw
 * @see CheckedCallable
 */
@FunctionalInterface
public interface CheckedRunnable<X extends Exception> extends Runnable {
  /**
   * Performs the action, or throws an exception of type {@code X} (or an unchecked one).
   *
   * @throws X if the action fails
   */
  void runChecked() throws X;

  /**
   * Performs the action through the {@link Runnable} interface, which cannot throw a checked
   * exception: calls {@link #runChecked()} and rethrows an unchecked exception or error as
   * itself, and a checked one wrapped in an {@link UndeclaredThrowableException}. If the
   * checked exception is an {@link InterruptedException}, first sets the interrupt status
   * again, so that the interrupt is not lost.
   *
   * @throws UndeclaredThrowableException if {@link #runChecked()} threw a checked exception
   *     (the cause)
   */
  @Override
  default void run() {
    try {
      runChecked();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new UndeclaredThrowableException(e);
    }
  }
}
