package consumer;

import com.google.common.util.concurrent.ListenableFuture;
import io.github.gilpatterns.gil.Gil;
import io.github.gilpatterns.gil.GilExecutor;
import io.github.gilpatterns.owner.Owner;
import io.github.gilpatterns.queue.JoinableQueue;
import java.util.ArrayList;
import java.util.List;

/**
 * What a downstream project does with gilpatterns, compiled against the installed artifacts:
 * workers feed an owned counter through a joinable queue, a GIL executor sums on one GIL, and
 * the results are checked. Exits non-zero when a result is wrong.
 */
public final class ConsumerSmoke {

  static final class Count {
    long value;
  }

  static long fib(int n) {
    Gil.checkpoint();
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
  }

  public static void main(String[] args) throws Exception {
    // JoinableQueue drained by worker threads that tell an Owner.
    JoinableQueue<Integer> queue = JoinableQueue.bounded(64);
    try (Owner<Count> counter = Owner.start("counter-manager", new Count())) {
      List<Thread> workers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        Thread t = new Thread(() -> {
          try {
            while (true) {
              int item = queue.take();
              counter.tell(c -> c.value += item);
              queue.taskDone();
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (IllegalStateException shutDown) {
            // the queue was shut down and drained
          }
        }, "worker-" + w);
        t.start();
        workers.add(t);
      }
      for (int i = 1; i <= 1000; i++) {
        queue.put(i);
      }
      queue.join();
      queue.shutdown();
      for (Thread t : workers) {
        t.join();
      }
      counter.join();
      check("owner counter", 500_500L, counter.ask(c -> c.value).get());
    }

    // Two CPU-bound tasks under one emulated GIL.
    Gil gil = Gil.create();
    try (GilExecutor pool = GilExecutor.create(gil, 2)) {
      ListenableFuture<Long> a = pool.submit(() -> fib(25));
      ListenableFuture<Long> b = pool.submit(() -> fib(25));
      check("fib under the GIL", 2 * 75_025L, a.get() + b.get());
    }
    check("GIL acquisitions at least one per task", true, gil.stats().acquisitions() >= 2);

    // CONSUMER-PATTERNS

    System.out.println("consumer smoke: all checks passed");
  }

  private static void check(String what, Object expected, Object actual) {
    if (!expected.equals(actual)) {
      System.err.println("consumer smoke FAILED: " + what + ": expected " + expected + ", got " + actual);
      System.exit(1);
    }
    System.out.println("ok: " + what + " = " + actual);
  }
}
