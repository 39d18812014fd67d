package io.github.gilpatterns.examples.patterns;

import io.github.gilpatterns.join.Threads;
import io.github.gilpatterns.patterns.CounterManager;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Hettinger's counter manager: 10 threads each add 1, 10,000 times, to a counter that one thread
 * owns; the count after {@code join()} is exact. Beside it, the same threads doing
 * {@code count++} on a shared volatile field, which loses updates.
 */
public final class CounterManagerExample {

  private static final int THREADS = 10;
  private static final int PER_THREAD = 10_000;

  private CounterManagerExample() {}

  /** Rounds of the race run at most, until one loses an update. */
  private static final int ROUNDS = 10;

  /** The unsynchronised counter, wrong on purpose: volatile, yet {@code ++} is not atomic. */
  private static volatile long sharedCount;

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

      // volatile makes every write visible at once, and still count++ is a read, an add and a
      // write that another thread's can fall between. The racers start together from a gate;
      // a round on a busy or single-core machine may still lose nothing, so up to ROUNDS run.
      long lost = 0;
      int round = 0;
      while (lost == 0 && round < ROUNDS) {
        round++;
        sharedCount = 0;
        CountDownLatch gate = new CountDownLatch(1);
        List<Thread> racers = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
          racers.add(Threads.start("racer-" + i, () -> {
            try {
              gate.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return;
            }
            for (int k = 0; k < PER_THREAD; k++) {
              sharedCount++;                   // read, add, write: not atomic
            }
          }));
        }
        gate.countDown();
        Threads.joinAll(racers);
        lost = (long) THREADS * PER_THREAD - sharedCount;
      }
      out.println("  shared count++: " + sharedCount + " (" + lost + " increments lost"
          + (lost == 0 ? " in " + round + " rounds: this machine ran the racers one at a time; the race is"
              + " still there)" : round == 1 ? ")" : " in round " + round + ")"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      out.println("interrupted");
    }
  }
}
