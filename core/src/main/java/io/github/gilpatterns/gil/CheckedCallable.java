package io.github.gilpatterns.gil;

import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Callable} whose checked exception is a type parameter, so that a method taking one
 * throws exactly what the call throws: {@code gil.releasing(() -> Files.readAllBytes(path))}
 * throws {@link java.io.IOException}, and {@code gil.releasing(() -> "x")} throws no checked
 * exception at all. Write it as a lambda or a method reference; the compiler infers
 * {@code X} from the body ({@link RuntimeException} when the body throws no checked
 * exception, and the closest common supertype when it throws several, such as
 * {@link Exception} for {@code Future.get()}'s {@link InterruptedException} and
 * {@link java.util.concurrent.ExecutionException}).
 *
 * <p>It extends {@link Callable} so that a method overloaded on both, such as
 * {@link Gil#releasing(Callable)} and {@link Gil#releasing(CheckedCallable)}, picks this,
 * the more specific one, for a lambda, and the {@code Callable} one for a value typed
 * {@code Callable}.
 *
 * @param <V> the result type
 * @param <X> the checked exception the call may throw
 * @see CheckedRunnable
 */
@FunctionalInterface
public interface CheckedCallable<V extends @Nullable Object, X extends Exception>
    extends Callable<V> {
  /**
   * Computes a result, or throws an exception of type {@code X} (or an unchecked one).
   *
   * @return the result
   * @throws X if the computation fails
   */
  @Override
  V call() throws X;
}
