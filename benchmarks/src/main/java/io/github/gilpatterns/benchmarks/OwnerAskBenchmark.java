package io.github.gilpatterns.benchmarks;

import io.github.gilpatterns.benchmarks.TellPeers.ClassicCounter;
import io.github.gilpatterns.benchmarks.TellPeers.Command;
import io.github.gilpatterns.benchmarks.TellPeers.GetCount;
import io.github.gilpatterns.benchmarks.TellPeers.TypedCounterSystem;
import io.github.gilpatterns.benchmarks.TellPeers.TypedGetCount;
import io.github.gilpatterns.owner.Owner;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.pattern.Patterns;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Round trip of a query to the thread that owns a state: one caller sends a read of the
 * counter and waits for the answer. {@code ownerAsk} is {@code owner.ask(c -> c.count).get()};
 * the baseline a Java user would write is {@code CompletableFuture.supplyAsync(() ->
 * counter.count, singleThreadExecutor).join()} ({@code completableFuture}); {@code
 * executorSubmit} is {@code singleThreadExecutor.submit(..).get()}; {@code pekkoAsk} is Pekko's
 * ask pattern on a classic actor, {@code Patterns.ask(actor, GetCount.INSTANCE,
 * timeout).toCompletableFuture().join()}, and {@code pekkoTypedAsk} the typed one,
 * {@code AskPattern.ask(actor, GetCount::new, timeout, scheduler)}, each actor in an
 * {@code ActorSystem} with Pekko's default configuration (the actors of
 * {@link TellPeers}). Sample mode, so JMH reports the median ({@code p0.50}) and
 * {@code p0.99} of single round trips. Targets: the owner's median no worse than
 * {@code completableFuture}'s, nor than {@code pekkoAsk}'s.
 *
 * <p>Each round trip wakes the owner (or the executor's worker) unless it is still spinning
 * after the previous message, and wakes the caller unless the answer comes before it parks;
 * so on a loaded 2-vCPU machine the tail is the scheduler's.
 *
 * <p>Run (about 1 minute):
 * <pre>
 * mvn -B -ntp -o -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar OwnerAskBenchmark -f 1 -wi 2 -i 3 -r 2s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@Threads(1)
public class OwnerAskBenchmark {

  /** The owned state: a plain field, touched only by its owner thread. */
  static final class Counter {
    long count;
  }

  private static final Function<Counter, Long> READ = c -> c.count;

  /** The ask pattern's timeout: far longer than any round trip, as in Pekko's examples. */
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);

  /** A classic actor, started only for the benchmark that uses it. */
  @State(Scope.Benchmark)
  public static class PekkoClassic {
    ActorSystem system;
    ActorRef counter;

    /** Starts an actor system with the default configuration, and the counter actor. */
    @Setup(Level.Trial)
    public void start() {
      system = ActorSystem.create("ask");
      PublishedCount published = new PublishedCount();
      counter = system.actorOf(
          Props.create(ClassicCounter.class, () -> new ClassicCounter(published)), "counter");
    }

    /**
     * Terminates the actor system and waits until it has.
     *
     * @throws Exception if it does not terminate in time
     */
    @TearDown(Level.Trial)
    public void stop() throws Exception {
      system.terminate();
      TellPeers.awaitTerminated(system.getWhenTerminated());
    }
  }

  /** A typed actor, started only for the benchmark that uses it. */
  @State(Scope.Benchmark)
  public static class PekkoTyped {
    TypedCounterSystem pekko;
    org.apache.pekko.actor.typed.ActorRef<Command> counter;
    Scheduler scheduler;

    /** Starts a typed actor system with the default configuration, and the counter actor. */
    @Setup(Level.Trial)
    public void start() {
      pekko = TypedCounterSystem.start(false, new PublishedCount());
      counter = pekko.counter();
      scheduler = pekko.system().scheduler();
    }

    /**
     * Terminates the actor system and waits until it has.
     *
     * @throws Exception if it does not terminate in time
     */
    @TearDown(Level.Trial)
    public void stop() throws Exception {
      pekko.terminate();
    }
  }

  private Owner<Counter> owner;
  private ExecutorService executor;
  private Supplier<Long> supplier;
  private Callable<Long> callable;

  /** Starts the owner and the single-thread executor (each idle unless its benchmark runs). */
  @Setup(Level.Trial)
  public void start() {
    owner = Owner.builder(new Counter()).name("ask-owner").daemon(true).start();
    executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "ask-executor");
      t.setDaemon(true);
      return t;
    });
    Counter counter = new Counter(); // touched only by the executor's thread
    supplier = () -> counter.count;
    callable = () -> counter.count;
  }

  /**
   * Stops both.
   *
   * @throws InterruptedException if interrupted while waiting for the executor
   */
  @TearDown(Level.Trial)
  public void stop() throws InterruptedException {
    owner.close();
    executor.shutdown();
    if (!executor.awaitTermination(1, TimeUnit.MINUTES)) {
      throw new IllegalStateException("executor did not terminate");
    }
  }

  /**
   * {@code owner.ask(c -> c.count).get()}.
   *
   * @return the count
   * @throws InterruptedException never in this benchmark
   * @throws ExecutionException never in this benchmark
   */
  @Benchmark
  public Long ownerAsk() throws InterruptedException, ExecutionException {
    return owner.ask(READ).get();
  }

  /**
   * {@code CompletableFuture.supplyAsync(() -> counter.count, executor).join()}.
   *
   * @return the count
   */
  @Benchmark
  public Long completableFuture() {
    return CompletableFuture.supplyAsync(supplier, executor).join();
  }

  /**
   * {@code executor.submit(() -> counter.count).get()}.
   *
   * @return the count
   * @throws InterruptedException never in this benchmark
   * @throws ExecutionException never in this benchmark
   */
  @Benchmark
  public Long executorSubmit() throws InterruptedException, ExecutionException {
    return executor.submit(callable).get();
  }

  /**
   * {@code Patterns.ask(actor, GetCount.INSTANCE, timeout).toCompletableFuture().join()}.
   *
   * @param pekko the classic actor
   * @return the count
   */
  @Benchmark
  public Object pekkoAsk(PekkoClassic pekko) {
    return Patterns.ask(pekko.counter, GetCount.INSTANCE, ASK_TIMEOUT).toCompletableFuture().join();
  }

  /**
   * {@code AskPattern.ask(actor, GetCount::new, timeout, scheduler)}, joined.
   *
   * @param pekko the typed actor
   * @return the count
   */
  @Benchmark
  public Long pekkoTypedAsk(PekkoTyped pekko) {
    return AskPattern.<Command, Long>ask(
            pekko.counter, TypedGetCount::new, ASK_TIMEOUT, pekko.scheduler)
        .toCompletableFuture().join();
  }
}
