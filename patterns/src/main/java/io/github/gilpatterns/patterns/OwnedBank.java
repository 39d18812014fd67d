package io.github.gilpatterns.patterns;

import static java.util.Objects.requireNonNull;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.SettableFuture;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import io.github.gilpatterns.owner.Owner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The owned {@link Bank}: the balances are an array that only the bank's {@link Owner} thread
 * touches; a transfer is one message that checks and moves the money.
 */
final class OwnedBank implements Bank {

  /*
   * Implementation overview. Owner<long[]>, unbounded mailbox. The arguments of a transfer are
   * checked on the caller's thread against the immutable Accounts, so a refused call never
   * reaches the mailbox; the owner only ever sees valid indices and non-negative amounts. Since
   * balances start non-negative, never go negative, and their sum is fixed at the opening total
   * (<= Long.MAX_VALUE), no balance can overflow. A transfer is a Move message that carries its
   * accounts, amount and future, so that shutdownNow() can say which transfers never ran and
   * cancel their futures. Reads go through Queries, so they work after the owner has terminated
   * (through the owner's final-state read): the bank keeps no second reference to the balances.
   */

  /** One accepted transfer; runs on the owner thread. */
  private final class Move implements Consumer<long[]> {
    final int from;
    final int to;
    final long amount;
    final SettableFuture<Boolean> outcome = SettableFuture.create();

    Move(int from, int to, long amount) {
      this.from = from;
      this.to = to;
      this.amount = amount;
    }

    @Override
    public void accept(long[] b) {
      if (b[from] < amount) {
        outcome.set(Boolean.FALSE);
        return;
      }
      b[from] -= amount;
      b[to] += amount;
      outcome.set(Boolean.TRUE); // a direct listener that throws goes to the owner's handler
    }

    Transfer toTransfer() {
      return new Transfer(accounts.name(from), accounts.name(to), amount);
    }

    @Override
    public String toString() {
      return "transfer(" + accounts.name(from) + " -> " + accounts.name(to) + ", " + amount + ")";
    }
  }

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
    Move move = new Move(f, t, amount);
    owner.tell(move);
    return move.outcome;
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
  public void shutdown() {
    owner.shutdown();
  }

  @Override
  @CanIgnoreReturnValue
  public List<Transfer> shutdownNow() {
    List<Transfer> never = new ArrayList<>();
    for (Consumer<? super long[]> message : owner.shutdownNow()) {
      if (message instanceof Move) { // the others are reads, whose futures the owner cancelled
        Move move = (Move) message;
        move.outcome.cancel(false);
        never.add(move.toTransfer());
      }
    }
    return never;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return owner.awaitTermination(timeout, unit);
  }

  @Override
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return owner.awaitTermination(timeout);
  }

  @Override
  public void close() {
    Closing.closeRunningEverything(owner);
  }

  @Override
  public boolean isShutdown() {
    return owner.isShutdown();
  }

  @Override
  public boolean isTerminated() {
    return owner.isTerminated();
  }

  @Override
  public String toString() {
    return "Bank.owned[" + owner + "]";
  }
}
