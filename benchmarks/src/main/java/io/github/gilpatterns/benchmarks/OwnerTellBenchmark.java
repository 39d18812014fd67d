package io.github.gilpatterns.benchmarks;

import io.github.gilpatterns.owner.Owner;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;
import org.jctools.queues.atomic.MpscLinkedAtomicQueue;
import org.jctools.queues.atomic.MpscUnboundedAtomicArrayQueue;
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
 * Hettinger's counter manager: 1 or 4 producer threads send {@code c -> c.count++} to one
 * thread that owns the counter, in messages per second; {@link Owner#tell} beside what a Java
 * user would write instead. Targets (ratios in one run): {@code owner} at least 5 times
 * {@code singleThreadExecutor} and at least half of {@code jctoolsMpscSpin}; and at least 100
 * times CPython's counter manager (about 214,000 increments/s on this machine kind). Against
 * the peers, with 4 producers: {@code owner} at least 10 times {@code pekkoClassic}, twice
 * {@code pekkoClassicTuned} and 5 times {@code sequentialExecutor}, and at least 90% of the
 * best spinning consumer ({@code jctoolsMpscSpin}, {@code agronaSpin},
 * {@code disruptorYielding}), though the owner parks when idle and they do not.
 *
 * <p>Variants ({@code @Param variant}):
 * <ul>
 *   <li>{@code owner}: {@link Owner#tell} with the default unbounded mailbox;
 *   <li>{@code ownerBounded1024}: the same with {@code mailboxCapacity(1024)};
 *   <li>{@code ownerPlainState}: {@code Owner.start(name, new PlainCounter())}, the owned state
 *       as a user writes it, unpadded and allocated just before the owner (the other variants'
 *       counters are padded; see {@link Counter});
 *   <li>{@code singleThreadExecutor}: {@code Executors.newSingleThreadExecutor().execute(..)};
 *   <li>{@code linkedBlockingQueue}, {@code arrayBlockingQueue1024}: an owner thread written
 *       by hand around {@code take()} of an unbounded {@code LinkedBlockingQueue} or an
 *       {@code ArrayBlockingQueue(1024)}, producers {@code put};
 *   <li>{@code jctoolsMpscSpin}: the ceiling, JCTools' {@code MpscUnboundedAtomicArrayQueue}
 *       (chunk 1024; the algorithm the owner's mailbox follows) with a consumer that spins on
 *       {@code relaxedPoll()} and never parks: {@code Owner} minus everything it adds (the
 *       closed bit, parking when idle, error handling);
 *   <li>{@code jctoolsMpscArraySpin}, {@code jctoolsMpscLinkedSpin}: the same with JCTools'
 *       {@code MpscAtomicArrayQueue(16384)} and {@code MpscLinkedAtomicQueue}, other
 *       ceilings for comparison;
 *   <li>{@code synchronizedCounter}, {@code atomicLong}, {@code longAdder}: no owner at all,
 *       the producers increment a shared counter directly (what the owner pattern replaces);
 *   <li>the peers, each written as its users write it (see {@link TellPeers}): Pekko actors
 *       ({@code pekkoClassic}, {@code pekkoTyped}, default configuration;
 *       {@code pekkoClassicTuned}, {@code pekkoTypedTuned}, a pinned dispatcher with
 *       {@code throughput = 1000} and {@code SingleConsumerOnlyUnboundedMailbox}), Guava's
 *       {@code sequentialExecutor} over a single thread, gilpatterns' {@code serialExecutor},
 *       the multi-producer LMAX Disruptor ({@code disruptorBlocking}, {@code disruptorYielding})
 *       and Agrona's {@code ManyToOneConcurrentArrayQueue} ({@code agronaSpin},
 *       {@code agronaPark}).
 * </ul>
 *
 * <p><b>What is counted.</b> JMH's threads are the producers and each operation is one send;
 * the consumer is a thread of the variant. So that the producer-side count measures what the
 * consumer processes, every queue variant runs with the same bounded {@link Backlog}: every
 * 32 sends a producer checks, and sleeps while more than 65,536 messages are sent and not yet
 * processed. The bound is deep enough that the consumer never runs dry while producers
 * sleep (so the figure is the consumer's capacity), and bounded so that an unbounded mailbox
 * with faster producers cannot measure the producers and the heap instead; producers sleep
 * rather than spin or yield so that they leave the CPU to the consumer they wait for (four
 * producers and a consumer share 2 vCPUs here). Each consumer publishes its processed count
 * after each message (the owner does so itself; the hand-rolled consumers and the
 * executor's task do the same release store). At the end of each trial the teardown checks
 * that the counter equals the number of sends, so a variant that loses messages fails the
 * run. The counter variants have no consumer and no backlog.
 *
 * <p>Run (about 9 minutes for every variant; 4 producers and a consumer on 2 vCPUs are
 * oversubscribed, as in CPython's experiment); the second command is the peers' comparison,
 * with the allocation per message ({@code gc.alloc.rate.norm}: one operation is one send, and
 * JMH's GC profiler counts the bytes every thread allocated, the consumer's too):
 * <pre>
 * mvn -B -ntp -o -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar OwnerTellBenchmark -f 1 -wi 2 -i 3 -r 2s
 * java -jar benchmarks/target/benchmarks.jar OwnerTellBenchmark -f 2 -wi 2 -i 4 -r 1s -prof gc \
 *     -p variant=owner,ownerBounded1024,singleThreadExecutor,jctoolsMpscSpin,pekkoClassic,\
 * pekkoClassicTuned,pekkoTyped,pekkoTypedTuned,sequentialExecutor,serialExecutor,\
 * disruptorBlocking,disruptorYielding,agronaSpin,agronaPark
 * </pre>
 * {@code tell1} runs 1 producer and {@code tell4} 4 producers, each against every variant.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
// Agrona 2 reads jdk.internal.misc.Unsafe; its documentation asks for this export.
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public class OwnerTellBenchmark {

  /** The variant under test; see the class documentation. */
  @Param({
      "owner", "ownerBounded1024", "ownerPlainState", "singleThreadExecutor", "linkedBlockingQueue",
      "arrayBlockingQueue1024", "jctoolsMpscSpin", "jctoolsMpscArraySpin",
      "jctoolsMpscLinkedSpin", "synchronizedCounter", "atomicLong", "longAdder", "pekkoClassic",
      "pekkoClassicTuned", "pekkoTyped", "pekkoTypedTuned", "sequentialExecutor", "serialExecutor",
      "disruptorBlocking", "disruptorYielding", "agronaSpin", "agronaPark"})
  public String variant;

  private Variant sink;
  private int producers;
  private final Queue<Producer> producerStates = new ConcurrentLinkedQueue<>();

  /**
   * The owned state: a plain field, touched only by the consumer thread, with 128 bytes of
   * padding on each side. Every variant allocates its counter right after itself, and the
   * producers read the variant's fields on every send; unpadded, the consumer's write of
   * {@code count} after each message invalidated the producers' copy of those fields
   * whenever the two objects shared a cache line, which depends on where a fork's heap put
   * them: one variant measured 15 M/s in some forks and 45 M/s in others.
   */
  static final class Counter extends CounterValue {
    long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;
  }

  /** The counter's value, after {@link CounterPadding} (superclass fields are laid out first). */
  static class CounterValue extends CounterPadding {
    long count;
  }

  /** Padding before the counter's value. */
  static class CounterPadding {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
  }

  /** The message every producer sends. */
  static final Consumer<Counter> INCREMENT = c -> c.count++;

  /** One producer thread's count of sends. */
  @State(Scope.Thread)
  public static class Producer {
    long sent;
    int slot;

    /**
     * Registers this producer so that the teardown can add up the sends.
     *
     * @param benchmark the shared benchmark state
     */
    @Setup(Level.Trial)
    public void register(OwnerTellBenchmark benchmark) {
      benchmark.producerStates.add(this);
      slot = benchmark.sink.register();
    }
  }

  /**
   * Starts the consumer of the variant.
   *
   * @param params the run's parameters (for the number of producer threads)
   */
  @Setup(Level.Trial)
  public void start(BenchmarkParams params) {
    producers = params.getThreads();
    sink = Variant.of(variant);
  }

  /**
   * Stops the consumer after it has processed every message, and checks the count.
   *
   * @throws Exception if stopping fails
   * @throws IllegalStateException if the counter does not equal the number of sends
   */
  @TearDown(Level.Trial)
  public void stop() throws Exception {
    long count = sink.close();
    long sent = 0;
    for (Producer p : producerStates) {
      sent += p.sent;
    }
    if (count != sent) {
      throw new IllegalStateException(variant + ": counted " + count + " of " + sent + " sends");
    }
  }

  /**
   * One producer.
   *
   * @param p this thread's state
   */
  @Benchmark
  @Threads(1)
  public void tell1(Producer p) {
    sink.send();
    sink.afterSend(++p.sent, producers, p.slot);
  }

  /**
   * Four producers into one consumer.
   *
   * @param p this thread's state
   */
  @Benchmark
  @Threads(4)
  public void tell4(Producer p) {
    sink.send();
    sink.afterSend(++p.sent, producers, p.slot);
  }

  /** One way of counting; only one subclass is loaded per fork, so calls stay monomorphic. */
  abstract static class Variant extends Backlog {
    /** Sends one increment. */
    abstract void send();

    /**
     * Stops the consumer once everything sent has been processed.
     *
     * @return the final count
     * @throws Exception if stopping fails
     */
    abstract long close() throws Exception;

    static Variant of(String name) {
      switch (name) {
        case "owner":
          return new OwnerVariant(0);
        case "ownerBounded1024":
          return new OwnerVariant(1024);
        case "ownerPlainState":
          return new PlainStateOwnerVariant();
        case "singleThreadExecutor":
          return new ExecutorVariant();
        case "linkedBlockingQueue":
          return new BlockingQueueVariant(new LinkedBlockingQueue<>());
        case "arrayBlockingQueue1024":
          return new BlockingQueueVariant(new ArrayBlockingQueue<>(1024));
        case "jctoolsMpscSpin":
          return new JctoolsSpinVariant(new MpscUnboundedAtomicArrayQueue<>(1024));
        case "jctoolsMpscArraySpin":
          return new JctoolsSpinVariant(new MpscAtomicArrayQueue<>(16384));
        case "jctoolsMpscLinkedSpin":
          return new JctoolsSpinVariant(new MpscLinkedAtomicQueue<>());
        case "synchronizedCounter":
          return new SynchronizedVariant();
        case "atomicLong":
          return new AtomicLongVariant();
        case "longAdder":
          return new LongAdderVariant();
        default:
          Variant peer = TellPeers.of(name);
          if (peer == null) {
            throw new IllegalArgumentException("unknown variant " + name);
          }
          return peer;
      }
    }
  }

  static final class OwnerVariant extends Variant {
    private final Counter counter = new Counter();
    private final Owner<Counter> owner;

    /** Capacity 0: the default unbounded mailbox. */
    OwnerVariant(int capacity) {
      Owner.Builder<Counter> builder = Owner.builder(counter).name("counter-owner").daemon(true);
      if (capacity > 0) {
        builder.mailboxCapacity(capacity);
      }
      this.owner = builder.start();
    }

    @Override
    void send() {
      owner.tell(INCREMENT);
    }

    @Override
    long processed() {
      return owner.processed();
    }

    @Override
    long close() {
      owner.close();
      return counter.count;
    }
  }

  /** The owned state as a user would write it: no padding. */
  static final class PlainCounter {
    long count;
  }

  /**
   * {@code Owner.start(name, new PlainCounter())}: the state allocated just before the owner,
   * as in the class documentation of {@link Owner}, and away from this variant object (the
   * backlog's 8 KB of counters lie between them at allocation).
   */
  static final class PlainStateOwnerVariant extends Variant {
    private final Owner<PlainCounter> owner;

    PlainStateOwnerVariant() {
      this.owner = Owner.builder(new PlainCounter()).name("counter-owner").daemon(true).start();
    }

    @Override
    void send() {
      owner.tell(PLAIN_INCREMENT);
    }

    @Override
    long processed() {
      return owner.processed();
    }

    @Override
    long close() throws Exception {
      long count = owner.ask(c -> c.count).get();
      owner.close();
      return count;
    }
  }

  static final Consumer<PlainCounter> PLAIN_INCREMENT = c -> c.count++;

  static final class ExecutorVariant extends Variant {
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "counter-executor");
      t.setDaemon(true);
      return t;
    });
    private final Counter counter = new Counter();
    private final PublishedCount published = new PublishedCount();
    private final Runnable increment = () -> {
      INCREMENT.accept(counter);
      published.publish(counter.count);
    };

    @Override
    void send() {
      executor.execute(increment);
    }

    @Override
    long processed() {
      return published.get();
    }

    @Override
    long close() throws InterruptedException {
      executor.shutdown();
      if (!executor.awaitTermination(1, TimeUnit.MINUTES)) {
        throw new IllegalStateException("executor did not terminate");
      }
      return counter.count;
    }
  }

  /** An owner thread written by hand around a {@link BlockingQueue}. */
  static final class BlockingQueueVariant extends Variant {
    private static final Consumer<Counter> STOP = c -> { };
    private final BlockingQueue<Consumer<Counter>> queue;
    private final Counter counter = new Counter();
    private final PublishedCount published = new PublishedCount();
    private final Thread consumer;

    BlockingQueueVariant(BlockingQueue<Consumer<Counter>> queue) {
      this.queue = queue;
      this.consumer = new Thread(this::consume, "counter-consumer");
      consumer.setDaemon(true);
      consumer.start();
    }

    private void consume() {
      long n = 0;
      try {
        for (Consumer<Counter> m; (m = queue.take()) != STOP; ) {
          m.accept(counter);
          published.publish(++n);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    void send() {
      try {
        queue.put(INCREMENT);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    @Override
    long processed() {
      return published.get();
    }

    @Override
    long close() throws InterruptedException {
      queue.put(STOP);
      consumer.join();
      return counter.count;
    }
  }

  /** The ceiling: a raw JCTools MPSC queue with a consumer that only spins. */
  static final class JctoolsSpinVariant extends Variant {
    private final MessagePassingQueue<Consumer<Counter>> queue;
    private final Counter counter = new Counter();
    private final PublishedCount published = new PublishedCount();
    private volatile boolean stopping;
    private final Thread consumer;

    JctoolsSpinVariant(MessagePassingQueue<Consumer<Counter>> queue) {
      this.queue = queue;
      this.consumer = new Thread(this::consume, "counter-spinner");
      consumer.setDaemon(true);
      consumer.start();
    }

    private void consume() {
      long n = 0;
      for (;;) {
        Consumer<Counter> m = queue.relaxedPoll();
        if (m != null) {
          m.accept(counter);
          published.publish(++n);
        } else if (stopping && queue.isEmpty()) {
          return; // producers have stopped before stopping was set
        } else {
          Thread.onSpinWait();
        }
      }
    }

    @Override
    void send() {
      while (!queue.offer(INCREMENT)) {
        Thread.onSpinWait(); // a bounded queue is full (the backlog allows a little more)
      }
    }

    @Override
    long processed() {
      return published.get();
    }

    @Override
    long close() throws InterruptedException {
      stopping = true;
      consumer.join();
      return counter.count;
    }
  }

  static final class SynchronizedVariant extends Variant {
    private final Counter counter = new Counter();

    @Override
    void send() {
      synchronized (counter) {
        counter.count++;
      }
    }

    @Override
    long processed() {
      return Long.MAX_VALUE; // no backlog: the increment is done when send returns
    }

    @Override
    long close() {
      synchronized (counter) {
        return counter.count;
      }
    }
  }

  static final class AtomicLongVariant extends Variant {
    private final AtomicLong counter = new AtomicLong();

    @Override
    void send() {
      counter.incrementAndGet();
    }

    @Override
    long processed() {
      return Long.MAX_VALUE;
    }

    @Override
    long close() {
      return counter.get();
    }
  }

  static final class LongAdderVariant extends Variant {
    private final LongAdder counter = new LongAdder();

    @Override
    void send() {
      counter.increment();
    }

    @Override
    long processed() {
      return Long.MAX_VALUE;
    }

    @Override
    long close() {
      return counter.sum();
    }
  }
}
