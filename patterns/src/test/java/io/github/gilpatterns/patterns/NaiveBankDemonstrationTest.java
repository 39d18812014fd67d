package io.github.gilpatterns.patterns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Shows the naive bank losing (or creating) money under threads while the owned bank, on the same
 * workload, keeps the total exact. A race shown on purpose: tagged {@code demonstration}, left out
 * of the default run. Run it with
 * {@code mvn -B -ntp -o -pl patterns -am verify -Dgroups=demonstration -DexcludedGroups=none
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("demonstration")
@Timeout(120)
class NaiveBankDemonstrationTest {

  @Test
  void naiveBankLosesMoneyWhereTheOwnedOneDoesNot() throws Exception {
    final long opening = BankTest.ACCOUNTS * BankTest.OPENING;
    long naiveTotal = opening;
    int rounds = 0;
    while (naiveTotal == opening && rounds < 50) { // a race: may need a few tries on a busy box
      rounds++;
      Bank naive = Bank.naive(BankTest.opening());
      BankTest.randomTransfers(naive, 4, 25_000);
      naiveTotal = naive.total();
    }
    System.out.printf("naive bank: opening total %d, after 100,000 concurrent transfers %d"
        + " (%+d) in round %d%n", opening, naiveTotal, naiveTotal - opening, rounds);
    assertTrue(naiveTotal != opening,
        "the naive bank kept its total over " + rounds + " rounds of 100,000 transfers");

    try (Bank owned = Bank.owned(BankTest.opening())) {
      BankTest.randomTransfers(owned, 4, 25_000);
      owned.join();
      System.out.printf("owned bank: opening total %d, after 100,000 concurrent transfers %d%n",
          opening, owned.total());
      assertEquals(opening, owned.total());
    }
  }
}
