package io.github.gilpatterns.owner;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.gilpatterns.testing.Await;
import io.github.gilpatterns.testing.ThreadMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** Shared helpers: a gate message that holds the owner thread, and deadline-bounded polling. */
final class OwnerTestSupport {

  static final Duration DEADLINE = Duration.ofSeconds(10);

  private OwnerTestSupport() {}

  /**
   * {@code Owner.start(name, state)} on a thread of the suite's kind: a platform thread, or a
   * virtual one when the suite runs on virtual threads ({@link ThreadMode}).
   */
  static <S> Owner<S> startOwner(String name, S state) {
    return ownerBuilder(state).name(name).start();
  }

  /** {@code Owner.builder(state)}, with a virtual-thread factory when the suite runs on them. */
  static <S> Owner.Builder<S> ownerBuilder(S state) {
    Owner.Builder<S> builder = Owner.builder(state);
    if (ThreadMode.virtual()) {
      builder.threadFactory(ThreadMode.factory("owner"));
    }
    return builder;
  }

  /**
   * A message that, when run, signals it has started and then blocks the owner thread until
   * released (or until the owner thread is interrupted, which it records).
   */
  static final class Gate implements Consumer<Object>, Runnable {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch released = new CountDownLatch(1);
    volatile boolean interrupted;

    @Override
    public void accept(Object state) {
      entered.countDown();
      try {
        released.await();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }

    /** As a task of a {@link SerialExecutor}. */
    @Override
    public void run() {
      accept(this);
    }

    /** Waits until the owner thread is inside this message. */
    void awaitEntered() throws InterruptedException {
      assertTrue(entered.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS),
          "the owner never ran the gate message");
    }

    void release() {
      released.countDown();
    }
  }

  /**
   * Records what the library logs on the {@code java.util.logging} logger behind a
   * {@code System.Logger} of that name, from creation until {@link #close()}.
   */
  static final class LogCapture extends Handler implements AutoCloseable {
    private final Logger logger;
    final List<LogRecord> records = new CopyOnWriteArrayList<>();

    LogCapture(String loggerName) {
      this.logger = Logger.getLogger(loggerName);
      logger.addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
      records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
      logger.removeHandler(this);
    }

    /** The formatted messages at {@code level}. */
    List<String> messages(Level level) {
      List<String> messages = new ArrayList<>();
      for (LogRecord r : records) {
        if (r.getLevel().equals(level)) {
          messages.add(new SimpleFormatter().formatMessage(r));
        }
      }
      return messages;
    }
  }

  /** What a thread does, allowed to throw anything. */
  @FunctionalInterface
  interface Body {
    void run() throws Throwable;
  }

  /**
   * A thread of the suite's kind running {@code body}, which keeps what the body threw; for a
   * caller expected to block (a joiner, a sender on a full mailbox) and to be woken by a failure.
   */
  static final class Attempt {
    final Thread thread;
    private final AtomicReference<Throwable> thrown = new AtomicReference<>();
    private volatile boolean returned;

    private Attempt(String name, Body body) {
      this.thread = ThreadMode.start(name, () -> {
        try {
          body.run();
          returned = true;
        } catch (Throwable t) {
          thrown.set(t);
        }
      });
    }

    static Attempt start(String name, Body body) {
      return new Attempt(name, body);
    }

    /** Joins the thread and returns what the body threw, or null if it returned normally. */
    Throwable outcome() throws InterruptedException {
      joinOrFail(thread);
      assertTrue(returned || thrown.get() != null, thread.getName() + " neither returned nor threw");
      return thrown.get();
    }

    /** Joins the thread and asserts the body threw a {@code type}; returns it. */
    <T extends Throwable> T thrown(Class<T> type) throws InterruptedException {
      Throwable t = outcome();
      assertTrue(type.isInstance(t), thread.getName() + " was expected to throw "
          + type.getSimpleName() + ", but " + (t == null ? "returned normally" : "threw " + t));
      return type.cast(t);
    }
  }

  /** Waits until {@code condition} holds, failing after {@link #DEADLINE} ({@link Await#until}). */
  static void awaitCondition(String what, BooleanSupplier condition) {
    Await.until(what, condition, DEADLINE);
  }

  /** Waits until {@code thread} is blocked (WAITING or TIMED_WAITING), as {@link Await#blocked}. */
  static void awaitBlocked(Thread thread) {
    Await.blocked(thread);
  }

  /** Joins {@code thread}, failing if it is still alive after the deadline. */
  static void joinOrFail(Thread thread) throws InterruptedException {
    thread.join(DEADLINE.toMillis());
    if (thread.isAlive()) {
      fail(thread.getName() + " still alive after " + DEADLINE);
    }
  }
}
