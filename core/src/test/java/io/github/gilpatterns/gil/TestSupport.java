package io.github.gilpatterns.gil;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.gilpatterns.testing.Await;
import io.github.gilpatterns.testing.ThreadMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * Helpers shared by the gil tests: threads (of {@link ThreadMode}'s kind) that report failures,
 * and loud polling.
 */
final class TestSupport {
  static final Duration TIMEOUT = Duration.ofSeconds(20);

  private TestSupport() {
  }

  /** A started thread running {@code body}; {@link #join()} rethrows what it threw. */
  static final class Worker {
    final Thread thread;
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    final AtomicReference<Object> result = new AtomicReference<>();

    Worker(String name, Callable<?> body) {
      thread = ThreadMode.start(name, () -> {
        try {
          result.set(body.call());
        } catch (Throwable t) {
          failure.set(t);
        }
      });
    }

    Object join() throws InterruptedException {
      thread.join(TIMEOUT.toMillis());
      assertTrue(!thread.isAlive(), () -> thread.getName() + " did not finish within " + TIMEOUT);
      Throwable t = failure.get();
      if (t != null) {
        throw new AssertionError(thread.getName() + " failed", t);
      }
      return result.get();
    }
  }

  static Worker start(String name, Callable<?> body) {
    return new Worker(name, body);
  }

  static List<Object> joinAll(List<Worker> workers) throws InterruptedException {
    List<Object> results = new ArrayList<>();
    for (Worker w : workers) {
      results.add(w.join());
    }
    return results;
  }

  /** Waits until {@code condition} holds, failing loudly after TIMEOUT ({@link Await#until}). */
  static void awaitCondition(String what, BooleanSupplier condition) {
    Await.until(what, condition, TIMEOUT);
  }

  /** {@code thread.isVirtual()} on JDK 21 or later; false before, where no thread is. */
  static boolean isVirtual(Thread thread) {
    try {
      return (Boolean) Thread.class.getMethod("isVirtual").invoke(thread);
    } catch (NoSuchMethodException beforeJdk21) {
      return false;
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /** Recursive fib with a checkpoint per call, as CPython checks its eval breaker per call. */
  static long fib(int n) {
    Gil.checkpoint();
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
  }
}
