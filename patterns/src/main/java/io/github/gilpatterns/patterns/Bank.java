package io.github.gilpatterns.patterns;

import com.google.common.util.concurrent.ListenableFuture;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;

/**
 * Accounts holding money, and transfers between them; in two versions, an <em>owned</em> bank whose
 * balances belong to one thread and which never loses or creates money however many threads
 * transfer at once, and a <em>naive</em> bank whose balances are plain shared memory and which
 * does. Seed notebook 002 calls the naive one's author a "lock-sensitive creature": the GIL does
 * not make {@code balance -= amount} atomic in Python, and nothing does in Java.
 *
 * <p>The Python, and the same thing in Java:
 *
 * <pre>{@code
 * # naive: every thread updates the dict        | Bank naive = Bank.naive(Map.of("a", 100L,
 * balances = {'a': 100, 'b': 100}               |                                "b", 100L));
 * def transfer(src, dst, amount):               | naive.transfer("a", "b", 10);
 *     if balances[src] >= amount:               | // read, check, write: two threads can read
 *         balances[src] -= amount               | // the same balance and both write theirs,
 *         balances[dst] += amount               | // and one update is lost
 *                                               |
 * # owned: one thread updates it, the others    | Bank bank = Bank.owned(Map.of("a", 100L,
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
 * between accounts should never change it.
 *
 * <p><b>Transfers.</b> {@link #transfer(String, String, long)} moves {@code amount} from one account
 * to another if the source holds at least that much, and otherwise declines and changes nothing;
 * balances never go negative. The call checks its arguments first, on the calling thread: a
 * {@code null} or unknown account or a negative amount throws at once and changes no state, and so
 * does a call on a closed bank. Otherwise it returns a future that completes with {@code true}
 * when the money has moved, or {@code false} if the transfer was declined for insufficient funds.
 * An owned bank applies transfers on its thread, one at a time, in the order they were accepted; a
 * naive bank applies them on the calling thread and returns a completed future.
 *
 * <p><b>Reading.</b> {@link #balance(String)} and {@link #total()} of an owned bank ask its thread
 * and wait, so they include every transfer accepted before the call, and {@code total()} is a
 * consistent snapshot (no transfer is half applied). Those of a naive bank read shared memory that
 * other threads may be writing. Both keep working after {@link #close()}, returning the final
 * values.
 *
 * <p><b>Closing.</b> {@link #close()} stops accepting transfers (later calls throw
 * {@link RejectedExecutionException}) and, for an owned bank, applies every transfer already
 * accepted and ends the bank's thread.
 *
 * <p><b>Memory consistency effects:</b> for an owned bank, actions in a thread prior to
 * {@code transfer} happen-before the transfer is applied, and its application happens-before its
 * future completes, {@code join()} returns in a thread that called it after the transfer, and
 * {@code balance}, {@code total} return values that include it. A naive bank gives no such
 * guarantee at all: that is the point of it.
 */
public interface Bank extends AutoCloseable {

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
    return new OwnedBank(name, new Accounts(openingBalances));
  }

  /**
   * Opens a naive bank with the given accounts: plain shared memory that every transferring
   * thread reads and writes with no synchronization. Correct on one thread; under several it
   * loses and creates money (lost updates) and readers may see stale or half-applied balances. It
   * exists to be compared with {@link #owned(Map)}; do not use it for anything else.
   *
   * @param openingBalances account names and their opening balances; copied
   * @return the naive bank
   * @throws NullPointerException if the map, a name or a balance is {@code null}
   * @throws IllegalArgumentException if the map is empty, a balance is negative or the balances
   *     add up to more than {@link Long#MAX_VALUE}
   */
  static Bank naive(Map<String, Long> openingBalances) {
    return new NaiveBank(new Accounts(openingBalances));
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
   * @throws RejectedExecutionException if this bank is closed; nothing changes
   */
  ListenableFuture<Boolean> transfer(String from, String to, long amount);

  /**
   * Returns the balance of {@code account}. An owned bank's answer includes every transfer
   * accepted before the call; a naive bank's is whatever the calling thread happens to read.
   *
   * @param account the account
   * @return its balance
   * @throws NullPointerException if {@code account} is {@code null}
   * @throws IllegalArgumentException if {@code account} is not an account of this bank
   * @throws IllegalStateException if called on an owned bank's own thread
   * @throws InterruptedException if the calling thread is interrupted while waiting for an owned
   *     bank's answer (its interrupt status is cleared)
   */
  long balance(String account) throws InterruptedException;

  /**
   * Returns the sum of all balances. An owned bank's is a consistent snapshot including every
   * transfer accepted before the call, and always equals {@link #openingTotal()}; a naive bank's
   * drifts away from it under threads.
   *
   * @return the sum of the balances
   * @throws IllegalStateException if called on an owned bank's own thread
   * @throws InterruptedException if the calling thread is interrupted while waiting for an owned
   *     bank's answer (its interrupt status is cleared)
   */
  long total() throws InterruptedException;

  /**
   * Returns every balance, by account name, in the order of {@link #accounts()}: for an owned
   * bank a consistent snapshot including every transfer accepted before the call.
   *
   * @return an unmodifiable map of the balances
   * @throws IllegalStateException if called on an owned bank's own thread
   * @throws InterruptedException if the calling thread is interrupted while waiting for an owned
   *     bank's answer (its interrupt status is cleared)
   */
  Map<String, Long> balances() throws InterruptedException;

  /**
   * Waits until every transfer accepted (from any thread) before this call has been applied,
   * like {@code transfers.join()}. A naive bank applies transfers on the caller's thread, so
   * for it this returns at once (and guarantees nothing about what other threads see).
   *
   * @throws IllegalStateException if called on an owned bank's own thread
   * @throws InterruptedException if the calling thread is interrupted while waiting (its
   *     interrupt status is cleared)
   */
  void join() throws InterruptedException;

  /**
   * Stops accepting transfers; an owned bank then applies every transfer already accepted and
   * ends its thread, waiting for it (not interruptibly: an interrupt is kept and set again on
   * return). Idempotent.
   */
  @Override
  void close();

  /**
   * Returns whether {@link #close()} has been called.
   *
   * @return {@code true} if this bank no longer accepts transfers
   */
  boolean isClosed();
}
