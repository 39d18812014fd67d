package io.github.gilpatterns.examples.patterns;

import io.github.gilpatterns.join.Threads;
import io.github.gilpatterns.patterns.CounterManager;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Hettinger's counter manager: 10 threads each add 1, 10,000 times, to a counter that one thread
 * owns; the count after {@code join()} is exact. Beside it, the same threads doing
 * {@code count++} on a shared plain field, which loses updates.
 */
public final class CounterManagerExample {

  private static final int THREADS = 10;
  private static final int PER_THREAD = 10_000;

  private CounterManagerExample() {}

  /** The unsynchronised counter, wrong on purpose. */
  private static long sharedCount;

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
    try {
      out.println("counter manager: " + THREADS + " threads x " + PER_THREAD + " increments");
      try (CounterManager counter = CounterManager.start("counter-manager")) {
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
          workers.add(Threads.start("worker-" + i, () -> {
            for (int k = 0; k < PER_THREAD; k++) {
              counter.increment(1);            // counter_queue.put(1)
            }
          }));
        }
        Threads.joinAll(workers);
        counter.join();                        // counter_queue.join()
        out.println("  owned counter:  " + counter.count() + " (expected "
            + THREADS * PER_THREAD + ")");
      }

      sharedCount = 0;
      List<Thread> racers = new ArrayList<>();
      for (int i = 0; i < THREADS; i++) {
        racers.add(Threads.start("racer-" + i, () -> {
          for (int k = 0; k < PER_THREAD; k++) {
            sharedCount++;                     // read, add, write: not atomic
          }
        }));
      }
      Threads.joinAll(racers);
      long lost = (long) THREADS * PER_THREAD - sharedCount;
      out.println("  shared count++: " + sharedCount + " (" + lost + " increments lost"
          + (lost == 0 ? " this time; the race is still there)" : ")"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      out.println("interrupted");
    }
  }
}
