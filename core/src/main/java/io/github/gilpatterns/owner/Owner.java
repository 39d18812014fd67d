package io.github.gilpatterns.owner;

import static java.util.Objects.requireNonNull;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A thread that exclusively owns a state object of type {@code S}; every other thread reaches the
 * state only by sending the owner a message, which the owner thread runs, one at a time, in the
 * order the messages entered its mailbox.
 *
 * <p>This is Raymond Hettinger's <em>counter manager</em> as a type: "the counter variable belongs
 * to one thread; everyone else puts increments on its queue, and {@code counter_queue.join()}
 * waits until they have all been applied". Because only the owner thread ever touches the state,
 * the state needs no locks, no volatile fields and no atomics; plain fields are correct. An owner
 * is a {@link SerialExecutor} bound to one state: the same mailbox, run loop and lifecycle, with
 * {@code Consumer}s of the state as messages.
 *
 * <p><b>Sending.</b> {@link #tell tell(message)} enqueues a {@code Consumer<? super S>} and
 * returns; {@link #ask ask(query)} enqueues a {@code Function<? super S, ? extends R>} and returns
 * a {@link ListenableFuture} of its result. Any thread may send, including the owner thread
 * itself. Messages from one sender run in the order that sender sent them; messages from
 * different senders run in the order their enqueue operations took effect (the mailbox is a
 * linearizable FIFO).
 *
 * <p><b>Keep the state on its thread.</b> A query that returns the state itself, or a mutable
 * part of it, hands that object to another thread, which then reads it while the owner writes
 * it: the race the owner exists to prevent. Return a copy or a value ({@code c -> c.count},
 * {@code m -> Map.copyOf(m)}). Once the owner has terminated, {@link #readFinalState} reads the
 * state safely from any thread.
 *
 * <p><b>Mailbox.</b> By default the mailbox is unbounded (linked chunks of 1,024 slots, allocated
 * as needed and dropped once read). With {@link Builder#mailboxCapacity(int)} it holds at most
 * that many waiting messages (exactly that many: the message currently running does not count):
 * {@code tell} and {@code ask} then block while it is full, {@link #tryTell(Consumer)} returns
 * {@code false} instead, and {@link #tryTell(Consumer, Duration)} waits at most a given time. A
 * bounded mailbox of more than 1,024 messages grows in chunks of 1,024 as it fills, up to its
 * bound, and reuses them: its memory follows the largest backlog it has held, not its bound.
 *
 * <p><b>Failures.</b> A message that throws does not kill the owner: the next message runs as
 * usual. The future returned by {@code ask} completes exceptionally with what the query threw; a
 * failure of a message sent with {@code tell}, a listener of an {@code ask} future that throws
 * when the owner completes or cancels it, and a failing {@linkplain Builder#onDrained drained
 * hook} go to the {@link FailureHandler} (by default a {@link System.Logger} {@code WARNING} on the
 * logger named after this class). An failure handler that throws is logged and ignored. Failed
 * messages count as {@linkplain #processed() processed}. Should the owner thread nonetheless
 * end unexpectedly (a bug, or an error thrown while logging one), the owner fails safe: it
 * stops accepting messages, fails the futures of the asks that never ran, keeps the messages
 * that never ran for {@link #shutdownNow()}, logs how many there were at {@code ERROR}, and
 * {@link #join()} and {@link #awaitTermination(long, TimeUnit) awaitTermination} throw
 * {@link IllegalStateException} instead of reporting success.
 *
 * <p><b>Waiting.</b> {@link #join()} waits until every message sent before the call has run,
 * like Python's {@code Queue.join()}; it must not be called on the owner thread (it would wait for
 * itself) and throws {@link IllegalStateException} there.
 *
 * <p><b>Lifecycle</b>: the library's one {@link io.github.gilpatterns.join.Lifecycle} contract, with
 * messages as its work.
 * {@link #shutdown()} stops accepting messages (later sends throw
 * {@link RejectedExecutionException}) and lets the owner run every message already accepted;
 * {@link #shutdownNow()} returns the messages that will never run, an {@code ask} among them as a
 * {@code Consumer} whose future has been cancelled; {@link #close()} is shutdown and wait. A
 * send racing with a shutdown either is accepted (returns normally, and its message runs exactly
 * once) or is refused (throws {@code RejectedExecutionException}, and its message never runs).
 *
 * <p><b>Threads.</b> The owner thread is a non-daemon platform thread unless built with
 * {@link Builder#daemon(boolean) daemon(true)} or a {@link Builder#threadFactory(ThreadFactory)
 * thread factory}, so an owner that is never closed keeps the JVM alive, like a thread pool that
 * is never shut down. At JVM exit, an owner built with {@link Builder#drainOnExit(Duration)} is
 * shut down and drained by a shutdown hook; any other owner still running then has the number of
 * accepted messages that never ran logged at {@code WARNING}.
 *
 * <p><b>Idle owner.</b> When its mailbox is empty the owner thread spins briefly and then parks;
 * it uses no CPU while idle and is unparked by the next send.
 *
 * <p><b>Sample usage:</b> Hettinger's counter manager.
 *
 * <pre> {@code
 * final class Counter { long count; }             // plain field: only the owner touches it
 *
 * try (Owner<Counter> counter = Owner.start("counter-manager", new Counter())) {
 *   List<Thread> workers = new ArrayList<>();
 *   for (int i = 0; i < 10; i++) {
 *     workers.add(Threads.start("worker-" + i, () -> counter.tell(c -> c.count++)));
 *   }
 *   Threads.joinAll(workers);
 *   counter.join();                                // counter_queue.join()
 *   long count = counter.ask(c -> c.count).get();  // 10
 * }}</pre>
 *
 * <p><b>Flight Recorder.</b> Under a JDK Flight Recorder recording that enables them, an owner
 * commits {@code io.github.gilpatterns.OwnerMessage} per message (its run as the duration, and
 * {@code queued}: how long it waited in the mailbox), {@code OwnerPark} while its thread parks
 * on an empty mailbox, {@code OwnerUnpark} when a sender wakes it, and a periodic
 * {@code OwnerMailbox} sample of its depth. Without a recording a send reads no clock and
 * allocates nothing more. {@code OwnerMessage} is off unless the recording's settings turn it
 * on: while it is on each send also allocates the stamp that carries its instant and each
 * message commits an event, which costs most of the {@code tell} throughput.
 *
 * <p><b>Memory consistency effects:</b> actions in a thread prior to sending a message with
 * {@code tell}, {@code tryTell} or {@code ask} <i>happen-before</i> that message runs on the owner
 * thread, and the actions of a message <i>happen-before</i> a successful return from
 * {@code join()} in a thread that called it after sending the message, the completion of the
 * {@code ask} future's result becoming visible, and a successful return from
 * {@code awaitTermination}, {@code close()} or {@code readFinalState}.
 *
 * @param <S> the type of the owned state
 */
public final class Owner<S> extends SerialCore<Consumer<? super S>> {

  /*
   * Implementation overview. Everything but the state and the failure handler is SerialCore's
   * (see its overview): the mailbox, the run loop, the idle protocol, join, the lifecycle and
   * the fail-safe end. A message is the Consumer itself, so a send allocates nothing; an ask
   * is an Ask, a Consumer that keeps the query's outcome and completes its future after the
   * message is counted as processed.
   */

  /** The owned state: touched only by {@link #thread}, or by any thread once it has ended. */
  private final S state;
  private final FailureHandler failureHandler;

  private Owner(Builder<S> builder, String name) {
    super(builder.settings, name, Owner.class);
    this.state = builder.state;
    this.failureHandler = builder.failureHandler;
    Consumer<? super S> onDrained = builder.onDrained;
    this.drainedHook = onDrained;
  }

  /**
   * Starts an owner thread named {@code name} that owns {@code state}, with an unbounded mailbox,
   * the default failure handler and a non-daemon thread. Equivalent to
   * {@code Owner.builder(state).name(name).start()}.
   *
   * @param name the name of the owner thread and of this owner
   * @param state the state the new thread will own; no other thread should touch it afterwards
   * @param <S> the type of the state
   * @return the started owner
   * @throws NullPointerException if {@code name} or {@code state} is {@code null}
   */
  public static <S> Owner<S> start(String name, S state) {
    requireNonNull(name, "name");
    requireNonNull(state, "state");
    return builder(state).name(name).start();
  }

  /**
   * Returns a builder for an owner of {@code state}.
   *
   * @param state the state the owner thread will own
   * @param <S> the type of the state
   * @return a new builder with the defaults: name {@code owner-N}, unbounded mailbox, logging
   *     failure handler, non-daemon platform thread, no drain at JVM exit
   * @throws NullPointerException if {@code state} is {@code null}
   */
  public static <S> Builder<S> builder(S state) {
    return new Builder<>(requireNonNull(state, "state"));
  }

  @Override
  void runMessage(Consumer<? super S> message) {
    message.accept(state);
  }

  @Override
  void reportFailure(Consumer<? super S> message, Throwable failure) {
    failureHandler.handle(this, message, failure);
  }

  @Override
  String kind() {
    return "owner";
  }

  // ---------------------------------------------------------------------------------------------
  // Sending

  /**
   * Sends {@code message} to the owner, which will run {@code message.accept(state)} on its thread.
   * Returns as soon as the message is in the mailbox.
   *
   * <p>With a bounded mailbox this blocks while the mailbox is full. If the calling thread is
   * interrupted on entry to that wait or during it, {@code tell} gives up: the message is not
   * enqueued, the thread's interrupt status is set again, and a
   * {@code RejectedExecutionException} whose cause is the {@link InterruptedException} is
   * thrown, the way an {@link java.util.concurrent.Executor} reports a task it could not accept
   * ({@link #tryTell(Consumer, Duration)} throws a checked {@code InterruptedException}
   * instead). A full mailbox on the owner thread itself cannot drain while the owner waits, so
   * there {@code tell} throws {@code RejectedExecutionException} at once instead of deadlocking.
   *
   * <p>IMPLEMENTATION NOTES: any thread may call it. Lock-free when the mailbox has room (one CAS
   * on the mailbox's producer index, a release store of the message and a volatile read that
   * finds the owner awake); blocking only while a bounded mailbox is full.
   *
   * @param message what to run on the owner thread with the state
   * @throws NullPointerException if {@code message} is {@code null}
   * @throws RejectedExecutionException if this owner is shut down (or shuts down while the call
   *     waits for space), if the calling thread is interrupted while waiting for space, or if the
   *     owner thread itself finds its bounded mailbox full; the message was not enqueued
   */
  public void tell(Consumer<? super S> message) {
    sendOrReject(requireNonNull(message, "message"));
  }

  /**
   * Sends {@code message} if the mailbox has room now; never blocks. Any thread may call it.
   *
   * @param message what to run on the owner thread with the state
   * @return {@code true} if the message was enqueued, {@code false} if the bounded mailbox was
   *     full (always {@code true} for an unbounded mailbox)
   * @throws NullPointerException if {@code message} is {@code null}
   * @throws RejectedExecutionException if this owner is shut down
   */
  public boolean tryTell(Consumer<? super S> message) {
    requireNonNull(message, "message");
    try {
      return send(message, true, 0L);
    } catch (InterruptedException e) {
      throw new AssertionError("a send that does not wait was interrupted", e);
    }
  }

  /**
   * Sends {@code message}, waiting up to {@code timeout} for room in a full bounded mailbox; as
   * {@link #tryTell(Consumer, long, TimeUnit)}.
   *
   * @param message what to run on the owner thread with the state
   * @param timeout how long to wait for room; zero or negative means do not wait
   * @return {@code true} if the message was enqueued, {@code false} if the mailbox stayed full
   *     for the whole timeout
   * @throws NullPointerException if {@code message} or {@code timeout} is {@code null}
   * @throws RejectedExecutionException if this owner is shut down, or shuts down while the call
   *     waits
   * @throws InterruptedException if the calling thread is interrupted on entry to the wait or
   *     while waiting (its interrupt status is cleared); the message was not enqueued
   */
  public boolean tryTell(Consumer<? super S> message, Duration timeout)
      throws InterruptedException {
    return tryTell(message, TimeUnit.NANOSECONDS.convert(requireNonNull(timeout, "timeout")),
        TimeUnit.NANOSECONDS);
  }

  /**
   * Sends {@code message}, waiting up to {@code timeout} {@code unit}s for room in a full bounded
   * mailbox. On the owner thread itself a full mailbox cannot drain while waiting, so the call
   * returns {@code false} at once. Any thread may call it.
   *
   * @param message what to run on the owner thread with the state
   * @param timeout how long to wait for room; zero or negative means do not wait
   * @param unit the unit of {@code timeout}
   * @return {@code true} if the message was enqueued, {@code false} if the mailbox stayed full
   *     for the whole timeout
   * @throws NullPointerException if {@code message} or {@code unit} is {@code null}
   * @throws RejectedExecutionException if this owner is shut down, or shuts down while the call
   *     waits
   * @throws InterruptedException if the calling thread is interrupted on entry to the wait or
   *     while waiting (its interrupt status is cleared); the message was not enqueued
   */
  public boolean tryTell(Consumer<? super S> message, long timeout, TimeUnit unit)
      throws InterruptedException {
    requireNonNull(message, "message");
    return send(message, true, requireNonNull(unit, "unit").toNanos(timeout));
  }

  /**
   * Sends {@code query} to the owner and returns a future of its result: the owner runs
   * {@code query.apply(state)} on its thread and completes the future with the value, or with the
   * exception the query threw (which does not go to the failure handler). Blocks like
   * {@link #tell(Consumer)} while a bounded mailbox is full. Cancelling the future before the
   * query runs makes the owner skip it; it never interrupts a running query.
   *
   * <p>Return a value or a copy, never the state itself or a mutable part of it: the caller would
   * then read an object the owner thread keeps writing. Waiting for the future on the owner
   * thread itself deadlocks: the owner would wait for a message only it can run. Listeners added
   * with a direct executor run on the owner thread when it completes the future; what they throw
   * goes to the failure handler.
   *
   * @param query what to compute from the state on the owner thread
   * @param <R> the type of the result
   * @return a future completed on the owner thread with the result of {@code query}; cancelled if
   *     {@link #shutdownNow()} removes the query before it runs; failed with an
   *     {@link IllegalStateException} if the owner thread ends unexpectedly before running it
   * @throws NullPointerException if {@code query} is {@code null}
   * @throws RejectedExecutionException as for {@link #tell(Consumer)}
   */
  public <R extends @Nullable Object> ListenableFuture<R> ask(
      Function<? super S, ? extends R> query) {
    Ask<S, R> ask = new Ask<>(requireNonNull(query, "query"));
    sendOrReject(ask);
    return ask.future;
  }

  // ---------------------------------------------------------------------------------------------
  // The final state

  /**
   * Applies {@code reader} to the state on the calling thread, once the owner has terminated: the
   * way to read the final state without keeping a second reference to it. The end of the owner
   * thread (every message it ran) happens-before the read. Call it after {@link #close()} or a
   * successful {@link #awaitTermination(long, TimeUnit)}; while the owner runs, use
   * {@link #ask(Function)}.
   *
   * @param reader what to compute from the final state; it may keep what it returns
   * @param <R> the type of the result
   * @return what {@code reader} returned
   * @throws NullPointerException if {@code reader} is {@code null}
   * @throws IllegalStateException if the owner thread has not terminated yet
   */
  public <R extends @Nullable Object> R readFinalState(Function<? super S, ? extends R> reader) {
    requireNonNull(reader, "reader");
    if (!isTerminated()) {
      throw new IllegalStateException("owner " + name
          + " has not terminated: shut it down and await its termination, or ask(..) it");
    }
    return reader.apply(state);
  }

  // ---------------------------------------------------------------------------------------------
  // Observing

  /**
   * Returns whether the calling thread is this owner's thread, i.e. whether the caller may touch
   * the state directly.
   *
   * @return {@code true} on the owner thread (inside a message, the drained hook or the error
   *     handler)
   */
  public boolean isOwnerThread() {
    return Thread.currentThread() == thread;
  }

  /** The owner thread, for tests in this package. */
  Thread thread() {
    return thread;
  }

  /**
   * Returns a string naming this owner and its run state.
   *
   * @return for example {@code Owner[counter-manager, running, processed=10, pending=0]}
   */
  @Override
  public String toString() {
    return "Owner" + describe();
  }

  // ---------------------------------------------------------------------------------------------
  // Nested types

  /**
   * Receives the failures on an owner thread: of messages sent with {@link Owner#tell(Consumer)}
   * (and {@code tryTell}), of listeners of {@link Owner#ask(Function)} futures that throw when the
   * owner completes or cancels them (the message is then the ask), and of the drained hook.
   * Failures of {@code ask} queries themselves go to their futures instead. Called on the owner
   * thread right after the failure, before the next message runs, so it may touch the owned
   * state. If it throws, the owner logs that and carries on.
   */
  @FunctionalInterface
  public interface FailureHandler {

    /**
     * Handles one failure.
     *
     * @param owner the owner on whose thread it happened
     * @param message the message, ask or drained hook that threw
     * @param failure what it threw
     */
    void handle(Owner<?> owner, Consumer<?> message, Throwable failure);
  }

  /** The default failure handler: a {@code WARNING} on {@link System.Logger} {@code Owner}. */
  private static void logFailure(Owner<?> owner, Consumer<?> message, Throwable failure) {
    owner.log.log(Level.WARNING, () -> "a message to owner " + owner.name() + " failed: "
        + message, failure);
  }

  /**
   * A builder of {@link Owner}s. Not thread-safe; {@link #start()} may be called once, because
   * two owners of one state would break the single-owner rule. A setter that throws changes
   * nothing.
   *
   * @param <S> the type of the owned state
   */
  public static final class Builder<S> {
    private final S state;
    private final Settings settings = new Settings("owner");
    private FailureHandler failureHandler = Owner::logFailure;
    private @Nullable Consumer<? super S> onDrained;
    private boolean started;

    private Builder(S state) {
      this.state = state;
    }

    /**
     * Sets the name of the owner and of its thread (default {@code owner-N}).
     *
     * @param name the name
     * @return this builder
     * @throws NullPointerException if {@code name} is {@code null}
     */
    @CanIgnoreReturnValue
    public Builder<S> name(String name) {
      settings.name(name);
      return this;
    }

    /**
     * Bounds the mailbox: at most {@code capacity} messages wait at any time; senders block (or
     * {@code tryTell} fails) while it is full. Up to 1,024 slots are allocated at
     * {@link #start()}; a larger mailbox grows in chunks of 1,024 as it fills.
     *
     * @param capacity the largest number of waiting messages, from 1 to 2<sup>30</sup>
     * @return this builder
     * @throws IllegalArgumentException if {@code capacity} is not positive or exceeds
     *     2<sup>30</sup>
     */
    @CanIgnoreReturnValue
    public Builder<S> mailboxCapacity(int capacity) {
      settings.capacity(capacity);
      return this;
    }

    /**
     * Makes the mailbox unbounded (the default): sends never block.
     *
     * @return this builder
     */
    @CanIgnoreReturnValue
    public Builder<S> unbounded() {
      settings.unbounded();
      return this;
    }

    /**
     * Sets what receives the failures on the owner thread (default: a {@link System.Logger}
     * {@code WARNING}); see {@link FailureHandler}.
     *
     * @param handler the failure handler, called on the owner thread
     * @return this builder
     * @throws NullPointerException if {@code handler} is {@code null}
     */
    @CanIgnoreReturnValue
    public Builder<S> onFailure(FailureHandler handler) {
      this.failureHandler = requireNonNull(handler, "handler");
      return this;
    }

    /**
     * Sets a hook that the owner runs on its thread, with the state, each time it has run one or
     * more messages and finds its mailbox empty, before it waits for the next: the moment to
     * flush a buffered output or publish a summary. It runs after the messages before it count as
     * {@linkplain Owner#processed() processed}, so a {@code join()} may return before it has run;
     * a failure goes to the failure handler. A message sent while the hook runs is run after it.
     *
     * @param hook what to run with the state when the mailbox has been drained
     * @return this builder
     * @throws NullPointerException if {@code hook} is {@code null}
     */
    @CanIgnoreReturnValue
    public Builder<S> onDrained(Consumer<? super S> hook) {
      this.onDrained = requireNonNull(hook, "hook");
      return this;
    }

    /**
     * Sets whether the owner thread is a daemon thread (default {@code false}, as for the
     * threads of {@link java.util.concurrent.Executors#defaultThreadFactory()}). A daemon owner
     * does not keep the JVM alive: at exit, messages still in its mailbox never run (their number
     * is logged), so shut it down and await its termination first, or use
     * {@link #drainOnExit(Duration)}. Python's counter manager uses a daemon thread.
     *
     * @param daemon {@code true} for a daemon thread
     * @return this builder
     * @throws IllegalStateException if a {@linkplain #threadFactory(ThreadFactory) thread
     *     factory} is set: it decides whether its threads are daemons
     */
    @CanIgnoreReturnValue
    public Builder<S> daemon(boolean daemon) {
      settings.daemon(daemon);
      return this;
    }

    /**
     * Makes the owner thread come from {@code threadFactory} (default: a new platform thread).
     * The factory must return a new, unstarted thread; the owner names it after itself and starts
     * it. On JDK 21 or later, {@code Thread.ofVirtual().factory()} gives the owner a virtual
     * thread. What changes there: a virtual thread is always a daemon, so it never keeps the JVM
     * alive (see {@link #drainOnExit(Duration)}); an idle owner's brief spin occupies its carrier
     * thread, and its park unmounts it; the owner itself blocks only on
     * {@code java.util.concurrent} locks, which never pin the carrier, but a message that blocks
     * inside {@code synchronized} pins it on JDK 21 to 23.
     *
     * @param threadFactory where the owner thread comes from
     * @return this builder
     * @throws NullPointerException if {@code threadFactory} is {@code null}
     * @throws IllegalStateException if {@link #daemon(boolean)} was set
     */
    @CanIgnoreReturnValue
    public Builder<S> threadFactory(ThreadFactory threadFactory) {
      settings.threadFactory(threadFactory);
      return this;
    }

    /**
     * Drains the owner when the JVM exits: a shutdown hook (which runs after
     * {@code System.exit}, on SIGTERM or SIGINT, and when the last non-daemon thread ends) shuts
     * the owner down and waits at most {@code timeout} for it to run every accepted message. What
     * is left after the timeout is logged with its number. A JVM killed with SIGKILL runs no
     * hook.
     *
     * @param timeout the longest time the JVM's exit waits for this owner
     * @return this builder
     * @throws NullPointerException if {@code timeout} is {@code null}
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    @CanIgnoreReturnValue
    public Builder<S> drainOnExit(Duration timeout) {
      settings.drainOnExit(timeout);
      return this;
    }

    /**
     * Drains the owner when the JVM exits, waiting at most {@code timeout} {@code unit}s; see
     * {@link #drainOnExit(Duration)}.
     *
     * @param timeout the longest time the JVM's exit waits for this owner
     * @param unit the unit of {@code timeout}
     * @return this builder
     * @throws NullPointerException if {@code unit} is {@code null}
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    @CanIgnoreReturnValue
    public Builder<S> drainOnExit(long timeout, TimeUnit unit) {
      settings.drainOnExit(timeout, unit);
      return this;
    }

    /** For tests of this package: a mailbox that injects a fault. */
    @CanIgnoreReturnValue
    Builder<S> mailbox(Mailbox<?> mailbox) {
      settings.mailbox(mailbox);
      return this;
    }

    /**
     * Creates the owner and starts its thread.
     *
     * @return the started owner
     * @throws IllegalStateException if this builder has already started an owner, or if the
     *     thread factory returned {@code null} or a started thread (nothing was started)
     */
    public Owner<S> start() {
      if (started) {
        throw new IllegalStateException("this builder has already started an owner of its state");
      }
      Owner<S> owner = new Owner<>(this, settings.resolveName());
      owner.startThread();
      started = true;
      return owner;
    }
  }
}
