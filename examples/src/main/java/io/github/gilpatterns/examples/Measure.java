package io.github.gilpatterns.examples;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import io.github.gilpatterns.gil.Gil;
import io.github.gilpatterns.gil.GilExecutor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Timing helpers shared by the notebooks. */
final class Measure {
  private Measure() {}

  /** A piece of work that may throw. */
  @FunctionalInterface
  interface Work {
    void run() throws Exception;
  }

  /** Wall time of {@code work} on the calling thread, in seconds. */
  static double seconds(Work work) throws Exception {
    long t0 = System.nanoTime();
    work.run();
    return (System.nanoTime() - t0) / 1e9;
  }

  /**
   * Wall time of one sequential run of {@code task} on the calling thread holding an
   * uncontended GIL (what {@code %time fib(n)} measures in CPython), in seconds.
   */
  static double sequential(Callable<?> task) throws Exception {
    Gil gil = Gil.create();
    gil.acquire();
    try {
      return seconds(task::call);
    } finally {
      gil.release();
    }
  }

  /**
   * Wall time, in seconds, of {@code k} threads of {@code mode} each running {@code task}
   * once: creating the pool, starting and joining its threads included, as the notebooks time
   * {@code start()} and {@code join()}.
   */
  static double threads(Mode mode, int k, Callable<?> task) throws Exception {
    return threads(mode.executor(k), k, task);
  }

  /** As {@link #threads(Mode, int, Callable)}, with k threads sharing {@code gil}. */
  static double threads(Gil gil, int k, Callable<?> task) throws Exception {
    return threads(GilExecutor.create(gil, k), k, task);
  }

  private static double threads(GilExecutor executor, int k, Callable<?> task) throws Exception {
    long t0 = System.nanoTime();
    try (GilExecutor pool = executor) {
      List<ListenableFuture<?>> futures = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        futures.add(pool.submit(task));
      }
      await(Futures.allAsList(futures));
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /** Waits for a future, at most ten minutes, unwrapping its failure. */
  static <T> T await(ListenableFuture<T> future) throws Exception {
    try {
      return future.get(10, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception) {
        throw (Exception) cause;
      }
      throw e;
    } catch (TimeoutException e) {
      future.cancel(true);
      throw e;
    }
  }

  static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  static double median(List<Double> xs) {
    return median(xs.stream().mapToDouble(Double::doubleValue).toArray());
  }
}
