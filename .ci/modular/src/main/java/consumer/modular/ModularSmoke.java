package consumer.modular;

import com.google.common.util.concurrent.ListenableFuture;
import io.github.gilpatterns.gil.Gil;
import io.github.gilpatterns.join.TaskGroup;
import io.github.gilpatterns.owner.Owner;
import io.github.gilpatterns.owner.SerialExecutor;
import io.github.gilpatterns.patterns.CounterManager;
import io.github.gilpatterns.queue.JoinableQueue;
import java.util.concurrent.TimeUnit;

/**
 * Uses one type of each exported package from a named module and checks that they are loaded
 * from the named module io.github.gilpatterns.core; exits non-zero otherwise.
 */
public final class ModularSmoke {

  private ModularSmoke() {}

  /** A counter owned by one thread. */
  static final class Counter {
    long count;
  }

  public static void main(String[] args) throws Exception {
    Module core = Owner.class.getModule();
    check(core.isNamed() && core.getName().equals("io.github.gilpatterns.core"),
        "core is the named module io.github.gilpatterns.core: " + core);
    check(ListenableFuture.class.getModule().getName().equals("com.google.common"),
        "Guava arrives as its own module, required transitively by core");
    try (Owner<Counter> owner = Owner.start("modular-owner", new Counter())) {
      for (int i = 0; i < 1_000; i++) {
        owner.tell(c -> c.count++);
      }
      check(owner.ask(c -> c.count).get(10, TimeUnit.SECONDS) == 1_000L, "owner counted");
    }
    try (SerialExecutor serial = SerialExecutor.start("modular-serial")) {
      check(serial.submit(() -> 6 * 7).get(10, TimeUnit.SECONDS) == 42, "serial executor ran");
    }
    JoinableQueue<String> queue = JoinableQueue.bounded(4);
    queue.put("job");
    queue.take();
    queue.taskDone();
    queue.join();
    try (TaskGroup group = TaskGroup.create("modular")) {
      ListenableFuture<Integer> one = group.fork(() -> 1);
      group.join();
      check(one.get() == 1, "task group joined");
    }
    Gil gil = Gil.create();
    gil.acquire();
    try {
      Gil.checkpoint();
    } finally {
      gil.release();
    }
    try (CounterManager counter = CounterManager.start("modular-counter")) {
      counter.increment(5);
      counter.join();
      check(counter.count() == 5L, "counter manager from the patterns' automatic module");
    }
    System.out.println("modular consumer: ok (core loaded from " + core.getName() + ")");
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      System.err.println("FAILED: " + what);
      System.exit(1);
    }
  }
}
