package io.github.gilpatterns.queue;

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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

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
 * <p><b>Capacity.</b> {@link #bounded(int)} queues hold at most {@code capacity} elements and
 * make {@code put} wait for room; {@link #unbounded()} queues never make {@code put} wait (their
 * capacity is {@link Integer#MAX_VALUE}, as for {@link java.util.concurrent.LinkedBlockingQueue}).
 * {@code null} elements are rejected with {@link NullPointerException}. Negative timeouts mean
 * "do not wait", as everywhere in {@code java.util.concurrent} (Python raises
 * {@code ValueError} instead).
 *
 * <p><b>Iteration.</b> Iterators and spliterators are <em>weakly consistent</em>: they never
 * throw {@link java.util.ConcurrentModificationException}, return each element at most once,
 * and reflect the elements present when the iterator was created and possibly some later
 * changes. Bulk operations inherited from {@link java.util.AbstractCollection} ({@code addAll},
 * {@code containsAll}, {@code removeAll}, ...) are not atomic.
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
 * <p><b>Memory consistency effects:</b> actions in a thread prior to placing an object into a
 * {@code JoinableQueue} happen-before actions subsequent to the access or removal of that
 * object from the queue in another thread; and actions in a thread prior to calling
 * {@code taskDone()} (or discarding elements by the removal methods above) happen-before
 * actions following a successful return from {@code join()} in another thread.
 *
 * @param <E> the type of elements held in this queue
 */
public final class JoinableQueue<E> extends JoinableQueuePad2<E> implements BlockingQueue<E> {

    /*
     * Implementation overview
     *
     * The element store is the two-lock linked queue of Michael & Scott ("Simple, Fast, and
     * Practical Non-Blocking and Blocking Concurrent Queue Algorithms", PODC 1996), in the form
     * java.util.concurrent.LinkedBlockingQueue uses: a singly linked list with a dummy head,
     * putLock guarding the tail (`last`) and takeLock guarding the head, and an AtomicInteger
     * `count` through which puts and takes see each other without sharing a lock. So producers
     * and consumers contend only on `count` and on the lock for their own end, not on one lock
     * for everything as Python's queue.Queue does. Signals follow LinkedBlockingQueue's
     * cascading scheme: a put that makes the queue non-empty signals notEmpty (taking takeLock
     * briefly), a take that makes a full queue non-full signals notFull, and each side passes a
     * signal on to the next waiter of its own kind while room/elements remain.
     *
     * Node life cycle: a queued node has a non-null item. Taking a node makes it the new dummy
     * head (item nulled) and self-links the old head (h.next == h) to help the GC; unlinking a
     * node from the middle (remove(Object), iterator remove) nulls its item but leaves its next
     * pointer, so an iterator standing on it can still move on. An iterator that finds a
     * self-link restarts at head.next: everything it skipped was taken.
     *
     * Unfinished tasks are not one counter but the difference of two monotonic ones, so that
     * producers and consumers never write the same memory word for it (a first version with one
     * shared counter, incremented by put and CAS-decremented by taskDone, ran put -> take ->
     * taskDone at about 0.7x LinkedBlockingQueue's put -> take on a 2-core machine):
     *  - `puts`: successful insertions ever. Written only under putLock (release store),
     *    after the insertion is decided and before the node is linked and `count` incremented,
     *    so it happens-before any take of that element.
     *  - `done`: tasks finished ever, by taskDone() or by discarding. Updated only by CAS, never
     *    beyond `puts`, so unfinished = puts - done >= 0 at all times and both only grow.
     *  - `takes`: normal takes ever (take/poll/drainTo). Written only under takeLock. It is a
     *    lower bound of `puts` living on the consumers' cache line: taskDone() checks
     *    done < takes and only if that fails reads `puts` (done < puts), so the usual
     *    put -> take -> taskDone path never reads a line that producers write.
     * taskDone() CASes done -> done + 1 after that check; a failing call changes nothing.
     * Discarding n elements CASes done -> min(done + n, puts) ("never below zero").
     * Zero test: read `done`, then `puts`; equal means the count was zero when `done` was read
     * (done <= puts always, and puts only grows), so the test cannot report zero by pairing an
     * old `puts` with a newer `done`.
     * join() waits on allTasksDone (a condition of joinLock) until the zero test holds. A thread that
     * advanced `done` signals allTasksDone only if `joiners` (volatile, changed under joinLock) is
     * non-zero and the zero test holds. That is a Dekker-style handshake: the joiner writes
     * `joiners` and then reads `done`; the completer CASes `done` and then reads `joiners`; all
     * volatile, so at least one sees the other. The joiner holds joinLock from its write of
     * `joiners` until it waits, so the signal cannot fall in between. The fast path never
     * touches joinLock.
     * Happens-before for join(): every update of `done` is a CAS, so the updates form one
     * release chain; join() reading the final value synchronizes with the last update, and
     * transitively with every earlier taskDone().
     * Field layout: `last`/`puts` (producers), `head`/`takes`/`done` (consumers) and the
     * read-mostly fields sit in separate superclasses with 128 bytes of padding between them
     * (JCTools' technique: HotSpot lays superclass fields out first), against false sharing.
     *
     * Shutdown: `shutdown` is a volatile flag, written only while holding putLock (and, for
     * shutdownNow, takeLock too). Insertions check it under putLock, before and after every
     * wait for room. shutdown() sets it under putLock and signalAll()s notFull, then
     * signalAll()s notEmpty under takeLock. A taker checks, under takeLock: count != 0 -> take;
     * else if shutdown -> re-read count (every insertion accepted before the flag was set has
     * already incremented count, so count read after the flag is final) and end; else wait.
     * Since the taker holds takeLock between its check and its wait, and shutdown() signals
     * under takeLock after setting the flag, no taker can sleep through shutdown. shutdownNow()
     * holds both locks while it sets the flag and empties the list, then discards the tasks.
     * Python's shutdown(immediate=False) does not wake joiners; neither does shutdown() here
     * (they wake only when the count reaches 0).
     *
     * Lock order: putLock before takeLock (fullyLock); joinLock is innermost and never held
     * while acquiring another lock.
     */

    /** The capacity bound, {@code Integer.MAX_VALUE} if unbounded. */
    private final int capacity;

    /** Number of queued elements. */
    private final AtomicInteger count = new AtomicInteger();

    /** Held by take, poll, peek, drainTo. */
    private final ReentrantLock takeLock = new ReentrantLock();

    /** Wait queue for waiting takes. */
    private final Condition notEmpty = takeLock.newCondition();

    /** Held by put, offer. */
    private final ReentrantLock putLock = new ReentrantLock();

    /** Wait queue for waiting puts. */
    private final Condition notFull = putLock.newCondition();

    /** Held by joiners while they check and wait, and by whoever signals them. */
    private final ReentrantLock joinLock = new ReentrantLock();

    /** Wait queue for join(). */
    private final Condition allTasksDone = joinLock.newCondition();

    /** Number of threads inside join()'s locked region. Written under joinLock. */
    private volatile int joiners;

    /** Set once by shutdown()/shutdownNow(), under putLock. */
    private volatile boolean shutdown;

    private JoinableQueue(int capacity) {
        this.capacity = capacity;
        last = head = new Node<>(null);
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
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        return new JoinableQueue<>(capacity);
    }

    // ---------------------------------------------------------------------------------------
    // Tasks

    /**
     * Reports that one formerly inserted task is complete (Python's {@code task_done()}).
     * Consumers call it once for each element they took, after they have finished processing
     * it; when the count of unfinished tasks reaches zero, threads blocked in {@link #join()}
     * return. Any thread may call it; it never blocks on the queue's locks unless the count
     * reaches zero while a thread is joining.
     *
     * @throws IllegalStateException if there are no unfinished tasks ("taskDone() called too
     *     many times"); the count is left unchanged
     */
    public void taskDone() {
        for (;;) {
            long d = done;
            // takes <= puts, and takes is on this (consumer) side: read puts only if needed
            if (d >= takes && d >= puts) {
                throw new IllegalStateException("taskDone() called too many times");
            }
            if (casDone(d, d + 1L)) {
                signalJoinersIfAllDone();
                return;
            }
        }
    }

    /**
     * Blocks until every inserted element has been taken and reported done with
     * {@link #taskDone()} (or discarded), that is, until {@link #unfinishedTasks()} is zero
     * (Python's {@code join()}). Returns at once if it is zero already. Shutdown does not end
     * the wait.
     *
     * @throws InterruptedException if the current thread is interrupted on entry or while
     *     waiting; its interrupt status is cleared
     */
    public void join() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (noUnfinishedTasks()) {
            return;
        }
        final ReentrantLock lock = joinLock;
        lock.lockInterruptibly();
        try {
            joiners++;
            try {
                while (!noUnfinishedTasks()) {
                    allTasksDone.await();
                }
            } finally {
                joiners--;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Blocks until {@link #unfinishedTasks()} is zero, as {@link #join()} does, or until the
     * timeout elapses.
     *
     * @param timeout the longest time to wait; zero or negative means do not wait
     * @return {@code true} if the count reached zero, {@code false} if the timeout elapsed first
     * @throws NullPointerException if {@code timeout} is null
     * @throws InterruptedException if the current thread is interrupted on entry or while
     *     waiting; its interrupt status is cleared
     */
    public boolean join(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        return join(TimeUnit.NANOSECONDS.convert(timeout), TimeUnit.NANOSECONDS);
    }

    /**
     * Blocks until {@link #unfinishedTasks()} is zero, as {@link #join()} does, or until the
     * timeout elapses.
     *
     * @param timeout the longest time to wait, in units of {@code unit}; zero or negative means
     *     do not wait
     * @param unit the unit of {@code timeout}
     * @return {@code true} if the count reached zero, {@code false} if the timeout elapsed first
     * @throws NullPointerException if {@code unit} is null
     * @throws InterruptedException if the current thread is interrupted on entry or while
     *     waiting; its interrupt status is cleared
     */
    public boolean join(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (noUnfinishedTasks()) {
            return true;
        }
        final ReentrantLock lock = joinLock;
        lock.lockInterruptibly();
        try {
            joiners++;
            try {
                while (!noUnfinishedTasks()) {
                    if (nanos <= 0L) {
                        return false;
                    }
                    nanos = allTasksDone.awaitNanos(nanos);
                }
                return true;
            } finally {
                joiners--;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the number of unfinished tasks: elements inserted and neither reported done with
     * {@link #taskDone()} nor discarded (Python's {@code unfinished_tasks}). The value may be
     * stale as soon as it is returned; it is exact only when no other thread is using the
     * queue.
     *
     * @return the current number of unfinished tasks, never negative
     */
    public long unfinishedTasks() {
        long d = done;
        return puts - d;
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
     * {@link #join()} are not affected. Calling it again has no further effect.
     */
    public void shutdown() {
        final ReentrantLock putLock = this.putLock;
        putLock.lock();
        try {
            shutdown = true;
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
    }

    /**
     * Shuts the queue down and discards what it holds (Python 3.13's
     * {@code shutdown(immediate=True)}): as {@link #shutdown()}, and in the same atomic step
     * removes every queued element, so that {@link #take()} throws {@link QueueShutdownException}
     * from now on. The unfinished count is reduced by the number of removed elements, but not
     * below zero, which may release threads blocked in {@link #join()}; tasks that were taken
     * but are not yet done still count. May be called after {@code shutdown()} and repeatedly.
     *
     * @return the elements that were queued, in queue order (empty if there were none)
     */
    public List<E> shutdownNow() {
        List<E> drained = new ArrayList<>();
        fullyLock();
        try {
            shutdown = true;
            Node<E> h = head;
            for (Node<E> p; (p = h.next) != null; h = p) {
                drained.add(p.item);
                p.item = null;
                h.next = h;
            }
            head = last;
            count.set(0);
            notFull.signalAll();
            notEmpty.signalAll();
        } finally {
            fullyUnlock();
        }
        discardTasks(drained.size());
        return drained;
    }

    /**
     * Returns whether {@link #shutdown()} or {@link #shutdownNow()} has been called (Python's
     * {@code is_shutdown}).
     *
     * @return {@code true} if this queue has been shut down
     */
    public boolean isShutdown() {
        return shutdown;
    }

    // ---------------------------------------------------------------------------------------
    // Insertion

    /**
     * Inserts the element at the tail, waiting if necessary for room (Python's
     * {@code put(item)}), and adds one unfinished task.
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
        final AtomicInteger count = this.count;
        final int c;
        putLock.lockInterruptibly();
        try {
            checkNotShutdown();
            while (count.get() == capacity) {
                notFull.await();
                checkNotShutdown();
            }
            c = insert(node);
        } finally {
            putLock.unlock();
        }
        if (c == 0) {
            signalNotEmpty();
        }
    }

    /**
     * Inserts the element at the tail, waiting up to the timeout for room (Python's
     * {@code put(item, timeout=...)}), and adds one unfinished task if it was inserted.
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
        final AtomicInteger count = this.count;
        final int c;
        putLock.lockInterruptibly();
        try {
            checkNotShutdown();
            while (count.get() == capacity) {
                if (nanos <= 0L) {
                    return false;
                }
                nanos = notFull.awaitNanos(nanos);
                checkNotShutdown();
            }
            c = insert(node);
        } finally {
            putLock.unlock();
        }
        if (c == 0) {
            signalNotEmpty();
        }
        return true;
    }

    /**
     * Inserts the element at the tail if there is room, without waiting (Python's
     * {@code put_nowait(item)}), and adds one unfinished task if it was inserted.
     *
     * @param e the element to insert
     * @return {@code true} if inserted, {@code false} if the queue is full
     * @throws NullPointerException if {@code e} is null
     * @throws QueueShutdownException if the queue is shut down (checked before fullness)
     */
    @Override
    public boolean offer(E e) {
        Objects.requireNonNull(e, "element");
        final AtomicInteger count = this.count;
        if (count.get() == capacity) {
            checkNotShutdown();
            return false;
        }
        final Node<E> node = new Node<>(e);
        final ReentrantLock putLock = this.putLock;
        final int c;
        putLock.lock();
        try {
            checkNotShutdown();
            if (count.get() == capacity) {
                return false;
            }
            c = insert(node);
        } finally {
            putLock.unlock();
        }
        if (c == 0) {
            signalNotEmpty();
        }
        return true;
    }

    /**
     * Inserts the element at the tail if there is room, without waiting, and adds one
     * unfinished task.
     *
     * @param e the element to insert
     * @return {@code true} (as specified by {@link Collection#add})
     * @throws NullPointerException if {@code e} is null
     * @throws QueueShutdownException if the queue is shut down
     * @throws IllegalStateException if the queue is full
     */
    @Override
    public boolean add(E e) {
        return super.add(e);
    }

    // ---------------------------------------------------------------------------------------
    // Taking

    /**
     * Removes and returns the head, waiting if necessary for an element (Python's
     * {@code get()}). The element's task stays unfinished until {@link #taskDone()}.
     *
     * @return the head of the queue
     * @throws QueueShutdownException if the queue is shut down and empty, on entry or while
     *     waiting
     * @throws InterruptedException if interrupted while waiting; nothing is removed
     */
    @Override
    public E take() throws InterruptedException {
        final AtomicInteger count = this.count;
        final ReentrantLock takeLock = this.takeLock;
        final E x;
        final int c;
        takeLock.lockInterruptibly();
        try {
            while (count.get() == 0) {
                if (shutdown) {
                    if (count.get() != 0) {
                        break;
                    }
                    throw new QueueShutdownException("queue is shut down and empty");
                }
                notEmpty.await();
            }
            x = dequeue();
            countTakes(1);
            c = count.getAndDecrement();
            if (c > 1) {
                notEmpty.signal();
            }
        } finally {
            takeLock.unlock();
        }
        if (c == capacity) {
            signalNotFull();
        }
        return x;
    }

    /**
     * Removes and returns the head, waiting up to the timeout for an element (Python's
     * {@code get(timeout=...)}). Returns {@code null} at once if the queue is shut down and
     * empty. The element's task stays unfinished until {@link #taskDone()}.
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
    public E poll(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        final AtomicInteger count = this.count;
        final ReentrantLock takeLock = this.takeLock;
        final E x;
        final int c;
        takeLock.lockInterruptibly();
        try {
            while (count.get() == 0) {
                if (shutdown) {
                    if (count.get() != 0) {
                        break;
                    }
                    return null;
                }
                if (nanos <= 0L) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            x = dequeue();
            countTakes(1);
            c = count.getAndDecrement();
            if (c > 1) {
                notEmpty.signal();
            }
        } finally {
            takeLock.unlock();
        }
        if (c == capacity) {
            signalNotFull();
        }
        return x;
    }

    /**
     * Removes and returns the head if there is one, without waiting (Python's
     * {@code get_nowait()}, which raises where this returns {@code null}). The element's task
     * stays unfinished until {@link #taskDone()}.
     *
     * @return the head of the queue, or {@code null} if it is empty
     */
    @Override
    public E poll() {
        final AtomicInteger count = this.count;
        if (count.get() == 0) {
            return null;
        }
        final ReentrantLock takeLock = this.takeLock;
        final E x;
        final int c;
        takeLock.lock();
        try {
            if (count.get() == 0) {
                return null;
            }
            x = dequeue();
            countTakes(1);
            c = count.getAndDecrement();
            if (c > 1) {
                notEmpty.signal();
            }
        } finally {
            takeLock.unlock();
        }
        if (c == capacity) {
            signalNotFull();
        }
        return x;
    }

    /**
     * Returns the head without removing it.
     *
     * @return the head of the queue, or {@code null} if it is empty
     */
    @Override
    public E peek() {
        if (count.get() == 0) {
            return null;
        }
        final ReentrantLock takeLock = this.takeLock;
        takeLock.lock();
        try {
            // Re-check under takeLock, as LinkedBlockingQueue.peek does: a node is linked before
            // count says it is there, and only count makes its insertion take effect.
            return count.get() > 0 ? head.next.item : null;
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
     * @param c the collection to add the elements to
     * @param maxElements the maximum number of elements to transfer
     * @return the number of elements transferred
     * @throws NullPointerException if {@code c} is null
     * @throws IllegalArgumentException if {@code c} is this queue
     */
    @Override
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
            int n = Math.min(maxElements, count.get());
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
                    countTakes(i);
                    signalNotFull = count.getAndAdd(-i) == capacity;
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
    public int drainTo(Collection<? super E> c) {
        return drainTo(c, Integer.MAX_VALUE);
    }

    // ---------------------------------------------------------------------------------------
    // Size and collection views

    /**
     * Returns the number of queued elements (Python's {@code qsize()}). Taken elements whose
     * tasks are unfinished are not counted; see {@link #unfinishedTasks()}.
     *
     * @return the number of elements in this queue
     */
    @Override
    public int size() {
        return count.get();
    }

    /**
     * Returns how many more elements could be inserted without blocking: 0 once the queue is
     * shut down, {@link Integer#MAX_VALUE} for an unbounded queue, otherwise capacity minus
     * {@link #size()}. The answer may be stale as soon as it is returned.
     *
     * @return the remaining capacity
     */
    @Override
    public int remainingCapacity() {
        if (shutdown) {
            return 0;
        }
        return capacity == Integer.MAX_VALUE ? Integer.MAX_VALUE : capacity - count.get();
    }

    /**
     * Removes one queued element equal to {@code o}, if there is one, and <em>finishes its
     * task</em> (the count of unfinished tasks drops by one, never below zero): the element is
     * discarded, so no consumer will ever report it done.
     *
     * @param o the element to remove
     * @return {@code true} if an element was removed
     */
    @Override
    public boolean remove(Object o) {
        if (o == null) {
            return false;
        }
        boolean removed = false;
        fullyLock();
        try {
            for (Node<E> pred = head, p = pred.next; p != null; pred = p, p = p.next) {
                if (o.equals(p.item)) {
                    unlink(p, pred);
                    removed = true;
                    break;
                }
            }
        } finally {
            fullyUnlock();
        }
        if (removed) {
            discardTasks(1);
        }
        return removed;
    }

    /**
     * Returns whether the queue holds an element equal to {@code o}.
     *
     * @param o the element to look for
     * @return {@code true} if it is queued
     */
    @Override
    public boolean contains(Object o) {
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
     */
    @Override
    public void clear() {
        int removed;
        fullyLock();
        try {
            Node<E> h = head;
            for (Node<E> p; (p = h.next) != null; h = p) {
                p.item = null;
                h.next = h;
            }
            head = last;
            removed = count.getAndSet(0);
            if (removed == capacity) {
                notFull.signal();
            }
        } finally {
            fullyUnlock();
        }
        discardTasks(removed);
    }

    /**
     * Returns an array of the queued elements, in queue order.
     *
     * @return a new array holding the elements
     */
    @Override
    public Object[] toArray() {
        fullyLock();
        try {
            Object[] a = new Object[count.get()];
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
     * @param <T> the component type of the array
     * @param a the array to fill, if it is large enough
     * @return the array holding the elements
     * @throws ArrayStoreException if an element is not an instance of the array's component type
     * @throws NullPointerException if {@code a} is null
     */
    @Override
    @SuppressWarnings("unchecked")
    public <T> T[] toArray(T[] a) {
        Objects.requireNonNull(a, "a");
        fullyLock();
        try {
            int size = count.get();
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
     * @return an iterator over the elements in this queue
     */
    @Override
    public Iterator<E> iterator() {
        return new Itr();
    }

    /**
     * Returns a weakly consistent {@link Spliterator} over the queued elements, reporting
     * {@link Spliterator#CONCURRENT}, {@link Spliterator#NONNULL} and
     * {@link Spliterator#ORDERED}.
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

    private void checkNotShutdown() {
        if (shutdown) {
            throw new QueueShutdownException();
        }
    }

    /**
     * Counts a new task and links the node at the tail; returns the previous size. Must hold
     * putLock, with room checked and shutdown checked.
     */
    private int insert(Node<E> node) {
        countPut();
        last = last.next = node;
        int c = count.getAndIncrement();
        if (c + 1 < capacity) {
            notFull.signal();
        }
        return c;
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

    /** Unlinks interior node p with predecessor pred. Must hold both locks. */
    private void unlink(Node<E> p, Node<E> pred) {
        p.item = null; // p.next is kept so that an iterator standing on p can move on
        pred.next = p.next;
        if (last == p) {
            last = pred;
        }
        if (count.getAndDecrement() == capacity) {
            notFull.signal();
        }
    }

    /** Finishes up to n tasks for discarded elements, never going below zero. */
    private void discardTasks(long n) {
        if (n <= 0L) {
            return;
        }
        for (;;) {
            long d = done;
            long p = puts;
            if (d >= p) {
                return;
            }
            if (casDone(d, Math.min(d + n, p))) {
                signalJoinersIfAllDone();
                return;
            }
        }
    }

    /** The zero test: no unfinished task when {@code done} was read. */
    private boolean noUnfinishedTasks() {
        long d = done; // done first: puts can only have grown since
        return d == puts;
    }

    /** Called after advancing {@code done}: wakes joiners if there are any and all is done. */
    private void signalJoinersIfAllDone() {
        if (joiners != 0 && noUnfinishedTasks()) {
            final ReentrantLock lock = joinLock;
            lock.lock();
            try {
                allTasksDone.signalAll();
            } finally {
                lock.unlock();
            }
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
        private Node<E> next;
        /** The element next() returns; kept so that a concurrent take cannot null it. */
        private E nextItem;
        /** The node last returned by next(), for remove(); null if none or already removed. */
        private Node<E> lastRet;

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
            boolean removed = false;
            fullyLock();
            try {
                if (p.item != null) {
                    for (Node<E> pred = head, q = pred.next; q != null; pred = q, q = q.next) {
                        if (q == p) {
                            unlink(q, pred);
                            removed = true;
                            break;
                        }
                    }
                }
            } finally {
                fullyUnlock();
            }
            if (removed) {
                discardTasks(1);
            }
        }
    }
}

/*
 * Field layout for JoinableQueue, in JCTools' manner: HotSpot lays out a superclass's fields
 * before its subclass's, so each group of fields below sits between 128 bytes of padding and
 * producers, consumers and the read-mostly fields do not share cache lines.
 */

/** Padding before the producer fields; also declares the list node. */
abstract class JoinableQueuePad0<E> extends AbstractQueue<E> {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    long p08, p09, p10, p11, p12, p13, p14, p15;

    /** Linked-list node. {@code item} is null for the dummy head and for removed nodes. */
    static final class Node<E> {
        E item;
        /** The successor, {@code this} if this node was taken, null if this is the last node. */
        Node<E> next;

        Node(E item) {
            this.item = item;
        }
    }
}

/** Producer-side fields: written under putLock. */
abstract class JoinableQueueTail<E> extends JoinableQueuePad0<E> {
    private static final VarHandle PUTS;

    static {
        try {
            PUTS = MethodHandles.lookup().findVarHandle(JoinableQueueTail.class, "puts", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Tail; {@code last.next == null}. Accessed under putLock. */
    JoinableQueuePad0.Node<E> last;

    /** Successful insertions ever. Written under putLock (release); read anywhere. */
    volatile long puts;

    /** Counts one insertion. Must hold putLock. */
    final void countPut() {
        PUTS.setRelease(this, puts + 1L);
    }
}

/** Padding between the producer and consumer fields. */
abstract class JoinableQueuePad1<E> extends JoinableQueueTail<E> {
    long q00, q01, q02, q03, q04, q05, q06, q07;
    long q08, q09, q10, q11, q12, q13, q14, q15;
}

/** Consumer-side fields: written under takeLock, and by taskDone(). */
abstract class JoinableQueueHead<E> extends JoinableQueuePad1<E> {
    private static final VarHandle TAKES;
    private static final VarHandle DONE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            TAKES = l.findVarHandle(JoinableQueueHead.class, "takes", long.class);
            DONE = l.findVarHandle(JoinableQueueHead.class, "done", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Dummy head; {@code head.item == null}. Accessed under takeLock. */
    JoinableQueuePad0.Node<E> head;

    /** Normal takes ever; a lower bound of puts. Written under takeLock (release). */
    volatile long takes;

    /** Finished tasks ever; never more than puts. Updated only by {@link #casDone}. */
    volatile long done;

    /** Counts n normal takes. Must hold takeLock. */
    final void countTakes(int n) {
        TAKES.setRelease(this, takes + n);
    }

    final boolean casDone(long expect, long update) {
        return DONE.compareAndSet(this, expect, update);
    }
}

/** Padding after the consumer fields. */
abstract class JoinableQueuePad2<E> extends JoinableQueueHead<E> {
    long r00, r01, r02, r03, r04, r05, r06, r07;
    long r08, r09, r10, r11, r12, r13, r14, r15;
}
