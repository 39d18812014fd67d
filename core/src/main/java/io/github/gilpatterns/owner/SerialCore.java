package io.github.gilpatterns.owner;

import static java.util.Objects.requireNonNull;

import com.google.common.util.concurrent.Uninterruptibles;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import io.github.gilpatterns.jfr.OwnerMessageEvent;
import io.github.gilpatterns.jfr.OwnerParkEvent;
import io.github.gilpatterns.jfr.OwnerUnparkEvent;
import io.github.gilpatterns.join.Joinable;
import io.github.gilpatterns.join.Lifecycle;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * One thread that runs messages of type {@code M} one at a time, in mailbox order, with the
 * {@link Lifecycle} and {@link Joinable} contracts: the machinery shared by {@link Owner}
 * (messages are {@code Consumer}s of an owned state) and {@link SerialExecutor} (messages are
 * {@code Runnable}s). Subclasses say how a message runs and where its failures go, and add their
 * sending methods; the lifecycle, {@code join} and the counters are public here, and documented
 * by the two contracts and the notes below.
 *
 * <p>What the contracts leave to the type:
 * <ul>
 *   <li>Work is a message (a task, for a {@code SerialExecutor}); it is done once it has run,
 *       failed ones included. Refused work gets {@link RejectedExecutionException}.
 *   <li>{@link #shutdownNow()} waits for the running message to return and the thread to exit,
 *       because only the thread may take messages from its mailbox; the wait is not ended by an
 *       interrupt (the status is set again on return). Called on the thread itself, it returns
 *       the messages still waiting at once, and the thread ends when the current message
 *       returns.
 *   <li>The thread ends <em>abnormally</em> only if something escapes its run loop (nothing a
 *       message or a listener throws does): later work is refused, asks that never ran fail,
 *       {@code shutdownNow()} returns the messages that never ran, and {@code join()} and
 *       {@code awaitTermination} throw {@link IllegalStateException} instead of reporting
 *       success. {@link #terminationCause()} says what ended it.
 *   <li>{@code awaitTermination}, {@code close()} and {@code shutdownNow()} return only once the
 *       thread has exited, not merely finished its last message.
 * </ul>
 *
 * @param <M> the type of the messages
 */
abstract class SerialCore<M> extends SerialHotFields<M> implements Lifecycle<M>, Joinable {

  /*
   * Implementation overview.
   *
   * Mailbox. A Mailbox (this package): JCTools' MPSC array queue algorithm (linked chunks when
   * unbounded, one array with an exact bound when bounded and small, a ring of chunks allocated
   * as they are first needed when bounded and large) with a CLOSED bit in the producer index.
   * A general-purpose queue cannot be used: see "Accepting versus closing".
   *
   * Run loop (runLoop()). Takes up to BATCH messages with relaxedPoll() and runs each, catching
   * everything it throws, publishing the processed count after each (a release store to a
   * padded slot, so producers reading this object's fields do not see its cache line bounce),
   * then completing the future of an ask, also catching what its listeners throw. After a
   * batch, one full fence and two volatile reads decide whether blocked producers or joiners
   * must be signalled (Dekker with their registration, below). A batch that ended because the
   * mailbox was empty runs the drained hook, if any.
   *
   * Idle protocol (no lost wake-up). The thread spins SPINS times over relaxedPeek() (a read
   * of the next slot only: spinning on isEmpty() would read the producer index, and every read
   * pulls the line that each offer CASes away from the producers), then writes
   * ownerParked = true (volatile), re-checks with isEmpty() (which also sees an offer whose
   * slot is not written yet) and the run state, and parks only if both are unchanged. A
   * producer, after its offer (a CAS on the producer index, or the volatile store that ends a
   * chunk link: volatile writes), reads ownerParked (volatile); if true it CASes it back to
   * false and unparks the thread. Sequential consistency of the volatile accesses makes
   * "thread saw an empty mailbox" and "producer saw ownerParked == false" impossible together.
   * While the thread is awake, producers only read ownerParked, so its cache line stays shared.
   *
   * Accepting versus closing. A send is accepted exactly when its offer's CAS on the mailbox's
   * producer index succeeds, and shutdown() sets the CLOSED bit in that same index with a CAS,
   * so the two are ordered by one atomic variable: every accepted offer is counted in the final
   * index and every later offer sees the bit and is refused. Once runState is not RUNNING (set
   * after the mailbox is closed), the thread may end exactly when its consumer index equals
   * the mailbox's accepted count: every accepted message has been taken, including one whose
   * sender had claimed its slot but not yet stored the message, which the thread waits for.
   * The cost per send is the queue's own CAS and nothing else.
   *
   * Layout. The fields that every send or every message reads live in SerialHotFields, between
   * 128 bytes of padding on each side (SerialPadding before, this class's first longs after),
   * so that no neighbouring object shares their cache lines. The mailbox pads its own indices
   * and fields the same way.
   *
   * States: RUNNING -> SHUTDOWN (drain, then end) -> STOP (hand the rest over) -> TERMINATED
   * (the thread's run method has finished). Transitions only move forward (CAS loop).
   *
   * join(). The target is mailbox.acceptedCount() at the call: it counts exactly the offers
   * whose CAS completed, which includes every send that returned before the call. Messages
   * run in index order, so processed >= target means all of them ran. A joiner registers its
   * target in joinTarget (minimum of the waiters, under `lock`), fences and re-checks before
   * awaiting `progress`; the thread, after a batch, fences and signals when
   * processed >= joinTarget. Termination also signals; a joiner that then finds
   * processed < target throws, because those messages will never run.
   *
   * Full bounded mailbox. A blocked sender increments blockedProducers under `lock`, fences,
   * retries the offer and awaits `notFull`; the thread, after a batch (which freed space),
   * fences and signals if blockedProducers != 0. shutdown() and shutdownNow() signal too, so
   * blocked senders wake and are refused.
   *
   * shutdown() and shutdownNow() close the mailbox first, then move runState, so a thread that
   * sees SHUTDOWN or STOP reads a final accepted count.
   *
   * shutdownNow(). Moves to STOP, signals blocked senders, interrupts and unparks the thread,
   * and waits for it to terminate: only the thread may take messages from the mailbox. The
   * thread stops after the message it is running, polls the mailbox until the accepted count
   * is reached (so a sender mid-offer is not missed), cancels the futures of asks among the
   * leftovers, and hands the list over through `handover`. Called on the thread itself,
   * shutdownNow() does the same draining directly.
   *
   * Unexpected end. Anything that escapes the run loop (nothing a message or a listener throws
   * does; a bug, or an error thrown while reporting one) ends it, and runThread() fails safe
   * before terminating: it records the cause, closes the mailbox (later sends are refused),
   * moves to STOP, wakes blocked senders and joiners, takes every message that never ran,
   * fails the futures of asks among them (cancels any other Future), keeps the list for
   * shutdownNow() and logs how many there were. join() and awaitTermination() then throw
   * instead of reporting success.
   *
   * Flight Recorder. Each event type of io.github.gilpatterns.jfr is asked through its static
   * PROBE's isEnabled(), which the JIT folds to false while no recording has started. While
   * OwnerMessage is enabled, send() puts a Stamped (the message and System.nanoTime()) in the
   * mailbox instead of the message, so that the run loop can report how long it was queued;
   * the run loop and takeAll() unwrap it before anything else sees the message, so handlers,
   * asks and the leftovers of shutdownNow() only ever see what was sent. Without a recording a
   * send stores the message itself and reads no clock. The park of the idle protocol and the
   * unpark by a sender commit OwnerPark and OwnerUnpark; MailboxSamples commits the periodic
   * OwnerMailbox event for every live owner.
   *
   * Exit. A drainOnExit owner is shut down and waited for by the JVM shutdown hook of
   * ExitHooks; any other owner still running then is logged with the number of accepted
   * messages that had not run.
   */

  static final int RUNNING = 0;
  static final int SHUTDOWN = 1;
  static final int STOP = 2;
  static final int TERMINATED = 3;

  /** Messages run between two signalling checks. */
  private static final int BATCH = 256;
  /** Empty-mailbox checks before the thread parks. */
  private static final int SPINS = 256;

  private static final VarHandle RUN_STATE;
  private static final VarHandle OWNER_PARKED;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      RUN_STATE = lookup.findVarHandle(SerialHotFields.class, "runState", int.class);
      OWNER_PARKED = lookup.findVarHandle(SerialHotFields.class, "ownerParked", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  // The fields every send and every message read are in SerialHotFields, after 128 bytes of
  // padding; these longs, laid out first among this class's fields, are the 128 bytes after them.
  @SuppressWarnings("unused")
  private long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;

  final String name;
  final System.Logger log;
  /** Whether the JVM exit hook drains this one (and waits at most {@link #exitNanos}). */
  final boolean drainOnExit;
  /** With {@link #drainOnExit}, the longest wait for the drain at JVM exit, in nanoseconds. */
  final long exitNanos;
  /**
   * Run on the thread after a batch that emptied the mailbox; set by the subclass constructor,
   * before the thread starts (Thread.start publishes it).
   */
  @Nullable M drainedHook;

  /** Guards the slow paths: blocked senders, joiners. Never held while a message runs. */
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notFull = lock.newCondition();
  private final Condition progress = lock.newCondition();
  /** Senders waiting for space; written under {@link #lock}, read by the thread after a fence. */
  private volatile int blockedProducers;
  /** Smallest target among waiting joiners; written under {@link #lock}. */
  private volatile long joinTarget = Long.MAX_VALUE;

  /** The thread's leftovers after STOP, claimed by one {@code shutdownNow()} caller. */
  private final AtomicReference<List<M>> handover = new AtomicReference<>();
  /** Counted down when the thread's run method ends, after TERMINATED is written. */
  private final CountDownLatch terminated = new CountDownLatch(1);
  /** What ended the thread unexpectedly; written before TERMINATED. */
  private volatile @Nullable Throwable terminationCause;

  SerialCore(Settings settings, String name, Class<?> publicType) {
    super(settings, name);
    this.name = name;
    this.log = System.getLogger(publicType.getName());
    this.drainOnExit = settings.drainOnExit();
    this.exitNanos = settings.exitNanos();
  }

  /** Runs one message on the thread; what it throws goes to {@link #reportFailure}. */
  abstract void runMessage(M message);

  /** Where failures go: called on the thread; what it throws is logged and ignored. */
  abstract void reportFailure(M message, Throwable failure);

  /** "owner" or "serial executor", for messages. */
  abstract String kind();

  /** Starts the thread; called once, by the builder, right after construction. */
  final void startThread() {
    MailboxSamples.registerIfRecording();
    ExitHooks.register(this);
    try {
      thread.start();
    } catch (Throwable t) {
      ExitHooks.unregister(this);
      throw t;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Sending

  /** Sends, waiting as long as needed for room; an interrupt becomes a rejection. */
  final void sendOrReject(M message) {
    try {
      boolean sent = send(message, false, 0L);
      assert sent : "an untimed send returns only once the message is in the mailbox";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      RejectedExecutionException rejected = new RejectedExecutionException(
          "interrupted while waiting for space in the mailbox of " + kind() + " " + name);
      rejected.initCause(e);
      throw rejected;
    }
  }

  /**
   * The send path shared by every sending method.
   *
   * @param timed whether to wait at most {@code nanos} for room; if not, waits as long as needed
   * @param nanos if timed, the longest wait; zero or negative: do not wait
   * @return whether the message was accepted; always {@code true} if not timed
   */
  final boolean send(M message, boolean timed, long nanos) throws InterruptedException {
    if (OwnerMessageEvent.PROBE.isEnabled()) {
      message = stamped(message);
    }
    int outcome = mailbox.offer(message);
    if (outcome != Mailbox.OFFERED) {
      if (outcome == Mailbox.CLOSED) {
        throw rejected();
      }
      if ((timed && nanos <= 0L) || Thread.currentThread() == thread) {
        if (!timed) {
          throw new RejectedExecutionException("the mailbox of " + kind() + " " + name
              + " is full and its thread cannot wait for itself to drain it");
        }
        return false;
      }
      if (!awaitRoomAndOffer(message, timed, nanos)) {
        return false;
      }
    }
    if (ownerParked && OWNER_PARKED.compareAndSet(this, true, false)) {
      LockSupport.unpark(thread);
      if (OwnerUnparkEvent.PROBE.isEnabled()) {
        OwnerUnparkEvent unparked = new OwnerUnparkEvent();
        unparked.owner = name;
        unparked.commit();
      }
    }
    return true;
  }

  /**
   * A message sent while OwnerMessage events are enabled, with the instant it was sent; only
   * the mailbox holds one (see "Flight Recorder" in the overview).
   */
  private static final class Stamped {
    final Object message;
    final long sentNanos = System.nanoTime();

    Stamped(Object message) {
      this.message = message;
    }
  }

  @SuppressWarnings("unchecked") // only the mailbox holds it, and unstamped() unwraps it
  private static <M> M stamped(M message) {
    return (M) new Stamped(message);
  }

  @SuppressWarnings("unchecked") // a Stamped holds an M
  private static <M> M unstamped(M message) {
    return message instanceof Stamped ? (M) ((Stamped) message).message : message;
  }

  /** Slow path: a bounded mailbox is full and the caller is willing to wait. */
  private boolean awaitRoomAndOffer(M message, boolean timed, long nanos)
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
          if (!timed) {
            notFull.await();
          } else if (nanos <= 0L) {
            return false;
          } else {
            nanos = notFull.awaitNanos(nanos);
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
    return new RejectedExecutionException(kind() + " " + name + " is shut down");
  }

  // ---------------------------------------------------------------------------------------------
  // Waiting

  /**
   * {@inheritDoc}
   *
   * <p>Here the work is every message sent, by any thread, before the call; it is done once it
   * has run. The thread that must not call it is this one's own.
   */
  @Override
  public final void join() throws InterruptedException {
    awaitProcessed(false, 0L);
  }

  @Override
  public final boolean join(long timeout, TimeUnit unit) throws InterruptedException {
    return awaitProcessed(true, requireNonNull(unit, "unit").toNanos(timeout));
  }

  /**
   * Waits until every message accepted before the call has run.
   *
   * @param timed whether to wait at most {@code nanos}; if not, as long as needed
   * @return false on timeout
   * @throws IllegalStateException on the thread itself, or if some of those messages will never
   *     run because the thread has terminated
   */
  private boolean awaitProcessed(boolean timed, long nanos) throws InterruptedException {
    checkNotOwnThread("join()");
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
        if (!timed) {
          progress.await();
        } else if (nanos <= 0L) {
          return false;
        } else {
          nanos = progress.awaitNanos(nanos);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Whether {@code target} messages have run; throws if they never will. */
  private boolean reached(long target) {
    boolean ended = runState == TERMINATED; // first: once it is true, processed is final
    long processed = processedSlot.get(PROCESSED);
    if (processed >= target) {
      return true;
    }
    if (ended) {
      throw new IllegalStateException(kind() + " " + name + " terminated before running "
          + (target - processed) + " of the messages sent before join(); they will never run",
          terminationCause);
    }
    return false;
  }

  /**
   * Waits until the thread has terminated, then, within what is left of the timeout, until it
   * has exited.
   *
   * @throws IllegalStateException on the thread itself, or if the thread ended unexpectedly
   */
  @Override
  public final boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    long nanos = requireNonNull(unit, "unit").toNanos(timeout);
    checkNotOwnThread("awaitTermination()");
    long start = System.nanoTime();
    boolean done = terminated.await(nanos, TimeUnit.NANOSECONDS);
    if (done) {
      // The run loop has ended; the thread takes a moment more to exit: wait for that too,
      // within what is left of the timeout.
      long left = nanos - (System.nanoTime() - start);
      if (left > 0L) {
        TimeUnit.NANOSECONDS.timedJoin(thread, left);
      }
      checkEndedNormally();
    }
    return done;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Declared here, though the contract's default does the work, because a subclass that is
   * also a Guava {@code ListeningExecutorService} inherits a second default.
   */
  @Override
  public final boolean awaitTermination(Duration timeout) throws InterruptedException {
    return Lifecycle.super.awaitTermination(timeout);
  }

  private void checkEndedNormally() {
    Throwable cause = terminationCause;
    if (cause != null) {
      throw new IllegalStateException(kind() + " " + name + " ended unexpectedly; "
          + notRunCount() + " accepted messages did not run", cause);
    }
  }

  private void checkNotOwnThread(String method) {
    if (Thread.currentThread() == thread) {
      throw new IllegalStateException(method + " called on the thread of " + kind() + " " + name
          + ", which would wait for itself");
    }
  }

  /** After termination: accepted messages that never ran. */
  private long notRunCount() {
    return Math.max(0L, mailbox.acceptedCount() - processedSlot.get(PROCESSED));
  }

  // ---------------------------------------------------------------------------------------------
  // Lifecycle

  @Override
  public final void shutdown() {
    mailbox.close();
    advanceRunState(SHUTDOWN);
    wakeEveryone();
  }

  /**
   * {@inheritDoc}
   *
   * <p>This waits, uninterruptibly, for the running message to return and the thread to hand
   * over what never ran and to exit (the thread alone takes messages from the mailbox); on the
   * thread itself it takes the rest of the mailbox directly and returns.
   */
  @Override
  @CanIgnoreReturnValue
  public final List<M> shutdownNow() {
    mailbox.close();
    advanceRunState(STOP);
    wakeEveryone();
    if (Thread.currentThread() == thread) {
      return drainUnprocessed();
    }
    thread.interrupt();
    Uninterruptibles.awaitUninterruptibly(terminated);
    Uninterruptibles.joinUninterruptibly(thread);
    List<M> leftovers = handover.getAndSet(List.of());
    return leftovers == null ? List.of() : leftovers;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Declared here, though the contract's default does the work, so that a subclass that is
   * also an {@code ExecutorService} (whose JDK 19+ {@code close()} is a default method too)
   * inherits one {@code close()} on every JDK.
   */
  @Override
  public void close() {
    Lifecycle.super.close();
  }

  private void advanceRunState(int target) {
    for (int rs; (rs = runState) < target; ) {
      if (RUN_STATE.compareAndSet(this, rs, target)) {
        return;
      }
    }
  }

  /** Wakes the thread (to notice a state change), blocked senders and joiners. */
  private void wakeEveryone() {
    LockSupport.unpark(thread);
    wakeWaiters();
  }

  private void wakeWaiters() {
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

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final boolean isShutdown() {
    return mailbox.isClosed();
  }

  @Override
  public final boolean isTerminated() {
    return runState == TERMINATED;
  }

  /**
   * Returns how many messages have run so far, failed ones included (a cheap volatile read; the
   * value may be stale by the time the caller looks at it). The count is updated after each
   * message returns and before the future of an ask or a task completes, so once {@code join()}
   * or such a future's {@code get()} returns, it includes every message before them.
   *
   * @return the number of messages run
   */
  public final long processed() {
    return processedSlot.get(PROCESSED);
  }

  /**
   * Returns an estimate of how many accepted messages have not run yet, including one being
   * offered or running right now. Exact when no send is in progress and no message is running;
   * zero once the thread has ended (whatever was left will never run).
   *
   * @return an estimate of the number of accepted messages not yet run, never negative
   */
  public final long pending() {
    if (runState == TERMINATED) {
      return 0L;
    }
    return Math.max(0L, mailbox.acceptedCount() - processedSlot.get(PROCESSED));
  }

  /**
   * For the exit hook: waits until {@code deadline} ({@link System#nanoTime()}) for termination;
   * returns whether it terminated. An interrupt ends the wait and is re-asserted.
   */
  final boolean awaitTerminatedUntil(long deadline) {
    try {
      return terminated.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return terminated.getCount() == 0L;
    }
  }

  /**
   * Returns what ended the thread abnormally, if anything did.
   *
   * @return the throwable that escaped the run loop, or {@code null} while the thread runs and
   *     after a normal termination
   */
  public final @Nullable Throwable terminationCause() {
    return runState == TERMINATED ? terminationCause : null;
  }

  /** For example {@code [counter-manager, running, processed=10, pending=0]}. */
  final String describe() {
    String[] states = {"running", "shutting down", "stopping", "terminated"};
    return "[" + name + ", " + states[runState] + ", processed=" + processed()
        + ", pending=" + pending() + (terminationCause != null ? ", failed]" : "]");
  }

  // ---------------------------------------------------------------------------------------------
  // The thread

  @Override
  final void runThread() {
    Throwable crash = null;
    try {
      runLoop();
    } catch (Throwable t) { // never from a message or a listener: see the overview
      crash = t;
    }
    try {
      if (crash != null) {
        failSafe(crash);
      }
    } finally {
      RUN_STATE.setVolatile(this, TERMINATED);
      wakeWaiters();
      terminated.countDown();
      ExitHooks.unregister(this);
    }
  }

  private void runLoop() {
    final Mailbox<M> mailbox = this.mailbox;
    final AtomicLongArray processedSlot = this.processedSlot;
    long processed = 0L;
    int closingRounds = 0;
    for (;;) {
      int n = 0;
      int rs;
      M message;
      while ((rs = runState) < STOP && n < BATCH && (message = mailbox.relaxedPoll()) != null) {
        n++;
        Thread.interrupted(); // clear a stray interrupt, as ThreadPoolExecutor workers do
        if (message instanceof Stamped || OwnerMessageEvent.PROBE.isEnabled()) {
          message = runRecorded(message);
        } else {
          runOne(message);
        }
        processedSlot.lazySet(PROCESSED, ++processed);
        if (message instanceof Ask) {
          completeAsk((Ask<?, ?>) message, message); // after the count: get() sees it counted
        }
      }
      if (n > 0) {
        M hook = drainedHook;
        if (hook != null && n < BATCH && rs < STOP) { // the batch ended on an empty mailbox
          Thread.interrupted();
          runOne(hook);
        }
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

  /** Runs a message inside an OwnerMessage event; returns the message without its stamp. */
  private M runRecorded(M message) {
    OwnerMessageEvent event = new OwnerMessageEvent();
    event.owner = name;
    M unwrapped = unstamped(message);
    if (unwrapped != message) {
      event.queued = Math.max(0L, System.nanoTime() - ((Stamped) message).sentNanos);
    }
    event.begin();
    runOne(unwrapped);
    event.commit();
    return unwrapped;
  }

  private void runOne(M message) {
    try {
      runMessage(message);
    } catch (Throwable failure) {
      reportSafely(message, failure);
    }
  }

  private void completeAsk(Ask<?, ?> ask, M message) {
    try {
      ask.complete();
    } catch (Throwable listenerFailure) { // a listener run by a direct executor threw
      reportSafely(message, listenerFailure);
    }
  }

  /** Reports a failure; nothing it throws escapes, so the thread keeps running. */
  private void reportSafely(M message, Throwable failure) {
    try {
      reportFailure(message, failure);
    } catch (Throwable handlerFailure) {
      try {
        if (handlerFailure != failure) {
          handlerFailure.addSuppressed(failure);
        }
        log.log(Level.WARNING, () -> "the failure handler of " + kind() + " " + name
            + " threw while handling a failure of " + message, handlerFailure);
      } catch (Throwable ignored) {
        // Nothing is left to report to; the thread must keep running.
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

  /** Spin briefly, then park until a sender (or a shutdown) unparks the thread. */
  private void idle() {
    final Mailbox<M> mailbox = this.mailbox;
    for (int i = 0; i < SPINS; i++) {
      // relaxedPeek reads only the next slot, as relaxedPoll does; isEmpty() would read the
      // producer index, pulling the line every offer CASes away from the producers.
      if (mailbox.relaxedPeek() != null || runState != RUNNING) {
        return;
      }
      Thread.onSpinWait();
    }
    ownerParked = true; // volatile write, then re-check: the Dekker half of the thread
    try {
      if (mailbox.isEmpty() && runState == RUNNING) {
        Thread.interrupted(); // a stray interrupt would make park return at once, forever
        if (OwnerParkEvent.PROBE.isEnabled()) {
          OwnerParkEvent parked = new OwnerParkEvent();
          parked.owner = name;
          parked.begin();
          LockSupport.park(this);
          parked.commit();
        } else {
          LockSupport.park(this);
        }
      }
    } finally {
      ownerParked = false;
    }
  }

  /**
   * Whether the mailbox is closed and every message it accepted has been taken; thread only
   * (the consumer index is its own).
   */
  private boolean quiescent() {
    return mailbox.isClosed() && mailbox.consumerIndex() == mailbox.acceptedCount();
  }

  /**
   * Takes every accepted message still in the mailbox (waiting for senders in the middle of an
   * offer) and cancels the futures of asks among them. Thread only, after STOP (so the mailbox
   * is closed and poll() returns null only when every accepted message is taken).
   */
  private List<M> drainUnprocessed() {
    List<M> leftovers = takeAll();
    for (M leftover : leftovers) {
      if (leftover instanceof Ask) {
        try {
          ((Ask<?, ?>) leftover).cancel();
        } catch (Throwable listenerFailure) {
          reportSafely(leftover, listenerFailure);
        }
      }
    }
    return leftovers;
  }

  private List<M> takeAll() {
    List<M> taken = new ArrayList<>();
    M message;
    while ((message = mailbox.poll()) != null) {
      taken.add(unstamped(message));
    }
    return taken;
  }

  /**
   * The run loop ended with {@code crash}: refuse later sends, wake everyone, fail what never
   * ran and keep it for shutdownNow(), and log it. Thread only.
   */
  private void failSafe(Throwable crash) {
    terminationCause = crash;
    mailbox.close();
    advanceRunState(STOP);
    wakeWaiters();
    long notRun = notRunCount();
    try {
      log.log(Level.ERROR, () -> kind() + " " + name + " ended unexpectedly; " + notRun
          + " accepted messages did not run (shutdownNow() returns them)", crash);
    } catch (Throwable ignored) {
      // The messages below are still failed and kept.
    }
    List<M> leftovers = takeAll();
    for (M leftover : leftovers) {
      try {
        if (leftover instanceof Ask) {
          ((Ask<?, ?>) leftover).fail(new IllegalStateException(
              kind() + " " + name + " ended unexpectedly before running this query", crash));
        } else if (leftover instanceof Future) {
          ((Future<?>) leftover).cancel(false);
        }
      } catch (Throwable listenerFailure) {
        reportSafely(leftover, listenerFailure);
      }
    }
    handover.set(leftovers);
  }
}
