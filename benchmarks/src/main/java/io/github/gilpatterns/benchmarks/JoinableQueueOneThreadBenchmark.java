package io.github.gilpatterns.benchmarks;

import io.github.gilpatterns.queue.JoinableQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
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
 * The cost of one element's trip through a blocking queue when nothing else touches the queue:
 * one thread {@code put}s an element, {@code take}s it back and, for {@link JoinableQueue},
 * reports it done with {@link JoinableQueue#taskDone()}; nanoseconds per trip. No thread
 * parks or waits, so the figure is the locks and atomic updates each design pays per element,
 * without the scheduling that dominates {@link JoinableQueueBenchmark} on a small machine.
 *
 * <p>Variants ({@code @Param variant}): {@code joinableQueue} (put, take, taskDone),
 * {@code joinableQueueNoTaskDone} (put, take), {@code linkedBlockingQueue} and
 * {@code arrayBlockingQueue} (put, take), all of capacity 1024, and
 * {@code linkedTransferQueue} (put, take; no capacity). The teardown checks that the
 * queue ended empty and, for the joinable queue, with no unfinished task.
 *
 * <p>Run (about a minute):
 * <pre>
 * mvn -B -ntp -o -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar JoinableQueueOneThreadBenchmark -f 2 -wi 3 -i 5 -r 1s
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@Threads(1)
public class JoinableQueueOneThreadBenchmark {
  private static final int CAPACITY = 1024;
  private static final Object ITEM = new Object();

  /** The queue under test; see the class documentation. */
  @Param({"joinableQueue", "joinableQueueNoTaskDone", "linkedBlockingQueue", "arrayBlockingQueue",
      "linkedTransferQueue"})
  public String variant;

  private BlockingQueue<Object> queue;
  private JoinableQueue<Object> joinable;
  private boolean taskDone;

  /** Creates the queue. */
  @Setup(Level.Trial)
  public void create() {
    queue = JoinableQueueBenchmark.newQueue(variant, CAPACITY);
    joinable = queue instanceof JoinableQueue ? (JoinableQueue<Object>) queue : null;
    taskDone = variant.equals("joinableQueue");
  }

  /**
   * Checks that every element put was taken and, for {@code joinableQueue}, reported done.
   *
   * @throws IllegalStateException if an element or a task is left over
   */
  @TearDown(Level.Trial)
  public void check() {
    if (!queue.isEmpty()) {
      throw new IllegalStateException(variant + ": " + queue.size() + " elements left");
    }
    if (taskDone && joinable.unfinishedTasks() != 0) {
      throw new IllegalStateException(variant + ": " + joinable.unfinishedTasks() + " tasks left");
    }
  }

  /**
   * One trip: put, take and, for {@code joinableQueue}, taskDone.
   *
   * @return the element taken
   * @throws InterruptedException never in this benchmark
   */
  @Benchmark
  public Object putTake() throws InterruptedException {
    queue.put(ITEM);
    Object taken = queue.take();
    if (taskDone) {
      joinable.taskDone();
    }
    return taken;
  }
}
