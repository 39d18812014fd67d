package io.github.gilpatterns.benchmarks;

import io.github.gilpatterns.queue.JoinableQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Hand-off through a blocking queue of capacity 1024: N producers {@code put}, N consumers
 * {@code take} and, for {@link JoinableQueue}, report each item done with
 * {@link JoinableQueue#taskDone()}, in items per second. {@code p1c1} runs one producer and
 * one consumer, {@code p4c4} four of each. Target: {@code joinableQueue} (put, take,
 * taskDone) at or above {@code linkedBlockingQueue} (put, take): join tracking must be free.
 * {@link JoinableQueueOneThreadBenchmark} measures the same trip on one thread, without the
 * parking and unparking that make this one's figures spread.
 *
 * <p>Variants ({@code @Param variant}): {@code joinableQueue} ({@code JoinableQueue.bounded}
 * with {@code taskDone()} after each take), {@code joinableQueueNoTaskDone} (the same queue,
 * no {@code taskDone()}: what the tracking alone costs is the difference),
 * {@code linkedBlockingQueue} and {@code arrayBlockingQueue}, all of capacity 1024, and
 * {@code linkedTransferQueue}, the JDK's lock-free blocking queue, which has no capacity.
 *
 * <p><b>What is counted.</b> JMH's threads are the producers, one {@code put} per operation;
 * the consumers are threads started by the benchmark, as many as the producers, each looping
 * over {@code take()}. Because the queue is bounded, a producer cannot get more than 1024
 * items ahead of the consumers, so puts per second are takes per second. Blocking
 * {@code put}/{@code take} inside JMH's own threads on both sides would hang at the end of an
 * iteration, when one side stops while the other waits on a full or empty queue; consumers
 * outside JMH keep draining. {@code LinkedTransferQueue.put} never blocks, so for that
 * variant the producers wait instead on the same {@link Backlog} as the owner benchmarks
 * (at most about 65,536 items put and not yet taken; each consumer publishes its count of
 * takes), so that its puts per second are still takes per second. The teardown checks that
 * every put was taken (and, for the joinable queue, that {@code join()} returns).
 *
 * <p>Run (about 2 minutes):
 * <pre>
 * mvn -B -ntp -o -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar JoinableQueueBenchmark -f 1 -wi 2 -i 3 -r 2s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class JoinableQueueBenchmark {
  private static final int CAPACITY = 1024;
  private static final Object ITEM = new Object();
  private static final Object STOP = new Object();

  /** The queue under test; see the class documentation. */
  @Param({"joinableQueue", "joinableQueueNoTaskDone", "linkedBlockingQueue", "arrayBlockingQueue",
      "linkedTransferQueue"})
  public String variant;

  private BlockingQueue<Object> queue;
  private JoinableQueue<Object> joinable;
  private final List<Thread> consumers = new ArrayList<>();
  private final AtomicLong taken = new AtomicLong();
  private final Queue<Producer> producerStates = new ConcurrentLinkedQueue<>();
  /** The unbounded queue's backlog; {@code null} for the bounded ones. */
  private Takes takes;
  private int producers;

  /** The consumers' published counts of takes, for the backlog of an unbounded queue. */
  static final class Takes extends Backlog {
    private final PublishedCount[] counts;

    Takes(int consumers) {
      counts = new PublishedCount[consumers];
      for (int i = 0; i < consumers; i++) {
        counts[i] = new PublishedCount();
      }
    }

    @Override
    long processed() {
      long sum = 0;
      for (PublishedCount c : counts) {
        sum += c.get();
      }
      return sum;
    }
  }

  /** One producer thread's count of puts. */
  @State(Scope.Thread)
  public static class Producer {
    long puts;
    int slot;

    /**
     * Registers this producer so that the teardown can add up the puts.
     *
     * @param benchmark the shared benchmark state
     */
    @Setup(Level.Trial)
    public void register(JoinableQueueBenchmark benchmark) {
      benchmark.producerStates.add(this);
      if (benchmark.takes != null) {
        slot = benchmark.takes.register();
      }
    }
  }

  /**
   * Creates the queue and starts as many consumers as there are producers.
   *
   * @param params the run's parameters (for the number of threads)
   */
  @Setup(Level.Trial)
  public void start(BenchmarkParams params) {
    queue = newQueue(variant, CAPACITY);
    joinable = queue instanceof JoinableQueue ? (JoinableQueue<Object>) queue : null;
    boolean taskDone = variant.equals("joinableQueue");
    producers = params.getThreads();
    takes = queue.remainingCapacity() == Integer.MAX_VALUE ? new Takes(producers) : null;
    for (int i = 0; i < producers; i++) {
      PublishedCount published = takes == null ? null : takes.counts[i];
      Thread t = new Thread(
          taskDone ? this::consumeTaskDone : () -> consume(published), "consumer-" + i);
      t.setDaemon(true);
      t.start();
      consumers.add(t);
    }
  }

  /**
   * The queue a {@code variant} names: {@code joinableQueue} and {@code joinableQueueNoTaskDone}
   * are a bounded {@link JoinableQueue}, the others the JDK queue of that name.
   */
  static BlockingQueue<Object> newQueue(String variant, int capacity) {
    switch (variant) {
      case "joinableQueue":
      case "joinableQueueNoTaskDone":
        return JoinableQueue.bounded(capacity);
      case "linkedBlockingQueue":
        return new LinkedBlockingQueue<>(capacity);
      case "arrayBlockingQueue":
        return new ArrayBlockingQueue<>(capacity);
      case "linkedTransferQueue":
        return new LinkedTransferQueue<>(); // no capacity: see the class documentation
      default:
        throw new IllegalArgumentException("unknown variant " + variant);
    }
  }

  /** Takes until STOP; publishes the count after each take if {@code published} is given. */
  private void consume(PublishedCount published) {
    final BlockingQueue<Object> q = queue;
    long n = 0;
    try {
      while (q.take() != STOP) {
        n++;
        if (published != null) {
          published.publish(n);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      taken.addAndGet(n);
    }
  }

  private void consumeTaskDone() {
    final JoinableQueue<Object> q = joinable;
    long n = 0;
    try {
      for (Object item; (item = q.take()) != STOP; ) {
        n++;
        q.taskDone();
      }
      q.taskDone(); // the STOP item too, so that join() returns
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      taken.addAndGet(n);
    }
  }

  /**
   * Stops the consumers and checks that every put was taken.
   *
   * @throws InterruptedException if interrupted while stopping
   * @throws IllegalStateException if an item was lost or join() does not return
   */
  @TearDown(Level.Trial)
  public void stop() throws InterruptedException {
    for (int i = 0; i < consumers.size(); i++) {
      queue.put(STOP);
    }
    for (Thread t : consumers) {
      t.join(TimeUnit.MINUTES.toMillis(1));
      if (t.isAlive()) {
        throw new IllegalStateException(t.getName() + " did not stop");
      }
    }
    long puts = 0;
    for (Producer p : producerStates) {
      puts += p.puts;
    }
    if (taken.get() != puts) {
      throw new IllegalStateException(variant + ": took " + taken.get() + " of " + puts);
    }
    if (variant.equals("joinableQueue") && !joinable.join(Duration.ofSeconds(10))) {
      throw new IllegalStateException("join() did not return; unfinished tasks: "
          + joinable.unfinishedTasks());
    }
  }

  /**
   * One producer (and one consumer).
   *
   * @param p this producer's state
   * @throws InterruptedException never in this benchmark
   */
  @Benchmark
  @Threads(1)
  public void p1c1(Producer p) throws InterruptedException {
    queue.put(ITEM);
    p.puts++;
    if (takes != null) {
      takes.afterSend(p.puts, producers, p.slot);
    }
  }

  /**
   * Four producers (and four consumers).
   *
   * @param p this producer's state
   * @throws InterruptedException never in this benchmark
   */
  @Benchmark
  @Threads(4)
  public void p4c4(Producer p) throws InterruptedException {
    queue.put(ITEM);
    p.puts++;
    if (takes != null) {
      takes.afterSend(p.puts, producers, p.slot);
    }
  }
}
