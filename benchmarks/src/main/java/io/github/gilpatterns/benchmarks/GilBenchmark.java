package io.github.gilpatterns.benchmarks;

import io.github.gilpatterns.gil.Gil;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@link Gil#checkpoint()} costs when nobody waits for the GIL: alone, in a loop, and
 * sitting in a recursive {@code fib} (one checkpoint per call, where CPython checks its
 * eval breaker) against the same {@code fib} without it. Targets: at most 2 ns per
 * checkpoint, and {@code fibCheckpoint} at most 1.5 times {@code fibPlain}. The thread
 * holds an uncontended {@link Gil#create() Gil}, as a single CPython thread holds the GIL.
 *
 * <p>Run (about 3 minutes):
 * <pre>
 * mvn -B -ntp -o -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar GilBenchmark
 * </pre>
 * Smoke run: {@code java -jar benchmarks/target/benchmarks.jar GilBenchmark -f 1 -wi 1 -i 2 -r 1s}.
 * The hand-off latency is measured by {@link GilHandoffLatency}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class GilBenchmark {
  /** Argument of fib; 30 as in the CPython runs of the notebooks the examples re-run. */
  @Param("30")
  public int n;

  private Gil gil;

  /**
   * Takes an uncontended GIL for the benchmark thread.
   *
   * @throws InterruptedException never (nobody else holds the GIL)
   */
  @Setup(Level.Trial)
  public void takeGil() throws InterruptedException {
    gil = Gil.create();
    gil.acquire();
  }

  /** Releases the GIL. */
  @TearDown(Level.Trial)
  public void releaseGil() {
    gil.release();
  }

  /** The harness's own cost, to subtract from {@link #checkpoint()}. */
  @Benchmark
  public void baseline() {
    // empty
  }

  /** One uncontended checkpoint per operation (includes the harness's call overhead). */
  @Benchmark
  public void checkpoint() {
    Gil.checkpoint();
  }

  /**
   * 1000 uncontended checkpoints per invocation, reported per checkpoint: the cost a
   * loop back-edge pays, without the harness's call overhead.
   */
  @Benchmark
  @OperationsPerInvocation(1000)
  public void checkpointInLoop() {
    for (int i = 0; i < 1000; i++) {
      Gil.checkpoint();
    }
  }

  /**
   * Recursive fib(n) without checkpoints.
   *
   * @return fib(n)
   */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public long fibPlain() {
    return fibPlain(n);
  }

  /**
   * Recursive fib(n) with a checkpoint per call.
   *
   * @return fib(n)
   */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public long fibCheckpoint() {
    return fibCheckpoint(n);
  }

  static long fibPlain(int n) {
    return n < 2 ? n : fibPlain(n - 1) + fibPlain(n - 2);
  }

  static long fibCheckpoint(int n) {
    Gil.checkpoint();
    return n < 2 ? n : fibCheckpoint(n - 1) + fibCheckpoint(n - 2);
  }
}
