package io.github.gilpatterns.patterns;

import static io.github.gilpatterns.patterns.TestThreads.runAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.gilpatterns.testing.Await;
import io.github.gilpatterns.testing.ThreadMode;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class BankTest {

  static final int ACCOUNTS = 10;
  static final long OPENING = 1_000;

  static Map<String, Long> opening() {
    Map<String, Long> balances = new LinkedHashMap<>();
    for (int i = 0; i < ACCOUNTS; i++) {
      balances.put("acct-" + i, OPENING);
    }
    return balances;
  }

  /** One random transfer and its outcome. */
  record Transfer(int from, int to, long amount, ListenableFuture<Boolean> outcome) {}

  /** Runs {@code threads} x {@code perThread} random transfers, returning them all. */
  static List<Transfer> randomTransfers(Bank bank, int threads, int perThread) throws Exception {
    List<List<Transfer>> all = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      all.add(new ArrayList<>(perThread));
    }
    runAll("transfer", threads, t -> {
      SplittableRandom random = new SplittableRandom(42 + t);
      List<Transfer> mine = all.get(t);
      for (int k = 0; k < perThread; k++) {
        int from = random.nextInt(ACCOUNTS);
        int to = random.nextInt(ACCOUNTS);
        long amount = random.nextLong(1, 400);
        mine.add(new Transfer(from, to, amount,
            bank.transfer("acct-" + from, "acct-" + to, amount)));
      }
    });
    List<Transfer> flat = new ArrayList<>();
    all.forEach(flat::addAll); // runAll joined the threads: their lists are visible
    return flat;
  }

  @Test
  void ownedBankNeverLosesOrCreatesMoneyOver100kConcurrentTransfers() throws Exception {
    try (Bank bank = Bank.owned(opening())) {
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong snapshots = new AtomicLong();
      AtomicLong wrongTotals = new AtomicLong();
      Thread auditor = ThreadMode.newThread(() -> {
        Await.Deadline deadline = Await.deadline("the transfers to end");
        try {
          while (!stop.get()) {
            deadline.check();
            if (bank.total() != ACCOUNTS * OPENING) {
              wrongTotals.incrementAndGet();
            }
            snapshots.incrementAndGet();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "auditor");
      auditor.start();
      List<Transfer> transfers = randomTransfers(bank, 4, 25_000);
      bank.join();
      stop.set(true);
      TestThreads.joinOrFail(auditor);

      // Replay the accepted transfers: the final balances are exactly what they imply.
      long[] expected = new long[ACCOUNTS];
      java.util.Arrays.fill(expected, OPENING);
      int moved = 0;
      int declined = 0;
      for (Transfer t : transfers) {
        assertTrue(t.outcome().isDone(), "join() returned before a transfer was applied");
        if (t.outcome().get()) {
          expected[t.from()] -= t.amount();
          expected[t.to()] += t.amount();
          moved++;
        } else {
          declined++;
        }
      }
      assertEquals(100_000, transfers.size());
      assertTrue(moved > 0 && declined > 0, "moved " + moved + ", declined " + declined);
      Map<String, Long> balances = bank.balances();
      for (int i = 0; i < ACCOUNTS; i++) {
        assertEquals(expected[i], balances.get("acct-" + i), "acct-" + i);
        assertEquals(expected[i], bank.balance("acct-" + i));
        assertTrue(expected[i] >= 0);
      }
      assertEquals(ACCOUNTS * OPENING, bank.total());
      assertEquals(ACCOUNTS * OPENING, bank.openingTotal());
      assertEquals(0, wrongTotals.get(), "a total() snapshot saw a half-applied transfer");
      assertTrue(snapshots.get() > 0);
    }
  }

  @Test
  void badInputThrowsAtTheCallAndChangesNothing() throws Exception {
    {
      try (Bank bank = Bank.owned(opening())) {
        bank.transfer("acct-0", "acct-1", 100).get(10, TimeUnit.SECONDS);
        Map<String, Long> before = bank.balances();
        assertThrows(NullPointerException.class, () -> bank.transfer(null, "acct-1", 1));
        assertThrows(NullPointerException.class, () -> bank.transfer("acct-0", null, 1));
        assertThrows(IllegalArgumentException.class, () -> bank.transfer("nobody", "acct-1", 1));
        assertThrows(IllegalArgumentException.class, () -> bank.transfer("acct-0", "nobody", 1));
        assertThrows(IllegalArgumentException.class, () -> bank.transfer("acct-0", "acct-1", -1));
        assertThrows(IllegalArgumentException.class,
            () -> bank.transfer("acct-0", "acct-1", Long.MIN_VALUE));
        assertThrows(NullPointerException.class, () -> bank.balance(null));
        assertThrows(IllegalArgumentException.class, () -> bank.balance("nobody"));
        assertFalse(bank.transfer("acct-0", "acct-1", 901).get(10, TimeUnit.SECONDS),
            "insufficient funds must be declined");
        assertTrue(bank.transfer("acct-0", "acct-0", 900).get(10, TimeUnit.SECONDS));
        assertTrue(bank.transfer("acct-0", "acct-1", 0).get(10, TimeUnit.SECONDS));
        bank.join();
        assertEquals(before, bank.balances(), bank.toString());
        assertEquals(900, bank.balance("acct-0"));
        assertEquals(1100, bank.balance("acct-1"));
      }
    }
  }

  @Test
  void openingBalancesAreChecked() {
    {
      Function<Map<String, Long>, Bank> open = Bank::owned;
      assertThrows(NullPointerException.class, () -> open.apply(null));
      assertThrows(IllegalArgumentException.class, () -> open.apply(Map.of()));
      assertThrows(IllegalArgumentException.class, () -> open.apply(Map.of("a", -1L)));
      assertThrows(IllegalArgumentException.class,
          () -> open.apply(Map.of("a", Long.MAX_VALUE, "b", 1L)));
      Map<String, Long> nullBalance = new HashMap<>();
      nullBalance.put("a", null);
      assertThrows(NullPointerException.class, () -> open.apply(nullBalance));
    }
    assertThrows(NullPointerException.class, () -> Bank.owned(null, Map.of("a", 1L)));
  }

  @Test
  void aListenerThrowingAnErrorOnTheBanksThreadDoesNotStopTheBank() throws Exception {
    Thread test = Thread.currentThread();
    AtomicLong thrownOnBankThread = new AtomicLong();
    try (Bank bank = Bank.owned("listener-errors", opening())) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      int transfers = 0;
      while (thrownOnBankThread.get() < 3) { // each one killed the bank's thread before the fix
        assertTrue(System.nanoTime() < deadline, "no listener ran on the bank's thread in "
            + transfers + " transfers; the test showed nothing");
        int from = transfers++ % 2; // back and forth: funds never run out
        ListenableFuture<Boolean> outcome = bank.transfer("acct-" + from, "acct-" + (1 - from), 1);
        // A direct-executor listener runs on the bank's thread if the transfer is still
        // pending, else here; only the former throws.
        outcome.addListener(() -> {
          if (Thread.currentThread() != test) {
            thrownOnBankThread.incrementAndGet();
            throw new AssertionError("expected in this test: a listener failed");
          }
        }, MoreExecutors.directExecutor());
        assertTrue(outcome.get(10, TimeUnit.SECONDS), "transfer " + transfers + " completed");
      }
      assertTrue(bank.transfer("acct-0", "acct-1", 5).get(10, TimeUnit.SECONDS),
          "the bank still runs transfers");
      assertEquals(ACCOUNTS * OPENING, bank.total());
    }
  }

  @Test
  void accountsAreFixedAndOrdered() throws Exception {
    Map<String, Long> opening = opening();
    try (Bank bank = Bank.owned("ordered", opening)) {
      opening.put("late", 5L); // copied at opening: no effect
      assertEquals(List.copyOf(opening().keySet()), List.copyOf(bank.accounts()));
      assertThrows(UnsupportedOperationException.class, () -> bank.accounts().add("x"));
      assertThrows(IllegalArgumentException.class, () -> bank.balance("late"));
    }
  }

  @Test
  void afterCloseTransfersAreRefusedAndReadsReturnFinalBalances() throws Exception {
    {
      Bank bank = Bank.owned(opening());
      bank.transfer("acct-0", "acct-1", 10);
      bank.close();
      assertTrue(bank.isShutdown());
      assertTrue(bank.isTerminated());
      assertThrows(RejectedExecutionException.class, () -> bank.transfer("acct-0", "acct-1", 1));
      assertThrows(IllegalArgumentException.class, () -> bank.transfer("acct-0", "acct-1", -1));
      assertEquals(990, bank.balance("acct-0"));
      assertEquals(1010, bank.balance("acct-1"));
      assertEquals(ACCOUNTS * OPENING, bank.total());
      bank.join();
      bank.close();
    }
    TestThreads.assertNoThread("bank");
  }

  @Test
  void closeRacingWithTransfersAppliesEveryAcceptedOne() throws Exception {
    for (int round = 0; round < 10; round++) {
      Bank bank = Bank.owned("bank-race-" + round, opening());
      List<List<Transfer>> accepted = new ArrayList<>();
      SplittableRandom[] randoms = new SplittableRandom[3];
      for (int t = 0; t < 3; t++) {
        accepted.add(new ArrayList<>());
        randoms[t] = new SplittableRandom(t);
      }
      // Each submitter touches only its own random and list; joining it publishes the list.
      TestThreads.acceptedWhileClosing(3, (t, n) -> {
        SplittableRandom random = randoms[t];
        int from = random.nextInt(ACCOUNTS);
        int to = random.nextInt(ACCOUNTS);
        long amount = random.nextLong(1, 400);
        ListenableFuture<Boolean> f = bank.transfer("acct-" + from, "acct-" + to, amount);
        accepted.get(t).add(new Transfer(from, to, amount, f));
      }, bank::close);
      long[] expected = new long[ACCOUNTS];
      java.util.Arrays.fill(expected, OPENING);
      for (List<Transfer> mine : accepted) {
        for (Transfer t : mine) {
          assertTrue(t.outcome().isDone(), "an accepted transfer was never applied");
          if (t.outcome().get()) {
            expected[t.from()] -= t.amount();
            expected[t.to()] += t.amount();
          }
        }
      }
      Map<String, Long> balances = bank.balances();
      for (int i = 0; i < ACCOUNTS; i++) {
        assertEquals(expected[i], balances.get("acct-" + i), "round " + round + " acct-" + i);
      }
    }
  }

  /**
   * Blocks the bank's thread in a direct listener of a transfer's future, which runs there when
   * it is added before the transfer is applied; returns once the thread is blocked.
   */
  static final class BlockedBank {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch released = new CountDownLatch(1);
    final AtomicBoolean interrupted = new AtomicBoolean();

    BlockedBank(Bank bank) throws Exception {
      Thread test = Thread.currentThread();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TestThreads.DEADLINE_SECONDS);
      for (int k = 0; entered.getCount() > 0; k++) {
        assertTrue(System.nanoTime() < deadline, "no listener ran on the bank's thread");
        int from = k % 2; // back and forth: funds never run out
        ListenableFuture<Boolean> outcome = bank.transfer("acct-" + from, "acct-" + (1 - from), 1);
        CountDownLatch ran = new CountDownLatch(1);
        outcome.addListener(() -> {
          if (Thread.currentThread() != test) {
            entered.countDown();
            ran.countDown();
            try {
              released.await();
            } catch (InterruptedException e) {
              interrupted.set(true);
            }
          }
          ran.countDown();
        }, MoreExecutors.directExecutor());
        TestThreads.await(ran); // before the next transfer, which a blocked thread would not apply
      }
    }
  }

  @Test
  void shutdownNowReturnsTheTransfersNeverAppliedAndCancelsTheirFutures() throws Exception {
    Bank bank = Bank.owned("bank-stop-now", opening());
    BlockedBank blocked = new BlockedBank(bank);
    ListenableFuture<Boolean> second = bank.transfer("acct-2", "acct-3", 5);
    ListenableFuture<Boolean> third = bank.transfer("acct-3", "acct-4", 7);
    assertEquals(List.of(new Bank.Transfer("acct-2", "acct-3", 5),
        new Bank.Transfer("acct-3", "acct-4", 7)), bank.shutdownNow());
    assertTrue(blocked.interrupted.get(), "the running transfer's thread is interrupted");
    assertTrue(second.isCancelled());
    assertTrue(third.isCancelled());
    assertTrue(bank.isShutdown());
    assertTrue(bank.awaitTermination(Duration.ZERO));
    assertTrue(bank.awaitTermination(0, TimeUnit.SECONDS));
    assertTrue(bank.isTerminated());
    assertEquals(List.of(), bank.shutdownNow(), "nothing is left the second time");
    assertThrows(RejectedExecutionException.class, () -> bank.transfer("acct-0", "acct-1", 1));
    assertThrows(IllegalStateException.class, bank::join, "the rest will never be applied");
    assertEquals(1000, bank.balance("acct-2"), "the final state, read after termination");
    assertEquals(1000, bank.balance("acct-3"));
    assertEquals(ACCOUNTS * OPENING, bank.total());
    bank.close();
    TestThreads.assertNoThread("bank-stop-now");
  }

  @Test
  void shutdownAppliesTheAcceptedTransfersWithoutWaiting() throws Exception {
    Bank bank = Bank.owned("bank-graceful", opening());
    BlockedBank blocked = new BlockedBank(bank);
    ListenableFuture<Boolean> accepted = bank.transfer("acct-2", "acct-3", 5);
    bank.shutdown(); // returns while the bank's thread is blocked
    assertTrue(bank.isShutdown());
    assertFalse(bank.isTerminated());
    assertFalse(bank.awaitTermination(Duration.ofMillis(10)));
    assertThrows(RejectedExecutionException.class, () -> bank.transfer("acct-2", "acct-3", 1));
    blocked.released.countDown();
    assertTrue(bank.awaitTermination(TestThreads.DEADLINE_SECONDS, TimeUnit.SECONDS));
    assertTrue(accepted.get(), "a transfer accepted before shutdown() is applied");
    assertEquals(995, bank.balance("acct-2"));
    assertEquals(1005, bank.balance("acct-3"));
    assertTrue(bank.isTerminated());
    bank.close();
    TestThreads.assertNoThread("bank-graceful");
  }
}
