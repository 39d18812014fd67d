package io.github.gilpatterns.examples.patterns;

import static java.util.Objects.requireNonNull;

import io.github.gilpatterns.join.Threads;
import io.github.gilpatterns.patterns.CounterManager;
import io.github.gilpatterns.patterns.PrintManager;
import java.util.ArrayList;
import java.util.List;

/**
 * Raymond Hettinger's worked example of threading done right (his PyBay 2017 talk
 * "Concurrency"): a {@link CounterManager} that owns a
 * counter and a {@link PrintManager} that owns the output, wired together as in the Python, with
 * the same joins in the same order.
 *
 * <p>The Python, and {@link #run(Appendable, int)} line by line:
 *
 * <pre>{@code
 * def counter_manager():                          | CounterManager counter = CounterManager.start(
 *     ...                                         |     "counter-manager",
 *     counter += increment                        |     count -> printer.print(
 *     print_queue.put([                           |         "The count is " + count,
 *         'The count is %d' % counter,            |         "---------------"));
 *         '---------------'])                     |
 *                                                 |
 * def print_manager(): ...                        | PrintManager printer =
 *                                                 |     PrintManager.start("print-manager", out);
 *                                                 |
 * def worker():                                   | Runnable worker = () -> counter.increment(1);
 *     counter_queue.put(1)                        |
 *                                                 |
 * print_queue.put(['Starting up'])                | printer.print("Starting up");
 * worker_threads = []                             | List<Thread> workerThreads = new ArrayList<>();
 * for i in range(10):                             | for (int i = 0; i < 10; i++) {
 *     t = threading.Thread(target=worker)         |   workerThreads.add(
 *     worker_threads.append(t)                    |       Threads.start("worker-" + i, worker));
 *     t.start()                                   | }
 * for t in worker_threads:                        | Threads.joinAll(workerThreads);
 *     t.join()                                    |
 *                                                 |
 * counter_queue.join()                            | counter.join();
 * print_queue.put(['Finishing up'])               | printer.print("Finishing up");
 * print_queue.join()                              | printer.join();
 * }</pre>
 *
 * <p><b>What it prints, and why always the same.</b> With {@code n} workers the output is exactly
 * {@code Starting up}, then {@code n} times {@code The count is k} and a dashed line, for
 * {@code k = 1..n} in order, then {@code Finishing up}. {@code Starting up} is printed before any
 * worker starts; the counts are produced by one thread, one after the other, each as one print job;
 * {@code counter.join()} returns only after the last count's job has been sent to the printer, so
 * {@code Finishing up} comes after it; and {@code printer.join()} returns only once all of it has
 * been written. Which worker sent which increment varies from run to run; the output does not.
 *
 * <p>The Python's manager threads are daemons that are simply abandoned at exit; here both managers
 * are closed (counter first, since its callback prints) when {@code run} returns.
 */
public final class HettingerExample {

  private HettingerExample() {}

  /**
   * Runs the worked example with 10 workers, as in the notebook, writing to {@code out}.
   *
   * @param out where the print manager writes (for example {@code System.out})
   * @throws NullPointerException if {@code out} is {@code null}
   * @throws InterruptedException if the calling thread is interrupted while joining; the managers
   *     are closed before the exception propagates
   */
  public static void run(Appendable out) throws InterruptedException {
    run(out, 10);
  }

  /**
   * Runs the worked example with {@code workers} worker threads, each sending one increment,
   * writing to {@code out}. Returns once everything has been written, both managers have been
   * closed, and every worker thread has ended.
   *
   * @param out where the print manager writes
   * @param workers how many worker threads to start
   * @throws NullPointerException if {@code out} is {@code null}
   * @throws IllegalArgumentException if {@code workers} is negative
   * @throws InterruptedException if the calling thread is interrupted while joining; the managers
   *     are closed before the exception propagates
   */
  public static void run(Appendable out, int workers) throws InterruptedException {
    requireNonNull(out, "out");
    if (workers < 0) {
      throw new IllegalArgumentException("workers must not be negative, was " + workers);
    }
    try (PrintManager printer = PrintManager.start("print-manager", out);
        CounterManager counter = CounterManager.start("counter-manager",
            count -> printer.print("The count is " + count, "---------------"))) {
      Runnable worker = () -> counter.increment(1);

      printer.print("Starting up");
      List<Thread> workerThreads = new ArrayList<>();
      for (int i = 0; i < workers; i++) {
        workerThreads.add(Threads.start("worker-" + i, worker));
      }
      Threads.joinAll(workerThreads);

      counter.join();
      printer.print("Finishing up");
      printer.join();
    }
  }

  /**
   * Returns the lines {@link #run(Appendable, int)} prints with {@code workers} workers.
   *
   * @param workers how many worker threads
   * @return {@code Starting up}, the counts with their dashed lines, {@code Finishing up}
   * @throws IllegalArgumentException if {@code workers} is negative
   */
  public static List<String> expectedLines(int workers) {
    if (workers < 0) {
      throw new IllegalArgumentException("workers must not be negative, was " + workers);
    }
    List<String> lines = new ArrayList<>();
    lines.add("Starting up");
    for (int k = 1; k <= workers; k++) {
      lines.add("The count is " + k);
      lines.add("---------------");
    }
    lines.add("Finishing up");
    return List.copyOf(lines);
  }
}
