package io.github.gilpatterns.examples.patterns;

import static io.github.gilpatterns.examples.patterns.NaiveBankDemonstrationTest.ACCOUNTS;
import static io.github.gilpatterns.examples.patterns.NaiveBankDemonstrationTest.OPENING;
import static io.github.gilpatterns.examples.patterns.NaiveBankDemonstrationTest.opening;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.gilpatterns.patterns.Bank;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The naive bank's single-threaded behaviour; its failure under threads is a demonstration. */
@Timeout(60)
class NaiveBankTest {

  @Test
  void isCorrectOnOneThread() throws Exception {
    try (Bank bank = new NaiveBank(opening())) {
      SplittableRandom random = new SplittableRandom(7);
      for (int k = 0; k < 10_000; k++) {
        bank.transfer("acct-" + random.nextInt(ACCOUNTS), "acct-" + random.nextInt(ACCOUNTS),
            random.nextLong(1, 400));
      }
      assertEquals(ACCOUNTS * OPENING, bank.total());
      for (String account : bank.accounts()) {
        assertTrue(bank.balance(account) >= 0);
      }
    }
  }

  @Test
  void refusesTransfersAfterShutdownAndKeepsItsBalances() throws Exception {
    Bank bank = new NaiveBank(opening());
    bank.transfer("acct-0", "acct-1", 10);
    assertEquals(List.of(), bank.shutdownNow());
    assertTrue(bank.isShutdown());
    assertTrue(bank.isTerminated());
    assertThrows(RejectedExecutionException.class, () -> bank.transfer("acct-0", "acct-1", 1));
    assertEquals(990, bank.balance("acct-0"));
    assertEquals(ACCOUNTS * OPENING, bank.total());
  }
}
