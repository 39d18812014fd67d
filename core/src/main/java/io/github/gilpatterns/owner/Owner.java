package io.github.gilpatterns.owner;

import static java.util.Objects.requireNonNull;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.SettableFuture;
import com.google.common.util.concurrent.Uninterruptibles;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A thread that exclusively owns a state object of type {@code S}; every other thread reaches the
 * state only by sending the owner a message, which the owner thread runs, one at a time, in the
 * order the messages entered its mailbox.
 *
 * <p>This is Raymond Hettinger's <em>counter manager</em> as a type: "the counter variable belongs
 * to one thread; everyone else puts increments on its queue, and {@code counter_queue.join()}
 * waits until they have all been applied". Because only the owner thread ever touches the state,
 * the state needs no locks, no volatile fields and no atomics; plain fields are correct.
 *
 * <p><b>Sending.</b> {@link #tell tell(message)} enqueues a {@code Consumer<? super S>} and
 * returns; {@link #ask ask(query)} enqueues a {@code Function<? super S, ? extends R>} and returns
 * a {@link ListenableFuture} of its result. Any thread may send, including the owner thread
 * itself. Messages from one sender run in the order that sender sent them; messages from
 * different senders run in the order their enqueue operations took effect (the mailbox is a
 * linearizable FIFO).
 *
 * <p><b>Mailbox.</b> By default the mailbox is unbounded (linked chunks of 1,024 slots, allocated
 * as needed). With {@link Builder#mailboxCapacity(int)} it holds at
 * most that many waiting messages (exactly that many: the message currently running does not
 * count): {@code tell} and {@code ask} then block while it is full,
 * {@link #tryTell(Consumer)} returns {@code false} instead, and
 * {@link #tryTell(Consumer, Duration)} waits at most a given time.
 *
 * <p><b>Failures.</b> A message that throws does not kill the owner: the next message runs as
 * usual. The future returned by {@code ask} completes exceptionally with what the query threw; a
 * failure of a message sent with {@code tell} goes to the {@link ErrorHandler} (by default a
 * {@link System.Logger} {@code WARNING} on the logger named after this class). An error handler
 * that throws is logged and ignored. Failed messages count as {@linkplain #processed()
 * processed}.
 *
 * <p><b>Waiting.</b> {@link #join()} waits until every message sent before the call has run,
 * like Python's {@code Queue.join()}; it must not be called on the owner thread (it would wait for
 * itself) and throws {@link IllegalStateException} there.
 *
 * <p><b>Closing.</b> {@link #close()} stops accepting messages (later sends throw
 * {@link RejectedExecutionException}), lets the owner run every message already accepted, and
 * waits for the owner thread to end. {@link #closeNow()} also stops accepting, interrupts the
 * message currently running (if any), and returns the accepted messages that will now never
 * run. A send racing with {@code close} either is accepted (returns normally, and its message
 * runs exactly once) or is refused (throws {@code RejectedExecutionException}, and its message
 * never runs); nothing accepted is lost. The owner thread is non-daemon unless built with
 * {@link Builder#daemon(boolean) daemon(true)}, so an owner that is never closed keeps the JVM
 * alive, like a thread pool that is never shut down.
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
 * <p><b>Memory consistency effects:</b> actions in a thread prior to sending a message with
 * {@code tell}, {@code tryTell} or {@code ask} <i>happen-before</i> that message runs on the owner
 * thread, and the actions of a message <i>happen-before</i> a successful return from
 * {@code join()} in a thread that called it after sending the message, the completion of the
 * {@code ask} future's result becoming visible, and the return from {@code close()}.
 *
 * @param <S> the type of the owned state
 */
public final class Owner<S> extends OwnerHotFields<S> implements AutoCloseable {

  /*
   * Implementation overview.
   *
   * Mailbox. A Mailbox (this package): JCTools' MPSC array queue algorithm (linked chunks when
   * unbounded, one array with an exact bound when bounded) with a CLOSED bit in the producer
   * index. JCTools' queues themselves cannot be used: see "Accepting versus closing".
   *
   * Owner loop (runLoop()). Takes up to BATCH messages with relaxedPoll() and runs each, catching
   * everything it throws, publishing the processed count after each (a release store to a
   * padded slot, so producers reading this object's fields do not see its cache line bounce).
   * After a batch, one full fence and two volatile reads decide whether blocked producers or
   * joiners must be signalled (Dekker with their registration, below).
   *
   * Idle protocol (no lost wake-up). The owner spins SPINS times over relaxedPeek() (a read of
   * the next slot only: spinning on isEmpty() would read the producer index, and every read
   * pulls the line that each offer CASes away from the producers; that cost a third of the
   * 1-producer throughput), then writes ownerParked = true (volatile), re-checks with
   * isEmpty() (which also sees an offer whose slot is not written yet) and the run state, and
   * parks only if both are unchanged. A producer, after its offer (a CAS on the producer
   * index, or the volatile store that ends a chunk link: volatile writes), reads ownerParked
   * (volatile); if true it CASes it back to false and unparks the owner. Sequential
   * consistency of the volatile accesses makes "owner saw an empty mailbox" and "producer saw
   * ownerParked == false" impossible together. While the owner is awake, producers only read
   * ownerParked, so its cache line stays shared.
   *
   * Accepting versus closing. A send is accepted exactly when its offer's CAS on the mailbox's
   * producer index succeeds, and close() sets the CLOSED bit in that same index with a CAS, so
   * the two are ordered by one atomic variable: every accepted offer is counted in the final
   * index and every later offer sees the bit and is refused. Once runState is not RUNNING (set
   * after the mailbox is closed), the owner may end exactly when its consumer index equals the
   * mailbox's accepted count: every accepted message has been taken, including one whose sender
   * had claimed its slot but not yet stored the message, which the owner waits for. The cost
   * per send is the queue's own CAS and nothing else. (An earlier design checked a run state
   * before a JCTools offer; closing it needed a locked increment per send to count the senders
   * between their check and their offer, which halved throughput.)
   *
   * Layout. The fields that every send or every message reads live in OwnerHotFields, between
   * 128 bytes of padding on each side (OwnerPadding before, this class's first longs after),
   * so that no neighbouring object shares their cache lines; the usual neighbour is the owned
   * state, allocated just before the owner and written after every message. The mailbox pads
   * its own indices and fields the same way.
   *
   * States: RUNNING -> SHUTDOWN (close: drain, then end) -> STOP (closeNow: hand the rest over)
   * -> TERMINATED (owner thread finished). Transitions only move forward (CAS loop).
   *
   * join(). The target is mailbox.acceptedCount() at the call: it counts exactly the offers
   * whose CAS completed, which includes every send that returned before the call.
   * Messages run in index order, so processed >= target means all of them ran. A joiner
   * registers its target in joinTarget (minimum of the waiters, under `lock`), fences and
   * re-checks before awaiting `progress`; the owner, after a batch, fences and signals when
   * processed >= joinTarget. Termination also signals.
   *
   * Full bounded mailbox. A blocked sender increments blockedProducers under `lock`, fences,
   * retries the offer and awaits `notFull`; the owner, after a batch (which freed space),
   * fences and signals if blockedProducers != 0. close()/closeNow() signal too, so blocked
   * senders wake and are refused.
   *
   * close() and closeNow() close the mailbox first, then move runState, so an owner that sees
   * SHUTDOWN or STOP reads a final accepted count.
   *
   * closeNow(). Moves to STOP, signals blocked senders, interrupts and unparks the owner
   * thread, and waits for it to end. The owner stops after the message it is running, polls
   * the mailbox until the accepted count is reached (so a sender mid-offer is not missed),
   * cancels the futures of asks among the leftovers, and hands the list over through
   * `handover`. Called on the owner thread itself, closeNow() does the same draining directly.
   */

  private static final System.Logger LOG = System.getLogger(Owner.class.getName());
  private static final AtomicLong DEFAULT_NAME_SEQUENCE = new AtomicLong();

  private static final int RUNNING = 0;
  private static final int SHUTDOWN = 1;
  private static final int STOP = 2;
  private static final int TERMINATED = 3;

  /** Messages run between two signalling checks. */
  private static final int BATCH = 256;
  /** Empty-mailbox checks before the owner parks. */
  private static final int SPINS = 256;
  /** Chunk size of the unbounded mailbox. */
  private static final int CHUNK = 1024;

  private static final VarHandle RUN_STATE;
  private static final VarHandle OWNER_PARKED;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      RUN_STATE = lookup.findVarHandle(OwnerHotFields.class, "runState", int.class);
      OWNER_PARKED = lookup.findVarHandle(OwnerHotFields.class, "ownerParked", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  // The fields every send and every message read (mailbox, state, thread, processedSlot,
  // runState, ownerParked) are in OwnerHotFields, after 128 bytes of padding; these longs,
  // laid out first among this class's fields, are the 128 bytes after them.
  @SuppressWarnings("unused")
  private long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;

  private final String name;
  private final ErrorHandler errorHandler;

  /** Guards the slow paths: blocked senders, joiners. Never held while a message runs. */
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notFull = lock.newCondition();
  private final Condition progress = lock.newCondition();
  /** Senders waiting for space; written under {@link #lock}, read by the owner after a fence. */
  private volatile int blockedProducers;
  /** Smallest target among waiting joiners; written under {@link #lock}. */
  private volatile long joinTarget = Long.MAX_VALUE;

  /** The owner thread's leftovers after STOP, claimed by one {@link #closeNow()} caller. */
  private final AtomicReference<List<Consumer<? super S>>> handover = new AtomicReference<>();

  private Owner(Builder<S> builder, String name) {
    super(builder.capacity > 0 ? Mailbox.bounded(builder.capacity) : Mailbox.unbounded(CHUNK),
        builder.state, name, builder.daemon);
    this.name = name;
    this.errorHandler = builder.errorHandler;
  }

  /**
   * Starts an owner thread named {@code name} that owns {@code state}, with an unbounded mailbox,
   * the default error handler and a non-daemon thread. Equivalent to
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
   *     error handler, non-daemon thread
   * @throws NullPointerException if {@code state} is {@code null}
   */
  public static <S> Builder<S> builder(S state) {
    return new Builder<>(requireNonNull(state, "state"));
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
   * thrown. (DESIGN's {@code void tell(..)} has no checked exception, so the interrupt is reported
   * the way an {@link java.util.concurrent.Executor} reports a task it could not accept; use
   * {@link #tryTell(Consumer, Duration)} for a checked {@code InterruptedException}.) A full
   * mailbox on the owner thread itself cannot drain while the owner waits, so there {@code tell}
   * throws {@code RejectedExecutionException} at once instead of deadlocking.
   *
   * <p>IMPLEMENTATION NOTES: lock-free when the mailbox has room (one CAS on the mailbox's
   * producer index, a release store of the message and a volatile read that finds the owner
   * awake); blocking only while a bounded mailbox is full.
   *
   * @param message what to run on the owner thread with the state
   * @throws NullPointerException if {@code message} is {@code null}
   * @throws RejectedExecutionException if this owner is closed (or closes while the call waits
   *     for space), if the calling thread is interrupted while waiting for space, or if the owner
   *     thread itself finds its bounded mailbox full; the message was not enqueued
   */
  public void tell(Consumer<? super S> message) {
    requireNonNull(message, "message");
    try {
      send(message, -1L);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      RejectedExecutionException rejected = new RejectedExecutionException(
          "interrupted while waiting for space in the mailbox of owner " + name);
      rejected.initCause(e);
      throw rejected;
    }
  }

  /**
   * Sends {@code message} if the mailbox has room now; never blocks.
   *
   * @param message what to run on the owner thread with the state
   * @return {@code true} if the message was enqueued, {@code false} if the bounded mailbox was
   *     full (always {@code true} for an unbounded mailbox)
   * @throws NullPointerException if {@code message} is {@code null}
   * @throws RejectedExecutionException if this owner is closed
   */
  public boolean tryTell(Consumer<? super S> message) {
    requireNonNull(message, "message");
    try {
      return send(message, 0L);
    } catch (InterruptedException e) {
      throw new AssertionError("a send that does not wait was interrupted", e);
    }
  }

  /**
   * Sends {@code message}, waiting up to {@code timeout} for room in a full bounded mailbox. On
   * the owner thread itself a full mailbox cannot drain while waiting, so the call returns
   * {@code false} at once.
   *
   * @param message what to run on the owner thread with the state
   * @param timeout how long to wait for room; zero or negative means do not wait
   * @return {@code true} if the message was enqueued, {@code false} if the mailbox stayed full
   *     for the whole timeout
   * @throws NullPointerException if {@code message} or {@code timeout} is {@code null}
   * @throws RejectedExecutionException if this owner is closed, or closes while the call waits
   * @throws InterruptedException if the calling thread is interrupted on entry to the wait or
   *     while waiting (its interrupt status is cleared); the message was not enqueued
   */
  public boolean tryTell(Consumer<? super S> message, Duration timeout)
      throws InterruptedException {
    requireNonNull(message, "message");
    long nanos = Math.max(0L, toNanosSaturated(requireNonNull(timeout, "timeout")));
    return send(message, nanos);
  }

  /**
   * Sends {@code query} to the owner and returns a future of its result: the owner runs
   * {@code query.apply(state)} on its thread and completes the future with the value, or with the
   * exception the query threw (which does not go to the error handler). Blocks like
   * {@link #tell(Consumer)} while a bounded mailbox is full. Cancelling the future before the
   * query runs makes the owner skip it; it never interrupts a running query.
   *
   * <p>Waiting for the future on the owner thread itself deadlocks: the owner would wait for a
   * message only it can run.
   *
   * @param query what to compute from the state on the owner thread
   * @param <R> the type of the result
   * @return a future completed on the owner thread with the result of {@code query}; cancelled if
   *     {@link #closeNow()} removes the query before it runs
   * @throws NullPointerException if {@code query} is {@code null}
   * @throws RejectedExecutionException as for {@link #tell(Consumer)}
   */
  public <R> ListenableFuture<R> ask(Function<? super S, ? extends R> query) {
    Ask<S, R> ask = new Ask<>(requireNonNull(query, "query"));
    tell(ask);
    return ask.future;
  }

  /**
   * The send path shared by tell, tryTell and ask.
   *
   * @param nanos negative: wait as long as needed; zero: do not wait; positive: wait at most
   */
  private boolean send(Consumer<? super S> message, long nanos) throws InterruptedException {
    int outcome = mailbox.offer(message);
    if (outcome != Mailbox.OFFERED) {
      if (outcome == Mailbox.CLOSED) {
        throw rejected();
      }
      if (nanos == 0L || Thread.currentThread() == thread) {
        if (nanos < 0L) {
          throw new RejectedExecutionException("the mailbox of owner " + name
              + " is full and the owner thread cannot wait for itself to drain it");
        }
        return false;
      }
      if (!awaitRoomAndOffer(message, nanos)) {
        return false;
      }
    }
    if (ownerParked && OWNER_PARKED.compareAndSet(this, true, false)) {
      LockSupport.unpark(thread);
    }
    return true;
  }

  /** Slow path: a bounded mailbox is full and the caller is willing to wait. */
  private boolean awaitRoomAndOffer(Consumer<? super S> message, long nanos)
      throws InterruptedException {
    final ReentrantLock lock = this.lock;
    lock.lockInterruptibly();
    try {
      blockedProducers++;
      try {
        for (;;) {
          VarHandle.fullFence(); // Dekker with afterBatch(): registration before the retry
          int outcome = mailbox.offer(message);
          if (outcome == Mailbox.OFFERED) {
            return true;
          }
          if (outcome == Mailbox.CLOSED) {
            throw rejected();
          }
          if (nanos < 0L) {
            notFull.await();
          } else if (nanos == 0L) {
            return false;
          } else {
            nanos = Math.max(0L, notFull.awaitNanos(nanos));
          }
        }
      } finally {
        blockedProducers--;
      }
    } finally {
      lock.unlock();
    }
  }

  private RejectedExecutionException rejected() {
    return new RejectedExecutionException("owner " + name + " is closed");
  }

  // ---------------------------------------------------------------------------------------------
  // Waiting

  /**
   * Waits until every message sent (by any thread) before this call has run, like Python's
   * {@code Queue.join()}. Messages sent during the call may or may not have run when it returns.
   * Also returns once the owner thread has ended (after {@link #close()} that is when everything
   * accepted has run; after {@link #closeNow()} the removed messages never will).
   *
   * @throws IllegalStateException if called on the owner thread, which would wait for itself
   * @throws InterruptedException if the calling thread is interrupted while waiting (its interrupt
   *     status is cleared)
   */
  public void join() throws InterruptedException {
    awaitProcessed(-1L);
  }

  /**
   * Waits at most {@code timeout} until every message sent before this call has run; see
   * {@link #join()}.
   *
   * @param timeout the longest time to wait; zero or negative means check without waiting
   * @return {@code true} if every earlier message has run (or the owner thread has ended),
   *     {@code false} if the timeout elapsed first
   * @throws NullPointerException if {@code timeout} is {@code null}
   * @throws IllegalStateException if called on the owner thread
   * @throws InterruptedException if the calling thread is interrupted while waiting (its interrupt
   *     status is cleared)
   */
  public boolean join(Duration timeout) throws InterruptedException {
    long nanos = toNanosSaturated(requireNonNull(timeout, "timeout"));
    return awaitProcessed(Math.max(0L, nanos));
  }

  private boolean awaitProcessed(long nanos) throws InterruptedException {
    if (isOwnerThread()) {
      throw new IllegalStateException(
          "join() called on the thread of owner " + name + ", which would wait for itself");
    }
    final long target = mailbox.acceptedCount();
    if (reached(target)) {
      return true;
    }
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    final ReentrantLock lock = this.lock;
    lock.lockInterruptibly();
    try {
      for (;;) {
        if (target < joinTarget) {
          joinTarget = target;
        }
        VarHandle.fullFence(); // Dekker with afterBatch(): registration before the re-check
        if (reached(target)) {
          return true;
        }
        if (nanos < 0L) {
          progress.await();
        } else if (nanos == 0L) {
          return false;
        } else {
          nanos = Math.max(0L, progress.awaitNanos(nanos));
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private boolean reached(long target) {
    return processedSlot.get(PROCESSED) >= target || runState == TERMINATED;
  }

  // ---------------------------------------------------------------------------------------------
  // Closing

  /**
   * Stops accepting messages, lets the owner run every message already accepted, and waits until
   * the owner thread has ended. Later sends throw {@link RejectedExecutionException}; senders
   * blocked on a full mailbox are refused the same way. Idempotent; after {@link #closeNow()} it
   * just waits for the thread to end.
   *
   * <p>The wait is not interruptible (an owner whose accepted messages were dropped on an
   * interrupt would break the "nothing accepted is lost" promise); if the calling thread is
   * interrupted while waiting, it keeps waiting and its interrupt status is set again on return.
   * Use {@link #closeNow()} to stop sooner.
   *
   * <p>Called on the owner thread itself (from a message), {@code close()} stops accepting and
   * returns at once without waiting: the owner finishes the message, runs the rest of the
   * accepted messages and then ends.
   */
  @Override
  public void close() {
    mailbox.close();
    advanceRunState(SHUTDOWN);
    wakeEveryone();
    if (!isOwnerThread()) {
      Uninterruptibles.joinUninterruptibly(thread);
    }
  }

  /**
   * Stops accepting messages, interrupts the message the owner is running (if any), waits for the
   * owner thread to end and returns the accepted messages that never ran, in mailbox order. A
   * message told with {@code ask} appears in the list as a {@code Consumer} whose future has been
   * cancelled (running it does nothing). If several threads call {@code closeNow()}, one of them
   * gets the messages and the others an empty list; after {@link #close()} has completed the list
   * is empty.
   *
   * <p>The wait for the running message to return is not interruptible, as for
   * {@link #close()}. Called on the owner thread itself (from a message), {@code closeNow()}
   * returns the messages still waiting without waiting for anything but senders already in
   * the middle of an offer; the owner thread ends when the current message returns.
   *
   * @return the accepted messages that were not run, in the order they would have run
   */
  public List<Consumer<? super S>> closeNow() {
    mailbox.close();
    advanceRunState(STOP);
    wakeEveryone();
    if (isOwnerThread()) {
      return drainUnprocessed();
    }
    thread.interrupt();
    Uninterruptibles.joinUninterruptibly(thread);
    List<Consumer<? super S>> leftovers = handover.getAndSet(List.of());
    return leftovers == null ? List.of() : leftovers;
  }

  private void advanceRunState(int target) {
    for (int rs; (rs = runState) < target; ) {
      if (RUN_STATE.compareAndSet(this, rs, target)) {
        return;
      }
    }
  }

  /** Wakes the owner (to notice a state change), blocked senders and joiners. */
  private void wakeEveryone() {
    LockSupport.unpark(thread);
    lock.lock();
    try {
      notFull.signalAll();
      progress.signalAll();
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Observing

  /**
   * Returns whether the calling thread is this owner's thread, i.e. whether the caller may touch
   * the state directly.
   *
   * @return {@code true} on the owner thread (inside a message or the error handler)
   */
  public boolean isOwnerThread() {
    return Thread.currentThread() == thread;
  }

  /**
   * Returns the name of this owner, which is also the name of its thread.
   *
   * @return the name given to the builder, or the default {@code owner-N}
   */
  public String name() {
    return name;
  }

  /**
   * Returns how many messages the owner has run so far, failed ones included (a cheap volatile
   * read; the value may be stale by the time the caller looks at it). The count is updated after
   * each message returns and before the future of an {@link #ask(Function)} completes, so once
   * {@code join()} or an ask's {@code get()} returns, it includes every message before them.
   *
   * @return the number of messages run
   */
  public long processed() {
    return processedSlot.get(PROCESSED);
  }

  /**
   * Returns an estimate of how many accepted messages have not run yet, including one being
   * offered or running right now. Exact when no send is in progress and no message is running;
   * zero once the owner thread has ended.
   *
   * @return an estimate of the number of accepted messages not yet run, never negative
   */
  public long pending() {
    if (runState == TERMINATED) {
      return 0L;
    }
    return Math.max(0L, mailbox.acceptedCount() - processedSlot.get(PROCESSED));
  }

  /**
   * Returns whether {@link #close()} or {@link #closeNow()} has been called.
   *
   * @return {@code true} if this owner no longer accepts messages
   */
  public boolean isClosed() {
    return mailbox.isClosed();
  }

  /**
   * Returns whether the owner thread has ended (after {@link #close()} or {@link #closeNow()}).
   *
   * @return {@code true} if the owner thread has finished
   */
  public boolean isTerminated() {
    return runState == TERMINATED;
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
    String[] states = {"running", "closing", "stopping", "terminated"};
    return "Owner[" + name + ", " + states[runState] + ", processed=" + processed()
        + ", pending=" + pending() + "]";
  }

  // ---------------------------------------------------------------------------------------------
  // The owner thread

  @Override
  void runOwnerThread() {
    try {
      runLoop();
    } catch (Throwable t) { // a bug in this class: never from a message
      LOG.log(Level.ERROR, () -> "owner " + name + " stopped unexpectedly", t);
    } finally {
      RUN_STATE.setVolatile(this, TERMINATED);
      lock.lock();
      try {
        notFull.signalAll();
        progress.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  private void runLoop() {
    final Mailbox<Consumer<? super S>> mailbox = this.mailbox;
    final AtomicLongArray processedSlot = this.processedSlot;
    long processed = 0L;
    int closingRounds = 0;
    for (;;) {
      int n = 0;
      int rs;
      Consumer<? super S> message;
      while ((rs = runState) < STOP && n < BATCH && (message = mailbox.relaxedPoll()) != null) {
        n++;
        Thread.interrupted(); // clear a stray interrupt, as ThreadPoolExecutor workers do
        runOne(message);
        processedSlot.lazySet(PROCESSED, ++processed);
        if (message instanceof Ask) {
          ((Ask<?, ?>) message).complete(); // after the count: get() then processed() agree
        }
      }
      if (n > 0) {
        afterBatch(processed);
      }
      if (rs >= STOP) {
        handover.set(drainUnprocessed());
        return;
      }
      if (n == BATCH) {
        continue;
      }
      if (rs == SHUTDOWN) {
        if (n == 0) {
          if (quiescent()) {
            return; // every accepted message has run
          }
          Mailbox.backOff(closingRounds++); // a sender has claimed a slot, not yet stored
        }
        continue;
      }
      idle();
    }
  }

  private void runOne(Consumer<? super S> message) {
    try {
      message.accept(state);
    } catch (Throwable failure) {
      reportFailure(message, failure);
    }
  }

  private void reportFailure(Consumer<? super S> message, Throwable failure) {
    try {
      errorHandler.handle(this, message, failure);
    } catch (Throwable handlerFailure) {
      try {
        if (handlerFailure != failure) {
          handlerFailure.addSuppressed(failure);
        }
        LOG.log(Level.WARNING, () -> "the error handler of owner " + name
            + " threw while handling a failure of " + message, handlerFailure);
      } catch (Throwable ignored) {
        // Nothing is left to report to; the owner must keep running.
      }
    }
  }

  /** After a batch: wake blocked senders (space was freed) and joiners whose target is reached. */
  private void afterBatch(long processed) {
    VarHandle.fullFence(); // Dekker with the registrations in awaitRoomAndOffer / awaitProcessed
    boolean senders = blockedProducers != 0;
    boolean joiners = processed >= joinTarget;
    if (senders || joiners) {
      lock.lock();
      try {
        if (senders) {
          notFull.signalAll();
        }
        if (joiners) {
          joinTarget = Long.MAX_VALUE;
          progress.signalAll();
        }
      } finally {
        lock.unlock();
      }
    }
  }

  /** Spin briefly, then park until a sender (or close) unparks the owner. */
  private void idle() {
    final Mailbox<Consumer<? super S>> mailbox = this.mailbox;
    for (int i = 0; i < SPINS; i++) {
      // relaxedPeek reads only the next slot, as relaxedPoll does; isEmpty() would read the
      // producer index, pulling the line every offer CASes away from the producers.
      if (mailbox.relaxedPeek() != null || runState != RUNNING) {
        return;
      }
      Thread.onSpinWait();
    }
    ownerParked = true; // volatile write, then re-check: the Dekker half of the owner
    try {
      if (mailbox.isEmpty() && runState == RUNNING) {
        Thread.interrupted(); // a stray interrupt would make park return at once, forever
        LockSupport.park(this);
      }
    } finally {
      ownerParked = false;
    }
  }

  /**
   * Returns whether the mailbox is closed and every message it accepted has been taken; owner
   * thread only (the consumer index is its own).
   */
  private boolean quiescent() {
    return mailbox.isClosed() && mailbox.consumerIndex() == mailbox.acceptedCount();
  }

  /**
   * Takes every accepted message still in the mailbox (waiting for senders in the middle of an
   * offer) and cancels the futures of asks among them. Owner thread only, after STOP (so the
   * mailbox is closed and poll() returns null only when every accepted message is taken).
   */
  private List<Consumer<? super S>> drainUnprocessed() {
    List<Consumer<? super S>> leftovers = new ArrayList<>();
    Consumer<? super S> message;
    while ((message = mailbox.poll()) != null) {
      leftovers.add(message);
    }
    for (Consumer<? super S> leftover : leftovers) {
      if (leftover instanceof Ask) {
        ((Ask<?, ?>) leftover).future.cancel(false);
      }
    }
    return leftovers;
  }

  private static long toNanosSaturated(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException e) {
      return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Nested types

  /**
   * Receives the failures of messages sent with {@link Owner#tell(Consumer)} (and
   * {@code tryTell}); failures of {@link Owner#ask(Function)} queries go to their futures instead.
   * Called on the owner thread right after the failed message, before the next one runs, so it may
   * touch the owned state. If it throws, the owner logs that and carries on.
   */
  @FunctionalInterface
  public interface ErrorHandler {

    /**
     * Handles the failure of one message.
     *
     * @param owner the owner whose message failed
     * @param message the message that threw
     * @param failure what it threw
     */
    void handle(Owner<?> owner, Consumer<?> message, Throwable failure);
  }

  /** The default error handler: a {@code WARNING} on {@link System.Logger} {@code Owner}. */
  private static void logFailure(Owner<?> owner, Consumer<?> message, Throwable failure) {
    LOG.log(Level.WARNING, () -> "a message to owner " + owner.name() + " failed: " + message,
        failure);
  }

  /**
   * A builder of {@link Owner}s. Not thread-safe; {@link #start()} may be called once, because
   * two owners of one state would break the single-owner rule.
   *
   * @param <S> the type of the owned state
   */
  public static final class Builder<S> {
    private final S state;
    private String name;
    private int capacity; // 0: unbounded
    private ErrorHandler errorHandler = Owner::logFailure;
    private boolean daemon;
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
    public Builder<S> name(String name) {
      this.name = requireNonNull(name, "name");
      return this;
    }

    /**
     * Bounds the mailbox: at most {@code capacity} messages wait at any time; senders block (or
     * {@code tryTell} fails) while it is full.
     *
     * @param capacity the largest number of waiting messages, from 1 to 2<sup>30</sup>
     * @return this builder
     * @throws IllegalArgumentException if {@code capacity} is not positive or exceeds
     *     2<sup>30</sup>
     */
    public Builder<S> mailboxCapacity(int capacity) {
      if (capacity < 1 || capacity > Mailbox.MAX_CAPACITY) {
        throw new IllegalArgumentException(
            "mailbox capacity must be between 1 and 2^30, was " + capacity);
      }
      this.capacity = capacity;
      return this;
    }

    /**
     * Makes the mailbox unbounded (the default): sends never block.
     *
     * @return this builder
     */
    public Builder<S> unbounded() {
      this.capacity = 0;
      return this;
    }

    /**
     * Sets what receives the failures of told messages (default: a {@link System.Logger}
     * {@code WARNING}).
     *
     * @param handler the error handler, called on the owner thread
     * @return this builder
     * @throws NullPointerException if {@code handler} is {@code null}
     */
    public Builder<S> onError(ErrorHandler handler) {
      this.errorHandler = requireNonNull(handler, "handler");
      return this;
    }

    /**
     * Sets whether the owner thread is a daemon thread (default {@code false}, as for the
     * threads of {@link java.util.concurrent.Executors#defaultThreadFactory()}). A daemon owner
     * does not keep the JVM alive: at exit, messages still in its mailbox are lost, so call
     * {@link Owner#close()} (or {@link Owner#join()}) first if they matter. Python's counter
     * manager uses a daemon thread.
     *
     * @param daemon {@code true} for a daemon thread
     * @return this builder
     */
    public Builder<S> daemon(boolean daemon) {
      this.daemon = daemon;
      return this;
    }

    /**
     * Creates the owner and starts its thread.
     *
     * @return the started owner
     * @throws IllegalStateException if this builder has already started an owner
     */
    public Owner<S> start() {
      if (started) {
        throw new IllegalStateException("this builder has already started an owner of its state");
      }
      String ownerName = name != null ? name : "owner-" + DEFAULT_NAME_SEQUENCE.getAndIncrement();
      Owner<S> owner = new Owner<>(this, ownerName);
      owner.thread.start();
      started = true;
      return owner;
    }
  }

  /**
   * An {@link Owner#ask(Function)} query in the mailbox. {@link #accept} runs the query and keeps
   * the outcome; the owner loop calls {@link #complete()} once it has counted the message as
   * processed. Both run on the owner thread, so the outcome fields are plain.
   */
  private static final class Ask<S, R> implements Consumer<S> {
    final SettableFuture<R> future = SettableFuture.create();
    private final Function<? super S, ? extends R> query;
    private boolean ran;
    private R value;
    private Throwable failure;

    Ask(Function<? super S, ? extends R> query) {
      this.query = query;
    }

    @Override
    public void accept(S state) {
      if (future.isDone()) {
        return; // cancelled by the asker or by closeNow()
      }
      try {
        value = query.apply(state);
      } catch (Throwable t) {
        failure = t;
      }
      ran = true;
    }

    void complete() {
      if (!ran) {
        return;
      }
      if (failure != null) {
        future.setException(failure);
      } else {
        future.set(value);
      }
      value = null;
      failure = null;
      ran = false;
    }

    @Override
    public String toString() {
      return "ask(" + query + ")";
    }
  }
}
