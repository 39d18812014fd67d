package io.github.gilpatterns.queue;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import io.github.gilpatterns.jfr.JoinableQueueJoinEvent;
import io.github.gilpatterns.join.Joinable;
import io.github.gilpatterns.join.Lifecycle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.AbstractQueue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A FIFO {@link BlockingQueue} that also counts <em>unfinished tasks</em>, so that a producer can
 * wait until every element it inserted has been taken <em>and processed</em>: Python's
 * {@code queue.Queue}, with {@code task_done()}, {@code join()} and Python 3.13's
 * {@code shutdown(immediate)}.
 *
 * <p><b>Tasks.</b> Every successful insertion ({@link #put put}, {@link #offer(Object) offer},
 * {@link #add add}, ...) adds one unfinished task. A consumer that has taken an element and
 * finished working on it calls {@link #taskDone()}, which removes one. {@link #join()} blocks
 * until the count is zero, that is, until every element ever inserted has been taken and
 * reported done. Calling {@code taskDone()} more often than elements were inserted throws
 * {@link IllegalStateException} and changes nothing. Taking an element ({@code take},
 * {@code poll}, {@code remove()}, {@code drainTo}) does <em>not</em> finish its task: the taker
 * still owes a {@code taskDone()}.
 *
 * <p><b>Removal without taking.</b> An element removed by {@link #remove(Object)},
 * {@link #clear()}, {@link #removeIf removeIf}, {@link #removeAll removeAll},
 * {@link #retainAll retainAll}, an iterator's {@link Iterator#remove() remove} or
 * {@link #shutdownNow()} is discarded: no consumer will ever see it, so nobody could call
 * {@code taskDone()} for it. Those methods therefore finish one task per discarded element
 * themselves (never taking the count below zero, as Python's {@code shutdown(immediate=True)}
 * does), and {@code join()} is not left waiting for work that will never be done.
 *
 * <p><b>Shutdown.</b> After {@link #shutdown()} every insertion throws
 * {@link QueueShutdownException}; takers keep receiving the elements already queued, and once the
 * queue is empty {@link #take()} throws {@code QueueShutdownException} while {@link #poll()} and
 * {@link #poll(long, TimeUnit)} return {@code null} at once. Threads blocked in {@code put} or
 * {@code offer(e, timeout, unit)} wake and throw; threads blocked in {@code take} or
 * {@code poll(timeout, unit)} wake and take what is left or end as just described.
 * {@link #shutdownNow()} additionally discards the queued elements and returns them. Shutdown
 * does not end {@code join()}: a joiner still waits for the tasks that are taken but not done
 * (as in Python). Shutting down is permanent and may be repeated; {@code shutdown()} after
 * {@code shutdownNow()} or the other way round is allowed.
 *
 * <p><b>Termination.</b> The queue has the library's one {@link Lifecycle} contract, with
 * tasks (elements inserted and not yet reported done) as its work and its consumers as the
 * threads: {@link #shutdown()} and {@link #shutdownNow()} as above; it is
 * {@linkplain #isTerminated() terminated} once it is shut down and no task is unfinished;
 * {@link #awaitTermination(long, TimeUnit) awaitTermination} waits for that; and
 * {@link #close()} (so a queue can be a try-with-resources resource) shuts down and waits, and
 * when interrupted discards the queued elements, reporting how many, as the contract says.
 * {@link #join()} is the {@link Joinable} contract's. Every method that waits takes its timeout
 * as a {@link Duration} or as a {@code long} and a {@link TimeUnit}. The queue's
 * {@linkplain #name() name}, given to its {@linkplain #builder() builder}, appears in reports.
 *
 * <p><b>Capacity.</b> {@link #bounded(int)} queues hold at most {@code capacity} elements and
 * make {@code put} wait for room; {@link #unbounded()} queues never make {@code put} wait (their
 * capacity is {@link Integer#MAX_VALUE}, as for {@link java.util.concurrent.LinkedBlockingQueue}).
 * {@code null} elements are rejected with {@link NullPointerException}. Negative timeouts mean
 * "do not wait", as everywhere in {@code java.util.concurrent} (Python raises
 * {@code ValueError} instead).
 *
 * <p><b>Atomicity.</b> Each operation on one element ({@code put}, {@code offer}, {@code add},
 * {@code take}, {@code poll}, {@code peek}, {@code element}, {@code remove()},
 * {@link #remove(Object)}, {@link #contains contains}), each query of the state
 * ({@link #size()}, {@link #isEmpty()}, {@link #remainingCapacity()},
 * {@link #unfinishedTasks()}, {@link #isShutdown()}), {@link #taskDone()}, {@link #clear()},
 * {@link #shutdown()}, {@link #shutdownNow()}, {@code toArray} and {@code toString} take effect
 * atomically at one instant between their call and their return: the queue is
 * <em>linearizable</em>, so that, for example, a thread whose {@code taskDone()} succeeded and
 * which then finds the queue empty knows that the element of that task had been inserted and
 * taken, and a thread that sees {@code isShutdown()} after {@code shutdownNow()} sees the
 * queue empty. The exceptions, <em>weakly consistent</em> as in
 * {@link java.util.concurrent.ConcurrentLinkedQueue}: iterators and spliterators never throw
 * {@link java.util.ConcurrentModificationException}, return each element at most once, and
 * reflect the elements present when the iterator was created and possibly some later changes
 * (they visit the list one node at a time, and a queue changing under them has no single
 * instant to report); the bulk operations inherited from
 * {@link java.util.AbstractCollection} ({@code addAll}, {@code containsAll},
 * {@code removeAll}, {@code retainAll}, {@code removeIf}) are one step per element, not one
 * step in all; and {@link #drainTo(Collection, int) drainTo} removes its elements from this
 * queue in one step but adds them to the target collection one at a time, before that step.
 *
 * <p>Usage: a producer hands work to a few workers and waits until all of it is done.
 * <pre> {@code
 * JoinableQueue<Path> queue = JoinableQueue.unbounded();
 * Runnable worker = () -> {
 *   try {
 *     while (true) {
 *       Path file = queue.take();    // throws QueueShutdownException when shut down and empty
 *       try {
 *         process(file);
 *       } finally {
 *         queue.taskDone();
 *       }
 *     }
 *   } catch (InterruptedException | QueueShutdownException e) {
 *     // exit
 *   }
 * };
 * for (int i = 0; i < 4; i++) new Thread(worker).start();
 * for (Path file : files) queue.put(file);
 * queue.join();                       // every file has been processed
 * queue.shutdown();                   // the workers exit
 * }</pre>
 *
 * <p><b>Flight Recorder.</b> Under a JDK Flight Recorder recording that enables it, a
 * {@link #join()} (or {@code awaitTermination}) that has to wait commits an
 * {@code io.github.gilpatterns.JoinableQueueJoin} event: the wait as its duration, the
 * unfinished tasks when it began, and whether it ended with none left. A join that returns at
 * once commits nothing.
 *
 * <p><b>Memory consistency effects:</b> actions in a thread prior to placing an object into a
 * {@code JoinableQueue} happen-before actions subsequent to the access or removal of that
 * object from the queue in another thread; actions in a thread prior to calling
 * {@code taskDone()} (or discarding elements by the removal methods above) happen-before
 * actions following a successful return from {@code join()} in another thread; and actions
 * prior to {@code taskDone()}, a discard, {@code shutdown()} or {@code shutdownNow()}
 * happen-before actions following {@code isTerminated()} or {@code awaitTermination}
 * returning {@code true}, or {@code close()} returning, in another thread.
 *
 * @param <E> the type of elements held in this queue
 */
public final class JoinableQueue<E> extends JoinableQueuePad3<E>
        implements BlockingQueue<E>, Lifecycle<E>, Joinable {

    /*
     * Implementation overview
     *
     * The element store is the two-lock linked queue of Michael & Scott ("Simple, Fast, and
     * Practical Non-Blocking and Blocking Concurrent Queue Algorithms", PODC 1996), in the form
     * java.util.concurrent.LinkedBlockingQueue uses: a singly linked list with a dummy head,
     * putLock guarding the tail (`last`) and takeLock guarding the head. Signals follow
     * LinkedBlockingQueue's cascading scheme: a put that makes the queue non-empty signals
     * notEmpty (taking takeLock briefly), a take that makes a full queue non-full signals
     * notFull, and each side passes a signal on to the next waiter of its own kind while
     * room/elements remain.
     *
     * Node life cycle: a queued node has a non-null item. Taking a node makes it the new dummy
     * head (item nulled) and self-links the old head (h.next == h) to help the GC; unlinking a
     * node from the middle (remove(Object), iterator remove) nulls its item but leaves its next
     * pointer, so an iterator standing on it can still move on. An iterator that finds a
     * self-link restarts at head.next: everything it skipped was taken.
     *
     * The state: one 64-bit word. Where LinkedBlockingQueue has an AtomicInteger count, this
     * queue has `ctl`, which packs everything a lock-free reader may ask about:
     *
     *   ctl = tasks << 33 | REBALANCING << 32 | SHUTDOWN << 31 | count
     *
     *   count (31 bits)  queued elements, at most capacity <= Integer.MAX_VALUE;
     *   SHUTDOWN         set once, by shutdown()/shutdownNow();
     *   REBALANCING      a putLock holder is moving tasks between ctl and `spareTasks`;
     *   tasks (31 bits)  unfinished tasks, or the part of them that is not in spareTasks.
     *
     * Every change of ctl is one atomic read-modify-write, and each operation's change is its
     * linearization point:
     *   insert (under putLock, after linking the node)  getAndAdd(1 + ONE_TASK)
     *   take/poll (under takeLock, after unlinking)      getAndAdd(-1)
     *   drainTo n (under takeLock)                       getAndAdd(-n)
     *   taskDone                                         CAS tasks -> tasks - 1, if tasks > 0
     *   shutdown (under putLock)                         CAS setting SHUTDOWN
     *   discarding n (under both locks; remove(Object),  CAS count -> count - n,
     *     clear, iterator remove, shutdownNow)             tasks -> tasks - min(tasks, n),
     *                                                      and SHUTDOWN for shutdownNow
     * so an element and its task appear together, shutdownNow() empties the queue, finishes
     * the tasks and shuts down together, and size(), isEmpty(), remainingCapacity() and
     * isShutdown() are one volatile read each (unfinishedTasks() reads spareTasks too, see
     * below). The checks before an update stay valid until it: under putLock, count and tasks
     * can only fall and SHUTDOWN cannot change (every writer of SHUTDOWN and every raiser of
     * count or tasks holds putLock), so an insert may check and then add without a CAS, as
     * LinkedBlockingQueue does; under takeLock, count can only rise. The count of a taken but
     * unfinished task lives in the same word as the count of queued elements, so taskDone()
     * writes the word that puts and takes write: one more atomic update on that cache line per
     * element, where LinkedBlockingQueue has two (JoinableQueueBenchmark in the benchmarks
     * module measures what it costs).
     *
     * Happens-before: every write of ctl is a read-modify-write, so a thread that reads ctl
     * synchronizes with every earlier writer through that chain; in particular join()'s read
     * of a zero task count happens-after every taskDone().
     *
     * Tasks beyond 31 bits. A queue used as a plain BlockingQueue (no taskDone() ever, say as a
     * ThreadPoolExecutor's work queue) accumulates unfinished tasks without bound, and 2^31 of
     * them take minutes at full speed, so tasks overflow into `spareTasks`: a multiple of
     * CHUNK = 2^29 (the unfinished count is tasks + spare), with a version number in its low 29
     * bits. spareTasks is written only by a putLock holder while REBALANCING is set. rebalance()
     * sets REBALANCING (with the count and SHUTDOWN changes of a discard, in the same CAS: that
     * is the discard's linearization point), computes the exact total, stores the new spare
     * (version + 1) and clears REBALANCING, storing the rest in tasks: below 2 * CHUNK all of
     * it, otherwise between CHUNK and 2 * CHUNK, so that the next rebalance is at least 2^29
     * tasks away in either direction. It runs when an insert finds tasks at its maximum, when
     * taskDone() finds tasks at zero and spare not, and when a discard removes more elements
     * than tasks holds while spare is not zero. While REBALANCING is set, taskDone() and the
     * readers of the unfinished count wait (spin, then yield, then park 50 us; the holder
     * runs only a few instructions, no allocation); puts are excluded by putLock, and takes and
     * the readers of count and SHUTDOWN go on, which is why count and SHUTDOWN change with the
     * first CAS and only the task count is held back. A reader of the unfinished count reads
     * spare, ctl, spare: equal spares (the version excludes a rebalance there and back) and no
     * REBALANCING in ctl give the exact count at the instant of the ctl read.
     *
     * Shutdown. Insertions check SHUTDOWN under putLock, before and after every wait for room.
     * shutdown() sets it under putLock and signalAll()s notFull, then signalAll()s notEmpty
     * under takeLock. A taker reads ctl under takeLock: count != 0 -> take; else SHUTDOWN ->
     * end (both from the same read, so a shut-down empty queue is final); else wait. Since the
     * taker holds takeLock between its read and its wait, and shutdown() signals under
     * takeLock after setting the bit, no taker can sleep through shutdown.
     *
     * Joiners. join() waits on allTasksDone (a condition of joinLock) until the unfinished
     * count is zero. A thread whose update took tasks to zero signals allTasksDone only if
     * `joiners` (volatile, changed under joinLock) is non-zero. That is a Dekker-style
     * handshake: the joiner writes `joiners` and then reads ctl; the completer updates ctl and
     * then reads `joiners`; all volatile, so at least one sees the other. The joiner holds
     * joinLock from its write of `joiners` until it waits, so the signal cannot fall in
     * between. A signal after tasks reached zero with spare non-zero is spurious and harmless:
     * the joiner re-checks. The fast path never touches joinLock. awaitTermination() and
     * close() wait the same way for "no task and SHUTDOWN", so shutdown() and shutdownNow()
     * signal too when they find no task; a join() woken by that re-checks and waits on, as
     * Python's join() does across shutdown(immediate=False).
     *
     * Field layout: `last` (producers), `head` (consumers), `ctl` (both) and the read-mostly
     * fields of this class sit in separate superclasses with 128 bytes of padding between
     * them (JCTools' technique: HotSpot lays superclass fields out first), against false
     * sharing. See the package documentation for the accessor names.
     *
     * Lock order: putLock before takeLock (fullyLock); joinLock is innermost and never held
     * while acquiring another lock.
     */

    /** The capacity bound, {@code Integer.MAX_VALUE} if unbounded. */
    private final int capacity;
    private final String name;
    private static final AtomicLong QUEUE_NUMBERS = new AtomicLong();

    /** Held by take, poll, peek, drainTo. */
    private final ReentrantLock takeLock = new ReentrantLock();

    /** Wait queue for waiting takes. */
    private final Condition notEmpty = takeLock.newCondition();

    /** Held by put, offer, and by whoever rebalances the task count. */
    private final ReentrantLock putLock = new ReentrantLock();

    /** Wait queue for waiting puts. */
    private final Condition notFull = putLock.newCondition();

    /** Held by joiners while they check and wait, and by whoever signals them. */
    private final ReentrantLock joinLock = new ReentrantLock();

    /** Wait queue for join(). */
    private final Condition allTasksDone = joinLock.newCondition();

    /** Number of threads inside join()'s locked region. Written under joinLock. */
    private volatile int joiners;

    /**
     * Unfinished tasks beyond those in {@code ctl}: a multiple of {@link #CHUNK}, plus a version
     * number in the bits below it. Written only under putLock while {@code REBALANCING} is set.
     */
    private volatile long spareTasks;

    private JoinableQueue(int capacity) {
        this(capacity, "JoinableQueue-" + QUEUE_NUMBERS.getAndIncrement());
    }

    private JoinableQueue(int capacity, String name) {
        this.capacity = capacity;
        this.name = name;
        last = head = new Node<>(null);
    }

    /**
     * A queue that starts with {@code tasksInCtl + spare} unfinished tasks and no element, held
     * as given (not rebalanced), so that tests reach the task overflow without 2^31 insertions.
     */
    JoinableQueue(int capacity, long tasksInCtl, long spare) {
        this(capacity);
        if (tasksInCtl < 0 || tasksInCtl > MAX_CTL_TASKS || spare < 0 || spare % CHUNK != 0) {
            throw new IllegalArgumentException(tasksInCtl + " + " + spare);
        }
        getAndAddCtl(tasksInCtl << TASK_SHIFT);
        spareTasks = spare;
    }

    /**
     * Creates a queue with no capacity bound (strictly, a bound of {@link Integer#MAX_VALUE}
     * elements): {@link #put put} never blocks. This is Python's {@code queue.Queue()}.
     *
     * @param <E> the type of elements held in the queue
     * @return a new, empty, unbounded queue
     */
    public static <E> JoinableQueue<E> unbounded() {
        return new JoinableQueue<>(Integer.MAX_VALUE);
    }

    /**
     * Creates a queue that holds at most {@code capacity} elements: {@link #put put} blocks while
     * it is full and {@link #offer(Object) offer} returns {@code false}. This is Python's
     * {@code queue.Queue(maxsize)}.
     *
     * @param <E> the type of elements held in the queue
     * @param capacity the maximum number of queued elements
     * @return a new, empty, bounded queue
     * @throws IllegalArgumentException if {@code capacity} is less than 1
     */
    public static <E> JoinableQueue<E> bounded(int capacity) {
        return new JoinableQueue<>(checkCapacity(capacity));
    }

    private static int checkCapacity(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        return capacity;
    }

    /**
     * Returns a builder of queues, for a queue with a name of its own.
     *
     * @return a new builder with the defaults: name {@code JoinableQueue-N}, unbounded
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder of {@link JoinableQueue}s. Not thread-safe; each {@link #build()} makes a new
     * queue. A setter that throws changes nothing.
     */
    public static final class Builder {
        private @Nullable String name;
        private int capacity = Integer.MAX_VALUE;

        private Builder() {}

        /**
         * Sets the queue's name, which its reports show (default {@code JoinableQueue-N}).
         *
         * @param name the name
         * @return this builder
         * @throws NullPointerException if {@code name} is null
         */
        @CanIgnoreReturnValue
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Bounds the queue to {@code capacity} elements, as {@link JoinableQueue#bounded(int)}
         * does (default: unbounded).
         *
         * @param capacity the maximum number of queued elements
         * @return this builder
         * @throws IllegalArgumentException if {@code capacity} is less than 1
         */
        @CanIgnoreReturnValue
        public Builder capacity(int capacity) {
            this.capacity = checkCapacity(capacity);
            return this;
        }

        /**
         * Makes a new, empty queue with this builder's settings.
         *
         * @param <E> the type of elements held in the queue
         * @return a new queue
         */
        public <E> JoinableQueue<E> build() {
            String n = name;
            return n == null ? new JoinableQueue<>(capacity) : new JoinableQueue<>(capacity, n);
        }
    }

    /**
     * Returns this queue's name, given to its {@linkplain #builder() builder}, or
     * {@code JoinableQueue-N}.
     *
     * @return the name
     */
    @Override
    public String name() {
        return name;
    }

    // ---------------------------------------------------------------------------------------
    // Tasks

    /**
     * Reports that one formerly inserted task is complete (Python's {@code task_done()}).
     * Consumers call it once for each element they took, after they have finished processing
     * it; when the count of unfinished tasks reaches zero, threads blocked in {@link #join()}
     * return. Any thread may call it. It takes effect atomically: a call that returns has
     * finished a task that was unfinished at that instant; it ends by returning or by
     * {@link IllegalStateException}. Actions prior to it happen-before actions following a
     * {@code join()}, {@code awaitTermination} or {@code close()} that it releases.
     *
     * <p>IMPLEMENTATION NOTES: lock-free (one CAS on the word that holds the element and task
     * counts); it takes the join lock briefly only when the count reaches zero while a thread
     * is joining, and the put lock only once per 2<sup>29</sup> or more tasks, to rebalance a
     * task count beyond 2<sup>31</sup>.
     *
     * @throws IllegalStateException if there are no unfinished tasks ("taskDone() called too
     *     many times"); the count is left unchanged
     */
    public void taskDone() {
        long c = lvCtl();
        // fast path: a task in ctl and no rebalance under way
        if ((c & REBALANCING) == 0L && (c >>> TASK_SHIFT) != 0L && casCtl(c, c - ONE_TASK)) {
            if ((c >>> TASK_SHIFT) == 1L) {
                signalJoiners();
            }
            return;
        }
        taskDoneSlow();
    }

    /** {@link #taskDone()} after a failed CAS, with no task in ctl, or during a rebalance. */
    private void taskDoneSlow() {
        for (int round = 0; ; ) {
            long c = lvCtl();
            if ((c & REBALANCING) != 0L) {
                backOff(round++);
            } else if ((c >>> TASK_SHIFT) != 0L) {
                if (casCtl(c, c - ONE_TASK)) {
                    if ((c >>> TASK_SHIFT) == 1L) {
                        signalJoiners();
                    }
                    return;
                }
            } else if (unfinished(false) == 0L) {
                throw new IllegalStateException("taskDone() called too many times");
            } else {
                // ctl holds no task but spareTasks does: move some into ctl, then retry
                final ReentrantLock putLock = this.putLock;
                putLock.lock();
                try {
                    if ((lvCtl() >>> TASK_SHIFT) == 0L && (spareTasks & ~VERSION_MASK) != 0L) {
                        rebalance(0, 0L);
                    }
                } finally {
                    putLock.unlock();
                }
            }
        }
    }

    /**
     * Blocks until every inserted element has been taken and reported done with
     * {@link #taskDone()} (or discarded), that is, until {@link #unfinishedTasks()} is zero
     * (Python's {@code join()}). Returns at once if it is zero already. Shutdown does not end
     * the wait.
     *
     * <p>Any thread may call it, except a consumer that owes a {@code taskDone()} for an element it
     * took (it would wait for itself). It blocks on a condition that the {@code taskDone()} or
     * discard taking the count to zero signals; it ends by returning once the count is zero (at
     * an instant during the call), or by {@link InterruptedException}. Shutdown does not end it.
     * Actions prior to every {@code taskDone()} and discard happen-before its return.
     *
     * @throws InterruptedException if the current thread is interrupted on entry or while
     *     waiting; its interrupt status is cleared
     */
    @Override
    public void join() throws InterruptedException {
        awaitNoUnfinishedTasks(false, false, 0L);
    }

    /**
     * Blocks until {@link #unfinishedTasks()} is zero, as {@link #join()} does, or until the
     * timeout elapses.
     *
     * <p>As {@link #join()}, and it also ends by returning {@code false} when the timeout elapses.
     *
     * @param timeout the longest time to wait, in units of {@code unit}; zero or negative means
     *     do not wait
     * @param unit the unit of {@code timeout}
     * @return {@code true} if the count reached zero, {@code false} if the timeout elapsed first
     * @throws NullPointerException if {@code unit} is null
     * @throws InterruptedException if the current thread is interrupted on entry or while
     *     waiting; its interrupt status is cleared
     */
    @Override
    public boolean join(long timeout, TimeUnit unit) throws InterruptedException {
        return awaitNoUnfinishedTasks(false, true, unit.toNanos(timeout));
    }

    /**
     * Returns the number of unfinished tasks: elements inserted and neither reported done with
     * {@link #taskDone()} nor discarded (Python's {@code unfinished_tasks}): the count at one
     * instant during the call, which other threads may change as soon as it is returned.
     *
     * <p>Any thread may call it. It does not block (it waits out, by spinning, the few instructions
     * of a task-count rebalance, at most once per 2<sup>29</sup> tasks). Actions prior to the
     * {@code taskDone()} calls and insertions it counts happen-before its return.
     *
     * @return the current number of unfinished tasks, never negative
     */
    public long unfinishedTasks() {
        return unfinished(false);
    }

    // ---------------------------------------------------------------------------------------
    // Shutdown

    /**
     * Shuts the queue down (Python 3.13's {@code shutdown(immediate=False)}): once this method
     * returns, every insertion throws {@link QueueShutdownException}. Elements already queued
     * stay and can still be taken; when none are left, {@link #take()} throws
     * {@code QueueShutdownException} and the {@code poll} methods return {@code null} without
     * waiting. Threads blocked in {@code put} or timed {@code offer} wake and throw; threads
     * blocked in {@code take} or timed {@code poll} wake. The unfinished count and
     * {@link #join()} are not affected (a joiner still waits for the tasks that are unfinished,
     * as in Python); if no task is unfinished, the queue is now {@linkplain #isTerminated()
     * terminated}. Calling it again has no further effect.
     *
     * <p>Any thread may call it. It blocks only on the queue's locks, briefly; it takes effect
     * atomically when it sets the shutdown state.
     */
    @Override
    public void shutdown() {
        final ReentrantLock putLock = this.putLock;
        long c;
        putLock.lock();
        try {
            do {
                c = lvCtl();
            } while ((c & SHUTDOWN) == 0L && !casCtl(c, c | SHUTDOWN));
            notFull.signalAll();
        } finally {
            putLock.unlock();
        }
        final ReentrantLock takeLock = this.takeLock;
        takeLock.lock();
        try {
            notEmpty.signalAll();
        } finally {
            takeLock.unlock();
        }
        if ((c >>> TASK_SHIFT) == 0L) {
            signalJoiners(); // the queue may have terminated: wake awaitTermination
        }
    }

    /**
     * Shuts the queue down and discards what it holds (Python 3.13's
     * {@code shutdown(immediate=True)}): as {@link #shutdown()}, and in the same atomic step
     * removes every queued element, so that {@link #take()} throws {@link QueueShutdownException}
     * from now on. The unfinished count is reduced by the number of removed elements, but not
     * below zero, which may release threads blocked in {@link #join()}; tasks that were taken
     * but are not yet done still count, and the queue is {@linkplain #isTerminated()
     * terminated} when none is left. May be called after {@code shutdown()} and repeatedly.
     *
     * <p>Any thread may call it. It holds both of the queue's locks while it removes the
     * elements, and takes effect atomically: no thread sees the queue shut down but not empty,
     * or empty but with the discarded tasks unfinished.
     *
     * <p>It ends by returning; actions prior to it happen-before actions following
     * {@link #isTerminated()} or {@code awaitTermination} returning {@code true} in another thread.
     *
     * @return the elements that were queued, in queue order (empty if there were none)
     */
    @CanIgnoreReturnValue
    @Override
    public List<E> shutdownNow() {
        List<E> drained = new ArrayList<>();
        boolean noTasks;
        fullyLock();
        try {
            Node<E> h = head;
            for (Node<E> p; (p = h.next) != null; h = p) {
                drained.add(p.item);
                p.item = null;
                h.next = h;
            }
            head = last;
            noTasks = discard(drained.size(), SHUTDOWN);
            notFull.signalAll();
            notEmpty.signalAll();
        } finally {
            fullyUnlock();
        }
        if (noTasks) {
            signalJoiners();
        }
        return drained;
    }

    /**
     * Returns whether {@link #shutdown()} or {@link #shutdownNow()} has been called (Python's
     * {@code is_shutdown}).
     *
     * <p>Any thread may call it; it is one volatile read and never blocks. Actions prior to
     * {@code shutdown()} or {@code shutdownNow()} happen-before actions following a {@code true}
     * result.
     *
     * @return {@code true} if this queue has been shut down
     */
    @Override
    public boolean isShutdown() {
        return (lvCtl() & SHUTDOWN) != 0L;
    }

    /**
     * Returns whether this queue is shut down and has no unfinished task: every accepted
     * element has been taken and reported done with {@link #taskDone()}, or discarded
     * ({@link ExecutorService#isTerminated()}'s meaning, with tasks for the executor's tasks).
     * Once true it stays true, since a shut-down queue accepts no new task. Like
     * {@link #join()} it counts tasks, not elements: if consumers called {@code taskDone()}
     * ahead of their takes, elements may still be queued.
     *
     * <p>Any thread may call it; it does not block (it waits out, by spinning, the few
     * instructions of a task-count rebalance, at most once per 2<sup>29</sup> tasks). It reads
     * the shutdown state and the unfinished count at one instant.
     *
     * @return {@code true} if this queue is shut down and no task is unfinished
     */
    @Override
    public boolean isTerminated() {
        return unfinished(true) == 0L;
    }

    /**
     * Blocks until this queue is {@linkplain #isTerminated() terminated}: shut down and no task
     * unfinished; or until the timeout elapses, or the current thread is interrupted
     * ({@link ExecutorService#awaitTermination}). It does not shut the queue down; call
     * {@link #shutdown()} first, or use {@link #close()}.
     *
     * <p>Any thread may call it, except a consumer that owes a {@code taskDone()}. It blocks on
     * a condition that the last {@link #taskDone()} (or a discard, or the shutdown of a queue
     * with no unfinished task) signals. Actions prior to every {@code taskDone()}, discard and
     * shutdown happen-before actions following a {@code true} result.
     *
     * @param timeout the longest time to wait, in units of {@code unit}; zero or negative means
     *     check without waiting
     * @param unit the unit of {@code timeout}
     * @return {@code true} if this queue terminated, {@code false} if the timeout elapsed first
     * @throws NullPointerException if {@code unit} is null
     * @throws InterruptedException if the current thread is interrupted on entry or while
     *     waiting; its interrupt status is cleared
     */
    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return awaitNoUnfinishedTasks(true, true, unit.toNanos(timeout));
    }

    // ---------------------------------------------------------------------------------------
    // Insertion

    /**
     * Inserts the element at the tail, waiting if necessary for room (Python's
     * {@code put(item)}), and adds one unfinished task.
     *
     * <p>Any thread may call it. It blocks on the queue's put lock and, while the queue is full, on
     * a condition that takes signal; it ends by returning (inserted), by
     * {@link QueueShutdownException} (shut down on entry or while waiting; nothing inserted), or by
     * {@link InterruptedException} (interrupted on entry or while waiting; nothing inserted,
     * interrupt status cleared). Actions prior to it happen-before the access or removal of the
     * element in another thread.
     *
     * @param e the element to insert
     * @throws NullPointerException if {@code e} is null
     * @throws QueueShutdownException if the queue is shut down, on entry or while waiting
     * @throws InterruptedException if interrupted while waiting; nothing is inserted
     */
    @Override
    public void put(E e) throws InterruptedException {
        Objects.requireNonNull(e, "element");
        final Node<E> node = new Node<>(e);
        final ReentrantLock putLock = this.putLock;
        final long c;
        putLock.lockInterruptibly();
        try {
            long s;
            while (roomIfOpen(s = lvCtl()) == 0L) {
                notFull.await();
            }
            c = insert(node, s);
        } finally {
            putLock.unlock();
        }
        if ((c & COUNT_MASK) == 0L) {
            signalNotEmpty();
        }
    }

    /**
     * Inserts the element at the tail, waiting up to the timeout for room (Python's
     * {@code put(item, timeout=...)}), and adds one unfinished task if it was inserted.
     *
     * <p>Any thread may call it. It blocks on the queue's put lock and, while the queue is full, on
     * a condition that takes signal, for at most the timeout; it ends as {@link #put put} does, or
     * by returning {@code false} when the timeout elapses with no room. Actions prior to a
     * successful call happen-before the access or removal of the element in another thread.
     *
     * @param e the element to insert
     * @param timeout the longest time to wait, in units of {@code unit}; zero or negative means
     *     do not wait
     * @param unit the unit of {@code timeout}
     * @return {@code true} if inserted, {@code false} if the timeout elapsed with no room
     * @throws NullPointerException if {@code e} or {@code unit} is null
     * @throws QueueShutdownException if the queue is shut down, on entry or while waiting
     * @throws InterruptedException if interrupted while waiting; nothing is inserted
     */
    @Override
    public boolean offer(E e, long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(e, "element");
        long nanos = unit.toNanos(timeout);
        final Node<E> node = new Node<>(e);
        final ReentrantLock putLock = this.putLock;
        final long c;
        putLock.lockInterruptibly();
        try {
            long s;
            while (roomIfOpen(s = lvCtl()) == 0L) {
                if (nanos <= 0L) {
                    return false;
                }
                nanos = notFull.awaitNanos(nanos);
            }
            c = insert(node, s);
        } finally {
            putLock.unlock();
        }
        if ((c & COUNT_MASK) == 0L) {
            signalNotEmpty();
        }
        return true;
    }

    /**
     * Inserts the element at the tail, waiting up to the timeout for room, as
     * {@link #offer(Object, long, TimeUnit)} does.
     *
     * @param e the element to insert
     * @param timeout the longest time to wait; zero or negative means do not wait
     * @return {@code true} if inserted, {@code false} if the timeout elapsed with no room
     * @throws NullPointerException if {@code e} or {@code timeout} is null
     * @throws QueueShutdownException if the queue is shut down, on entry or while waiting
     * @throws InterruptedException if interrupted while waiting; nothing is inserted, and the
     *     interrupt status is cleared
     */
    public boolean offer(E e, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        return offer(e, TimeUnit.NANOSECONDS.convert(timeout), TimeUnit.NANOSECONDS);
    }

    /**
     * Inserts the element at the tail if there is room, without waiting (Python's
     * {@code put_nowait(item)}), and adds one unfinished task if it was inserted.
     *
     * <p>Any thread may call it. It never waits for room; it holds the put lock briefly, and not at
     * all when the queue is full or shut down. Actions prior to a successful call happen-before the
     * access or removal of the element in another thread.
     *
     * @param e the element to insert
     * @return {@code true} if inserted, {@code false} if the queue is full
     * @throws NullPointerException if {@code e} is null
     * @throws QueueShutdownException if the queue is shut down (checked before fullness)
     */
    @Override
    public boolean offer(E e) {
        Objects.requireNonNull(e, "element");
        if (roomIfOpen(lvCtl()) == 0L) {
            return false; // full at that instant, and not shut down
        }
        final Node<E> node = new Node<>(e);
        final ReentrantLock putLock = this.putLock;
        final long c;
        putLock.lock();
        try {
            long s = lvCtl();
            if (roomIfOpen(s) == 0L) {
                return false;
            }
            c = insert(node, s);
        } finally {
            putLock.unlock();
        }
        if ((c & COUNT_MASK) == 0L) {
            signalNotEmpty();
        }
        return true;
    }

    /**
     * Inserts the element at the tail if there is room, without waiting, and adds one
     * unfinished task.
     *
     * <p>As {@link #offer(Object)}, with an exception where {@code offer} returns {@code false}.
     *
     * @param e the element to insert
     * @return {@code true} (as specified by {@link Collection#add})
     * @throws NullPointerException if {@code e} is null
     * @throws QueueShutdownException if the queue is shut down
     * @throws IllegalStateException if the queue is full
     */
    @Override
    @CanIgnoreReturnValue
    public boolean add(E e) {
        return super.add(e);
    }

    // ---------------------------------------------------------------------------------------
    // Taking

    /**
     * Removes and returns the head, waiting if necessary for an element (Python's
     * {@code get()}). The element's task stays unfinished until {@link #taskDone()}.
     *
     * <p>Any thread may call it. It blocks on the queue's take lock and, while the queue is empty
     * and open, on a condition that insertions and shutdown signal; it ends by returning the head,
     * by {@link QueueShutdownException} (shut down and empty, on entry or while waiting), or by
     * {@link InterruptedException} (interrupted on entry or while waiting; nothing removed,
     * interrupt status cleared). Actions prior to the insertion of the element happen-before its
     * return.
     *
     * @return the head of the queue
     * @throws QueueShutdownException if the queue is shut down and empty, on entry or while
     *     waiting
     * @throws InterruptedException if interrupted while waiting; nothing is removed
     */
    @Override
    @CanIgnoreReturnValue
    public E take() throws InterruptedException {
        final ReentrantLock takeLock = this.takeLock;
        final E x;
        final long c;
        takeLock.lockInterruptibly();
        try {
            for (long s; ((s = lvCtl()) & COUNT_MASK) == 0L; ) {
                if ((s & SHUTDOWN) != 0L) {
                    throw new QueueShutdownException("queue is shut down and empty");
                }
                notEmpty.await();
            }
            x = dequeue();
            c = getAndAddCtl(-1L);
            if ((c & COUNT_MASK) > 1L) {
                notEmpty.signal();
            }
        } finally {
            takeLock.unlock();
        }
        if ((c & COUNT_MASK) == capacity) {
            signalNotFull();
        }
        return x;
    }

    /**
     * Removes and returns the head, waiting up to the timeout for an element (Python's
     * {@code get(timeout=...)}). Returns {@code null} at once if the queue is shut down and
     * empty. The element's task stays unfinished until {@link #taskDone()}.
     *
     * <p>Any thread may call it. It blocks on the queue's take lock and, while the queue is empty
     * and open, on a condition that insertions and shutdown signal, for at most the timeout; it
     * ends by returning the head, by returning {@code null} (the timeout elapsed, or the queue is
     * shut down and empty), or by {@link InterruptedException} (interrupted on entry or while
     * waiting; nothing removed, interrupt status cleared). Actions prior to the insertion of a
     * returned element happen-before its return.
     *
     * @param timeout the longest time to wait, in units of {@code unit}; zero or negative means
     *     do not wait
     * @param unit the unit of {@code timeout}
     * @return the head of the queue, or {@code null} if the timeout elapsed first or the queue
     *     is shut down and empty
     * @throws NullPointerException if {@code unit} is null
     * @throws InterruptedException if interrupted while waiting; nothing is removed
     */
    @Override
    @CanIgnoreReturnValue
    public @Nullable E poll(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        final ReentrantLock takeLock = this.takeLock;
        final E x;
        final long c;
        takeLock.lockInterruptibly();
        try {
            for (long s; ((s = lvCtl()) & COUNT_MASK) == 0L; ) {
                if ((s & SHUTDOWN) != 0L || nanos <= 0L) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            x = dequeue();
            c = getAndAddCtl(-1L);
            if ((c & COUNT_MASK) > 1L) {
                notEmpty.signal();
            }
        } finally {
            takeLock.unlock();
        }
        if ((c & COUNT_MASK) == capacity) {
            signalNotFull();
        }
        return x;
    }

    /**
     * Removes and returns the head, waiting up to the timeout for an element, as
     * {@link #poll(long, TimeUnit)} does.
     *
     * @param timeout the longest time to wait; zero or negative means do not wait
     * @return the head of the queue, or {@code null} if the timeout elapsed first or the queue
     *     is shut down and empty
     * @throws NullPointerException if {@code timeout} is null
     * @throws InterruptedException if interrupted while waiting; nothing is removed, and the
     *     interrupt status is cleared
     */
    @CanIgnoreReturnValue
    public @Nullable E poll(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        return poll(TimeUnit.NANOSECONDS.convert(timeout), TimeUnit.NANOSECONDS);
    }

    /**
     * Removes and returns the head if there is one, without waiting (Python's
     * {@code get_nowait()}, which raises where this returns {@code null}). The element's task
     * stays unfinished until {@link #taskDone()}.
     *
     * <p>Any thread may call it. It never waits for an element; it holds the take lock briefly, and
     * not at all when the queue is empty. Actions prior to the insertion of a returned element
     * happen-before its return.
     *
     * @return the head of the queue, or {@code null} if it is empty
     */
    @Override
    @CanIgnoreReturnValue
    public @Nullable E poll() {
        if ((lvCtl() & COUNT_MASK) == 0L) {
            return null;
        }
        final ReentrantLock takeLock = this.takeLock;
        final E x;
        final long c;
        takeLock.lock();
        try {
            if ((lvCtl() & COUNT_MASK) == 0L) {
                return null;
            }
            x = dequeue();
            c = getAndAddCtl(-1L);
            if ((c & COUNT_MASK) > 1L) {
                notEmpty.signal();
            }
        } finally {
            takeLock.unlock();
        }
        if ((c & COUNT_MASK) == capacity) {
            signalNotFull();
        }
        return x;
    }

    /**
     * Returns the head without removing it.
     *
     * <p>Any thread may call it; it holds the take lock briefly, and not at all when the queue is
     * empty. Actions prior to the insertion of a returned element happen-before its return.
     *
     * @return the head of the queue, or {@code null} if it is empty
     */
    @Override
    public @Nullable E peek() {
        if ((lvCtl() & COUNT_MASK) == 0L) {
            return null;
        }
        final ReentrantLock takeLock = this.takeLock;
        takeLock.lock();
        try {
            // Re-check under takeLock, as LinkedBlockingQueue.peek does: a node is linked before
            // count says it is there, and only count makes its insertion take effect.
            return (lvCtl() & COUNT_MASK) != 0L ? head.next.item : null;
        } finally {
            takeLock.unlock();
        }
    }

    /**
     * Removes up to {@code maxElements} queued elements, in order, and adds them to {@code c},
     * without waiting. This is a normal take: each transferred element's task stays unfinished
     * until {@link #taskDone()}. If adding to {@code c} throws, the element being added and
     * those after it stay in this queue. Returns 0 on a shut-down empty queue.
     *
     * <p>Any thread may call it; it holds the take lock while it transfers, and never waits for
     * elements. Actions prior to the insertion of each element happen-before its addition to
     * {@code c}.
     *
     * @param c the collection to add the elements to
     * @param maxElements the maximum number of elements to transfer
     * @return the number of elements transferred
     * @throws NullPointerException if {@code c} is null
     * @throws IllegalArgumentException if {@code c} is this queue
     */
    @Override
    @CanIgnoreReturnValue
    public int drainTo(Collection<? super E> c, int maxElements) {
        Objects.requireNonNull(c, "c");
        if (c == this) {
            throw new IllegalArgumentException("cannot drain a queue into itself");
        }
        if (maxElements <= 0) {
            return 0;
        }
        boolean signalNotFull = false;
        final ReentrantLock takeLock = this.takeLock;
        takeLock.lock();
        try {
            int n = (int) Math.min(maxElements, lvCtl() & COUNT_MASK);
            Node<E> h = head;
            int i = 0;
            try {
                while (i < n) {
                    Node<E> p = h.next;
                    c.add(p.item);
                    p.item = null;
                    h.next = h;
                    h = p;
                    i++;
                }
                return n;
            } finally {
                if (i > 0) {
                    head = h;
                    signalNotFull = (getAndAddCtl(-i) & COUNT_MASK) == capacity;
                }
            }
        } finally {
            takeLock.unlock();
            if (signalNotFull) {
                signalNotFull();
            }
        }
    }

    /**
     * Removes all queued elements and adds them to {@code c}, as
     * {@link #drainTo(Collection, int)} with no limit: a normal take, whose tasks stay
     * unfinished until {@link #taskDone()}.
     *
     * @param c the collection to add the elements to
     * @return the number of elements transferred
     * @throws NullPointerException if {@code c} is null
     * @throws IllegalArgumentException if {@code c} is this queue
     */
    @Override
    @CanIgnoreReturnValue
    public int drainTo(Collection<? super E> c) {
        return drainTo(c, Integer.MAX_VALUE);
    }

    // ---------------------------------------------------------------------------------------
    // Size and collection views

    /**
     * Returns the number of queued elements (Python's {@code qsize()}). Taken elements whose
     * tasks are unfinished are not counted; see {@link #unfinishedTasks()}.
     *
     * <p>Any thread may call it; it is one volatile read and never blocks.
     *
     * @return the number of elements in this queue
     */
    @Override
    public int size() {
        return (int) (lvCtl() & COUNT_MASK);
    }

    /**
     * Returns whether no element is queued (Python's {@code empty()}), at one instant during the
     * call. Taken elements whose tasks are unfinished do not count; see {@link #isTerminated()}.
     *
     * <p>Any thread may call it; it is one volatile read and never blocks.
     *
     * @return {@code true} if no element is queued
     */
    @Override
    public boolean isEmpty() {
        return (lvCtl() & COUNT_MASK) == 0L;
    }

    /**
     * Returns how many more elements could be inserted without blocking: 0 once the queue is
     * shut down, {@link Integer#MAX_VALUE} for an unbounded queue, otherwise capacity minus
     * {@link #size()}, all as of one instant during the call. The answer may be stale as soon
     * as it is returned.
     *
     * <p>Any thread may call it; it is one volatile read and never blocks.
     *
     * @return the remaining capacity
     */
    @Override
    public int remainingCapacity() {
        long c = lvCtl();
        if ((c & SHUTDOWN) != 0L) {
            return 0;
        }
        return capacity == Integer.MAX_VALUE ? Integer.MAX_VALUE
                : capacity - (int) (c & COUNT_MASK);
    }

    /**
     * Removes one queued element equal to {@code o}, if there is one, and <em>finishes its
     * task</em> (the count of unfinished tasks drops by one, never below zero): the element is
     * discarded, so no consumer will ever report it done.
     *
     * <p>Any thread may call it; it holds both of the queue's locks while it searches, so it takes
     * effect atomically. Actions prior to it happen-before actions following a {@code join()} it
     * releases.
     *
     * @param o the element to remove
     * @return {@code true} if an element was removed
     */
    @Override
    @CanIgnoreReturnValue
    public boolean remove(@Nullable Object o) {
        if (o == null) {
            return false;
        }
        boolean removed = false;
        boolean noTasks = false;
        fullyLock();
        try {
            for (Node<E> pred = head, p = pred.next; p != null; pred = p, p = p.next) {
                if (o.equals(p.item)) {
                    unlink(p, pred);
                    noTasks = discard(1, 0L);
                    removed = true;
                    break;
                }
            }
        } finally {
            fullyUnlock();
        }
        if (noTasks) {
            signalJoiners();
        }
        return removed;
    }

    /**
     * Returns whether the queue holds an element equal to {@code o}.
     *
     * <p>Any thread may call it; it holds both of the queue's locks while it searches, so it
     * answers for one instant.
     *
     * @param o the element to look for
     * @return {@code true} if it is queued
     */
    @Override
    public boolean contains(@Nullable Object o) {
        if (o == null) {
            return false;
        }
        fullyLock();
        try {
            for (Node<E> p = head.next; p != null; p = p.next) {
                if (o.equals(p.item)) {
                    return true;
                }
            }
            return false;
        } finally {
            fullyUnlock();
        }
    }

    /**
     * Removes every queued element and <em>finishes their tasks</em> (the count of unfinished
     * tasks drops by the number removed, never below zero), which may release threads blocked
     * in {@link #join()}. Unlike {@link #shutdownNow()} the queue stays open.
     *
     * <p>Any thread may call it; it holds both of the queue's locks while it removes, so it takes
     * effect atomically. Actions prior to it happen-before actions following a {@code join()} it
     * releases.
     */
    @Override
    public void clear() {
        boolean noTasks;
        fullyLock();
        try {
            Node<E> h = head;
            for (Node<E> p; (p = h.next) != null; h = p) {
                p.item = null;
                h.next = h;
            }
            head = last;
            noTasks = discard((int) (lvCtl() & COUNT_MASK), 0L);
        } finally {
            fullyUnlock();
        }
        if (noTasks) {
            signalJoiners();
        }
    }

    /**
     * Returns an array of the queued elements, in queue order.
     *
     * <p>Any thread may call it; it holds both of the queue's locks while it copies, so the array
     * is the queue at one instant.
     *
     * @return a new array holding the elements
     */
    @Override
    public Object[] toArray() {
        fullyLock();
        try {
            Object[] a = new Object[size()];
            int k = 0;
            for (Node<E> p = head.next; p != null; p = p.next) {
                a[k++] = p.item;
            }
            return a;
        } finally {
            fullyUnlock();
        }
    }

    /**
     * Returns an array of the queued elements, in queue order, in {@code a} if it is large
     * enough (followed by a {@code null} if there is room), else in a new array of its runtime
     * type.
     *
     * <p>Any thread may call it; it holds both of the queue's locks while it copies, so the array
     * is the queue at one instant.
     *
     * @param <T> the component type of the array
     * @param a the array to fill, if it is large enough
     * @return the array holding the elements
     * @throws ArrayStoreException if an element is not an instance of the array's component type
     * @throws NullPointerException if {@code a} is null
     */
    @Override
    @SuppressWarnings("unchecked")
    public <T extends @Nullable Object> T[] toArray(T[] a) {
        Objects.requireNonNull(a, "a");
        fullyLock();
        try {
            int size = size();
            if (a.length < size) {
                a = (T[]) java.lang.reflect.Array.newInstance(a.getClass().getComponentType(), size);
            }
            int k = 0;
            for (Node<E> p = head.next; p != null; p = p.next) {
                a[k++] = (T) p.item;
            }
            if (a.length > k) {
                a[k] = null;
            }
            return a;
        } finally {
            fullyUnlock();
        }
    }

    /**
     * Returns a string listing the queued elements in order, such as {@code [a, b]}.
     *
     * <p>Any thread may call it; as {@link #toArray()}, it shows the queue at one instant.
     *
     * @return a string representation of this queue
     */
    @Override
    public String toString() {
        return Arrays.toString(toArray());
    }

    /**
     * Returns a weakly consistent iterator over the queued elements, head first. Its
     * {@link Iterator#remove() remove} discards the last returned element if it is still queued
     * and then <em>finishes its task</em>, like {@link #remove(Object)}.
     *
     * <p>Any thread may use the iterator; each step holds both of the queue's locks briefly.
     *
     * @return an iterator over the elements in this queue
     */
    @Override
    public Iterator<E> iterator() {
        return new Itr();
    }

    /**
     * Returns a weakly consistent {@link Spliterator} over the queued elements, reporting
     * {@link Spliterator#CONCURRENT}, {@link Spliterator#NONNULL} and
     * {@link Spliterator#ORDERED}. Any thread may use it; it visits the elements through
     * {@link #iterator()}.
     *
     * @return a spliterator over the elements in this queue
     */
    @Override
    public Spliterator<E> spliterator() {
        return Spliterators.spliterator(
                this, Spliterator.CONCURRENT | Spliterator.NONNULL | Spliterator.ORDERED);
    }

    // ---------------------------------------------------------------------------------------
    // Internals

    /**
     * Returns the room left according to ctl value {@code c} (0 if full), or throws if
     * {@code c} says shut down.
     */
    private long roomIfOpen(long c) {
        if ((c & SHUTDOWN) != 0L) {
            throw new QueueShutdownException();
        }
        return capacity - (c & COUNT_MASK);
    }

    /**
     * Links the node at the tail and adds it and its task to ctl, in one step; returns ctl as
     * it was before. Must hold putLock, with {@code c} read under it and showing room and no
     * shutdown.
     */
    private long insert(Node<E> node, long c) {
        if ((c >>> TASK_SHIFT) == MAX_CTL_TASKS) {
            rebalance(0, 0L); // move tasks to spareTasks, to make room for one more
        }
        last = last.next = node;
        long before = getAndAddCtl(1L + ONE_TASK);
        if ((before & COUNT_MASK) + 1L < capacity) {
            notFull.signal();
        }
        return before;
    }

    /** Unlinks and returns the first element. Must hold takeLock, with count > 0. */
    private E dequeue() {
        Node<E> h = head;
        Node<E> first = h.next;
        h.next = h; // help GC; tells iterators this node was taken
        head = first;
        E x = first.item;
        first.item = null;
        return x;
    }

    /**
     * Unlinks interior node p with predecessor pred; the caller then calls {@link #discard}.
     * Must hold both locks.
     */
    private void unlink(Node<E> p, Node<E> pred) {
        p.item = null; // p.next is kept so that an iterator standing on p can move on
        pred.next = p.next;
        if (last == p) {
            last = pred;
        }
    }

    /**
     * Takes {@code n} unlinked elements off the count, finishes up to {@code n} tasks (never
     * going below zero) and sets {@code bits}, in one step. Must hold both locks. Returns
     * whether ctl holds no task afterwards (the caller then signals joiners, after unlocking).
     */
    private boolean discard(int n, long bits) {
        boolean spare = (spareTasks & ~VERSION_MASK) != 0L; // stable under putLock
        for (;;) {
            long c = lvCtl();
            long tasks = c >>> TASK_SHIFT;
            if (tasks < n && spare) {
                if ((c & COUNT_MASK) == capacity) {
                    notFull.signal();
                }
                return rebalance(n, bits) == 0L;
            }
            long finished = Math.min(tasks, n);
            if (casCtl(c, (c - n - finished * ONE_TASK) | bits)) {
                if (n > 0 && (c & COUNT_MASK) == capacity) {
                    notFull.signal();
                }
                return tasks == finished;
            }
        }
    }

    /**
     * Moves unfinished tasks between ctl and {@link #spareTasks} so that ctl has room both ways
     * (see the implementation overview), while taking {@code removed} elements off the count,
     * finishing up to that many tasks and setting {@code bits} in the same step as the one that
     * sets REBALANCING. Must hold putLock, and takeLock too if {@code removed > 0}. Returns the
     * unfinished count afterwards.
     */
    @CanIgnoreReturnValue
    private long rebalance(int removed, long bits) {
        long c;
        do {
            c = lvCtl();
        } while (!casCtl(c, (c - removed) | bits | REBALANCING));
        // From here until REBALANCING is cleared nobody else changes the task count.
        long spare = spareTasks;
        long tasks = (c >>> TASK_SHIFT) + (spare & ~VERSION_MASK);
        tasks -= Math.min(tasks, removed);
        long kept = tasks < 2L * CHUNK ? 0L : (tasks / CHUNK - 1L) * CHUNK;
        spareTasks = kept | ((spare + 1L) & VERSION_MASK);
        long inCtl = (tasks - kept) << TASK_SHIFT;
        do {
            c = lvCtl(); // takes may have changed the count meanwhile
        } while (!casCtl(c, (c & (COUNT_MASK | SHUTDOWN)) | inCtl));
        return tasks;
    }

    /**
     * The unfinished count at one instant during the call; with {@code onlyIfShutdown}, -1
     * instead if the queue was not shut down at that instant. Waits out a rebalance.
     */
    private long unfinished(boolean onlyIfShutdown) {
        for (int round = 0; ; round++) {
            long spare = spareTasks;
            long c = lvCtl();
            if ((c & REBALANCING) == 0L && spareTasks == spare) {
                if (onlyIfShutdown && (c & SHUTDOWN) == 0L) {
                    return -1L;
                }
                return (c >>> TASK_SHIFT) + (spare & ~VERSION_MASK);
            }
            backOff(round);
        }
    }

    /**
     * Waits until the unfinished count is zero and, with {@code andShutdown}, the queue shut
     * down; {@code timed}: for at most {@code nanos} (none if it is zero or negative). Returns
     * whether that state was reached. Throws if interrupted on entry or while waiting.
     */
    @CanIgnoreReturnValue
    private boolean awaitNoUnfinishedTasks(boolean andShutdown, boolean timed, long nanos)
            throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (unfinished(andShutdown) == 0L) {
            return true;
        }
        if (timed && nanos <= 0L) {
            return false;
        }
        @Nullable JoinableQueueJoinEvent event = null;
        if (JoinableQueueJoinEvent.PROBE.isEnabled()) {
            event = new JoinableQueueJoinEvent();
            event.unfinishedAtStart = unfinished(false);
            event.termination = andShutdown;
            event.begin();
        }
        boolean completed = false;
        final ReentrantLock lock = joinLock;
        lock.lockInterruptibly();
        try {
            joiners++;
            try {
                while (unfinished(andShutdown) != 0L) {
                    if (!timed) {
                        allTasksDone.await();
                    } else if (nanos <= 0L) {
                        return false;
                    } else {
                        nanos = allTasksDone.awaitNanos(nanos);
                    }
                }
                completed = true;
                return true;
            } finally {
                joiners--;
            }
        } finally {
            lock.unlock();
            if (event != null) {
                event.completed = completed;
                event.commit();
            }
        }
    }

    /**
     * Called after an update that may have taken the unfinished count to zero, or shut the
     * queue down: wakes the joiners, if there are any, to re-check.
     */
    private void signalJoiners() {
        if (joiners != 0) {
            final ReentrantLock lock = joinLock;
            lock.lock();
            try {
                allTasksDone.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * One round of waiting for a rebalance, which a putLock holder runs in a few instructions:
     * spin, then yield, then park 50 us, in case that thread was preempted.
     */
    private static void backOff(int round) {
        if (round < 64) {
            Thread.onSpinWait();
        } else if (round < 128) {
            Thread.yield();
        } else {
            LockSupport.parkNanos(50_000L);
        }
    }

    /** Signals a waiting take. Called only from put/offer (which do not otherwise hold takeLock). */
    private void signalNotEmpty() {
        final ReentrantLock takeLock = this.takeLock;
        takeLock.lock();
        try {
            notEmpty.signal();
        } finally {
            takeLock.unlock();
        }
    }

    /** Signals a waiting put. Called only from take/poll/drainTo. */
    private void signalNotFull() {
        final ReentrantLock putLock = this.putLock;
        putLock.lock();
        try {
            notFull.signal();
        } finally {
            putLock.unlock();
        }
    }

    private void fullyLock() {
        putLock.lock();
        takeLock.lock();
    }

    private void fullyUnlock() {
        takeLock.unlock();
        putLock.unlock();
    }

    /** Weakly consistent iterator; see the implementation overview for the node life cycle. */
    private final class Itr implements Iterator<E> {
        /** Node holding nextItem, or null at the end. */
        private @Nullable Node<E> next;
        /** The element next() returns; kept so that a concurrent take cannot null it. */
        private @Nullable E nextItem;
        /** The node last returned by next(), for remove(); null if none or already removed. */
        private @Nullable Node<E> lastRet;

        Itr() {
            fullyLock();
            try {
                next = head.next;
                if (next != null) {
                    nextItem = next.item;
                }
            } finally {
                fullyUnlock();
            }
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public E next() {
            Node<E> p = next;
            if (p == null) {
                throw new NoSuchElementException();
            }
            E x = nextItem;
            lastRet = p;
            fullyLock();
            try {
                E item = null;
                for (;;) {
                    Node<E> s = p.next;
                    p = (s == p) ? head.next : s; // self-link: p was taken; restart at the head
                    if (p == null || (item = p.item) != null) {
                        break;
                    }
                }
                next = p;
                nextItem = item;
            } finally {
                fullyUnlock();
            }
            return x;
        }

        @Override
        public void remove() {
            Node<E> p = lastRet;
            if (p == null) {
                throw new IllegalStateException();
            }
            lastRet = null;
            boolean noTasks = false;
            fullyLock();
            try {
                if (p.item != null) {
                    for (Node<E> pred = head, q = pred.next; q != null; pred = q, q = q.next) {
                        if (q == p) {
                            unlink(q, pred);
                            noTasks = discard(1, 0L);
                            break;
                        }
                    }
                }
            } finally {
                fullyUnlock();
            }
            if (noTasks) {
                signalJoiners();
            }
        }
    }
}

/*
 * Field layout for JoinableQueue, in JCTools' manner: HotSpot lays out a superclass's fields
 * before its subclass's, so each group of fields below sits between 128 bytes of padding and
 * producers, consumers, the shared state word and the read-mostly fields do not share cache
 * lines.
 */

/** Padding before the producer fields; also declares the list node. */
abstract class JoinableQueuePad0<E> extends AbstractQueue<E> {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    long p08, p09, p10, p11, p12, p13, p14, p15;

    /** Linked-list node. {@code item} is null for the dummy head and for removed nodes. */
    static final class Node<E> {
        @Nullable E item;
        /** The successor, {@code this} if this node was taken, null if this is the last node. */
        @Nullable Node<E> next;

        Node(@Nullable E item) {
            this.item = item;
        }
    }
}

/** Producer-side field. */
abstract class JoinableQueueTail<E> extends JoinableQueuePad0<E> {
    /** Tail; {@code last.next == null}. Accessed under putLock. */
    JoinableQueuePad0.Node<E> last;
}

/** Padding between the producer and consumer fields. */
abstract class JoinableQueuePad1<E> extends JoinableQueueTail<E> {
    long q00, q01, q02, q03, q04, q05, q06, q07;
    long q08, q09, q10, q11, q12, q13, q14, q15;
}

/** Consumer-side field. */
abstract class JoinableQueueHead<E> extends JoinableQueuePad1<E> {
    /** Dummy head; {@code head.item == null}. Accessed under takeLock. */
    JoinableQueuePad0.Node<E> head;
}

/** Padding between the consumer fields and the state word. */
abstract class JoinableQueuePad2<E> extends JoinableQueueHead<E> {
    long r00, r01, r02, r03, r04, r05, r06, r07;
    long r08, r09, r10, r11, r12, r13, r14, r15;
}

/**
 * The state word {@code ctl} and its layout; see JoinableQueue's implementation overview. Every
 * write is a read-modify-write.
 */
abstract class JoinableQueueCtl<E> extends JoinableQueuePad2<E> {
    /** Queued elements: bits 0 to 30. */
    static final long COUNT_MASK = (1L << 31) - 1L;
    /** Set once, by shutdown() or shutdownNow(). */
    static final long SHUTDOWN = 1L << 31;
    /** Set while a putLock holder moves tasks between ctl and spareTasks. */
    static final long REBALANCING = 1L << 32;
    /** Unfinished tasks (those not in spareTasks): bits 33 to 63. */
    static final int TASK_SHIFT = 33;
    static final long ONE_TASK = 1L << TASK_SHIFT;
    static final long MAX_CTL_TASKS = -1L >>> TASK_SHIFT;
    /** spareTasks holds a multiple of CHUNK; its bits below CHUNK are a version number. */
    static final long CHUNK = 1L << 29;
    static final long VERSION_MASK = CHUNK - 1L;

    private static final VarHandle CTL;

    static {
        try {
            CTL = MethodHandles.lookup().findVarHandle(JoinableQueueCtl.class, "ctl", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through CTL
    private volatile long ctl;

    final long lvCtl() {
        return ctl;
    }

    final boolean casCtl(long expect, long update) {
        return CTL.compareAndSet(this, expect, update);
    }

    @CanIgnoreReturnValue
    final long getAndAddCtl(long delta) {
        return (long) CTL.getAndAdd(this, delta);
    }
}

/** Padding after the state word; the read-mostly fields of JoinableQueue follow. */
abstract class JoinableQueuePad3<E> extends JoinableQueueCtl<E> {
    long s00, s01, s02, s03, s04, s05, s06, s07;
    long s08, s09, s10, s11, s12, s13, s14, s15;
}
