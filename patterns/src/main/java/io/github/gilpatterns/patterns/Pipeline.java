package io.github.gilpatterns.patterns;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import io.github.gilpatterns.join.Joinable;
import io.github.gilpatterns.join.Lifecycle;
import io.github.gilpatterns.owner.SerialExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A chain of stages, each run by its own {@link SerialExecutor} thread (or, for a <em>keyed</em>
 * stage, one per key partition), connected by their mailboxes: an item submitted to the pipeline
 * goes through every stage's function in turn and ends in the sink. Hettinger's rule applied to a
 * whole flow: each stage's thread owns what it touches and talks to the next stage only through
 * its queue.
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
 * fails on it (throws; the failure goes to the {@link FailureHandler}, by default a
 * {@link System.Logger} {@code WARNING}, and the item goes no further). Nothing accepted is lost
 * on {@link #shutdown()} or an uninterrupted {@link #close()}.
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
 * <p><b>Lifecycle</b>: the library's one {@link Lifecycle} contract, with submitted items as its
 * work and the stages' threads as its threads, and {@link #join()} is the {@link Joinable} one:
 * it returns once every item submitted before it has come out of the pipeline.
 * {@link #shutdown()} stops accepting items (later calls to {@code submit} throw
 * {@link RejectedExecutionException}) and returns; the stages then end in order, each once the
 * stage before it has ended and it has processed and handed on everything it accepted, so every
 * accepted item reaches the sink (or is dropped or fails). {@link #shutdownNow()} stops every
 * stage, in order, waiting for each stage's running function to return, and returns the items
 * that had not come out of the pipeline, each as it was submitted; it must not be called on a
 * thread of the pipeline. {@link #close()} is shutdown and wait. The threads are not daemons.
 *
 * <p><b>Memory consistency effects:</b> actions in a thread prior to {@code submit(item)}
 * happen-before every stage's processing of that item, each stage's processing of it
 * happens-before the next stage's, and the sink's processing happens-before {@code join()} returns
 * in a thread that called it after the {@code submit}, and before {@code close()} returns.
 *
 * @param <I> the type of the items submitted
 */
public final class Pipeline<I> implements Lifecycle<I>, Joinable {

  /*
   * Implementation overview. Each stage is 1 (plain, sink) or N (keyed) SerialExecutors with
   * FIFO mailboxes; an executor has no state of its own, so the N runners of a keyed stage share
   * nothing but the stage's (thread-safe) function. Stage.send(hop) picks the runner (runner 0,
   * or the keyed runner by a spread hash of the key) and executes a Hop on it: a task that
   * applies the function and sends the result to the next stage; the next stage's send therefore
   * runs on this stage's thread, so for one pair of runners the items arrive in the order this
   * runner produced them (per-sender FIFO). That, with one runner per key, gives the order
   * promise. A Hop carries the submitted item along, so shutdownNow() can return it.
   *
   * join() joins the stages in order, every runner of a stage before the next stage: an item
   * submitted before join() is, once stage k's runners are joined, either finished at stage k or
   * already executed on stage k+1, before stage k+1's join starts, so stage k+1's join waits for
   * it (the Python chain lines.join(); parsed.join(); ...).
   *
   * shutdown() must end stage k+1 only after stage k can hand it nothing more. Each stage counts
   * its items in flight (incremented before the hand-off, decremented once its Hop has run, after
   * that Hop's own hand-off to the next stage) and has an upstreamDone flag, set for stage 0 by
   * shutdown() and for stage k+1 when stage k ends. Whichever of "count reaches 0" and "flag set"
   * happens second sees the other (both are sequentially consistent atomics) and ends the stage:
   * shuts its runners down (they are idle or finishing the Hop that ended it) and sets the next
   * stage's flag. submit() counts its item in before it checks the shutdown flag, so a submit
   * either is refused or keeps stage 0 open until its Hop has run. Hence no hand-off is refused.
   *
   * shutdownNow() stops the stages in order: a runner's shutdownNow() waits for its running Hop,
   * whose hand-off goes to the next stage, still open; then that stage is stopped.
   */

  private static final System.Logger LOG = System.getLogger(Pipeline.class.getName());

  private final String name;
  private final List<Stage> stages;
  private final Stage first;
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final FailureHandler<I> failureHandler;
  private volatile boolean shutdown;

  private Pipeline(Builder<I, ?> builder, List<StageSpec> specs) {
    this.name = builder.name;
    this.failureHandler = builder.failureHandler;
    List<Stage> stages = new ArrayList<>(specs.size());
    try {
      for (StageSpec spec : specs) {
        stages.add(new Stage(spec, name + "." + spec.name, builder));
      }
    } catch (RuntimeException | Error e) { // could not start a thread: end those that started
      for (Stage stage : stages) {
        stage.runners.forEach(SerialExecutor::close);
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
   * @return a new builder with no stages, unbounded mailboxes and a logging failure handler
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
   * @throws RejectedExecutionException if this pipeline is shut down, or if the calling thread is
   *     interrupted while waiting for room (its interrupt status is set again); nothing is
   *     submitted
   * @throws RuntimeException whatever a keyed first stage's key function throws; nothing is
   *     submitted
   */
  public void submit(I item) {
    requireNonNull(item, "item");
    first.inFlight.incrementAndGet(); // before the check: see the implementation overview
    try {
      if (shutdown) {
        throw new RejectedExecutionException("pipeline " + name + " is shut down");
      }
      first.send(new Hop(first, item, item));
    } catch (Throwable refused) {
      first.finished();
      throw refused;
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here the work is every item submitted (by any thread) before the call; it is done once it
   * has gone through the whole pipeline: reached the sink, been dropped, or failed. A thread of
   * the pipeline must not call it.
   */
  @Override
  public void join() throws InterruptedException {
    checkNotStageThread("join()");
    boolean joined = joinStages(false, 0L);
    assert joined : "an untimed join returns only once every stage is joined";
  }

  @Override
  public boolean join(long timeout, TimeUnit unit) throws InterruptedException {
    long nanos = requireNonNull(unit, "unit").toNanos(timeout);
    checkNotStageThread("join(..)");
    return joinStages(true, nanos);
  }

  /** Joins the stages in order; see the implementation overview. */
  private boolean joinStages(boolean timed, long nanos) throws InterruptedException {
    // A negative timeout would overflow the deadline into a wait of centuries: do not wait.
    long deadline = System.nanoTime() + Math.max(0L, nanos);
    for (Stage stage : stages) {
      for (SerialExecutor runner : stage.runners) {
        if (!timed) {
          runner.join();
        } else if (!runner.join(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here every stage still processes and hands on everything it accepted, then ends, in
   * order.
   */
  @Override
  public void shutdown() {
    shutdown = true;
    first.upstreamDone();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here the work handed back is the submitted items that had not come out of the pipeline
   * (reached the sink, been dropped or failed): each as it was submitted, though the stages before
   * the one where it waited have processed it. The items waiting at later stages come first;
   * within a stage, those of one key partition are in order. It stops the stages in order and
   * waits for each stage's running function to return (it is interrupted), not interruptibly: an
   * interrupt of the calling thread is kept and set again on return. On one of this pipeline's
   * threads it throws {@link IllegalStateException}: the stages upstream of the caller would wait
   * for the caller.
   */
  @Override
  @CanIgnoreReturnValue
  public List<I> shutdownNow() {
    checkNotStageThread("shutdownNow()");
    shutdown = true;
    List<List<I>> perStage = new ArrayList<>();
    for (Stage stage : stages) {
      stage.ended.set(true);
      List<I> never = new ArrayList<>();
      for (SerialExecutor runner : stage.runners) {
        for (Runnable task : runner.shutdownNow()) {
          never.add(((Hop) task).submitted);
        }
      }
      perStage.add(never);
    }
    List<I> never = new ArrayList<>();
    for (int i = perStage.size() - 1; i >= 0; i--) {
      never.addAll(perStage.get(i));
    }
    return never;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here the pipeline has terminated once the thread of every stage has ended.
   */
  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    // A negative timeout would overflow the deadline into a wait of centuries: do not wait.
    long nanos = requireNonNull(unit, "unit").toNanos(timeout);
    long deadline = System.nanoTime() + Math.max(0L, nanos);
    checkNotStageThread("awaitTermination(..)");
    for (Stage stage : stages) {
      for (SerialExecutor runner : stage.runners) {
        if (!runner.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
          return false;
        }
      }
    }
    return true;
  }

  private void checkNotStageThread(String what) {
    for (Stage stage : stages) {
      for (SerialExecutor runner : stage.runners) {
        if (runner.isExecutorThread()) {
          throw new IllegalStateException(
              what + " called on thread " + runner.name() + " of pipeline " + name);
        }
      }
    }
  }

  /**
   * Returns whether this pipeline has been shut down, and refuses items.
   *
   * @return {@code true} after a shutdown
   */
  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    for (Stage stage : stages) {
      for (SerialExecutor runner : stage.runners) {
        if (!runner.isTerminated()) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Returns the pipeline's name.
   *
   * @return the name
   */
  @Override
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
      if (stage.runners.size() > 1) {
        s.append(" x").append(stage.runners.size());
      }
    }
    return s.append(", delivered=").append(delivered()).append(shutdown ? ", shut down]" : "]")
        .toString();
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * Receives the failure of a stage function, a key function or the sink, with the pipeline, the
   * stage's name and the item as it was submitted (the stages before the one that failed have
   * processed it). Called on the thread of the stage that failed (for a key function, the thread
   * of the stage before it, or the submitter's), before that stage takes its next item; the item
   * goes no further. It may {@link Pipeline#submit(Object) submit} the item again to retry it. If
   * it throws, that is logged (a {@link System.Logger} {@code WARNING}, with the original failure
   * suppressed in it) and the pipeline carries on.
   *
   * @param <I> the type of the items submitted to the pipeline
   */
  @FunctionalInterface
  public interface FailureHandler<I> {

    /**
     * Handles the failure of one item.
     *
     * @param pipeline the pipeline
     * @param stage the name of the stage that failed
     * @param item the item, as it was submitted
     * @param failure what the stage's code threw
     */
    void handle(Pipeline<I> pipeline, String stage, I item, Throwable failure);
  }

  /** One item at one stage: a task on one of the stage's runners. */
  private final class Hop implements Runnable {
    final Stage stage;
    final Object value;
    final I submitted;

    Hop(Stage stage, Object value, I submitted) {
      this.stage = stage;
      this.value = value;
      this.submitted = submitted;
    }

    @Override
    public void run() {
      try {
        stage.process(this);
      } finally {
        stage.finished();
      }
    }

    @Override
    public String toString() {
      return stage.name + "(" + value + ")";
    }
  }

  /** One stage: its function, its runners, and where its results go. */
  private final class Stage {
    final String name;
    final Function<Object, ?> function;
    /** The key function of a keyed stage; {@code null} for a plain stage or the sink. */
    final @Nullable Function<Object, ?> key;
    final boolean sink;
    final List<SerialExecutor> runners;
    @Nullable Stage next;
    /** Items handed to this stage whose Hop has not finished running. */
    final AtomicLong inFlight = new AtomicLong();
    /** Set once the stage before (or, for the first, submit) can hand this stage nothing more. */
    volatile boolean upstreamDone;
    /** Set by whoever ends this stage, once. */
    final AtomicBoolean ended = new AtomicBoolean();

    Stage(StageSpec spec, String threadPrefix, Builder<I, ?> builder) {
      this.name = spec.name;
      this.function = spec.function;
      this.key = spec.key;
      this.sink = spec.sink;
      List<SerialExecutor> runners = new ArrayList<>(spec.parallelism);
      try {
        for (int i = 0; i < spec.parallelism; i++) {
          SerialExecutor.Builder runner = SerialExecutor.builder()
              .name(spec.parallelism == 1 ? threadPrefix : threadPrefix + "-" + i);
          if (builder.mailboxCapacity > 0) {
            runner.mailboxCapacity(builder.mailboxCapacity);
          }
          if (builder.threadFactory != null) {
            runner.threadFactory(builder.threadFactory);
          }
          runners.add(runner.start());
        }
      } catch (RuntimeException | Error e) {
        runners.forEach(SerialExecutor::close);
        throw e;
      }
      this.runners = List.copyOf(runners);
    }

    /**
     * Runs {@code hop} on the runner that handles its value; called on the previous stage's
     * thread (or the submitter's), with {@link #inFlight} already counting it.
     */
    void send(Hop hop) {
      SerialExecutor runner;
      if (key == null) {
        runner = runners.get(0);
      } else {
        int h = Objects.hashCode(key.apply(hop.value));
        h ^= h >>> 16;
        runner = runners.get(Math.floorMod(h, runners.size()));
      }
      runner.execute(hop);
    }

    /** Runs on one of this stage's threads. */
    void process(Hop hop) {
      Object result;
      try {
        result = function.apply(hop.value);
      } catch (Throwable failure) {
        fail(name, hop.value, hop.submitted, failure);
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
      Stage to = requireNonNull(next);
      to.inFlight.incrementAndGet();
      try {
        to.send(new Hop(to, result, hop.submitted));
      } catch (Throwable failure) { // the next stage's key function threw
        to.finished();
        fail(to.name, result, hop.submitted, failure);
      }
    }

    /** One item handed to this stage is done with (run, or refused). */
    void finished() {
      if (inFlight.decrementAndGet() == 0 && upstreamDone) {
        end();
      }
    }

    /** Nothing more will be handed to this stage. */
    void upstreamDone() {
      upstreamDone = true;
      if (inFlight.get() == 0) {
        end();
      }
    }

    private void end() {
      if (ended.compareAndSet(false, true)) {
        runners.forEach(SerialExecutor::shutdown);
        if (next != null) {
          next.upstreamDone();
        }
      }
    }
  }

  private void fail(String stage, Object value, I submitted, Throwable failure) {
    failed.incrementAndGet();
    Failures.report(LOG, "stage " + stage + " of pipeline " + name, value, failure,
        () -> failureHandler.handle(this, stage, submitted, failure));
  }

  /**
   * A builder of {@link Pipeline}s: add stages in order, then a sink, which starts the pipeline.
   * Each {@code stage} call returns a new builder and leaves this one as it was, so a builder may
   * be reused as a template; {@code mailboxCapacity}, {@code threadFactory} and {@code onFailure}
   * set this builder and carry over to the builders made from it. Not thread-safe.
   *
   * @param <I> the type of the items submitted to the pipeline
   * @param <T> the type of the items coming out of the last stage added so far
   */
  public static final class Builder<I, T> {
    private final String name;
    private final List<StageSpec> specs;
    private int mailboxCapacity;
    private FailureHandler<I> failureHandler = (pipeline, stage, item, failure) -> LOG.log(
        System.Logger.Level.WARNING, () -> "stage " + stage + " of pipeline " + pipeline.name()
            + " failed on " + item, failure);
    private @Nullable ThreadFactory threadFactory;

    private Builder(String name) {
      this.name = name;
      this.specs = new ArrayList<>();
    }

    private Builder(Builder<I, ?> from, StageSpec added) {
      this.name = from.name;
      this.specs = new ArrayList<>(from.specs);
      this.specs.add(added);
      this.mailboxCapacity = from.mailboxCapacity;
      this.failureHandler = from.failureHandler;
      this.threadFactory = from.threadFactory;
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
     * {@code WARNING}); see {@link FailureHandler}.
     *
     * @param handler the failure handler
     * @return this builder
     * @throws NullPointerException if {@code handler} is {@code null}
     */
    public Builder<I, T> onFailure(FailureHandler<I> handler) {
      this.failureHandler = requireNonNull(handler, "handler");
      return this;
    }

    /**
     * Makes every stage's threads come from {@code threadFactory} (a virtual thread with
     * {@code Thread.ofVirtual().factory()} on JDK 21+); see
     * {@link SerialExecutor.Builder#threadFactory(ThreadFactory)}.
     *
     * @param threadFactory returns a new, unstarted thread
     * @return this builder
     * @throws NullPointerException if {@code threadFactory} is {@code null}
     */
    public Builder<I, T> threadFactory(ThreadFactory threadFactory) {
      this.threadFactory = requireNonNull(threadFactory, "threadFactory");
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
      return new Pipeline<>(this, all);
    }
  }

  /** What the builder knows about a stage before it starts. */
  private static final class StageSpec {
    final String name;
    final Function<Object, ?> function;
    final @Nullable Function<Object, ?> key;
    final int parallelism;
    final boolean sink;

    StageSpec(String name, Function<Object, ?> function, @Nullable Function<Object, ?> key,
        int parallelism, boolean sink) {
      this.name = name;
      this.function = function;
      this.key = key;
      this.parallelism = parallelism;
      this.sink = sink;
    }
  }
}
