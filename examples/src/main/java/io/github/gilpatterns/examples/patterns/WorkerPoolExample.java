package io.github.gilpatterns.examples.patterns;

import io.github.gilpatterns.patterns.CounterManager;
import io.github.gilpatterns.patterns.WorkerPool;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/**
 * Eight workers draining one joinable queue of 40 simulated downloads (20 ms of blocking each):
 * they overlap, so the batch takes about a fifth of a second instead of 0.8 s. The bytes are
 * added up by a counter manager, so the handlers share no state.
 */
public final class WorkerPoolExample {

  private WorkerPoolExample() {}

  /**
   * Runs the example, printing to {@code System.out}.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    run(System.out);
  }

  /**
   * Runs the example.
   *
   * @param out where to print
   */
  public static void run(PrintStream out) {
    out.println("worker pool: 8 workers, 40 downloads of 20 ms each");
    try (CounterManager bytes = CounterManager.start("bytes");
        WorkerPool<Integer> pool = WorkerPool.start("downloader", 8, page -> {
          try {
            TimeUnit.MILLISECONDS.sleep(20);   // blocking I/O: the workers overlap
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          bytes.increment(1_000L + page);      // the page's "size"
        })) {
      long start = System.nanoTime();
      for (int page = 0; page < 40; page++) {
        pool.submit(page);                     // q.put(page)
      }
      pool.join();                             // q.join()
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      out.println("  " + pool.completed() + " downloads, " + bytes.count() + " bytes, in "
          + millis + " ms (sequentially: about 800 ms)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      out.println("interrupted");
    }
  }
}
