package io.github.gilpatterns.benchmarks;

import io.github.gilpatterns.gil.Gil;
import io.github.gilpatterns.gil.GilExecutor;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
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

/**
 * What running a task under the GIL costs: {@link GilExecutor#create(Gil, int)} against the
 * plain {@code ThreadPoolExecutor} it wraps (fixed size, unbounded
 * {@code LinkedBlockingQueue}), with 1 or 2 workers ({@code @Param workers}) and a trivial
 * task (an {@code AtomicLong} increment). {@code execute} measures tasks run per second, one
 * producer thread calling {@code execute} with the bounded {@link Backlog} of
 * {@link OwnerTellBenchmark} (so the count is the workers' rate, not the producer's);
 * {@code submitAndGet} measures the average round trip of {@code submit(task).get()}.
 *
 * <p>A {@code GilExecutor} task takes the GIL before it runs and drops it after: with one
 * worker that is an uncontended acquire and release per task; with two, the workers hand the
 * GIL to each other (as CPython's thread pool does), and the difference to the plain pool is
 * the price of the emulation, not of the executor.
 *
 * <p>Run (about 2 minutes):
 * <pre>
 * mvn -B -ntp -o -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar GilExecutorBenchmark -f 1 -wi 2 -i 3 -r 2s
 * </pre>
 */
@State(Scope.Benchmark)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@Threads(1)
public class GilExecutorBenchmark {

  /** {@code gilExecutor} or {@code threadPoolExecutor}. */
  @Param({"gilExecutor", "threadPoolExecutor"})
  public String executor;

  /** Worker threads. */
  @Param({"1", "2"})
  public int workers;

  private ExecutorService pool;
  private final AtomicLong ran = new AtomicLong();
  private final Runnable task = ran::incrementAndGet;
  private final Callable<Long> callable = ran::incrementAndGet;
  private final Backlog backlog = new Backlog() {
    @Override
    long processed() {
      return ran.get();
    }
  };
  private final Queue<Producer> producerStates = new ConcurrentLinkedQueue<>();

  /** The producer thread's count of tasks submitted. */
  @State(Scope.Thread)
  public static class Producer {
    long sent;
    int slot;

    /**
     * Registers this producer with the backlog.
     *
     * @param benchmark the shared benchmark state
     */
    @Setup(Level.Trial)
    public void register(GilExecutorBenchmark benchmark) {
      benchmark.producerStates.add(this);
      slot = benchmark.backlog.register();
    }
  }

  /** Creates the executor. */
  @Setup(Level.Trial)
  public void start() {
    switch (executor) {
      case "gilExecutor":
        pool = GilExecutor.create(Gil.create(), workers);
        break;
      case "threadPoolExecutor":
        pool = new ThreadPoolExecutor(workers, workers, 0L, TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>());
        break;
      default:
        throw new IllegalArgumentException("unknown executor " + executor);
    }
  }

  /**
   * Shuts the executor down and checks that every task ran.
   *
   * @throws InterruptedException if interrupted while waiting for termination
   */
  @TearDown(Level.Trial)
  public void stop() throws InterruptedException {
    pool.shutdown();
    if (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
      throw new IllegalStateException(executor + " did not terminate");
    }
    long sent = 0;
    for (Producer p : producerStates) {
      sent += p.sent;
    }
    if (ran.get() < sent) { // submitAndGet adds runs but no sends
      throw new IllegalStateException(executor + ": ran " + ran.get() + " of " + sent);
    }
  }

  /**
   * {@code execute(task)}, counted as tasks run per second.
   *
   * @param p the producer's state
   */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public void execute(Producer p) {
    pool.execute(task);
    backlog.afterSend(++p.sent, 1, p.slot);
  }

  /**
   * {@code submit(task).get()}: one round trip.
   *
   * @return the task's result
   * @throws InterruptedException never in this benchmark
   * @throws ExecutionException never in this benchmark
   */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Long submitAndGet() throws InterruptedException, ExecutionException {
    return pool.submit(callable).get();
  }
}
