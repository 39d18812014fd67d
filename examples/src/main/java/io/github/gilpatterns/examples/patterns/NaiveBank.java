package io.github.gilpatterns.examples.patterns;

import static java.util.Objects.requireNonNull;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import io.github.gilpatterns.patterns.Bank;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Bank} that is wrong on purpose, to be compared with {@link Bank#owned(Map)}: a plain
 * {@code long[]} that every transferring thread reads and writes with no lock, no volatile and no
 * atomic, the Java twin of a Python dict of balances updated by several threads. Each transfer is
 * read, check, write: two threads that read the same balance both write theirs, and one of the
 * updates is lost, which loses or creates money. Correct on one thread only. It lives with the
 * examples, not in the published patterns, because it is a lesson, not something to use.
 */
final class NaiveBank implements Bank {

  private static final ListenableFuture<Boolean> MOVED = Futures.immediateFuture(Boolean.TRUE);
  private static final ListenableFuture<Boolean> DECLINED = Futures.immediateFuture(Boolean.FALSE);

  private final Map<String, Integer> indices = new LinkedHashMap<>();
  private final String[] names;
  private final long openingTotal;
  /** Shared, unguarded, on purpose. */
  private final long[] balances;
  private volatile boolean shutdown;

  /**
   * Opens a naive bank with the given accounts and opening balances (copied). Checks nothing but
   * {@code null}s: it is a lesson about races, not about validation.
   */
  NaiveBank(Map<String, Long> openingBalances) {
    balances = new long[openingBalances.size()];
    names = new String[balances.length];
    long total = 0L;
    for (Map.Entry<String, Long> e : openingBalances.entrySet()) {
      int i = indices.size();
      names[i] = requireNonNull(e.getKey(), "account name");
      balances[i] = requireNonNull(e.getValue(), "opening balance");
      indices.put(names[i], i);
      total += balances[i];
    }
    openingTotal = total;
  }

  private int index(String account) {
    Integer i = indices.get(requireNonNull(account, "account"));
    if (i == null) {
      throw new IllegalArgumentException("unknown account: " + account);
    }
    return i;
  }

  @Override
  public Set<String> accounts() {
    return Collections.unmodifiableSet(indices.keySet());
  }

  @Override
  public long openingTotal() {
    return openingTotal;
  }

  @Override
  public ListenableFuture<Boolean> transfer(String from, String to, long amount) {
    final int f = index(from);
    final int t = index(to);
    if (amount < 0) {
      throw new IllegalArgumentException("transfer amount must not be negative, was " + amount);
    }
    if (shutdown) {
      throw new RejectedExecutionException("bank is shut down");
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
    return balances[index(account)];
  }

  @Override
  public long total() {
    long total = 0L;
    for (long balance : balances) {
      total += balance;
    }
    return total;
  }

  @Override
  public Map<String, Long> balances() {
    Map<String, Long> map = new LinkedHashMap<>();
    for (int i = 0; i < names.length; i++) {
      map.put(names[i], balances[i]);
    }
    return Collections.unmodifiableMap(map);
  }

  @Override
  public String name() {
    return "naive";
  }

  /** Transfers ran on their callers' threads: there is nothing to wait for (and nothing gained). */
  @Override
  public void join() {}

  @Override
  public boolean join(long timeout, TimeUnit unit) {
    requireNonNull(unit, "unit");
    return true;
  }

  @Override
  public void shutdown() {
    shutdown = true;
  }

  /** Transfers run on their callers' threads: none is ever waiting. */
  @Override
  public List<Transfer> shutdownNow() {
    shutdown = true;
    return List.of();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    requireNonNull(unit, "unit");
    return shutdown;
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return shutdown;
  }

  @Override
  public String toString() {
    return "NaiveBank" + indices.keySet();
  }
}
