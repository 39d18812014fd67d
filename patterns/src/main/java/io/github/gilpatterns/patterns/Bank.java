package io.github.gilpatterns.patterns;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import io.github.gilpatterns.join.Joinable;
import io.github.gilpatterns.join.Lifecycle;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import org.jspecify.annotations.Nullable;

/**
 * Accounts holding money, and transfers between them, where the balances belong to one thread:
 * the bank never loses or creates money however many threads transfer at once. In Python, a dict
 * of balances updated by several threads loses updates, since the GIL does not make
 * {@code balance -= amount} atomic; in Java nothing does. The fix is the same in both: one thread
 * owns the balances and the others send it transfers through a queue.
 *
 * <p>The Python, and the same thing in Java:
 *
 * <pre>{@code
 * # one thread updates the balances, the others | Bank bank = Bank.owned(Map.of("a", 100L,
 * # send it transfers through a queue           |                              "b", 100L));
 * def bank_manager():                           | // the loop is the owner thread of `bank`
 *     while True:                               |
 *         src, dst, amount = transfers.get()    |
 *         if balances[src] >= amount:           |
 *             balances[src] -= amount           |
 *             balances[dst] += amount           |
 *         transfers.task_done()                 |
 * transfers.put(('a', 'b', 10))                 | bank.transfer("a", "b", 10);
 * transfers.join()                              | bank.join();
 * }</pre>
 *
 * <p><b>Accounts</b> are fixed when the bank is made (names mapped to non-negative opening
 * balances whose sum fits in a {@code long}), so whether an account exists is known at every call
 * without racing with anything. A bank's <em>total</em> is the sum of its balances; transfers
 * between accounts never change it.
 *
 * <p><b>Transfers.</b> {@link #transfer(String, String, long)} moves {@code amount} from one account
 * to another if the source holds at least that much, and otherwise declines and changes nothing;
 * balances never go negative. The call checks its arguments first, on the calling thread: a
 * {@code null} or unknown account or a negative amount throws at once and changes no state, and so
 * does a call on a bank that is shut down. Otherwise it returns a future that completes with
 * {@code true} when the money has moved, or {@code false} if the transfer was declined for
 * insufficient funds. The bank applies transfers on its thread, one at a time, in the order they
 * were accepted.
 *
 * <p><b>Reading.</b> {@link #balance(String)}, {@link #total()} and {@link #balances()} ask the
 * bank's thread and wait, so they include every transfer accepted before the call, and
 * {@code total()} is a consistent snapshot (no transfer is half applied). They keep working after
 * the bank has shut down: they wait until its thread has ended and return the final values.
 *
 * <p><b>Lifecycle</b>: the library's one {@link Lifecycle} contract, with transfers as its work,
 * and {@link #join()} is the {@link Joinable} one, like {@code transfers.join()}: it returns once
 * every transfer accepted before it has been applied (or declined). {@link #shutdown()} stops
 * accepting transfers (later calls throw {@link RejectedExecutionException}) and lets the
 * accepted ones be applied; {@link #shutdownNow()} returns the accepted transfers that will never
 * be applied, in order, and cancels their futures, waiting for the transfer being applied to
 * finish (only the bank's thread touches the balances); {@link #close()} is shutdown and wait.
 *
 * <p><b>Memory consistency effects:</b> actions in a thread prior to {@code transfer} happen-before
 * the transfer is applied, and its application happens-before its future completes,
 * {@code join()} returns in a thread that called it after the transfer, and {@code balance},
 * {@code total}, {@code balances} return values that include it.
 */
public interface Bank extends Lifecycle<Bank.Transfer>, Joinable {

  /**
   * Opens an owned bank with the given accounts: its balances belong to one thread (named
   * {@code bank}), which applies the transfers other threads send it. Never loses or creates
   * money, whatever the number of threads.
   *
   * @param openingBalances account names and their opening balances; copied
   * @return the owned bank; close it when done
   * @throws NullPointerException if the map, a name or a balance is {@code null}
   * @throws IllegalArgumentException if the map is empty, a balance is negative or the balances
   *     add up to more than {@link Long#MAX_VALUE}
   */
  static Bank owned(Map<String, Long> openingBalances) {
    return owned("bank", openingBalances);
  }

  /**
   * Opens an owned bank whose thread is named {@code name}; see {@link #owned(Map)}.
   *
   * @param name the name of the bank's thread
   * @param openingBalances account names and their opening balances; copied
   * @return the owned bank; close it when done
   * @throws NullPointerException if {@code name}, the map, a name or a balance is {@code null}
   * @throws IllegalArgumentException if the map is empty, a balance is negative or the balances
   *     add up to more than {@link Long#MAX_VALUE}
   */
  static Bank owned(String name, Map<String, Long> openingBalances) {
    return builder(openingBalances).name(name).start();
  }

  /**
   * Returns a builder of owned banks with the given accounts; see {@link #owned(Map)}.
   *
   * @param openingBalances account names and their opening balances; copied now
   * @return a new builder with the defaults: name {@code bank}, a non-daemon platform thread
   * @throws NullPointerException if the map, a name or a balance is {@code null}
   * @throws IllegalArgumentException if the map is empty, a balance is negative or the balances
   *     add up to more than {@link Long#MAX_VALUE}
   */
  static Builder builder(Map<String, Long> openingBalances) {
    return new Builder(new Accounts(openingBalances));
  }

  /**
   * A builder of owned {@link Bank}s. Not thread-safe; each {@link #start()} opens a new bank
   * with the same opening balances. A setter that throws changes nothing.
   */
  final class Builder {
    private final Accounts accounts;
    private String name = "bank";
    private @Nullable ThreadFactory threadFactory;

    private Builder(Accounts accounts) {
      this.accounts = accounts;
    }

    /**
     * Sets the name of the bank and of its thread (default {@code bank}).
     *
     * @param name the name
     * @return this builder
     * @throws NullPointerException if {@code name} is {@code null}
     */
    @CanIgnoreReturnValue
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * Makes the bank's thread come from {@code threadFactory} (a virtual thread with
     * {@code Thread.ofVirtual().factory()} on JDK 21+); see
     * {@link io.github.gilpatterns.owner.Owner.Builder#threadFactory(ThreadFactory)}.
     *
     * @param threadFactory returns a new, unstarted thread
     * @return this builder
     * @throws NullPointerException if {@code threadFactory} is {@code null}
     */
    @CanIgnoreReturnValue
    public Builder threadFactory(ThreadFactory threadFactory) {
      this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
      return this;
    }

    /**
     * Opens the bank and starts its thread.
     *
     * @return the owned bank; close it when done
     */
    public Bank start() {
      return new OwnedBank(name, accounts, threadFactory);
    }
  }

  /**
   * Returns the names of the accounts, in the order of the opening map.
   *
   * @return an unmodifiable set of the account names
   */
  Set<String> accounts();

  /**
   * Returns the sum of the opening balances: the total a correct bank keeps forever.
   *
   * @return the opening total
   */
  long openingTotal();

  /**
   * Moves {@code amount} from account {@code from} to account {@code to}, if {@code from} holds at
   * least {@code amount}. The arguments are checked on the calling thread before anything
   * happens. A transfer from an account to itself changes nothing (but is still declined if the
   * account holds less than {@code amount}); an amount of zero always succeeds.
   *
   * @param from the account to take the money from
   * @param to the account to put it in
   * @param amount how much to move
   * @return a future that completes with {@code true} once the money has moved, or {@code false}
   *     if {@code from} held less than {@code amount} (then nothing changed)
   * @throws NullPointerException if {@code from} or {@code to} is {@code null}; nothing changes
   * @throws IllegalArgumentException if {@code from} or {@code to} is not an account of this bank,
   *     or {@code amount} is negative; nothing changes
   * @throws RejectedExecutionException if this bank is shut down; nothing changes
   */
  ListenableFuture<Boolean> transfer(String from, String to, long amount);

  /**
   * Returns the balance of {@code account}, including every transfer accepted before the call.
   * After a shutdown, waits until the bank's thread has ended and returns the final balance.
   *
   * @param account the account
   * @return its balance
   * @throws NullPointerException if {@code account} is {@code null}
   * @throws IllegalArgumentException if {@code account} is not an account of this bank
   * @throws IllegalStateException if called on the bank's own thread
   * @throws InterruptedException if the calling thread is interrupted while waiting for the
   *     bank's answer (its interrupt status is cleared)
   */
  long balance(String account) throws InterruptedException;

  /**
   * Returns the sum of all balances: a consistent snapshot including every transfer accepted
   * before the call, so always {@link #openingTotal()}. After a shutdown, waits until the bank's
   * thread has ended and returns the final sum.
   *
   * @return the sum of the balances
   * @throws IllegalStateException if called on the bank's own thread
   * @throws InterruptedException if the calling thread is interrupted while waiting for the
   *     bank's answer (its interrupt status is cleared)
   */
  long total() throws InterruptedException;

  /**
   * Returns every balance, by account name, in the order of {@link #accounts()}: a consistent
   * snapshot including every transfer accepted before the call. After a shutdown, waits until the
   * bank's thread has ended and returns the final balances.
   *
   * @return an unmodifiable map of the balances
   * @throws IllegalStateException if called on the bank's own thread
   * @throws InterruptedException if the calling thread is interrupted while waiting for the
   *     bank's answer (its interrupt status is cleared)
   */
  Map<String, Long> balances() throws InterruptedException;

  /**
   * A transfer accepted by {@link Bank#transfer(String, String, long)}, as
   * {@link Bank#shutdownNow()} returns those never applied.
   *
   * @param from the account the money was to come from
   * @param to the account it was to go to
   * @param amount how much
   */
  record Transfer(String from, String to, long amount) {}
}
