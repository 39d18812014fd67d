package io.github.gilpatterns.gil;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import io.github.gilpatterns.jfr.GilDropRequestEvent;
import io.github.gilpatterns.jfr.GilHoldEvent;
import io.github.gilpatterns.jfr.GilReleasedEvent;
import io.github.gilpatterns.jfr.GilSwitchEvent;
import io.github.gilpatterns.jfr.GilWaitEvent;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * An emulated Global Interpreter Lock: at most one thread at a time runs between
 * {@linkplain #checkpoint() checkpoints} while holding it, and the holder hands it over
 * to a waiting thread at the next checkpoint once that thread has waited one switch
 * interval, exactly as CPython 3.2+ does ({@code Python/ceval_gil.c}).
 *
 * <p>The GIL lets Java programs <em>feel</em> CPython's lock: CPU-bound code that holds a
 * {@code Gil} and calls {@link #checkpoint()} where CPython would check its eval breaker
 * (every call, every loop back-edge) runs one thread at a time, so N threads take about N
 * times as long as one; code that blocks inside {@link #releasing(CheckedCallable)} or
 * {@link #sleep(Duration)} overlaps with the others, as blocking I/O and
 * {@code time.sleep} do in CPython; and the same code under
 * {@link #freeThreaded()} (PEP 703, {@code python3.13t}) or one {@code Gil} per worker
 * ({@link GilExecutor#perInterpreter(int)}, PEP 684) runs in parallel again.
 *
 * <p><b>Holding.</b> A thread holds a {@code Gil} between {@link #acquire()} and the
 * matching {@link #release()}. Acquisition is <em>re-entrant</em> like
 * {@code PyGILState_Ensure}: the holder may acquire again and must release as many times
 * (CPython's internal {@code take_gil} is not re-entrant; a Java user who calls a library
 * that acquires the GIL from code that already holds it expects a hold count, as with
 * {@link ReentrantLock}). A thread holds at most one {@code Gil} at a time, as a CPython
 * thread runs in one interpreter at a time: acquiring a second one while holding another
 * throws {@link IllegalStateException}. The GIL is not handed over while a holder's hold
 * count is above zero except at a checkpoint or inside {@code releasing}, both of which
 * give up every hold and take them all back. A thread that ends while holding a
 * {@code Gil} leaves it held forever, as with any lock: release in {@code finally}, or
 * let {@link #holding(CheckedCallable) holding(task)} do the acquire, {@code try} and
 * release. {@link #current()} returns the {@code Gil} the calling thread holds, so that a
 * task written once finds its GIL whichever mode runs it.
 *
 * <p><b>Blocking.</b> {@link #releasing(CheckedCallable) releasing(call)} runs a blocking
 * call without the GIL, and {@link #sleep(Duration) Gil.sleep} sleeps without it. Their
 * blocks may throw checked exceptions, which propagate as themselves:
 * <pre> {@code
 * byte[] data = gil.releasing(() -> Files.readAllBytes(path));   // throws IOException
 * gil.releasing(() -> Thread.sleep(10));                         // throws InterruptedException
 * Gil.sleep(Duration.ofMillis(10));                              // the same, for any GIL held
 * }</pre>
 *
 * <p><b>Switching.</b> A thread that finds the GIL held waits on a timed wait of one
 * switch interval (default 5 ms, {@code sys.getswitchinterval()}); if the interval passes
 * and the GIL has not changed hands meanwhile, it sets a <em>drop request</em>. The holder
 * honours it at its next {@code checkpoint()}: it drops the GIL, and with forced switching
 * (the default, {@code FORCE_SWITCHING}) waits until another thread has taken it, then
 * queues to take it back. A holder that never reaches a checkpoint (a long computation
 * without checkpoints, or code blocked without {@code releasing}) keeps the GIL, as a long
 * C call does in CPython. There is no FIFO order: a thread that arrives while the GIL is
 * free takes it at once, ahead of sleeping waiters, which is how CPython behaves and what
 * causes the convoy effect (bpo-7946) between I/O-bound and CPU-bound threads.
 *
 * <p><b>Interrupts.</b> {@link #acquire()} waits interruptibly and ends with
 * {@link InterruptedException}, leaving the GIL as it was and withdrawing the waiter's
 * drop request if no other thread is waiting; so does {@link #holding(CheckedCallable)},
 * which then does not run its task. {@link #checkpoint()} and the re-acquisition at the end
 * of {@link #releasing(CheckedCallable)} wait uninterruptibly (the caller already held
 * the GIL and its code continues as if it still did) and return with the interrupt status
 * set if the thread was interrupted while waiting; they never clear it.
 *
 * <p><b>Virtual threads.</b> A {@code Gil} starts no threads and works the same on virtual
 * threads (JDK 21 or later). A virtual thread that waits in {@link #acquire()}, in a
 * {@link #checkpoint()} that switches, or to take the GIL back after
 * {@link #releasing(CheckedCallable)}, parks and unmounts from its carrier: the waits are
 * {@link ReentrantLock} conditions, never {@code synchronized} or {@code Object.wait}, so
 * they pin no carrier on any JDK. Only the scheduling differs: virtual threads are not
 * time-sliced, so a waiter needs a free carrier to notice that its switch interval has
 * passed, and on a single carrier a CPU-bound holder is never asked to drop the GIL.
 *
 * <p><b>Modes.</b> {@link #create()} and {@link #builder()} make a real GIL;
 * {@link #freeThreaded()} makes one with the same API whose acquisition never waits and
 * whose checkpoints never switch: holding it only marks the thread as attached, so that
 * {@link #isHeldByCurrentThread()}, {@link #release()} and
 * {@link #releasing(CheckedCallable)} behave the same in both modes. Both modes keep
 * {@link #stats()} (with each thread's time holding the GIL, waiting for it and running
 * without it) and, when {@linkplain Builder#trace(boolean) built with a trace}, a
 * {@link #trace()}: {@code Gil.builder().freeThreaded(true).trace(true).build()}.
 *
 * <p><b>Observing.</b> A trace opens in Perfetto ({@link GilTrace#toChromeTraceJson()}) and
 * sums to a {@code gil_load}-style share of time per thread ({@link GilLoad#of(GilTrace)}).
 * Under a JDK Flight Recorder recording every {@code Gil}, traced or not, also commits the
 * events {@code io.github.gilpatterns.GilHold}, {@code GilWait} and {@code GilReleased} (with
 * durations), {@code GilSwitch} and {@code GilDropRequest}, which JDK Mission Control shows
 * and {@link GilLoad#fromRecording(java.nio.file.Path)} sums; without a recording they cost
 * nothing, and {@link #checkpoint()} never touches them.
 *
 * <p>Sample usage: two threads computing {@code fib(40)} share one GIL, as two CPython
 * threads would, and take about twice as long as free-threaded on two free cores (one
 * {@code fib(40)} lasts about a second, long enough for the JIT to have compiled it: a run
 * of a few milliseconds times the compiler instead). On a 2-core machine one run printed
 * {@code one GIL 1.71 s, free-threaded 0.86 s}, and stats in which each {@code fib_N} thread
 * held the GIL for about 0.8 s and waited for it about as long.
 * <pre> {@code
 * static long fib(int n) {
 *   Gil.checkpoint();                    // CPython checks its eval breaker on every call
 *   return n < 2 ? n : fib(n - 1) + fib(n - 2);
 * }
 *
 * static double seconds(Gil gil) throws Exception {
 *   long start = System.nanoTime();
 *   try (GilExecutor pool = GilExecutor.create("fib", gil, 2)) {
 *     ListenableFuture<Long> a = pool.submit(() -> fib(40));
 *     ListenableFuture<Long> b = pool.submit(() -> fib(40));
 *     a.get();
 *     b.get();
 *   }
 *   return (System.nanoTime() - start) / 1e9;
 * }
 *
 * Gil gil = Gil.create();
 * System.out.printf("one GIL %.2f s, free-threaded %.2f s%n",
 *     seconds(gil), seconds(Gil.freeThreaded()));
 * System.out.println(gil.stats());       // per thread: held, waited, released, in ms
 * }</pre>
 *
 * <p><b>Memory consistency effects:</b> actions in a thread prior to releasing a
 * {@code Gil} (by {@link #release()}, at a {@link #checkpoint()} that switches, or on
 * entering {@link #releasing(CheckedCallable)}) <i>happen-before</i> actions following the next
 * acquisition of that {@code Gil} by another thread. A free-threaded {@code Gil} gives no
 * such guarantee.
 *
 * @see GilExecutor
 * @see GilStats
 * @see GilTrace
 * @see GilLoad
 */
public final class Gil {
  /*
   * Implementation overview.
   *
   * This is take_gil()/drop_gil() of CPython's Python/ceval_gil.c (3.2 to 3.13) in Java:
   *
   * - The GIL is the boolean `locked`, guarded by `mutex`; `cond` is signalled when it is
   *   dropped (gil->cond). `holder`, `lastHolder`, `switchNumber` and `waiters` are also
   *   guarded by `mutex`, as are the statistics and the trace buffer.
   * - takeGil(): if locked, loop { remember switchNumber; timed wait of one interval on
   *   cond; if the wait timed out, the GIL is still locked and switchNumber has not moved,
   *   set the drop request }. Then take it; if lastHolder is another thread, count a
   *   switch; signal switchCond; reset the drop request (take_gil does so unconditionally).
   * - dropGil(): unlock, signal cond, and (FORCE_SWITCHING) if a drop request is pending,
   *   reset it and wait on switchCond until lastHolder is another thread.
   * - The eval breaker is checkpoint(): CPython's eval loop reads a per-interpreter
   *   eval_breaker word on every loop back-edge and call; Java code cannot reach a
   *   per-interpreter word without knowing which interpreter it is in, and a ThreadLocal
   *   lookup costs several nanoseconds. So the fast path reads ONE static volatile int,
   *   `pendingDropRequests`, the number of Gils in this JVM whose drop request is set
   *   (maintained on the 0->1 and 1->0 transitions of each Gil's `dropRequest`, under that
   *   Gil's mutex). Only when it is non-zero does checkpoint() look up the thread's state
   *   (ThreadLocal) and that Gil's own volatile `dropRequest`.
   *
   * Flight Recorder. takeGil() and dropGil() also begin and commit the JFR events of the
   * package io.github.gilpatterns.jfr (hold, wait, released, switch, drop request), under
   * the mutex, where the statistics are kept; each first asks its type's static PROBE
   * isEnabled(), so without a recording nothing is allocated. checkpoint()'s fast path
   * does not touch them. An event begun while its type was enabled is committed if the type
   * still is (commit() checks).
   *
   * Cost model of checkpoint(): nobody waiting anywhere in the JVM -> one volatile load
   * of a static field and a not-taken branch (on x86 and AArch64 a plain load that the
   * JIT may not hoist out of loops; about 0.3-1 ns, see benchmarks/RESULTS.md). A drop
   * requested on some Gil -> additionally a ThreadLocal lookup and a volatile load (a few
   * ns) for every checkpoint of every thread until the request is honoured, which takes
   * at most one checkpoint of its holder. Honouring it costs two mutex acquisitions and
   * the hand-off itself (a park/unpark pair, microseconds).
   *
   * Where this differs from ceval_gil.c, and why:
   * 1. One mutex with two conditions instead of gil->mutex plus gil->switch_mutex. In C
   *    another thread may take the GIL between the two critical sections of drop_gil, in
   *    which case the dropper finds last_holder changed and does not wait; holding one
   *    mutex throughout gives the same outcome (the dropper waits only until someone else
   *    holds it) with one lock and no window.
   * 2. The forced-switch wait also ends when no thread is waiting any more. In C the only
   *    way a waiter leaves take_gil without the GIL is interpreter finalisation (gh-96387);
   *    here a waiter can be interrupted, and a dropper must not wait for a switch that
   *    will never happen. An abandoning waiter also withdraws the drop request when it was
   *    the last waiter, and passes on a cond signal it may have consumed.
   * 3. Forced switching applies at checkpoint() and on entering releasing(), the two
   *    places where the thread will take the GIL back (eval breaker and
   *    Py_BEGIN_ALLOW_THREADS in CPython), but not to release() of the last hold, which
   *    is the thread leaving the interpreter (PyThreadState_DeleteCurrent drops with
   *    tstate == NULL and does not wait either).
   * 4. Re-entrancy, a thread-state record per thread (ThreadLocal) and interruptible
   *    acquisition are Java additions; CPython's other eval-breaker reasons (signals,
   *    pending calls, async exceptions, GC) have no counterpart.
   * 5. The fast-path word is JVM-wide instead of per interpreter (see above): with
   *    several Gils, a drop requested on one sends the holders of the others through the
   *    slightly slower path until it is honoured, which changes no behaviour.
   * 6. cond is a CondVar on the ReentrantLock, not a java.util.concurrent Condition, so that
   *    a drop wakes its waiter as pthread_cond_signal does: at once. A Condition's signal()
   *    only moves the waiter to the lock's queue, where it is unparked when it reaches the
   *    head and the lock is let go; a waiter signalled a few microseconds after another then
   *    wakes only once the first has run. The convoy's I/O threads drop the GIL twice per
   *    round trip that close together, and beside two CPU-bound threads each drop wakes one
   *    of them (see 9). A wait that ends with no signal reports a timeout; a spurious wakeup
   *    counts as "not timed out", as in C. switchCond stays a Condition: its one waiter is the
   *    forced-switch dropper, woken when the taker lets go of the mutex.
   * 7. Which waiter a drop wakes. cond.signal() here wakes the thread that has waited
   *    longest on cond (CondVar's queue is FIFO); a waiter whose timed wait ran out
   *    re-enters at the back, as it waits again. With two CPU-bound threads and an
   *    I/O-bound thread waiting, the I/O thread, back from its blocking call last, is woken
   *    last. pthread_cond_signal promises only to wake some waiter (glibc wakes one that was
   *    waiting when the signal came), so in CPython the I/O thread may win sooner; the
   *    emulation takes the orderly reading.
   * 8. Builder.ioPriority(true), off by default, is not in ceval_gil.c: it models David
   *    Beazley's proposed fix for the convoy effect (bpo-7946). A thread back from
   *    releasing(..) that finds the GIL held sets the drop request at once instead of after
   *    an interval, and waits on a third condition that a dropper signals before cond. Woken
   *    and beaten to the GIL by another thread (whose take reset the request), it sets the
   *    request again at once: the priority lasts until it holds the GIL. A thread without
   *    priority that finds the GIL free while a priority thread waits for it waits too, so
   *    that two CPU-bound threads cannot pass the GIL between themselves through their
   *    forced-switch waits while the I/O thread asks for it.
   * 9. The convoy's regime is a race that ceval_gil.c leaves open. When an I/O thread drops
   *    the GIL for a blocking call, the CPU-bound waiter it signals and that thread's peer,
   *    back from its own call, race for the mutex, and the GIL goes to whoever gets there
   *    first. If the waiter wins, the round trip waits a switch interval or more (the
   *    convoy). If the peer wins, the I/O threads keep the GIL between them, the waiter's
   *    wake-ups restart its timed wait, and it rarely gets the GIL at all. A round trip
   *    drops the GIL twice, for the write and for the read, microseconds apart; beside two
   *    CPU-bound threads each drop wakes one of them, both at once (see 6), so the second
   *    is in the race too. The emulation runs the same race, and neither it nor CPython
   *    settles in one regime: the examples' compare command prints the share of round
   *    trips slower than 1 ms on both sides. Six medians of five half-second runs, taken
   *    one after another at load 1.3 to 1.9, put CPython 3.11's share beside one CPU-bound
   *    thread between 1.6% and 47.5%; in one idle sitting compare measured 53.6% for CPython
   *    and 22.6% for the emulation beside one, and 61.8% and 75.8% beside two. Under load,
   *    when other processes hold the cores, the woken waiter is slower to run and the peer
   *    wins more often, in both (0.5% and 0.6% beside one, with a build running beside).
   *    Beside one CPU-bound thread the emulation's waiter sometimes wins far more often than
   *    CPython's: 40.5% against 9.5% in the next idle sitting, a drop of 199x against 29x,
   *    beyond the factor of 2 that compare asks for, while CPython's second set of samples
   *    met it against its first (42x). What makes the difference there is not known.
   */

  /** Default switch interval, as {@code sys.getswitchinterval()} returns: 5 ms. */
  public static final Duration DEFAULT_SWITCH_INTERVAL = Duration.ofMillis(5);

  /** Default number of events a tracing {@code Gil} keeps. */
  public static final int DEFAULT_TRACE_CAPACITY = 8192;

  private static final VarHandle PENDING_DROP_REQUESTS;

  static {
    try {
      PENDING_DROP_REQUESTS = MethodHandles.lookup()
          .findStaticVarHandle(Gil.class, "pendingDropRequests", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * Number of Gils in this JVM whose {@code dropRequest} is set: the eval breaker read by
   * the fast path of {@link #checkpoint()}. Updated only through PENDING_DROP_REQUESTS,
   * under the mutex of the Gil whose request changes.
   */
  @SuppressWarnings("unused") // read directly, written through the VarHandle
  private static volatile int pendingDropRequests;

  /** The per-thread state: which Gil the thread holds and how many times. */
  private static final ThreadLocal<ThreadState> STATE = ThreadLocal.withInitial(ThreadState::new);

  /** Per-thread record (CPython's PyThreadState, for GIL purposes). Accessed only by its thread. */
  static final class ThreadState {
    final Thread thread = Thread.currentThread();
    @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+
    final long threadId = thread.getId();
    /** The Gil this thread holds, or null. */
    @Nullable Gil gil;
    /** Hold count of {@link #gil}; 0 when {@code gil} is null. */
    int holds;
    /**
     * This thread's times under the Gil it last took or dropped, so that the next take or
     * drop of the same Gil needs no map lookup. Keeps that Gil reachable from this thread.
     */
    @Nullable ThreadTimes times;
  }

  /**
   * One thread's times under one Gil (gil_load's per-thread counters). Guarded by the mutex
   * of {@link #owner}, and written only by its thread.
   */
  private static final class ThreadTimes {
    final Gil owner;
    final long threadId;
    final String threadName;
    long heldNanos;
    long waitedNanos;
    long releasedNanos;
    /** Whether the thread holds the Gil now (then {@link #since} is when it took it). */
    boolean holding;
    /** Whether the thread is inside releasing(..) now (then {@link #since} is when it entered). */
    boolean releasing;
    /**
     * Whether the thread dropped the Gil at a checkpoint to honour a drop request and has not
     * taken it back (then {@link #since} is when it dropped it): its wait began at the drop.
     */
    boolean yielding;
    long since;
    // JDK Flight Recorder events in progress, begun only while a recording enables their type.
    @Nullable GilHoldEvent holdEvent;
    @Nullable GilWaitEvent waitEvent;
    @Nullable GilReleasedEvent releasedEvent;

    @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+
    ThreadTimes(Gil owner, Thread thread) {
      this.owner = owner;
      this.threadId = thread.getId();
      this.threadName = thread.getName();
    }
  }

  private final boolean freeThreaded;
  private final long intervalNanos;
  private final boolean forceSwitching;
  private final boolean ioPriority;

  private final ReentrantLock mutex = new ReentrantLock();
  /** Signalled when the GIL is dropped (gil->cond); wakes as pthread_cond_signal does. */
  private final CondVar cond = new CondVar(mutex);
  /** With I/O priority: where threads back from releasing(..) wait, signalled before cond. */
  private final CondVar priorityCond = new CondVar(mutex);
  /** Signalled when a thread takes the GIL (gil->switch_cond). */
  private final Condition switchCond = mutex.newCondition();

  // All guarded by mutex.
  private boolean locked;
  private @Nullable ThreadState holder;
  private @Nullable ThreadState lastHolder;
  private long switchNumber;
  private int waiters;
  private int priorityWaiters; // of waiters, those on priorityCond
  private long acquisitions;
  private long dropRequests;
  private long forcedDrops;
  private long totalWaitNanos;
  private long maxWaitNanos;
  private long totalHeldNanos; // holds that have ended; stats() adds the current ones
  /** Every thread that ever took this Gil, by thread id, in the order they first took it. */
  private final Map<Long, ThreadTimes> timesByThread = new LinkedHashMap<>();
  private final GilTrace.@Nullable Recorder trace; // null when tracing is off
  /** This Gil's name in Flight Recorder events: {@code Gil@} and its identity hash. */
  private final String jfrName = "Gil@" + Integer.toHexString(System.identityHashCode(this));

  /** Written under mutex, read without it by the holder at its checkpoints. */
  private volatile boolean dropRequest;

  private Gil(Builder b) {
    this.freeThreaded = b.freeThreaded;
    this.intervalNanos = b.intervalNanos;
    this.forceSwitching = b.forceSwitching;
    this.ioPriority = b.ioPriority;
    this.trace = b.trace ? new GilTrace.Recorder(b.traceCapacity) : null;
  }

  /**
   * Returns a new GIL with the defaults: 5 ms switch interval, forced switching, no trace.
   *
   * @return a new, unheld {@code Gil}
   */
  public static Gil create() {
    return builder().build();
  }

  /**
   * Returns a new free-threaded {@code Gil} (PEP 703): the same API, but {@link #acquire()}
   * never waits for another thread to release it and {@link #checkpoint()} never switches,
   * so threads holding it run in parallel. Acquiring, releasing and entering or leaving
   * {@code releasing} take its internal lock for a moment, to keep its statistics;
   * checkpoints take no lock. It keeps {@link #stats()}: acquisitions, and each
   * thread's time holding it and inside {@link #releasing(CheckedCallable) releasing}. For
   * one that also keeps a {@link #trace()}, use
   * {@code Gil.builder().freeThreaded(true).trace(true).build()}.
   *
   * @return a new free-threaded {@code Gil}
   */
  public static Gil freeThreaded() {
    return builder().freeThreaded(true).build();
  }

  /**
   * Returns a builder of a GIL with non-default settings.
   *
   * @return a new builder holding the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The eval-breaker check: a no-op unless the calling thread holds a {@code Gil} and
   * another thread has asked for it (after waiting one switch interval); then drops it,
   * waits until another thread has taken it (with forced switching) and takes it back,
   * restoring the hold count. Call it where CPython would check: at the top of a
   * recursive function, on loop back-edges.
   *
   * <p>May be called by any thread, holding a {@code Gil} or not. When it switches it
   * blocks uninterruptibly until the GIL is back; if the thread was interrupted meanwhile
   * it returns with the interrupt status set. It never clears the interrupt status.
   *
   * <p>IMPLEMENTATION NOTES: when no thread in the JVM has a pending drop request this is
   * one volatile load of a static field and a branch (no allocation, no ThreadLocal).
   */
  public static void checkpoint() {
    if (pendingDropRequests != 0) {
      checkpointSlow();
    }
  }

  private static void checkpointSlow() {
    ThreadState ts = STATE.get();
    Gil gil = ts.gil;
    if (gil != null && gil.dropRequest) {
      gil.yieldToWaiter(ts);
    }
  }

  /**
   * Acquires this GIL, waiting while another thread holds it. If the current thread
   * already holds it, increments the hold count and returns at once.
   *
   * <p>While waiting, the thread asks the holder to drop the GIL each time a switch
   * interval passes without the GIL changing hands; it takes the GIL when the holder
   * drops it and the thread wins the race for it (no FIFO order, as in CPython).
   *
   * @throws InterruptedException if the current thread is interrupted on entry or while
   *     waiting; its interrupt status is cleared, it does not hold the GIL, and the GIL is
   *     in the state it would be in had the thread never asked
   * @throws IllegalStateException if the current thread holds another {@code Gil}
   */
  public void acquire() throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    ThreadState ts = STATE.get();
    if (ts.gil == this) {
      if (ts.holds == Integer.MAX_VALUE) {
        throw new IllegalStateException("maximum hold count exceeded");
      }
      ts.holds++;
      return;
    }
    if (ts.gil != null) {
      throw new IllegalStateException(
          "current thread holds another Gil (" + ts.gil + "); release it first");
    }
    takeGil(ts, true);
    ts.gil = this;
    ts.holds = 1;
  }

  /**
   * Releases one hold of this GIL; the last release drops it and wakes a waiter. The
   * last release does not wait for another thread to take the GIL (a thread leaving
   * the interpreter, unlike {@link #checkpoint()}).
   *
   * @throws IllegalMonitorStateException if the current thread does not hold this GIL
   */
  public void release() {
    ThreadState ts = STATE.get();
    if (ts.gil != this) {
      throw new IllegalMonitorStateException("current thread does not hold " + this);
    }
    if (--ts.holds > 0) {
      return;
    }
    ts.gil = null;
    dropGil(ts, false, false);
  }

  /**
   * Returns whether the current thread holds this GIL (inside {@link #releasing(Callable)}
   * it does not).
   *
   * @return {@code true} if the current thread holds this GIL
   */
  public boolean isHeldByCurrentThread() {
    return STATE.get().gil == this;
  }

  /**
   * Runs a blocking call without the GIL ({@code Py_BEGIN_ALLOW_THREADS} ...
   * {@code Py_END_ALLOW_THREADS}): if the current thread holds this GIL, drops every
   * hold (waiting first for another thread to take it if one has asked, as
   * {@code drop_gil} does), runs the call, and takes the GIL back with the same hold
   * count whether the call returns or throws. If the current thread does not hold this
   * GIL, just runs the call.
   *
   * <p>The call's checked exception propagates as itself:
   * {@code gil.releasing(() -> Files.readAllBytes(path))} throws {@link java.io.IOException}
   * and nothing else checked, {@code gil.releasing(() -> queue.take())}
   * {@link InterruptedException}.
   *
   * <p>Taking the GIL back waits uninterruptibly; if the thread is interrupted meanwhile
   * (or the call leaves the interrupt status set) this returns or throws with the
   * interrupt status set.
   *
   * @param blockingCall the call to run without the GIL, such as a read from a socket
   * @param <V> the call's result type
   * @param <X> the checked exception the call may throw
   * @return what {@code blockingCall} returned
   * @throws X what {@code blockingCall} threw, after the GIL is taken back
   * @throws NullPointerException if {@code blockingCall} is null
   */
  @CanIgnoreReturnValue
  public <V extends @Nullable Object, X extends Exception> V releasing(
      CheckedCallable<V, X> blockingCall) throws X {
    Objects.requireNonNull(blockingCall, "blockingCall");
    ThreadState ts = STATE.get();
    int saved = beginAllowThreads(ts);
    try {
      return blockingCall.call();
    } finally {
      endAllowThreads(ts, saved);
    }
  }

  /**
   * Runs a blocking action without the GIL; the form of
   * {@link #releasing(CheckedCallable)} for an action with no result, with the same
   * behaviour: {@code gil.releasing(() -> Thread.sleep(10))} throws
   * {@link InterruptedException}, and {@code gil.releasing(lock::lock)} no checked
   * exception. (For a sleep, {@link #sleep(Duration)} does the same without naming the
   * GIL.)
   *
   * @param blockingAction the action to run without the GIL
   * @param <X> the checked exception the action may throw
   * @throws X what {@code blockingAction} threw, after the GIL is taken back
   * @throws NullPointerException if {@code blockingAction} is null
   */
  public <X extends Exception> void releasing(CheckedRunnable<X> blockingAction) throws X {
    releasing(withNullResult(Objects.requireNonNull(blockingAction, "blockingAction")));
  }

  /**
   * Runs a blocking {@link Callable} without the GIL, as {@link #releasing(CheckedCallable)}
   * does; this overload takes a value typed {@code Callable} (a lambda or method reference
   * goes to the {@code CheckedCallable} one and throws only what it throws).
   *
   * @param blockingCall the call to run without the GIL
   * @param <V> the call's result type
   * @return what {@code blockingCall} returned
   * @throws Exception whatever {@code blockingCall} threw, after the GIL is taken back
   * @throws NullPointerException if {@code blockingCall} is null
   */
  @CanIgnoreReturnValue
  public <V extends @Nullable Object> V releasing(Callable<V> blockingCall) throws Exception {
    Objects.requireNonNull(blockingCall, "blockingCall");
    return releasing(blockingCall::call);
  }

  /**
   * Runs a blocking {@link Runnable} without the GIL, as {@link #releasing(CheckedRunnable)}
   * does; this overload takes a value typed {@code Runnable} (a lambda or method reference
   * goes to the {@code CheckedRunnable} one).
   *
   * @param blockingAction the action to run without the GIL
   * @throws NullPointerException if {@code blockingAction} is null
   */
  public void releasing(Runnable blockingAction) {
    Objects.requireNonNull(blockingAction, "blockingAction");
    releasing(blockingAction::run);
  }

  /**
   * Runs a task holding this GIL, on the calling thread: acquires it, runs the task, and
   * releases it whether the task returns or throws (the {@code lock(); try ... finally
   * unlock()} idiom of {@link ReentrantLock}, as one call). If the thread already holds this
   * GIL, the hold is re-entrant: the task runs at once, and the thread still holds the GIL
   * afterwards with its former hold count. If it holds another {@code Gil}, nothing runs.
   *
   * <p>Inside, the task calls {@link #checkpoint()} to let other threads in and
   * {@link #releasing(CheckedCallable)} (or {@link #sleep(Duration)}) around blocking
   * calls, as a task of a {@link GilExecutor} does. The task's checked exception
   * propagates as itself.
   *
   * @param task the task to run holding this GIL
   * @param <V> the task's result type
   * @param <X> the checked exception the task may throw
   * @return what {@code task} returned
   * @throws InterruptedException if interrupted on entry or while waiting for the GIL (the
   *     task did not run; see {@link #acquire()})
   * @throws X what {@code task} threw, after the GIL is released
   * @throws IllegalStateException if the current thread holds another {@code Gil}
   * @throws NullPointerException if {@code task} is null
   */
  @CanIgnoreReturnValue
  public <V extends @Nullable Object, X extends Exception> V holding(CheckedCallable<V, X> task)
      throws InterruptedException, X {
    Objects.requireNonNull(task, "task");
    acquire();
    try {
      return task.call();
    } finally {
      release();
    }
  }

  /**
   * Runs an action holding this GIL, on the calling thread; the form of
   * {@link #holding(CheckedCallable)} for an action with no result, with the same behaviour.
   *
   * @param task the action to run holding this GIL
   * @param <X> the checked exception the action may throw
   * @throws InterruptedException if interrupted on entry or while waiting for the GIL (the
   *     action did not run)
   * @throws X what {@code task} threw, after the GIL is released
   * @throws IllegalStateException if the current thread holds another {@code Gil}
   * @throws NullPointerException if {@code task} is null
   */
  public <X extends Exception> void holding(CheckedRunnable<X> task)
      throws InterruptedException, X {
    holding(withNullResult(Objects.requireNonNull(task, "task")));
  }

  /** The call that runs {@code action} and returns null. */
  private static <X extends Exception> CheckedCallable<@Nullable Void, X> withNullResult(
      CheckedRunnable<X> action) {
    return () -> {
      action.runChecked();
      return null;
    };
  }

  /**
   * Runs a {@link Callable} holding this GIL, as {@link #holding(CheckedCallable)} does; this
   * overload takes a value typed {@code Callable}.
   *
   * @param task the task to run holding this GIL
   * @param <V> the task's result type
   * @return what {@code task} returned
   * @throws InterruptedException if interrupted on entry or while waiting for the GIL
   * @throws Exception whatever {@code task} threw, after the GIL is released
   * @throws IllegalStateException if the current thread holds another {@code Gil}
   * @throws NullPointerException if {@code task} is null
   */
  @CanIgnoreReturnValue
  public <V extends @Nullable Object> V holding(Callable<V> task) throws Exception {
    Objects.requireNonNull(task, "task");
    return holding(task::call);
  }

  /**
   * Runs a {@link Runnable} holding this GIL, as {@link #holding(CheckedRunnable)} does; this
   * overload takes a value typed {@code Runnable}.
   *
   * @param task the action to run holding this GIL
   * @throws InterruptedException if interrupted on entry or while waiting for the GIL
   * @throws IllegalStateException if the current thread holds another {@code Gil}
   * @throws NullPointerException if {@code task} is null
   */
  public void holding(Runnable task) throws InterruptedException {
    Objects.requireNonNull(task, "task");
    holding(task::run);
  }

  /**
   * Returns the {@code Gil} the calling thread holds, if any: the one its
   * {@link GilExecutor} worker runs it under (shared, free-threaded, or its interpreter's
   * own), or the one it {@linkplain #acquire() acquired}. Empty if it holds none, which
   * includes the inside of {@link #releasing(CheckedCallable) releasing}. With it, one task
   * serves all three modes: {@code Gil.current().orElseThrow().releasing(() -> read())}.
   *
   * <p>May be called by any thread; costs a {@link ThreadLocal} lookup.
   *
   * @return the GIL the calling thread holds, or empty
   */
  public static Optional<Gil> current() {
    return Optional.ofNullable(STATE.get().gil);
  }

  /**
   * Sleeps without the GIL, as Python's {@code time.sleep} does: if the calling thread holds
   * a {@code Gil} (any, see {@link #current()}), sleeps inside its
   * {@link #releasing(CheckedRunnable) releasing}, so that other threads run meanwhile, and
   * takes it back afterwards with the same hold count; otherwise just sleeps. A zero
   * duration still drops and takes back the GIL, as {@code time.sleep(0)} does, which lets
   * a waiting thread in.
   *
   * @param duration how long to sleep; one too long for a {@code long} of nanoseconds
   *     sleeps for about 292 years
   * @throws InterruptedException if interrupted on entry (the GIL is not dropped) or while
   *     sleeping (after the GIL is taken back); the interrupt status is cleared
   * @throws IllegalArgumentException if {@code duration} is negative (as
   *     {@code time.sleep(-1)} raises {@code ValueError})
   * @throws NullPointerException if {@code duration} is null
   */
  public static void sleep(Duration duration) throws InterruptedException {
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("sleep duration must not be negative: " + duration);
    }
    sleepNanos(TimeUnit.NANOSECONDS.convert(duration));
  }

  /**
   * Sleeps without the GIL, as {@link #sleep(Duration)} does, for a duration in the given
   * unit.
   *
   * @param duration how long to sleep, in {@code unit}
   * @param unit the unit of {@code duration}
   * @throws InterruptedException if interrupted on entry (the GIL is not dropped) or while
   *     sleeping (after the GIL is taken back); the interrupt status is cleared
   * @throws IllegalArgumentException if {@code duration} is negative
   * @throws NullPointerException if {@code unit} is null
   */
  public static void sleep(long duration, TimeUnit unit) throws InterruptedException {
    Objects.requireNonNull(unit, "unit");
    if (duration < 0) {
      throw new IllegalArgumentException(
          "sleep duration must not be negative: " + duration + " " + unit);
    }
    sleepNanos(unit.toNanos(duration));
  }

  private static void sleepNanos(long nanos) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    Gil gil = STATE.get().gil;
    if (gil == null) {
      parkFor(nanos);
    } else {
      gil.releasing(() -> parkFor(nanos));
    }
  }

  /**
   * Sleeps {@code nanos} to the microsecond, as {@code time.sleep} does with
   * {@code clock_nanosleep} (JDK 17's {@code Thread.sleep} rounds a fraction of a millisecond up
   * to a whole one); throws {@link InterruptedException}, clearing the status, if interrupted.
   */
  private static void parkFor(long nanos) throws InterruptedException {
    long start = System.nanoTime();
    for (long left = nanos; left > 0; left = nanos - (System.nanoTime() - start)) {
      LockSupport.parkNanos(left);
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }

  /** Returns the hold count given up, or 0 if the thread did not hold this Gil. */
  private int beginAllowThreads(ThreadState ts) {
    if (ts.gil != this) {
      return 0;
    }
    int holds = ts.holds;
    ts.gil = null;
    ts.holds = 0;
    dropGil(ts, true, false);
    return holds;
  }

  private void endAllowThreads(ThreadState ts, int savedHolds) {
    if (savedHolds == 0) {
      return;
    }
    if (ts.gil == this) {
      // The blocking call acquired this Gil and kept it: merge the hold counts.
      ts.holds += savedHolds;
      return;
    }
    if (ts.gil != null) {
      throw new IllegalStateException("the blocking call left " + ts.gil
          + " held, so " + this + " cannot be taken back");
    }
    takeGilUninterruptibly(ts);
    ts.gil = this;
    ts.holds = savedHolds;
  }

  /** Honours a drop request at a checkpoint: drop, wait for the switch, take it back. */
  private void yieldToWaiter(ThreadState ts) {
    int holds = ts.holds;
    ts.gil = null;
    ts.holds = 0;
    dropGil(ts, true, true);
    takeGilUninterruptibly(ts);
    ts.gil = this;
    ts.holds = holds;
  }

  private void takeGilUninterruptibly(ThreadState ts) {
    try {
      takeGil(ts, false);
    } catch (InterruptedException impossible) {
      throw new AssertionError(impossible);
    }
  }

  /**
   * take_gil(). Caller does not hold this Gil. A free-threaded Gil is never locked, so this
   * only keeps its statistics and trace.
   */
  private void takeGil(ThreadState ts, boolean interruptible) throws InterruptedException {
    final ReentrantLock mutex = this.mutex;
    mutex.lock();
    try {
      long now = System.nanoTime();
      ThreadTimes times = times(ts);
      boolean backFromReleasing = times.releasing;
      if (backFromReleasing) {
        times.releasing = false;
        times.releasedNanos += now - times.since;
        GilReleasedEvent released = times.releasedEvent;
        if (released != null) {
          times.releasedEvent = null;
          released.commit();
        }
      }
      // After a forced drop, the wait began at the drop: it includes the forced-switch wait.
      boolean waiting = times.yielding;
      long start = waiting ? times.since : now;
      times.yielding = false;
      // I/O priority (Beazley's bpo-7946 patch): a thread back from a blocking call asks for
      // the GIL at once, and is woken before the CPU-bound waiters.
      boolean priority = ioPriority && backFromReleasing;
      if (mustWait(priority)) {
        if (!waiting) {
          if (trace != null) {
            trace.record(GilTrace.Kind.WAITING, ts.thread, now);
          }
          if (GilWaitEvent.PROBE.isEnabled()) {
            times.waitEvent = beginWait(false);
          }
        }
        waiting = true;
        boolean interrupted = false;
        boolean acquired = false;
        CondVar waitOn = cond;
        if (priority) {
          waitOn = priorityCond;
          priorityWaiters++;
        }
        waiters++;
        try {
          while (mustWait(priority)) {
            if (priority) {
              // Each time it finds the GIL held: woken but beaten to it by another thread, whose
              // take reset the request, it asks again rather than wait out an interval.
              setDropRequest(ts);
            }
            long savedSwitchNumber = switchNumber;
            boolean timedOut;
            try {
              timedOut = waitOn.timedWait(intervalNanos);
            } catch (InterruptedException e) {
              if (interruptible) {
                throw e;
              }
              interrupted = true;
              timedOut = false;
            }
            // If we timed out and no switch occurred in the meantime, it is time
            // to ask the GIL-holding thread to drop it.
            if (timedOut && locked && switchNumber == savedSwitchNumber) {
              setDropRequest(ts);
            }
          }
          acquired = true;
        } finally {
          waiters--;
          if (priority) {
            priorityWaiters--;
          }
          if (!acquired) {
            abandonWait();
            if (trace != null) {
              trace.record(GilTrace.Kind.WAIT_ABANDONED, ts.thread, System.nanoTime());
            }
            GilWaitEvent wait = times.waitEvent;
            if (wait != null) { // an interrupted acquire(): the wait ends without the GIL
              times.waitEvent = null;
              wait.commit();
            }
          }
          if (interrupted) {
            Thread.currentThread().interrupt();
          }
        }
        now = System.nanoTime();
      }
      if (waiting) {
        long waited = now - start;
        totalWaitNanos += waited;
        times.waitedNanos += waited;
        if (waited > maxWaitNanos) {
          maxWaitNanos = waited;
        }
      }
      GilWaitEvent wait = times.waitEvent;
      if (wait != null) {
        times.waitEvent = null;
        wait.commit();
      }
      // _ready: we now hold the GIL.
      times.holding = true;
      times.since = now;
      acquisitions++;
      if (GilHoldEvent.PROBE.isEnabled()) {
        GilHoldEvent hold = new GilHoldEvent();
        hold.gil = jfrName;
        hold.begin();
        times.holdEvent = hold;
      }
      if (!freeThreaded) {
        locked = true;
        holder = ts;
        if (lastHolder != ts) {
          if (lastHolder != null && GilSwitchEvent.PROBE.isEnabled()) {
            GilSwitchEvent switched = new GilSwitchEvent();
            switched.gil = jfrName;
            switched.previous = lastHolder.thread.getName();
            switched.previousId = lastHolder.threadId;
            switched.commit();
          }
          lastHolder = ts;
          switchNumber++;
        }
        switchCond.signalAll();
        if (dropRequest) {
          resetDropRequest();
        }
      }
      if (trace != null) {
        trace.record(GilTrace.Kind.ACQUIRED, ts.thread, now);
      }
    } finally {
      mutex.unlock();
    }
  }

  /** A waiter gives up (interrupted). Called under mutex, after waiters--. */
  private void abandonWait() {
    if (waiters == 0) {
      // Nobody wants the GIL any more: withdraw the request so that the holder does
      // not drop it for nobody (gh-96387 does the same for exiting threads).
      resetDropRequest();
    } else if (!locked) {
      // We may have consumed the signal meant for the next taker: pass it on.
      signalNextTaker();
    }
    // A forced-switch dropper may be waiting for a switch that now cannot happen.
    switchCond.signalAll();
  }

  /**
   * drop_gil(). Caller holds this Gil; its ThreadState no longer says so. For a free-threaded
   * Gil this only keeps the statistics and trace.
   *
   * @param willRetake whether the thread will take the GIL back (forced switching applies)
   * @param forced whether this drop honours a drop request at a checkpoint
   */
  private void dropGil(ThreadState ts, boolean willRetake, boolean forced) {
    final ReentrantLock mutex = this.mutex;
    mutex.lock();
    try {
      long now = System.nanoTime();
      ThreadTimes times = times(ts);
      times.holding = false;
      times.heldNanos += now - times.since;
      totalHeldNanos += now - times.since;
      GilHoldEvent hold = times.holdEvent;
      if (hold != null) {
        times.holdEvent = null;
        hold.commit();
      }
      if (trace != null) {
        trace.record(GilTrace.Kind.RELEASED, ts.thread, now);
      }
      if (forced) { // at a checkpoint; takeGil counts the wait from here
        times.yielding = true;
        times.since = now;
        if (trace != null) {
          trace.record(GilTrace.Kind.FORCED_SWITCH, ts.thread, now);
        }
        if (GilWaitEvent.PROBE.isEnabled()) {
          times.waitEvent = beginWait(true);
        }
      } else if (willRetake) { // entering releasing(..)
        times.releasing = true;
        times.since = now;
        if (trace != null) {
          trace.record(GilTrace.Kind.RELEASING, ts.thread, now);
        }
        if (GilReleasedEvent.PROBE.isEnabled()) {
          GilReleasedEvent released = new GilReleasedEvent();
          released.gil = jfrName;
          released.begin();
          times.releasedEvent = released;
        }
      }
      if (freeThreaded) {
        return;
      }
      locked = false;
      holder = null;
      lastHolder = ts;
      if (forced) {
        forcedDrops++;
      }
      signalNextTaker();
      if (willRetake && forceSwitching && dropRequest) {
        resetDropRequest();
        // Not switched yet => wait until another thread has taken the GIL, or until
        // nobody is left who could.
        while (lastHolder == ts && waiters > 0) {
          switchCond.awaitUninterruptibly();
        }
      }
    } finally {
      mutex.unlock();
    }
  }

  /** Begins a Flight Recorder wait event of this Gil. */
  private GilWaitEvent beginWait(boolean afterForcedDrop) {
    GilWaitEvent wait = new GilWaitEvent();
    wait.gil = jfrName;
    wait.afterForcedDrop = afterForcedDrop;
    wait.begin();
    return wait;
  }

  /** Returns the current thread's times under this Gil. Called under mutex, by that thread. */
  private ThreadTimes times(ThreadState ts) {
    ThreadTimes times = ts.times;
    if (times == null || times.owner != this) {
      @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+
      long id = ts.thread.getId();
      times = timesByThread.computeIfAbsent(id, k -> new ThreadTimes(this, ts.thread));
      ts.times = times;
    }
    return times;
  }

  /**
   * Whether a taker must wait: the GIL is held, or, with I/O priority, it is free while a
   * thread back from a blocking call waits for it, which a taker without priority (a thread
   * released from its forced-switch wait, say) lets go first. Under mutex.
   */
  private boolean mustWait(boolean priority) {
    return locked || (!priority && priorityWaiters > 0);
  }

  /** Wakes one waiter: one back from a blocking call first, with I/O priority. Under mutex. */
  private void signalNextTaker() {
    if (priorityWaiters > 0) {
      priorityCond.signal();
    } else {
      cond.signal();
    }
  }

  /** SET_GIL_DROP_REQUEST. Called under mutex. */
  private void setDropRequest(ThreadState requester) {
    if (!dropRequest) {
      dropRequest = true;
      PENDING_DROP_REQUESTS.getAndAdd(1);
      dropRequests++;
      if (trace != null) {
        trace.record(GilTrace.Kind.DROP_REQUESTED, requester.thread, System.nanoTime());
      }
      if (GilDropRequestEvent.PROBE.isEnabled()) {
        GilDropRequestEvent request = new GilDropRequestEvent();
        request.gil = jfrName;
        ThreadState h = holder;
        request.holder = h == null ? "" : h.thread.getName();
        request.commit();
      }
    }
  }

  /** RESET_GIL_DROP_REQUEST. Called under mutex. */
  private void resetDropRequest() {
    if (dropRequest) {
      dropRequest = false;
      PENDING_DROP_REQUESTS.getAndAdd(-1);
    }
  }

  /**
   * Returns a snapshot of this GIL's counters. Cheap (one short mutex hold); may be called
   * by any thread at any time.
   *
   * @return an immutable snapshot of the counters
   */
  public GilStats stats() {
    mutex.lock();
    try {
      // Holds and releasing(..) calls in progress count up to now.
      long now = System.nanoTime();
      long held = totalHeldNanos;
      List<GilStats.ThreadTimes> threads = new ArrayList<>(timesByThread.size());
      for (ThreadTimes t : timesByThread.values()) {
        long current = t.holding || t.releasing ? now - t.since : 0L;
        if (t.holding) {
          held += current;
        }
        threads.add(new GilStats.ThreadTimes(t.threadId, t.threadName,
            Duration.ofNanos(t.heldNanos + (t.holding ? current : 0L)),
            Duration.ofNanos(t.waitedNanos),
            Duration.ofNanos(t.releasedNanos + (t.releasing ? current : 0L))));
      }
      return new GilStats(acquisitions, switchNumber, dropRequests, forcedDrops,
          Duration.ofNanos(totalWaitNanos), Duration.ofNanos(maxWaitNanos),
          Duration.ofNanos(held), threads);
    } finally {
      mutex.unlock();
    }
  }

  /**
   * Returns a snapshot of the trace: the most recent acquisitions, releases and drop
   * requests, oldest first. Empty if this GIL was built without
   * {@link Builder#trace(boolean) trace(true)}. A free-threaded GIL built with it records
   * acquisitions and releases (no drop requests: nobody waits for it), so that its timeline
   * shows the threads running at once.
   *
   * @return an immutable snapshot of the traced events
   */
  public GilTrace trace() {
    if (trace == null) {
      return GilTrace.EMPTY;
    }
    mutex.lock();
    try {
      return trace.snapshot();
    } finally {
      mutex.unlock();
    }
  }

  /**
   * Returns the switch interval: how long a waiter waits before asking the holder to
   * drop the GIL.
   *
   * @return the switch interval
   */
  public Duration switchInterval() {
    return Duration.ofNanos(intervalNanos);
  }

  /**
   * Returns whether this GIL is free-threaded (made by {@link #freeThreaded()}).
   *
   * @return {@code true} if acquiring this GIL never excludes other threads
   */
  public boolean isFreeThreaded() {
    return freeThreaded;
  }

  /**
   * Returns whether a holder that honours a drop request waits until another thread has
   * taken the GIL ({@code FORCE_SWITCHING}).
   *
   * @return {@code true} if forced switching is on
   */
  public boolean isForceSwitching() {
    return forceSwitching;
  }

  /**
   * Returns whether a thread back from {@link #releasing(CheckedCallable)} asks for the GIL at
   * once and is woken before CPU-bound waiters (see {@link Builder#ioPriority(boolean)}).
   *
   * @return {@code true} if I/O priority is on
   */
  public boolean isIoPriority() {
    return ioPriority;
  }

  // ---- package-private hooks for GilExecutor and tests ----

  /** Returns the Gil the current thread holds, or null. */
  static @Nullable Gil heldByCurrentThread() {
    return STATE.get().gil;
  }

  /**
   * Drops every hold of the Gil the current thread holds, if any, until the returned handle
   * is closed, which takes it back as the end of {@link #releasing(CheckedCallable)} does.
   * The try-with-resources form of {@code releasing}, for a blocking call that throws more
   * than one checked exception (GilExecutor's waits).
   */
  static Released releaseCurrent() {
    ThreadState ts = STATE.get();
    Gil gil = ts.gil;
    return new Released(gil, ts, gil == null ? 0 : gil.beginAllowThreads(ts));
  }

  /** The GIL and hold count {@link #releaseCurrent()} gave up; closing takes them back. */
  static final class Released implements AutoCloseable {
    private final @Nullable Gil gil;
    private final ThreadState ts;
    private final int holds;

    private Released(@Nullable Gil gil, ThreadState ts, int holds) {
      this.gil = gil;
      this.ts = ts;
      this.holds = holds;
    }

    @Override
    public void close() {
      if (gil != null) {
        gil.endAllowThreads(ts, holds);
      }
    }
  }

  /** Releases every hold of the current thread; returns how many there were (0 if none). */
  int releaseFully() {
    ThreadState ts = STATE.get();
    if (ts.gil != this) {
      return 0;
    }
    int holds = ts.holds;
    ts.holds = 1;
    release();
    return holds;
  }

  /** Number of threads waiting in take_gil. */
  int waiters() {
    mutex.lock();
    try {
      return waiters;
    } finally {
      mutex.unlock();
    }
  }

  boolean isDropRequested() {
    return dropRequest;
  }

  /**
   * Returns a description of this GIL: its mode, switch interval, holder and number of
   * waiters.
   *
   * @return a string describing this GIL
   */
  @Override
  public String toString() {
    String id = "Gil@" + Integer.toHexString(System.identityHashCode(this));
    if (freeThreaded) {
      return id + "[free-threaded]";
    }
    mutex.lock();
    try {
      return id + "[interval=" + switchInterval().toNanos() / 1000 + "us"
          + (holder == null ? ", unheld" : ", held by " + holder.thread.getName())
          + ", waiters=" + waiters + "]";
    } finally {
      mutex.unlock();
    }
  }

  /**
   * A builder of {@link Gil}s. Not thread-safe; each {@link #build()} returns a new GIL.
   */
  public static final class Builder {
    private long intervalNanos = DEFAULT_SWITCH_INTERVAL.toNanos();
    private boolean forceSwitching = true;
    private boolean ioPriority;
    private boolean trace;
    private int traceCapacity = DEFAULT_TRACE_CAPACITY;
    private boolean freeThreaded;

    private Builder() {
    }

    /**
     * Sets the switch interval ({@code sys.setswitchinterval}); default 5 ms.
     *
     * @param interval how long a waiter waits before asking the holder to drop the GIL
     * @return this builder
     * @throws NullPointerException if {@code interval} is null
     * @throws IllegalArgumentException if {@code interval} is zero or negative
     */
    @CanIgnoreReturnValue
    public Builder switchInterval(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.isZero() || interval.isNegative()) {
        throw new IllegalArgumentException("switch interval must be positive: " + interval);
      }
      this.intervalNanos = TimeUnit.NANOSECONDS.convert(interval);
      return this;
    }

    /**
     * Sets the switch interval in the given unit; default 5 ms.
     *
     * @param interval how long a waiter waits before asking the holder to drop the GIL
     * @param unit the unit of {@code interval}
     * @return this builder
     * @throws NullPointerException if {@code unit} is null
     * @throws IllegalArgumentException if {@code interval} is zero or negative
     */
    @CanIgnoreReturnValue
    public Builder switchInterval(long interval, TimeUnit unit) {
      Objects.requireNonNull(unit, "unit");
      if (interval <= 0) {
        throw new IllegalArgumentException("switch interval must be positive: " + interval);
      }
      this.intervalNanos = unit.toNanos(interval);
      return this;
    }

    /**
     * Sets whether a holder that honours a drop request waits until another thread has
     * taken the GIL ({@code FORCE_SWITCHING}, on by default in CPython and here).
     * Without it, a dropping thread often takes the GIL straight back on a multi-core
     * machine and time slices grow longer than the interval.
     *
     * @param forceSwitching whether to force switching
     * @return this builder
     */
    @CanIgnoreReturnValue
    public Builder forceSwitching(boolean forceSwitching) {
      this.forceSwitching = forceSwitching;
      return this;
    }

    /**
     * Sets whether threads coming back from a blocking call get the GIL first: David Beazley's
     * proposed fix for the convoy effect (bpo-7946), which CPython did not adopt; off by
     * default. A thread that returns from {@link Gil#releasing(CheckedCallable)} and finds the
     * GIL held asks the holder to drop it at once, without waiting a switch interval, and
     * when the GIL is dropped it is woken before threads that waited for it otherwise
     * (CPU-bound threads taking turns). An I/O-bound thread then loses microseconds per
     * blocking call instead of a switch interval, and CPU-bound threads run while it blocks.
     *
     * @param ioPriority whether threads back from a blocking call get the GIL first
     * @return this builder
     */
    @CanIgnoreReturnValue
    public Builder ioPriority(boolean ioPriority) {
      this.ioPriority = ioPriority;
      return this;
    }

    /**
     * Sets whether to keep a bounded trace of acquisitions, releases and drop requests,
     * read with {@link Gil#trace()}; off by default.
     *
     * @param trace whether to trace
     * @return this builder
     */
    @CanIgnoreReturnValue
    public Builder trace(boolean trace) {
      this.trace = trace;
      return this;
    }

    /**
     * Sets how many of the most recent events the trace keeps; default
     * {@value Gil#DEFAULT_TRACE_CAPACITY}. Only used with {@link #trace(boolean) trace(true)}.
     *
     * @param capacity the number of events kept
     * @return this builder
     * @throws IllegalArgumentException if {@code capacity} is less than 1
     */
    @CanIgnoreReturnValue
    public Builder traceCapacity(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("trace capacity must be at least 1: " + capacity);
      }
      this.traceCapacity = capacity;
      return this;
    }

    /**
     * Sets whether the GIL is free-threaded (PEP 703), as {@link Gil#freeThreaded()} makes
     * it; off by default. A free-threaded GIL ignores the switch interval and forced
     * switching, and honours {@link #trace(boolean)} and {@link #traceCapacity(int)}.
     *
     * @param freeThreaded whether acquiring the GIL never excludes other threads
     * @return this builder
     */
    @CanIgnoreReturnValue
    public Builder freeThreaded(boolean freeThreaded) {
      this.freeThreaded = freeThreaded;
      return this;
    }

    /**
     * Returns a new GIL with this builder's settings.
     *
     * @return a new, unheld {@code Gil}
     */
    public Gil build() {
      return new Gil(this);
    }

  }
}
