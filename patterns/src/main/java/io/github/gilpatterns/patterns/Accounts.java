package io.github.gilpatterns.patterns;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The fixed set of accounts of a {@link Bank}: names mapped to indices in a balance array, and the
 * checks every transfer makes at the call, before anything changes. Immutable.
 */
final class Accounts {

  private final Map<String, Integer> indices;
  private final long[] opening;
  private final long total;
  private final Set<String> names;
  private final String[] orderedNames;

  /**
   * @throws NullPointerException if the map, a name or a balance is null
   * @throws IllegalArgumentException if there is no account, a balance is negative or the total
   *     exceeds {@code Long.MAX_VALUE}
   */
  Accounts(Map<String, Long> openingBalances) {
    requireNonNull(openingBalances, "openingBalances");
    Map<String, Integer> indices = new LinkedHashMap<>();
    long[] opening = new long[openingBalances.size()];
    long total = 0L;
    int i = 0;
    for (Map.Entry<String, Long> e : openingBalances.entrySet()) {
      String name = requireNonNull(e.getKey(), "account name");
      long balance = requireNonNull(e.getValue(), () -> "opening balance of " + name);
      if (balance < 0) {
        throw new IllegalArgumentException(
            "opening balance of " + name + " must not be negative, was " + balance);
      }
      try {
        total = Math.addExact(total, balance);
      } catch (ArithmeticException overflow) {
        throw new IllegalArgumentException("the opening balances add up to more than "
            + Long.MAX_VALUE, overflow);
      }
      indices.put(name, i);
      opening[i++] = balance;
    }
    if (i == 0) {
      throw new IllegalArgumentException("a bank needs at least one account");
    }
    this.indices = Map.copyOf(indices);
    this.opening = opening;
    this.total = total;
    this.names = Collections.unmodifiableSet(new LinkedHashSet<>(indices.keySet()));
    this.orderedNames = indices.keySet().toArray(new String[0]);
  }

  /** The account names, in the order of the opening map. */
  Set<String> names() {
    return names;
  }

  /** The name of the account at {@code index}. */
  String name(int index) {
    return orderedNames[index];
  }

  /** A fresh copy of the opening balances, indexed like {@link #index(String)}. */
  long[] openingBalances() {
    return opening.clone();
  }

  /** The sum of the opening balances: the total a correct bank keeps forever. */
  long openingTotal() {
    return total;
  }

  /**
   * Returns the index of {@code account}.
   *
   * @throws NullPointerException if {@code account} is null
   * @throws IllegalArgumentException if there is no such account
   */
  int index(String account, String role) {
    requireNonNull(account, role);
    Integer index = indices.get(account);
    if (index == null) {
      throw new IllegalArgumentException("unknown account (" + role + "): " + account);
    }
    return index;
  }

  /** Checks a transfer's amount. */
  static void checkAmount(long amount) {
    if (amount < 0) {
      throw new IllegalArgumentException("transfer amount must not be negative, was " + amount);
    }
  }
}
