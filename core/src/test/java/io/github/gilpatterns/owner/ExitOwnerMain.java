package io.github.gilpatterns.owner;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Run in a child JVM by {@link OwnerExitTest}, which sends it SIGTERM once it prints
 * {@code accepted}: an owner with a backlog at JVM exit.
 *
 * <ul>
 *   <li>{@code drain}: {@code drainOnExit(30 s)}, 50,000 messages of about 20 us each; the drained
 *       hook prints the count and whether the owner is shut down, so the last {@code count=} line
 *       is what ran before the JVM exited;
 *   <li>{@code no-drain}: no drain; the first message blocks forever, 1,000 are accepted;
 *   <li>{@code timeout}: {@code drainOnExit(200 ms)}, the same blocked backlog.
 * </ul>
 */
public final class ExitOwnerMain {

  private ExitOwnerMain() {}

  /** The owned state: a count of messages run. */
  static final class Count {
    long n;
  }

  /**
   * Entry point.
   *
   * @param args the mode
   * @throws InterruptedException never: main waits for SIGTERM
   */
  public static void main(String[] args) throws InterruptedException {
    String mode = args[0];
    AtomicReference<Owner<Count>> self = new AtomicReference<>();
    Owner.Builder<Count> builder = Owner.builder(new Count()).name("exit-" + mode)
        .onDrained(c -> System.out.println("count=" + c.n + " shutdown=" + self.get().isShutdown()));
    if (mode.equals("drain")) {
      builder.drainOnExit(Duration.ofSeconds(30));
    } else if (mode.equals("timeout")) {
      builder.drainOnExit(Duration.ofMillis(200));
    }
    Owner<Count> owner = builder.start();
    self.set(owner);
    int messages;
    if (mode.equals("drain")) {
      messages = 50_000;
      Consumer<Count> slow = c -> {
        long until = System.nanoTime() + 20_000;
        while (System.nanoTime() < until) {
          Thread.onSpinWait();
        }
        c.n++;
      };
      for (int i = 0; i < messages; i++) {
        owner.tell(slow);
      }
    } else {
      messages = 1_000;
      CountDownLatch never = new CountDownLatch(1);
      owner.tell(c -> {
        try {
          never.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      for (int i = 1; i < messages; i++) {
        owner.tell(c -> c.n++);
      }
    }
    System.out.println("accepted " + messages + " pending " + owner.pending());
    System.out.flush();
    new CountDownLatch(1).await(); // until SIGTERM
  }
}
