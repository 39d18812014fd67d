package io.github.gilpatterns.patterns;

import static java.util.Objects.requireNonNull;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.SettableFuture;
import io.github.gilpatterns.owner.Owner;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The owned {@link Bank}: the balances are an array that only the bank's {@link Owner} thread
 * touches; a transfer is one message that checks and moves the money.
 */
final class OwnedBank extends OwnerBacked<long[], Bank.Transfer> implements Bank {

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

  OwnedBank(String name, Accounts accounts, @Nullable ThreadFactory threadFactory) {
    super(startOwner(requireNonNull(name, "name"), accounts, threadFactory));
    this.accounts = accounts;
  }

  private static Owner<long[]> startOwner(String name, Accounts accounts,
      @Nullable ThreadFactory threadFactory) {
    Owner.Builder<long[]> owner = Owner.builder(accounts.openingBalances()).name(name);
    if (threadFactory != null) {
      owner.threadFactory(threadFactory);
    }
    return owner.start();
  }

  /** A transfer never applied, its future cancelled; a read is not work. */
  @Override
  @Nullable Transfer neverRan(Consumer<? super long[]> message) {
    if (!(message instanceof Move)) {
      return null;
    }
    Move move = (Move) message;
    move.outcome.cancel(false);
    return move.toTransfer();
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
  public String toString() {
    return "Bank.owned[" + owner + "]";
  }
}
