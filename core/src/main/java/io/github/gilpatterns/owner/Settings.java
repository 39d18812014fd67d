package io.github.gilpatterns.owner;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * What the builders of {@link Owner} and {@link SerialExecutor} configure: the name, the
 * mailbox, the thread and the exit policy. Each setter checks its argument and changes nothing
 * when it throws. Not thread-safe: a builder is used by one thread.
 */
final class Settings {

  private static final AtomicLong DEFAULT_NAME_SEQUENCE = new AtomicLong();

  private final String defaultPrefix;
  private @Nullable String name;
  private int capacity; // 0: unbounded
  private @Nullable ThreadFactory threadFactory;
  private @Nullable Boolean daemon;
  /** Negative: no drain at exit. */
  private boolean drainOnExit;
  private long exitNanos;
  /** A mailbox given by a test of this package (one that injects a fault), else null. */
  private @Nullable Mailbox<?> mailbox;

  Settings(String defaultPrefix) {
    this.defaultPrefix = defaultPrefix;
  }

  void name(String name) {
    this.name = requireNonNull(name, "name");
  }

  void capacity(int capacity) {
    if (capacity < 1 || capacity > Mailbox.MAX_CAPACITY) {
      throw new IllegalArgumentException(
          "mailbox capacity must be between 1 and 2^30, was " + capacity);
    }
    this.capacity = capacity;
  }

  void unbounded() {
    this.capacity = 0;
  }

  void daemon(boolean daemon) {
    if (threadFactory != null) {
      throw exclusive();
    }
    this.daemon = daemon;
  }

  void threadFactory(ThreadFactory threadFactory) {
    requireNonNull(threadFactory, "threadFactory");
    if (daemon != null) {
      throw exclusive();
    }
    this.threadFactory = threadFactory;
  }

  private static IllegalStateException exclusive() {
    return new IllegalStateException("daemon(..) and threadFactory(..) exclude each other: "
        + "a thread factory decides whether its threads are daemons");
  }

  void drainOnExit(long timeout, TimeUnit unit) {
    requireNonNull(unit, "unit");
    if (timeout < 0L) {
      throw new IllegalArgumentException("drain timeout must not be negative, was " + timeout);
    }
    this.drainOnExit = true;
    this.exitNanos = unit.toNanos(timeout);
  }

  void drainOnExit(Duration timeout) {
    requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("drain timeout must not be negative, was " + timeout);
    }
    this.drainOnExit = true;
    this.exitNanos = TimeUnit.NANOSECONDS.convert(timeout);
  }

  /** Whether a shutdown hook drains the owner at JVM exit. */
  boolean drainOnExit() {
    return drainOnExit;
  }

  /** With {@link #drainOnExit()}, the longest wait for the drain, in nanoseconds. */
  long exitNanos() {
    return exitNanos;
  }

  /** The configured name, or a fresh default {@code prefix-N}. */
  String resolveName() {
    return name != null ? name : defaultPrefix + "-" + DEFAULT_NAME_SEQUENCE.getAndIncrement();
  }

  /** For tests of this package: use {@code mailbox} instead of a new one. */
  void mailbox(Mailbox<?> mailbox) {
    this.mailbox = requireNonNull(mailbox, "mailbox");
  }

  @SuppressWarnings("unchecked") // a test's mailbox: its element type is the test's business
  <M> Mailbox<M> newMailbox() {
    if (mailbox != null) {
      return (Mailbox<M>) mailbox;
    }
    return capacity == 0 ? Mailbox.unbounded(Mailbox.CHUNK) : Mailbox.bounded(capacity);
  }

  /**
   * A new unstarted thread named {@code name} that runs {@code body}: a platform thread (daemon
   * as configured, non-daemon by default) or one from the configured factory.
   *
   * @throws IllegalStateException if the factory returns {@code null} or a started thread
   */
  Thread newThread(Runnable body, String name) {
    ThreadFactory factory = this.threadFactory;
    if (factory == null) {
      Thread thread = new Thread(body, name);
      thread.setDaemon(daemon != null && daemon);
      return thread;
    }
    Thread thread = factory.newThread(body);
    if (thread == null) {
      throw new IllegalStateException("the thread factory " + factory + " returned null");
    }
    if (thread.getState() != Thread.State.NEW) {
      throw new IllegalStateException(
          "the thread factory " + factory + " returned a thread already started: " + thread);
    }
    thread.setName(name);
    return thread;
  }

}
