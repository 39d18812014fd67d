package io.github.gilpatterns.examples.patterns;

import io.github.gilpatterns.patterns.CounterManager;
import io.github.gilpatterns.patterns.WorkerPool;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/**
 * Eight workers crawling 40 simulated pages (20 ms of blocking each) from one start page: each
 * page's handler submits the pages it links to, and {@code join()} waits for those follow-ups
 * too. The downloads overlap, so the crawl takes a fraction of the 0.8 s it would take on one
 * thread. The bytes are added up by a counter manager, so the handlers share no state.
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
    out.println("worker pool: 8 workers crawl 40 pages of 20 ms each from page 0");
    try (CounterManager bytes = CounterManager.start("bytes");
        WorkerPool<Integer> pool = WorkerPool.<Integer>start("crawler", 8, (page, crawler) -> {
          TimeUnit.MILLISECONDS.sleep(20);     // blocking I/O (may throw): the workers overlap
          bytes.increment(1_000L + page);      // the page's "size"
          for (int link = 3 * page + 1; link <= 3 * page + 3 && link < 40; link++) {
            crawler.submit(link);              // q.put(link), before this page's task_done()
          }
        })) {
      long start = System.nanoTime();
      pool.submit(0);                          // q.put(start_page)
      pool.join();                             // q.join(): every page the crawl reached
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      out.println("  " + pool.completed() + " downloads, " + bytes.count() + " bytes, in "
          + millis + " ms (sequentially: about 800 ms)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      out.println("interrupted");
    }
  }
}
