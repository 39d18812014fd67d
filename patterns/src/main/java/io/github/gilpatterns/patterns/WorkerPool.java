package io.github.gilpatterns.patterns;

import static java.util.Objects.requireNonNull;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.SettableFuture;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import io.github.gilpatterns.join.Joinable;
import io.github.gilpatterns.join.Lifecycle;
import io.github.gilpatterns.join.Threads;
import io.github.gilpatterns.queue.JoinableQueue;
import io.github.gilpatterns.queue.QueueShutdownException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A fixed number of worker threads that take items from one {@link JoinableQueue} and hand each to
 * the same handler; {@link #join()} waits until every item submitted so far has been handled,
 * including the follow-up items that handlers submitted meanwhile. Python's classic "N threads
 * draining a {@code queue.Queue}", crawler included.
 *
 * <p>The Python, and the same thing in Java:
 *
 * <pre>{@code
 * q = queue.Queue()                             | WorkerPool<URI> pool = WorkerPool.start(
 * def worker():                                 |     "crawler", 4, (uri, p) -> {
 *     while True:                               |
 *         url = q.get()                         |
 *         try:                                  |
 *             for link in fetch(url):           |       for (URI link : fetch(uri)) {
 *                 q.put(link)                   |         p.submit(link);
 *         finally:                              |       }
 *             q.task_done()                     |     });
 * for i in range(4):                            |
 *     threading.Thread(target=worker,           |
 *                      daemon=True).start()     |
 * q.put(start)                                  | pool.submit(start);
 * q.join()                                      | pool.join();    // the follow-ups too
 *                                               | pool.close();   // the workers end
 * }</pre>
 *
 * <p><b>Handlers.</b> A {@link Handler} receives the item and this pool, so that it can submit
 * follow-up items, and may throw checked exceptions ({@code fetch} above throws
 * {@code IOException}). A plain {@link Consumer} works too ({@link #start(String, int, Consumer)}).
 *
 * <p><b>Submitting.</b> {@link #submit(Object)} puts the item on the queue; any thread may call it,
 * including a worker from inside the handler. With an unbounded queue (the default) it never
 * blocks; with {@link Builder#queueCapacity(int)} it blocks while the queue is full (so a handler
 * that submits to its own full pool can deadlock it: prefer an unbounded queue then). Items are
 * taken in the order they entered the queue, but with more than one worker they may be handled in
 * any order, and in parallel: the handler must be safe to call from several threads at once.
 * {@link #submitTracked(Object)} also returns a future of the item's own handling.
 *
 * <p><b>Joining</b> has Python's {@code task_done()} semantics: an item counts as unfinished from
 * its {@code submit} until its handler has returned, and a handler's follow-up {@code submit}
 * happens before its own item is done, so the unfinished count cannot reach zero while follow-ups
 * are pending: {@link #join()} returns once the whole tree of work started before it has run.
 *
 * <p><b>Failures.</b> A handler that throws does not kill its worker: the failure goes to the
 * {@link FailureHandler} (by default a {@link System.Logger} {@code WARNING}), which sees the
 * pool and may submit the item again, or for an item
 * submitted with {@code submitTracked} to its future; the item counts as done and as
 * {@linkplain #failed() failed}, and the worker takes the next item. An interrupt the handler
 * leaves set is cleared before the next item, as in {@link java.util.concurrent.ThreadPoolExecutor}.
 *
 * <p><b>Lifecycle</b>: the library's one {@link Lifecycle} contract, with items as its work and
 * the workers as its threads, and {@link #join()} is the {@link Joinable} one, as described
 * above. {@link #shutdown()} stops accepting items (later calls throw
 * {@link RejectedExecutionException}, follow-ups from handlers included) and lets the workers
 * handle every item already accepted; {@link #shutdownNow()} does not wait: it interrupts the
 * workers and returns the items no worker had started, cancelling the futures of tracked ones;
 * {@link #close()} is shutdown and wait. The workers are not daemons (Python's usually are): a
 * pool that is never closed keeps the JVM alive, like an executor that is never shut down.
 *
 * <p><b>Memory consistency effects:</b> actions in a thread prior to {@code submit} happen-before
 * the handler runs with that item; the handler's actions happen-before {@code join()} returns in a
 * thread that called it after the {@code submit}, its future (if tracked) completes, and
 * {@code close()} or {@code awaitTermination} returns.
 *
 * @param <T> the type of the items
 */
public final class WorkerPool<T> implements Lifecycle<T>, Joinable {

  /*
   * Implementation overview. One JoinableQueue<Object> shared by N threads (Threads.factory
   * names them name-P_W, on the builder's ThreadFactory if it has one). The queue holds the items
   * themselves, or a Tracked (a private class, so no item can be one) for submitTracked: plain
   * submits allocate nothing. Each worker loops take() -> handler -> taskDone() (in a finally,
   * after the counters), so the queue's unfinished count reaches zero only once every taken
   * item's handler has returned; a follow-up put inside a handler raises the count before that
   * handler's taskDone() lowers it, which gives join() the follow-ups too. join() is the queue's
   * join(), and JoinableQueue's happens-before edge from taskDone() to join() makes the
   * handlers' writes visible. shutdown() is the queue's shutdown(): a put that returned before
   * it is already in the queue, and take() drains the queue before it throws
   * QueueShutdownException, so every accepted item is handled. shutdownNow() is the queue's
   * shutdownNow() (which takes the waiting items out and lowers the unfinished count by as
   * many), then interrupts the workers. Workers ignore interrupts while waiting for an item: only
   * a shutdown ends them, so nothing accepted is abandoned.
   */

  private static final System.Logger LOG = System.getLogger(WorkerPool.class.getName());

  /**
   * What a worker does with an item: may submit follow-up items to {@code pool}, and may throw.
   *
   * @param <T> the type of the items
   */
  @FunctionalInterface
  public interface Handler<T> {

    /**
     * Handles one item, on a worker thread.
     *
     * @param item the item
     * @param pool the pool, to {@link WorkerPool#submit(Object) submit} follow-up items to
     * @throws Exception anything; it goes to the failure handler (or the item's future) and the
     *     worker carries on
     */
    void handle(T item, WorkerPool<T> pool) throws Exception;
  }

  /**
   * Receives an item whose handler threw, with what it threw and the pool, on the worker thread
   * that ran the handler, before the item counts as done. It may submit the item again to retry
   * it (with a bounded queue, mind that a worker that waits for room in its own full queue waits
   * for itself). If it throws, that is logged (a {@link System.Logger} {@code WARNING}, with the
   * original failure suppressed in it) and the worker carries on.
   *
   * @param <T> the type of the items
   */
  @FunctionalInterface
  public interface FailureHandler<T> {

    /**
     * Handles the failure of one item.
     *
     * @param pool the pool whose handler threw
     * @param item the item it threw on
     * @param failure what it threw
     */
    void handle(WorkerPool<T> pool, T item, Throwable failure);
  }

  /** An item submitted with {@link #submitTracked(Object)}, and its future. */
  private static final class Tracked {
    final Object item;
    final SettableFuture<@Nullable Void> future = SettableFuture.create();

    Tracked(Object item) {
      this.item = item;
    }
  }

  private final String name;
  private final JoinableQueue<Object> queue;
  private final Handler<T> handler;
  private final FailureHandler<T> failureHandler;
  private final List<Thread> workers;
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  private WorkerPool(Builder<T> builder) {
    this.name = builder.name;
    this.queue = builder.capacity > 0
        ? JoinableQueue.bounded(builder.capacity) : JoinableQueue.unbounded();
    this.handler = builder.handler;
    this.failureHandler = builder.failureHandler;
    ThreadFactory factory = builder.threadFactory == null
        ? Threads.factory(name) : Threads.factory(name, builder.threadFactory);
    List<Thread> threads = new ArrayList<>(builder.workers);
    for (int i = 0; i < builder.workers; i++) {
      Thread thread = factory.newThread(this::work);
      if (thread == null) {
        throw new IllegalStateException("the thread factory of worker pool " + name
            + " returned null");
      }
      threads.add(thread);
    }
    this.workers = List.copyOf(threads);
  }

  /**
   * Starts a pool of {@code workers} threads, named {@code name-P_W}, that hand every submitted
   * item to {@code handler}; unbounded queue, logging failure handler.
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
   * Starts a pool of {@code workers} threads, named {@code name-P_W}, that hand every submitted
   * item, and this pool, to {@code handler}, which may submit follow-ups and throw; unbounded
   * queue, logging failure handler.
   *
   * @param name the prefix of the worker threads' names
   * @param workers how many worker threads
   * @param handler what each worker does with an item; called from several threads at once
   * @param <T> the type of the items
   * @return the started pool; close it when done
   * @throws NullPointerException if {@code name} or {@code handler} is {@code null}
   * @throws IllegalArgumentException if {@code workers} is not positive
   */
  public static <T> WorkerPool<T> start(String name, int workers, Handler<T> handler) {
    return builder(handler).name(name).workers(workers).start();
  }

  /**
   * Returns a builder of a pool that hands every submitted item to {@code handler}.
   *
   * @param handler what each worker does with an item; called from several threads at once
   * @param <T> the type of the items
   * @return a new builder with the defaults: name {@code worker}, one worker per available
   *     processor, unbounded queue, logging failure handler, platform threads
   * @throws NullPointerException if {@code handler} is {@code null}
   */
  public static <T> Builder<T> builder(Consumer<? super T> handler) {
    requireNonNull(handler, "handler");
    return new Builder<>((item, pool) -> handler.accept(item));
  }

  /**
   * Returns a builder of a pool that hands every submitted item, and the pool, to
   * {@code handler}, which may submit follow-ups and throw.
   *
   * @param handler what each worker does with an item; called from several threads at once
   * @param <T> the type of the items
   * @return a new builder with the defaults: name {@code worker}, one worker per available
   *     processor, unbounded queue, logging failure handler, platform threads
   * @throws NullPointerException if {@code handler} is {@code null}
   */
  public static <T> Builder<T> builder(Handler<T> handler) {
    return new Builder<>(requireNonNull(handler, "handler"));
  }

  @SuppressWarnings("unchecked") // the queue holds Ts and Trackeds of Ts only
  private void work() {
    for (;;) {
      Object taken;
      try {
        taken = queue.take();
      } catch (QueueShutdownException shutDownAndEmpty) {
        return;
      } catch (InterruptedException stray) {
        continue; // only a shutdown ends a worker; see the implementation overview
      }
      Tracked tracked = taken instanceof Tracked ? (Tracked) taken : null;
      T item = (T) (tracked == null ? taken : tracked.item);
      try {
        handler.handle(item, this);
        completed.incrementAndGet();
        if (tracked != null) {
          tracked.future.set(null);
        }
      } catch (Throwable failure) {
        failed.incrementAndGet();
        if (tracked != null) {
          tracked.future.setException(failure);
        } else {
          Failures.report(LOG, "worker pool " + name, item, failure,
              () -> failureHandler.handle(this, item, failure));
        }
      } finally {
        Thread.interrupted(); // do not carry the handler's interrupt into the next item
        queue.taskDone();
      }
    }
  }

  /**
   * Puts {@code item} on the queue for a worker to handle, like {@code q.put(item)}. Returns at
   * once with an unbounded queue; with a bounded queue, blocks while it is full. A handler may
   * call it to submit follow-up items; {@link #join()} waits for those too.
   *
   * @param item the item to handle
   * @throws NullPointerException if {@code item} is {@code null}; nothing is submitted
   * @throws RejectedExecutionException if this pool is shut down (or shuts down while the call
   *     waits for room), or if the calling thread is interrupted while waiting for room (its
   *     interrupt status is set again; the cause is the {@link InterruptedException}); nothing is
   *     submitted
   */
  public void submit(T item) {
    put(requireNonNull(item, "item"));
  }

  /**
   * Submits {@code item} as {@link #submit(Object)} does, and returns a future of its handling:
   * it completes with {@code null} once the handler has returned, fails with what the handler
   * threw (which then does not go to the failure handler), and is cancelled if
   * {@link #shutdownNow()} takes the item out before a worker has started it. It does not wait
   * for the item's follow-ups ({@link #join()} does). Cancelling the future does not stop the
   * item from being handled.
   *
   * @param item the item to handle
   * @return the future of the item's handling
   * @throws NullPointerException if {@code item} is {@code null}; nothing is submitted
   * @throws RejectedExecutionException as for {@link #submit(Object)}; nothing is submitted
   */
  @CanIgnoreReturnValue
  public ListenableFuture<@Nullable Void> submitTracked(T item) {
    Tracked tracked = new Tracked(requireNonNull(item, "item"));
    put(tracked);
    return tracked.future;
  }

  private void put(Object element) {
    try {
      queue.put(element);
    } catch (QueueShutdownException shutDown) {
      RejectedExecutionException rejected =
          new RejectedExecutionException("worker pool " + name + " is shut down");
      rejected.initCause(shutDown);
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
   * {@inheritDoc}
   *
   * <p>Here, like {@code q.join()}, the work is every item submitted (by any thread) before the
   * call, with the follow-ups their handlers submitted; it is done once its handler (or failure
   * handler) has returned. A worker of this pool must not call it.
   */
  @Override
  public void join() throws InterruptedException {
    checkNotWorker("join()");
    queue.join();
  }

  @Override
  public boolean join(long timeout, TimeUnit unit) throws InterruptedException {
    requireNonNull(unit, "unit");
    checkNotWorker("join(timeout, unit)");
    return queue.join(timeout, unit);
  }

  private void checkNotWorker(String what) {
    if (workers.contains(Thread.currentThread())) {
      throw new IllegalStateException(what + " called by a worker of pool " + name
          + ", which would wait for itself");
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here follow-ups from handlers are refused too; the workers end once the queue is empty.
   */
  @Override
  public void shutdown() {
    queue.shutdown();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here it takes the items no worker has started out of the queue, in queue order, cancels
   * the futures of tracked ones among them, and interrupts the workers (a handler that ignores
   * the interrupt runs to its end). It does not wait for the workers.
   */
  @Override
  @CanIgnoreReturnValue
  @SuppressWarnings("unchecked") // the queue holds Ts and Trackeds of Ts only
  public List<T> shutdownNow() {
    List<Object> taken = queue.shutdownNow();
    Thread current = Thread.currentThread();
    for (Thread worker : workers) {
      if (worker != current) {
        worker.interrupt();
      }
    }
    List<T> never = new ArrayList<>(taken.size());
    for (Object element : taken) {
      if (element instanceof Tracked) {
        Tracked tracked = (Tracked) element;
        tracked.future.cancel(false);
        never.add((T) tracked.item);
      } else {
        never.add((T) element);
      }
    }
    return never;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here the pool has terminated once it is shut down and every worker has exited.
   */
  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    requireNonNull(unit, "unit");
    checkNotWorker("awaitTermination(..)");
    return Threads.joinAll(workers, timeout, unit).isEmpty();
  }

  /**
   * Returns whether this pool has been shut down, and refuses items.
   *
   * @return {@code true} after a shutdown
   */
  @Override
  public boolean isShutdown() {
    return queue.isShutdown();
  }

  @Override
  public boolean isTerminated() {
    for (Thread worker : workers) {
      if (worker.isAlive()) {
        return false;
      }
    }
    return queue.isShutdown();
  }

  /**
   * Returns the pool's name, the prefix of its worker threads' names.
   *
   * @return the name
   */
  @Override
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
        + ", failed=" + failed() + ", pending=" + pending() + (isShutdown() ? ", shut down]" : "]");
  }

  /**
   * A builder of {@link WorkerPool}s. Not thread-safe.
   *
   * @param <T> the type of the items
   */
  public static final class Builder<T> {
    private final Handler<T> handler;
    private String name = "worker";
    private int workers = Runtime.getRuntime().availableProcessors();
    private int capacity; // 0: unbounded
    private FailureHandler<T> failureHandler = (pool, item, failure) -> LOG.log(
        System.Logger.Level.WARNING, () -> "worker pool " + pool.name() + " failed on " + item,
        failure);
    private @Nullable ThreadFactory threadFactory;

    private Builder(Handler<T> handler) {
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
     * Sets what receives an item whose handler threw, what it threw, and the pool (default: a
     * {@link System.Logger} {@code WARNING}); see {@link FailureHandler}. Items submitted with
     * {@link WorkerPool#submitTracked(Object)} report to their futures instead.
     *
     * @param handler the failure handler
     * @return this builder
     * @throws NullPointerException if {@code handler} is {@code null}
     */
    @CanIgnoreReturnValue
    public Builder<T> onFailure(FailureHandler<T> handler) {
      this.failureHandler = requireNonNull(handler, "handler");
      return this;
    }

    /**
     * Makes the workers come from {@code threadFactory} (virtual threads with
     * {@code Thread.ofVirtual().factory()} on JDK 21+), renamed {@code name-P_W} as by
     * {@link Threads#factory(String, ThreadFactory)}.
     *
     * @param threadFactory returns a new, unstarted thread
     * @return this builder
     * @throws NullPointerException if {@code threadFactory} is {@code null}
     */
    @CanIgnoreReturnValue
    public Builder<T> threadFactory(ThreadFactory threadFactory) {
      this.threadFactory = requireNonNull(threadFactory, "threadFactory");
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
  }
}
