package io.github.gilpatterns.examples.patterns;

import io.github.gilpatterns.join.Threads;
import io.github.gilpatterns.patterns.Bank;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A "lock-sensitive creature": 4 threads make 100,000 random transfers between 10 accounts, in a
 * naive bank (shared plain memory, {@link NaiveBank}) and in an owned bank (one thread owns the
 * balances, {@link Bank#owned(Map)}). The naive bank's total drifts; the owned bank's never does.
 */
public final class BankExample {

  private static final int THREADS = 4;
  private static final int PER_THREAD = 25_000;

  private BankExample() {}

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
    Map<String, Long> opening = new LinkedHashMap<>();
    for (int i = 0; i < 10; i++) {
      opening.put("account-" + i, 1_000L);
    }
    out.println("bank: " + THREADS * PER_THREAD + " random transfers from " + THREADS
        + " threads between 10 accounts of 1,000");
    try {
      try (Bank naive = new NaiveBank(opening)) {
        transferAtRandom(naive);
        out.println("  naive bank total: " + naive.total() + " (opening " + naive.openingTotal()
            + "; any difference is money lost or created by lost updates)");
      }
      try (Bank owned = Bank.owned(opening)) {
        transferAtRandom(owned);
        owned.join();                          // transfers.join()
        out.println("  owned bank total: " + owned.total() + " (opening " + owned.openingTotal()
            + ", always)");
        out.println("  owned balances:   " + owned.balances());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      out.println("interrupted");
    }
  }

  private static void transferAtRandom(Bank bank) throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      final int seed = t;
      threads.add(Threads.start("teller-" + t, () -> {
        SplittableRandom random = new SplittableRandom(seed);
        for (int k = 0; k < PER_THREAD; k++) {
          bank.transfer("account-" + random.nextInt(10), "account-" + random.nextInt(10),
              random.nextLong(1, 400));
        }
      }));
    }
    Threads.joinAll(threads);
  }
}
