package io.github.gilpatterns.patterns;

import static java.util.Objects.requireNonNull;

import com.google.common.util.concurrent.Uninterruptibles;
import io.github.gilpatterns.join.Threads;
import io.github.gilpatterns.queue.JoinableQueue;
import io.github.gilpatterns.queue.QueueShutdownException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A fixed number of worker threads that take items from one {@link JoinableQueue} and hand each to
 * the same handler; {@link #join()} waits until every item submitted so far has been handled.
 * Python's classic "N threads draining a {@code queue.Queue}".
 *
 * <p>The Python, and the same thing in Java:
 *
 * <pre>{@code
 * q = queue.Queue()                             | WorkerPool<Path> pool =
 * def worker():                                 |     WorkerPool.start("worker", 4, this::process);
 *     while True:                               |
 *         item = q.get()                        |
 *         try:                                  |
 *             process(item)                     |
 *         finally:                              |
 *             q.task_done()                     |
 * for i in range(4):                            |
 *     threading.Thread(target=worker,           |
 *                      daemon=True).start()     |
 * for item in items:                            | for (Path item : items) {
 *     q.put(item)                               |   pool.submit(item);
 *                                               | }
 * q.join()                                      | pool.join();
 *                                               | pool.close();   // the workers end
 * }</pre>
 *
 * <p><b>Submitting.</b> {@link #submit(Object)} puts the item on the queue; any thread may call it,
 * including a worker from inside the handler. With an unbounded queue (the default) it never
 * blocks; with {@link Builder#queueCapacity(int)} it blocks while the queue is full (so a handler
 * that submits to its own full pool can deadlock it: prefer an unbounded queue then). Items are
 * taken in the order they entered the queue, but with more than one worker they may be handled in
 * any order, and in parallel: the handler must be safe to call from several threads at once.
 *
 * <p><b>Failures.</b> A handler that throws does not kill its worker: the failure goes to the error
 * handler (by default a {@link System.Logger} {@code WARNING}), the item counts as done and as
 * {@linkplain #failed() failed}, and the worker takes the next item. An interrupt the handler
 * leaves set is cleared before the next item, as in {@link java.util.concurrent.ThreadPoolExecutor}.
 *
 * <p><b>Closing.</b> {@link #close()} stops accepting items (later calls throw
 * {@link RejectedExecutionException}), lets the workers handle every item already accepted, and
 * waits for them to end. The workers are not daemons (Python's usually are): a pool that is never
 * closed keeps the JVM alive, like an executor that is never shut down.
 *
 * <p><b>Memory consistency effects:</b> actions in a thread prior to {@code submit} happen-before
 * the handler runs with that item; the handler's actions happen-before {@code join()} returns in a
 * thread that called it after the {@code submit}, and before {@code close()} returns.
 *
 * @param <T> the type of the items
 */
public final class WorkerPool<T> implements AutoCloseable {

  /*
   * Implementation overview. One JoinableQueue<T> shared by N platform threads (Threads.factory
   * names them name-P_W). Each worker loops take() -> handler -> taskDone() (in a finally, after
   * the counters), so the queue's unfinished count reaches zero only once every taken item's
   * handler has returned; join() is the queue's join(), and JoinableQueue's happens-before edge
   * from taskDone() to join() makes the handlers' writes visible. close() is the queue's
   * shutdown(): a put that returned before it is already in the queue, and take() drains the
   * queue before it throws QueueShutdownException, so every accepted item is handled; then the
   * workers are joined. Workers ignore interrupts while waiting for an item: only shutdown ends
   * them, so nothing accepted is abandoned.
   */

  private static final System.Logger LOG = System.getLogger(WorkerPool.class.getName());

  private final String name;
  private final JoinableQueue<T> queue;
  private final Consumer<? super T> handler;
  private final BiConsumer<? super T, ? super Throwable> errorHandler;
  private final List<Thread> workers;
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  private WorkerPool(Builder<T> builder) {
    this.name = builder.name;
    this.queue = builder.capacity > 0
        ? JoinableQueue.bounded(builder.capacity) : JoinableQueue.unbounded();
    this.handler = builder.handler;
    this.errorHandler = builder.errorHandler;
    ThreadFactory factory = Threads.factory(name);
    List<Thread> threads = new ArrayList<>(builder.workers);
    for (int i = 0; i < builder.workers; i++) {
      threads.add(factory.newThread(this::work));
    }
    this.workers = List.copyOf(threads);
  }

  /**
   * Starts a pool of {@code workers} threads, named {@code name-P_W}, that hand every submitted
   * item to {@code handler}; unbounded queue, logging error handler.
   *
   * @param name the prefix of the worker threads' names
   * @param workers how many worker threads
   * @param handler what each worker does with an item; called from several threads at once
   * @param <T> the type of the items
   * @return the started pool; close it when done
   * @throws NullPointerException if {@code name} or {@code handler} is {@code null}
   * @throws IllegalArgumentException if {@code workers} is not positive
   */
  public static <T> WorkerPool<T> start(String name, int workers, Consumer<? super T> handler) {
    return WorkerPool.<T>builder(handler).name(name).workers(workers).start();
  }

  /**
   * Returns a builder of a pool that hands every submitted item to {@code handler}.
   *
   * @param handler what each worker does with an item; called from several threads at once
   * @param <T> the type of the items
   * @return a new builder with the defaults: name {@code worker}, one worker per available
   *     processor, unbounded queue, logging error handler
   * @throws NullPointerException if {@code handler} is {@code null}
   */
  public static <T> Builder<T> builder(Consumer<? super T> handler) {
    return new Builder<>(requireNonNull(handler, "handler"));
  }

  private void work() {
    for (;;) {
      T item;
      try {
        item = queue.take();
      } catch (QueueShutdownException closedAndEmpty) {
        return;
      } catch (InterruptedException stray) {
        continue; // only close() ends a worker; see the implementation overview
      }
      try {
        handler.accept(item);
        completed.incrementAndGet();
      } catch (Throwable failure) {
        failed.incrementAndGet();
        report(item, failure);
      } finally {
        Thread.interrupted(); // do not carry the handler's interrupt into the next item
        queue.taskDone();
      }
    }
  }

  private void report(T item, Throwable failure) {
    try {
      errorHandler.accept(item, failure);
    } catch (Throwable handlerFailure) {
      try {
        LOG.log(Level.WARNING, () -> "the error handler of worker pool " + name
            + " threw while handling a failure of " + item, handlerFailure);
      } catch (Throwable ignored) {
        // Nothing is left to report to; the worker must keep running.
      }
    }
  }

  /**
   * Puts {@code item} on the queue for a worker to handle, like {@code q.put(item)}. Returns at
   * once with an unbounded queue; with a bounded queue, blocks while it is full.
   *
   * @param item the item to handle
   * @throws NullPointerException if {@code item} is {@code null}; nothing is submitted
   * @throws RejectedExecutionException if this pool is closed (or closes while the call waits for
   *     room), or if the calling thread is interrupted while waiting for room (its interrupt
   *     status is set again; the cause is the {@link InterruptedException}); nothing is submitted
   */
  public void submit(T item) {
    requireNonNull(item, "item");
    try {
      queue.put(item);
    } catch (QueueShutdownException closed) {
      RejectedExecutionException rejected =
          new RejectedExecutionException("worker pool " + name + " is closed");
      rejected.initCause(closed);
      throw rejected;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      RejectedExecutionException rejected = new RejectedExecutionException(
          "interrupted while waiting for room in the queue of worker pool " + name);
      rejected.initCause(e);
      throw rejected;
    }
  }

  /**
   * Waits until every item submitted (by any thread) before this call has been handled, its
   * handler (or error handler) having returned, like {@code q.join()}. Items submitted during the
   * call may or may not have been handled when it returns.
   *
   * @throws IllegalStateException if called by one of this pool's workers, which would wait for
   *     itself
   * @throws InterruptedException if the calling thread is interrupted while waiting (its interrupt
   *     status is cleared)
   */
  public void join() throws InterruptedException {
    checkNotWorker("join()");
    queue.join();
  }

  /**
   * Waits at most {@code timeout} until every item submitted before this call has been handled;
   * see {@link #join()}.
   *
   * @param timeout the longest time to wait; zero or negative means check without waiting
   * @return {@code true} if every earlier item has been handled, {@code false} if the timeout
   *     elapsed first
   * @throws NullPointerException if {@code timeout} is {@code null}
   * @throws IllegalStateException if called by one of this pool's workers
   * @throws InterruptedException if the calling thread is interrupted while waiting (its interrupt
   *     status is cleared)
   */
  public boolean join(Duration timeout) throws InterruptedException {
    requireNonNull(timeout, "timeout");
    checkNotWorker("join(timeout)");
    return queue.join(timeout);
  }

  private void checkNotWorker(String what) {
    if (workers.contains(Thread.currentThread())) {
      throw new IllegalStateException(what + " called by a worker of pool " + name
          + ", which would wait for itself");
    }
  }

  /**
   * Stops accepting items, lets the workers handle every item already accepted, and waits for
   * every worker to end. Idempotent. The wait is not interruptible (accepted items are never
   * dropped); an interrupt during it is kept and set again on return. Called by a worker, it stops
   * accepting and returns without waiting; the workers end once the queue is empty.
   */
  @Override
  public void close() {
    queue.shutdown();
    Thread current = Thread.currentThread();
    for (Thread worker : workers) {
      if (worker != current) {
        Uninterruptibles.joinUninterruptibly(worker);
      }
    }
  }

  /**
   * Returns whether {@link #close()} has been called.
   *
   * @return {@code true} if this pool no longer accepts items
   */
  public boolean isClosed() {
    return queue.isShutdown();
  }

  /**
   * Returns the prefix of the worker threads' names.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Returns the number of worker threads.
   *
   * @return the number of workers
   */
  public int workers() {
    return workers.size();
  }

  /**
   * Returns how many items have been handled without failure so far (may be stale at once).
   *
   * @return the number of items whose handler returned normally
   */
  public long completed() {
    return completed.get();
  }

  /**
   * Returns how many items have failed so far (may be stale at once).
   *
   * @return the number of items whose handler threw
   */
  public long failed() {
    return failed.get();
  }

  /**
   * Returns an estimate of the number of items submitted but not yet handled (waiting or being
   * handled).
   *
   * @return the queue's unfinished task count
   */
  public long pending() {
    return queue.unfinishedTasks();
  }

  /**
   * Returns a string naming this pool and its counters.
   *
   * @return for example {@code WorkerPool[worker, workers=4, completed=10, failed=0, pending=0]}
   */
  @Override
  public String toString() {
    return "WorkerPool[" + name + ", workers=" + workers.size() + ", completed=" + completed()
        + ", failed=" + failed() + ", pending=" + pending() + (isClosed() ? ", closed]" : "]");
  }

  /**
   * A builder of {@link WorkerPool}s. Not thread-safe.
   *
   * @param <T> the type of the items
   */
  public static final class Builder<T> {
    private final Consumer<? super T> handler;
    private String name = "worker";
    private int workers = Runtime.getRuntime().availableProcessors();
    private int capacity; // 0: unbounded
    private BiConsumer<? super T, ? super Throwable> errorHandler = Builder::logFailure;

    private Builder(Consumer<? super T> handler) {
      this.handler = handler;
    }

    /**
     * Sets the prefix of the worker threads' names (default {@code worker}); the threads are
     * named {@code name-P_W} as by {@link Threads#factory(String)}.
     *
     * @param name the prefix
     * @return this builder
     * @throws NullPointerException if {@code name} is {@code null}
     */
    public Builder<T> name(String name) {
      this.name = requireNonNull(name, "name");
      return this;
    }

    /**
     * Sets the number of worker threads (default: the number of available processors).
     *
     * @param workers how many worker threads
     * @return this builder
     * @throws IllegalArgumentException if {@code workers} is not positive
     */
    public Builder<T> workers(int workers) {
      if (workers < 1) {
        throw new IllegalArgumentException("workers must be positive, was " + workers);
      }
      this.workers = workers;
      return this;
    }

    /**
     * Bounds the queue: {@link WorkerPool#submit(Object)} blocks while {@code capacity} items
     * wait (default: unbounded).
     *
     * @param capacity the most items that may wait
     * @return this builder
     * @throws IllegalArgumentException if {@code capacity} is not positive
     */
    public Builder<T> queueCapacity(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("queue capacity must be positive, was " + capacity);
      }
      this.capacity = capacity;
      return this;
    }

    /**
     * Sets what receives an item whose handler threw, and what it threw (default: a
     * {@link System.Logger} {@code WARNING}). Called on the worker thread, before the item counts
     * as done; if it throws, that is logged and the worker carries on.
     *
     * @param errorHandler the error handler
     * @return this builder
     * @throws NullPointerException if {@code errorHandler} is {@code null}
     */
    public Builder<T> onError(BiConsumer<? super T, ? super Throwable> errorHandler) {
      this.errorHandler = requireNonNull(errorHandler, "errorHandler");
      return this;
    }

    /**
     * Creates the pool and starts its workers.
     *
     * @return the started pool; close it when done
     */
    public WorkerPool<T> start() {
      WorkerPool<T> pool = new WorkerPool<>(this);
      pool.workers.forEach(Thread::start);
      return pool;
    }

    private static void logFailure(Object item, Throwable failure) {
      LOG.log(Level.WARNING, () -> "a worker failed on " + item, failure);
    }
  }
}
