package io.github.gilpatterns.patterns;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;

/**
 * The naive {@link Bank}, wrong on purpose: a plain {@code long[]} that every transferring thread
 * reads and writes with no lock, no volatile and no atomic, the Java twin of a Python dict updated
 * by several threads. Each transfer is read, check, write: two threads that read the same balance
 * both write theirs, and one of the updates is lost, which loses or creates money.
 */
final class NaiveBank implements Bank {

  private static final ListenableFuture<Boolean> MOVED = Futures.immediateFuture(Boolean.TRUE);
  private static final ListenableFuture<Boolean> DECLINED = Futures.immediateFuture(Boolean.FALSE);

  private final Accounts accounts;
  /** Shared, unguarded, on purpose. */
  private final long[] balances;
  private volatile boolean closed;

  NaiveBank(Accounts accounts) {
    this.accounts = accounts;
    this.balances = accounts.openingBalances();
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
    if (closed) {
      throw new RejectedExecutionException("bank is closed");
    }
    long[] b = balances;
    long fromBalance = b[f];          // read
    if (fromBalance < amount) {       // check
      return DECLINED;
    }
    b[f] = fromBalance - amount;      // write: may overwrite another thread's write
    b[t] = b[t] + amount;             // read-modify-write: may lose another thread's
    return MOVED;
  }

  @Override
  public long balance(String account) {
    return balances[accounts.index(account, "account")];
  }

  @Override
  public long total() {
    return OwnedBank.sum(balances);
  }

  @Override
  public Map<String, Long> balances() {
    return OwnedBank.toMap(accounts, balances.clone());
  }

  @Override
  public void join() {
    // Transfers ran on their callers' threads; there is nothing to wait for (and nothing gained).
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public String toString() {
    return "Bank.naive[" + accounts.names() + "]";
  }
}
