package io.github.gilpatterns.patterns;

import static java.util.Objects.requireNonNull;

import io.github.gilpatterns.owner.Owner;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A chain of stages, each run by its own {@link Owner} thread (or, for a <em>keyed</em> stage,
 * several), connected by the owners' mailboxes: an item submitted to the pipeline goes through
 * every stage's function in turn and ends in the sink. Hettinger's rule applied to a whole flow:
 * each stage's thread owns what it touches and talks to the next stage only through its queue.
 *
 * <p>The Python, and the same thing in Java:
 *
 * <pre>{@code
 * parsed, squared = queue.Queue(), queue.Queue() | Pipeline<String> pipeline =
 * def stage(fn, inbox, outbox):                  |     Pipeline.<String>builder("numbers")
 *     while True:                                |         .stage("parse", Integer::parseInt)
 *         item = inbox.get()                     |         .stage("square", n -> n * n)
 *         outbox.put(fn(item))                   |         .sink("print", System.out::println);
 *         inbox.task_done()                      |
 * threading.Thread(target=stage, args=(int,      |
 *     lines, parsed), daemon=True).start()       |
 * threading.Thread(target=stage, args=(          |
 *     lambda n: n * n, parsed, squared),         |
 *     daemon=True).start()                       |
 * # ... and a thread printing from `squared`     |
 * for line in text: lines.put(line)              | text.forEach(pipeline::submit);
 * lines.join(); parsed.join(); squared.join()    | pipeline.join();
 * }</pre>
 *
 * <p><b>Stages.</b> A stage made with {@link Builder#stage stage(name, fn)} runs on one thread: its
 * function sees the items one at a time, in order, and may keep plain state. A stage made with
 * {@link Builder#keyedStage keyedStage(name, parallelism, key, fn)} runs on {@code parallelism}
 * threads; each item goes to the thread chosen by the hash of its key, so all items with equal keys
 * go through the same thread, in order, while items with different keys may run in parallel. The
 * function of a keyed stage is called from several threads at once and must be safe for that. A
 * function may return {@code null} to drop an item (a filter). The sink's consumer runs on one
 * thread.
 *
 * <p><b>Delivery.</b> Every item accepted by {@link #submit(Object)} goes through each stage
 * exactly once and reaches the sink exactly once, unless a stage drops it (returns {@code null}) or
 * fails on it (throws; the failure goes to the {@link ErrorHandler}, by default a
 * {@link System.Logger} {@code WARNING}, and the item goes no further). Nothing accepted is lost
 * on {@link #close()}.
 *
 * <p><b>Order.</b> If {@code submit(a)} returns before {@code submit(b)} is called (for example,
 * both from one thread), then {@code b} reaches the sink after {@code a} provided that, at every
 * keyed stage, {@code a} and {@code b} have equal keys. So a pipeline with no keyed stage keeps
 * the submission order of every item, and one whose keyed stages all use the same key keeps it per
 * key. Items with different keys may overtake each other.
 *
 * <p><b>Backpressure.</b> Mailboxes are unbounded unless {@link Builder#mailboxCapacity(int)} is
 * set; then {@code submit} blocks while the first stage's mailbox is full, and each stage blocks
 * while the next one's is full.
 *
 * <p><b>Closing.</b> {@link #close()} stops accepting items (later calls to {@code submit} throw
 * {@link RejectedExecutionException}), then closes the stages in order, each after it has
 * processed everything it accepted and handed it on, so every accepted item reaches the sink (or
 * is dropped or fails), and ends every thread. The threads are not daemons.
 *
 * <p><b>Memory consistency effects:</b> actions in a thread prior to {@code submit(item)}
 * happen-before every stage's processing of that item, each stage's processing of it
 * happens-before the next stage's, and the sink's processing happens-before {@code join()} returns
 * in a thread that called it after the {@code submit}, and before {@code close()} returns.
 *
 * @param <I> the type of the items submitted
 */
public final class Pipeline<I> implements AutoCloseable {

  /*
   * Implementation overview. Each stage is 1 (plain, sink) or N (keyed) Owner<Stage> threads with
   * FIFO mailboxes. Stage.send(item) picks the owner (owner 0, or the keyed owner by a spread
   * hash of the key) and tells it a message that applies the function and sends the result to
   * the next stage; the next stage's send therefore runs on this stage's owner thread, so for
   * one pair of owners the items arrive in the order this owner produced them (Owner's per-sender
   * FIFO). That, with one owner per key, gives the order promise.
   *
   * join() joins the stages in order, every owner of a stage before the next stage: an item
   * submitted before join() is, once stage k's owners are joined, either finished at stage k or
   * already told to stage k+1, before stage k+1's join starts, so stage k+1's join waits for it
   * (the Python chain lines.join(); parsed.join(); ...).
   *
   * close() closes the stages in the same order: closing stage k's owners returns once their
   * threads have ended, after every accepted item was processed and handed to stage k+1, which is
   * still open; so no hand-off is ever refused.
   */

  private static final System.Logger LOG = System.getLogger(Pipeline.class.getName());

  private final String name;
  private final List<Stage> stages;
  private final Stage first;
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final ErrorHandler errorHandler;
  private volatile boolean closed;

  private Pipeline(String name, List<StageSpec> specs, int mailboxCapacity,
      ErrorHandler errorHandler) {
    this.name = name;
    this.errorHandler = errorHandler;
    List<Stage> stages = new ArrayList<>(specs.size());
    try {
      for (StageSpec spec : specs) {
        stages.add(new Stage(spec, name + "." + spec.name, mailboxCapacity));
      }
    } catch (RuntimeException | Error e) { // could not start a thread: end those that started
      for (Stage stage : stages) {
        stage.owners.forEach(Owner::close);
      }
      throw e;
    }
    for (int i = 0; i + 1 < stages.size(); i++) {
      stages.get(i).next = stages.get(i + 1);
    }
    this.stages = List.copyOf(stages);
    this.first = stages.get(0);
  }

  /**
   * Returns a builder of a pipeline named {@code name} (the prefix of its threads' names) whose
   * items are of type {@code I}.
   *
   * @param name the pipeline's name
   * @param <I> the type of the items submitted
   * @return a new builder with no stages, unbounded mailboxes and a logging error handler
   * @throws NullPointerException if {@code name} is {@code null}
   */
  public static <I> Builder<I, I> builder(String name) {
    return new Builder<>(requireNonNull(name, "name"));
  }

  /**
   * Submits {@code item} to the first stage. With unbounded mailboxes it returns at once; with a
   * bounded one it blocks while the first stage's mailbox is full. If the first stage is keyed,
   * its key function runs on the calling thread.
   *
   * @param item the item
   * @throws NullPointerException if {@code item} is {@code null}; nothing is submitted
   * @throws RejectedExecutionException if this pipeline is closed, or if the calling thread is
   *     interrupted while waiting for room (its interrupt status is set again); nothing is
   *     submitted
   * @throws RuntimeException whatever a keyed first stage's key function throws; nothing is
   *     submitted
   */
  public void submit(I item) {
    requireNonNull(item, "item");
    if (closed) {
      throw new RejectedExecutionException("pipeline " + name + " is closed");
    }
    first.send(item);
  }

  /**
   * Waits until every item submitted (by any thread) before this call has gone through the whole
   * pipeline: reached the sink, been dropped, or failed. Items submitted during the call may or may
   * not have. Returns at once after {@link #close()} has completed.
   *
   * @throws IllegalStateException if called on one of this pipeline's threads
   * @throws InterruptedException if the calling thread is interrupted while waiting (its interrupt
   *     status is cleared)
   */
  public void join() throws InterruptedException {
    checkNotStageThread("join()");
    for (Stage stage : stages) {
      for (Owner<Stage> owner : stage.owners) {
        owner.join();
      }
    }
  }

  /**
   * Stops accepting items, lets every stage process and hand on everything it accepted, and waits
   * for every thread of the pipeline to end. Idempotent. The wait is not interruptible (accepted
   * items are never dropped); an interrupt during it is kept and set again on return.
   *
   * @throws IllegalStateException if called on one of this pipeline's threads (closing the stages
   *     upstream of the caller would wait for the caller)
   */
  @Override
  public void close() {
    checkNotStageThread("close()");
    closed = true;
    for (Stage stage : stages) {
      for (Owner<Stage> owner : stage.owners) {
        Closing.closeRunningEverything(owner);
      }
    }
  }

  private void checkNotStageThread(String what) {
    for (Stage stage : stages) {
      for (Owner<Stage> owner : stage.owners) {
        if (owner.isOwnerThread()) {
          throw new IllegalStateException(
              what + " called on thread " + owner.name() + " of pipeline " + name);
        }
      }
    }
  }

  /**
   * Returns whether {@link #close()} has been called.
   *
   * @return {@code true} if this pipeline no longer accepts items
   */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Returns the pipeline's name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Returns how many items the sink has consumed without failing (may be stale at once).
   *
   * @return the number of items delivered
   */
  public long delivered() {
    return delivered.get();
  }

  /**
   * Returns how many items some stage (or the sink) failed on (may be stale at once).
   *
   * @return the number of failed items
   */
  public long failed() {
    return failed.get();
  }

  /**
   * Returns how many items some stage dropped by returning {@code null} (may be stale at once).
   *
   * @return the number of dropped items
   */
  public long dropped() {
    return dropped.get();
  }

  /**
   * Returns a string naming this pipeline and its stages.
   *
   * @return for example {@code Pipeline[numbers: parse -> square x4 -> print, delivered=10]}
   */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("Pipeline[").append(name).append(": ");
    for (int i = 0; i < stages.size(); i++) {
      Stage stage = stages.get(i);
      s.append(i == 0 ? "" : " -> ").append(stage.name);
      if (stage.owners.size() > 1) {
        s.append(" x").append(stage.owners.size());
      }
    }
    return s.append(", delivered=").append(delivered()).append(closed ? ", closed]" : "]")
        .toString();
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * Receives the failures of stage functions, key functions and the sink. Called on the thread of
   * the stage that failed (for a key function, the thread of the stage before it), before that
   * stage takes its next item. If it throws, that is logged and the pipeline carries on.
   */
  @FunctionalInterface
  public interface ErrorHandler {

    /**
     * Handles the failure of one item at one stage.
     *
     * @param stage the name of the stage whose function (or key function) threw
     * @param item the item it threw on
     * @param failure what it threw
     */
    void handle(String stage, Object item, Throwable failure);
  }

  private static void logFailure(String stage, Object item, Throwable failure) {
    LOG.log(Level.WARNING, () -> "pipeline stage " + stage + " failed on " + item, failure);
  }

  /** One stage: its function, its owners, and where its results go. */
  private final class Stage {
    final String name;
    final Function<Object, ?> function;
    /** The key function of a keyed stage; {@code null} for a plain stage or the sink. */
    final Function<Object, ?> key;
    final boolean sink;
    final List<Owner<Stage>> owners;
    Stage next;

    Stage(StageSpec spec, String threadPrefix, int mailboxCapacity) {
      this.name = spec.name;
      this.function = spec.function;
      this.key = spec.key;
      this.sink = spec.sink;
      List<Owner<Stage>> owners = new ArrayList<>(spec.parallelism);
      try {
        for (int i = 0; i < spec.parallelism; i++) {
          Owner.Builder<Stage> builder = Owner.builder(this)
              .name(spec.parallelism == 1 ? threadPrefix : threadPrefix + "-" + i);
          if (mailboxCapacity > 0) {
            builder.mailboxCapacity(mailboxCapacity);
          }
          owners.add(builder.start());
        }
      } catch (RuntimeException | Error e) {
        owners.forEach(Owner::close);
        throw e;
      }
      this.owners = List.copyOf(owners);
    }

    /** Sends {@code item} to the owner that handles it; runs on the previous stage's thread. */
    void send(Object item) {
      Owner<Stage> owner;
      if (key == null) {
        owner = owners.get(0);
      } else {
        int h = Objects.hashCode(key.apply(item));
        h ^= h >>> 16;
        owner = owners.get(Math.floorMod(h, owners.size()));
      }
      owner.tell(s -> s.process(item));
    }

    /** Runs on one of this stage's owner threads. */
    void process(Object item) {
      Object result;
      try {
        result = function.apply(item);
      } catch (Throwable failure) {
        fail(name, item, failure);
        return;
      }
      if (sink) {
        delivered.incrementAndGet();
        return;
      }
      if (result == null) {
        dropped.incrementAndGet();
        return;
      }
      try {
        next.send(result);
      } catch (Throwable failure) { // the next stage's key function threw
        fail(next.name, result, failure);
      }
    }
  }

  private void fail(String stage, Object item, Throwable failure) {
    failed.incrementAndGet();
    try {
      errorHandler.handle(stage, item, failure);
    } catch (Throwable handlerFailure) {
      try {
        LOG.log(Level.WARNING, () -> "the error handler of pipeline " + name
            + " threw while handling a failure of stage " + stage, handlerFailure);
      } catch (Throwable ignored) {
        // Nothing is left to report to; the stage must keep running.
      }
    }
  }

  /**
   * A builder of {@link Pipeline}s: add stages in order, then a sink, which starts the pipeline.
   * Each {@code stage} call returns a new builder and leaves this one as it was, so a builder may
   * be reused as a template; {@code mailboxCapacity} and {@code onError} set this builder and
   * carry over to the builders made from it. Not thread-safe.
   *
   * @param <I> the type of the items submitted to the pipeline
   * @param <T> the type of the items coming out of the last stage added so far
   */
  public static final class Builder<I, T> {
    private final String name;
    private final List<StageSpec> specs;
    private int mailboxCapacity;
    private ErrorHandler errorHandler = Pipeline::logFailure;

    private Builder(String name) {
      this.name = name;
      this.specs = new ArrayList<>();
    }

    private Builder(Builder<I, ?> from, StageSpec added) {
      this.name = from.name;
      this.specs = new ArrayList<>(from.specs);
      this.specs.add(added);
      this.mailboxCapacity = from.mailboxCapacity;
      this.errorHandler = from.errorHandler;
    }

    /**
     * Adds a stage that runs {@code function} on one thread (named {@code pipeline.stage}), on
     * each item in turn.
     *
     * @param stageName the stage's name
     * @param function what the stage does to an item; may return {@code null} to drop it
     * @param <R> the type of the stage's results
     * @return a builder whose last stage is this one
     * @throws NullPointerException if {@code stageName} or {@code function} is {@code null}
     */
    @SuppressWarnings("unchecked")
    public <R> Builder<I, R> stage(String stageName, Function<? super T, ? extends R> function) {
      requireNonNull(stageName, "stageName");
      requireNonNull(function, "function");
      return new Builder<>(this,
          new StageSpec(stageName, (Function<Object, ?>) function, null, 1, false));
    }

    /**
     * Adds a stage that runs {@code function} on {@code parallelism} threads (named
     * {@code pipeline.stage-0}, ...), sending each item to the thread chosen by the hash of
     * {@code key.apply(item)}: items with equal keys are processed by one thread, in order.
     *
     * @param stageName the stage's name
     * @param parallelism how many threads
     * @param key the key of an item; equal keys mean same thread, same order ({@code null} is a
     *     key like any other); runs on the thread of the previous stage (or the submitter)
     * @param function what the stage does to an item, called from several threads at once; may
     *     return {@code null} to drop it
     * @param <R> the type of the stage's results
     * @return a builder whose last stage is this one
     * @throws NullPointerException if {@code stageName}, {@code key} or {@code function} is
     *     {@code null}
     * @throws IllegalArgumentException if {@code parallelism} is not positive
     */
    @SuppressWarnings("unchecked")
    public <R> Builder<I, R> keyedStage(String stageName, int parallelism,
        Function<? super T, ?> key, Function<? super T, ? extends R> function) {
      requireNonNull(stageName, "stageName");
      requireNonNull(key, "key");
      requireNonNull(function, "function");
      if (parallelism < 1) {
        throw new IllegalArgumentException("parallelism must be positive, was " + parallelism);
      }
      return new Builder<>(this, new StageSpec(stageName, (Function<Object, ?>) function,
          (Function<Object, ?>) key, parallelism, false));
    }

    /**
     * Bounds every stage's mailbox to {@code capacity} waiting items (default: unbounded).
     *
     * @param capacity the most items that may wait at one stage thread
     * @return this builder
     * @throws IllegalArgumentException if {@code capacity} is not positive
     */
    public Builder<I, T> mailboxCapacity(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("mailbox capacity must be positive, was " + capacity);
      }
      this.mailboxCapacity = capacity;
      return this;
    }

    /**
     * Sets what receives the failures of the stages (default: a {@link System.Logger}
     * {@code WARNING}).
     *
     * @param handler the error handler
     * @return this builder
     * @throws NullPointerException if {@code handler} is {@code null}
     */
    public Builder<I, T> onError(ErrorHandler handler) {
      this.errorHandler = requireNonNull(handler, "handler");
      return this;
    }

    /**
     * Adds the sink, which consumes every item coming out of the last stage on one thread (named
     * {@code pipeline.sink}), and starts the pipeline's threads.
     *
     * @param sinkName the sink's name
     * @param sink what to do with each result
     * @return the started pipeline; close it when done
     * @throws NullPointerException if {@code sinkName} or {@code sink} is {@code null}
     */
    @SuppressWarnings("unchecked")
    public Pipeline<I> sink(String sinkName, Consumer<? super T> sink) {
      requireNonNull(sinkName, "sinkName");
      requireNonNull(sink, "sink");
      Consumer<Object> consumer = (Consumer<Object>) sink;
      List<StageSpec> all = new ArrayList<>(specs);
      all.add(new StageSpec(sinkName, item -> {
        consumer.accept(item);
        return null;
      }, null, 1, true));
      return new Pipeline<>(name, all, mailboxCapacity, errorHandler);
    }
  }

  /** What the builder knows about a stage before it starts. */
  private static final class StageSpec {
    final String name;
    final Function<Object, ?> function;
    final Function<Object, ?> key;
    final int parallelism;
    final boolean sink;

    StageSpec(String name, Function<Object, ?> function, Function<Object, ?> key,
        int parallelism, boolean sink) {
      this.name = name;
      this.function = function;
      this.key = key;
      this.parallelism = parallelism;
      this.sink = sink;
    }
  }
}
