package io.github.gilpatterns.owner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jctools.queues.atomic.MpscUnboundedAtomicArrayQueue;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A rough throughput check (not a benchmark: JMH in {@code benchmarks/} is the reference): four
 * producers each {@code tell} {@code c -> c.count++} to one owner; messages per second, beside
 * {@code Executors.newSingleThreadExecutor} and a raw JCTools MPSC queue with a spinning consumer
 * measured in the same run. Tagged {@code demonstration}, so excluded from the default build (the
 * parent POM's {@code excludedGroups} cannot be overridden from the command line); run its
 * {@code main} on the test classpath instead:
 *
 * <pre>
 * mvn -B -ntp -o -q -pl core test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp core/target/test-classes:core/target/classes:$(cat core/target/cp.txt) \
 *     io.github.gilpatterns.owner.OwnerThroughputDemo
 * </pre>
 */
@Tag("demonstration")
class OwnerThroughputDemo {

  static final class Counter {
    long count;
  }

  private static final int PRODUCERS = 4;
  private static final int PER_PRODUCER = 2_000_000;
  private static final int ROUNDS = 7;

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("owner")) {
      double[] r = new double[Integer.parseInt(args[1])];
      for (int i = 0; i < r.length; i++) {
        r[i] = ownerUnbounded();
      }
      java.util.Arrays.sort(r);
      System.out.printf("%s owner median %.1f M/s (min %.1f, max %.1f)%n",
          System.getProperty("variant", ""), r[r.length / 2], r[0], r[r.length - 1]);
      return;
    }
    new OwnerThroughputDemo().fourProducersOneOwner();
  }

  @Test
  void fourProducersOneOwner() throws Exception {
    List<String> lines = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      double owner = ownerUnbounded();
      double bounded = ownerBounded();
      double executor = singleThreadExecutor();
      double raw = rawSpin();
      String line = String.format("round %d: owner %.1f M/s, owner bounded(1024) %.1f M/s, "
          + "single-thread executor %.1f M/s, raw MPSC spin %.1f M/s; owner/executor %.1fx, "
          + "owner/raw %.0f%%", round, owner, bounded, executor, raw, owner / executor,
          100 * owner / raw);
      System.out.println(line);
      lines.add(line);
    }
    assertEquals(ROUNDS, lines.size());
  }

  private static double ownerUnbounded() throws Exception {
    return ownerRun(Owner.builder(new Counter()).name("throughput"));
  }

  private static double ownerBounded() throws Exception {
    return ownerRun(Owner.builder(new Counter()).name("throughput-bounded").mailboxCapacity(1024));
  }

  private static double ownerRun(Owner.Builder<Counter> builder) throws Exception {
    Owner<Counter> owner = builder.start();
    Consumer<Counter> increment = c -> c.count++;
    double rate = drive(() -> {
      for (int i = 0; i < PER_PRODUCER; i++) {
        owner.tell(increment);
      }
    }, () -> {
      try {
        owner.join();
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    });
    assertEquals((long) PRODUCERS * PER_PRODUCER, owner.ask(c -> c.count).get());
    owner.close();
    return rate;
  }

  private static double singleThreadExecutor() throws Exception {
    ExecutorService executor = Executors.newSingleThreadExecutor();
    Counter counter = new Counter();
    Runnable increment = () -> counter.count++;
    double rate = drive(() -> {
      for (int i = 0; i < PER_PRODUCER / 4; i++) {
        executor.execute(increment);
      }
    }, () -> {
      try {
        executor.submit(() -> { }).get();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }) / 4;
    executor.shutdown();
    assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
    return rate;
  }

  private static double rawSpin() throws Exception {
    MpscUnboundedAtomicArrayQueue<Runnable> queue = new MpscUnboundedAtomicArrayQueue<>(1024);
    Counter counter = new Counter();
    long total = (long) PRODUCERS * PER_PRODUCER;
    Thread consumer = new Thread(() -> {
      long seen = 0;
      while (seen < total) {
        Runnable r = queue.relaxedPoll();
        if (r == null) {
          Thread.onSpinWait();
        } else {
          r.run();
          seen++;
        }
      }
    });
    Runnable increment = () -> counter.count++;
    consumer.start();
    double rate = drive(() -> {
      for (int i = 0; i < PER_PRODUCER; i++) {
        queue.offer(increment);
      }
    }, () -> {
      try {
        consumer.join();
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    });
    assertEquals(total, counter.count);
    return rate;
  }

  /** Returns millions of messages per second for PRODUCERS x PER_PRODUCER messages. */
  private static double drive(Runnable producer, Runnable awaitConsumed) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < PRODUCERS; p++) {
      Thread t = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        producer.run();
      }, "producer-" + p);
      t.start();
      threads.add(t);
    }
    long t0 = System.nanoTime();
    start.countDown();
    for (Thread t : threads) {
      t.join();
    }
    awaitConsumed.run();
    long elapsed = System.nanoTime() - t0;
    return (double) PRODUCERS * PER_PRODUCER / elapsed * 1e3;
  }
}
