package io.github.gilpatterns.patterns;

import static java.util.Objects.requireNonNull;

import com.google.common.util.concurrent.ListenableFuture;
import io.github.gilpatterns.owner.Owner;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The owned {@link Bank}: the balances are an array that only the bank's {@link Owner} thread
 * touches; a transfer is an {@code ask} that checks and moves the money in one message.
 */
final class OwnedBank implements Bank {

  /*
   * Implementation overview. Owner<long[]>, unbounded mailbox. The arguments of a transfer are
   * checked on the caller's thread against the immutable Accounts, so a refused call never
   * reaches the mailbox; the owner only ever sees valid indices and non-negative amounts. Since
   * balances start non-negative, never go negative, and their sum is fixed at the opening total
   * (<= Long.MAX_VALUE), no balance can overflow. Reads go through Queries, so they work after
   * close() (through the owner's final-state read).
   */

  private final Accounts accounts;
  private final Owner<long[]> owner;

  OwnedBank(String name, Accounts accounts) {
    requireNonNull(name, "name");
    this.accounts = accounts;
    this.owner = Owner.builder(accounts.openingBalances()).name(name).start();
  }

  @Override
  public Set<String> accounts() {
    return accounts.names();
  }

  @Override
  public long openingTotal() {
    return accounts.openingTotal();
  }

  @Override
  public ListenableFuture<Boolean> transfer(String from, String to, long amount) {
    final int f = accounts.index(from, "from");
    final int t = accounts.index(to, "to");
    Accounts.checkAmount(amount);
    return owner.ask(b -> {
      if (b[f] < amount) {
        return Boolean.FALSE;
      }
      b[f] -= amount;
      b[t] += amount;
      return Boolean.TRUE;
    });
  }

  @Override
  public long balance(String account) throws InterruptedException {
    final int i = accounts.index(account, "account");
    return Queries.ask(owner, b -> b[i]);
  }

  @Override
  public long total() throws InterruptedException {
    return Queries.ask(owner, OwnedBank::sum);
  }

  @Override
  public Map<String, Long> balances() throws InterruptedException {
    long[] snapshot = Queries.ask(owner, long[]::clone);
    return toMap(accounts, snapshot);
  }

  static long sum(long[] balances) {
    long total = 0L;
    for (long balance : balances) {
      total += balance;
    }
    return total;
  }

  static Map<String, Long> toMap(Accounts accounts, long[] balances) {
    Map<String, Long> map = new LinkedHashMap<>();
    for (int i = 0; i < balances.length; i++) {
      map.put(accounts.name(i), balances[i]);
    }
    return Collections.unmodifiableMap(map);
  }

  @Override
  public void join() throws InterruptedException {
    owner.join();
  }

  @Override
  public void close() {
    Closing.closeRunningEverything(owner);
  }

  @Override
  public boolean isClosed() {
    return owner.isShutdown();
  }

  @Override
  public String toString() {
    return "Bank.owned[" + owner + "]";
  }
}
