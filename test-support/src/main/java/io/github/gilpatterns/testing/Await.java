package io.github.gilpatterns.testing;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Bounded waits for tests. Every wait for another thread ends: when what it waits for happens,
 * with an {@link AssertionError} naming what it waited for once {@link #LIMIT} has passed, or
 * with an {@link AssertionError} when the waiting thread is interrupted (its interrupt status
 * is kept), which is how {@link ThreadLeakCheck} stops the threads a failed test left behind.
 *
 * <p><b>Spin, then park.</b> A wait first gives up its processor a bounded number of times
 * ({@link #SPINS} {@code Thread.yield()}s), then parks for growing stretches of up to
 * {@link #MAX_PARK} between checks. On two cores a waiter that only yielded could keep the
 * thread it waits for from running: virtual threads that yield stay runnable on their
 * carriers, and with more yielding threads than carriers the others may never be mounted. A
 * parked waiter frees its carrier. Parking is not sleeping for the other thread: the condition
 * is checked after every park, and a wait never assumes that something happened because time
 * passed.
 *
 * <p>For a loop that polls for work of its own ({@code poll()} returning null, as CPython's
 * tests loop on {@code get_nowait()}), {@link #idle(String)} gives the same backoff, with the
 * limit counted from the last {@link Idle#progress() progress}.
 */
public final class Await {

  /** How long any single wait in the suites may take before the test fails. */
  public static final Duration LIMIT = Duration.ofSeconds(20);

  /** How many times a wait yields before it starts to park. */
  static final int SPINS = 64;

  /** The longest park between two checks of a condition. */
  static final Duration MAX_PARK = Duration.ofMillis(1);

  private Await() {}

  /**
   * Waits until {@code condition} holds, failing after {@link #LIMIT} or on an interrupt.
   *
   * @param what what is awaited, for the failure message ("the owner is blocked")
   */
  public static void until(String what, BooleanSupplier condition) {
    until(what, condition, LIMIT);
  }

  /** As {@link #until(String, BooleanSupplier)}, failing after {@code limit}. */
  public static void until(String what, BooleanSupplier condition, Duration limit) {
    Objects.requireNonNull(condition, "condition");
    Idle idle = new Idle(what, limit);
    while (!condition.getAsBoolean()) {
      idle.pause();
    }
  }

  /**
   * Waits until {@code thread} is parked ({@code WAITING} or {@code TIMED_WAITING}); fails if
   * it ends first, after {@link #LIMIT}, or on an interrupt.
   */
  public static void blocked(Thread thread) {
    until(thread.getName() + " is blocked", () -> {
      Thread.State state = thread.getState();
      if (state == Thread.State.TERMINATED) {
        throw new AssertionError(thread.getName() + " ended instead of blocking");
      }
      return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
    });
  }

  /**
   * The backoff of a loop that polls for {@code what}: call {@link Idle#pause()} when a poll
   * finds nothing and {@link Idle#progress()} when it finds something.
   */
  public static Idle idle(String what) {
    return new Idle(what, LIMIT);
  }

  /** A deadline of {@link #LIMIT} from now for a loop that must not run on forever. */
  public static Deadline deadline(String what) {
    return new Deadline(what, LIMIT);
  }

  /** A deadline of {@code limit} from now, for a loop meant to run longer than {@link #LIMIT}. */
  public static Deadline deadline(String what, Duration limit) {
    return new Deadline(what, limit);
  }

  /**
   * The bound of a loop that does work until another thread tells it to stop (a CPU-bound
   * thread under the GIL spinning until a flag is set): {@link #check()} fails the loop once
   * the deadline has passed, so a test that fails before setting the flag cannot leave it
   * spinning.
   */
  public static final class Deadline {
    private final String what;
    private final Duration limit;
    private final long deadline;

    Deadline(String what, Duration limit) {
      this.what = Objects.requireNonNull(what, "what");
      this.limit = Objects.requireNonNull(limit, "limit");
      this.deadline = System.nanoTime() + limit.toNanos();
    }

    /** Whether the deadline has passed. */
    public boolean passed() {
      return System.nanoTime() - deadline > 0;
    }

    /**
     * Fails with an {@link AssertionError} if the deadline has passed. Ignores the interrupt
     * status, which some loops keep set on purpose; check it where the loop allows.
     */
    public void check() {
      if (passed()) {
        throw new AssertionError("still running after " + format(limit) + ": " + what);
      }
    }
  }

  /** "20 s", or "50 ms" below a second. */
  static String format(Duration limit) {
    return limit.compareTo(Duration.ofSeconds(1)) < 0 ? limit.toMillis() + " ms" : limit.toSeconds() + " s";
  }

  /** The backoff of one polling loop; not thread-safe (one per waiting thread). */
  public static final class Idle {
    private final String what;
    private final Duration limit;
    private long deadline;
    private int pauses;

    Idle(String what, Duration limit) {
      this.what = Objects.requireNonNull(what, "what");
      this.limit = Objects.requireNonNull(limit, "limit");
      progress();
    }

    /** Something was found: the next pause spins again, and the limit starts over. */
    public void progress() {
      pauses = 0;
      deadline = System.nanoTime() + limit.toNanos();
    }

    /**
     * Nothing was found: yields (the first {@link #SPINS} times since the last progress), then
     * parks for up to {@link #MAX_PARK}.
     *
     * @throws AssertionError once {@link #LIMIT} has passed without progress, or if the
     *     current thread is interrupted (its interrupt status is kept)
     */
    public void pause() {
      if (Thread.currentThread().isInterrupted()) {
        throw new AssertionError("interrupted while waiting until " + what);
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within " + format(limit) + ": " + what);
      }
      int n = pauses++;
      if (n < SPINS) {
        Thread.yield();
      } else {
        // 16 us, doubling to MAX_PARK: short waits stay short, long ones cost no CPU.
        long nanos = Math.min(MAX_PARK.toNanos(), TimeUnit.MICROSECONDS.toNanos(16) << Math.min(n - SPINS, 10));
        LockSupport.parkNanos(this, nanos);
      }
    }
  }
}
