package io.github.gilpatterns.examples.patterns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.gilpatterns.join.Threads;
import io.github.gilpatterns.patterns.Bank;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Shows the naive bank losing (or creating) money under threads while the owned bank, on the same
 * workload, keeps the total exact. A race shown on purpose: tagged {@code demonstration}, left out
 * of the default run. Run it with
 * {@code mvn -B -ntp -o -pl examples -am verify -Dgroups=demonstration -DexcludedGroups=none
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("demonstration")
@Timeout(120)
class NaiveBankDemonstrationTest {

  static final int ACCOUNTS = 10;
  static final long OPENING = 1_000;

  /** Accounts acct-0 .. acct-9 of 1,000 each, in order. */
  static Map<String, Long> opening() {
    return IntStream.range(0, ACCOUNTS).boxed().collect(Collectors.toMap(
        i -> "acct-" + i, i -> OPENING, (a, b) -> a, LinkedHashMap::new));
  }

  /** Runs 4 threads of 25,000 random transfers each and waits, at most a minute, for them to end. */
  static void randomTransfers(Bank bank) throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      final int seed = 42 + t;
      threads.add(Threads.start("transfer-" + t, () -> {
        SplittableRandom random = new SplittableRandom(seed);
        for (int k = 0; k < 25_000; k++) {
          bank.transfer("acct-" + random.nextInt(ACCOUNTS), "acct-" + random.nextInt(ACCOUNTS),
              random.nextLong(1, 400));
        }
      }));
    }
    assertEquals(List.of(), Threads.joinAll(threads, Duration.ofMinutes(1)), "transfer threads still running");
  }

  @Test
  void naiveBankLosesMoneyWhereTheOwnedOneDoesNot() throws Exception {
    final long opening = ACCOUNTS * OPENING;
    long naiveTotal = opening;
    int rounds = 0;
    while (naiveTotal == opening && rounds < 50) { // a race: may need a few tries on a busy box
      rounds++;
      Bank naive = new NaiveBank(opening());
      randomTransfers(naive);
      naiveTotal = naive.total();
    }
    System.out.printf("naive bank: opening total %d, after 100,000 concurrent transfers %d"
        + " (%+d) in round %d%n", opening, naiveTotal, naiveTotal - opening, rounds);
    assertTrue(naiveTotal != opening,
        "the naive bank kept its total over " + rounds + " rounds of 100,000 transfers");

    try (Bank owned = Bank.owned(opening())) {
      randomTransfers(owned);
      owned.join();
      System.out.printf("owned bank: opening total %d, after 100,000 concurrent transfers %d%n",
          opening, owned.total());
      assertEquals(opening, owned.total());
    }
  }
}
