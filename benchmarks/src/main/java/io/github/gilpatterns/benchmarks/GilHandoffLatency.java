package io.github.gilpatterns.benchmarks;

import io.github.gilpatterns.gil.Gil;
import io.github.gilpatterns.gil.GilTrace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Measures the GIL hand-off latency: from the moment a waiting thread sets the drop request
 * (after one switch interval without a switch) to the moment that thread holds the GIL and
 * runs, while CPU-bound threads spin through {@link Gil#checkpoint()}. Read from the GIL's
 * own {@link GilTrace} ({@code DROP_REQUESTED} to the requester's next {@code ACQUIRED}),
 * so it includes the holder noticing the request at its next checkpoint, dropping the GIL,
 * and the requester waking up and taking it. Also prints the part from the holder's drop
 * to the requester's acquisition (the wake-up alone).
 *
 * <p>Not a JMH benchmark: the quantity is an interval between two threads' events, which
 * JMH's modes do not capture. Run:
 * <pre>
 * mvn -B -ntp -o -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar io.github.gilpatterns.benchmarks.GilHandoffLatency [seconds=5] [threads=2]
 * </pre>
 */
public final class GilHandoffLatency {
  private GilHandoffLatency() {
  }

  /**
   * Runs the measurement and prints percentiles.
   *
   * @param args optional: seconds to run (default 5), number of spinning threads (default 2)
   * @throws InterruptedException if interrupted while waiting for the threads
   */
  public static void main(String[] args) throws InterruptedException {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5.0;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    run(1.0, threads); // warm up
    Gil gil = run(seconds, threads);
    GilTrace trace = gil.trace();
    if (trace.lostEvents() > 0) {
      System.out.println("warning: trace overflowed, " + trace.lostEvents() + " events lost");
    }
    List<Long> requestToRunning = new ArrayList<>();
    List<Long> dropToRunning = new ArrayList<>();
    Map<Long, Long> pendingRequest = new HashMap<>(); // requester thread id -> request time
    long lastRelease = -1;
    for (GilTrace.Event e : trace.events()) {
      switch (e.kind()) {
        case DROP_REQUESTED:
          pendingRequest.put(e.threadId(), e.nanoTime());
          break;
        case RELEASED:
          lastRelease = e.nanoTime();
          break;
        case ACQUIRED:
          Long requested = pendingRequest.remove(e.threadId());
          if (requested != null) {
            requestToRunning.add(e.nanoTime() - requested);
            if (lastRelease >= requested) {
              dropToRunning.add(e.nanoTime() - lastRelease);
            }
          }
          break;
        default: // WAITING, FORCED_SWITCH, RELEASING: not part of either interval
          break;
      }
    }
    System.out.printf(Locale.ROOT, "%s, %d CPU-bound threads with a checkpoint per loop, %.1f s, %s%n",
        gil, threads, seconds, System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    System.out.println(gil.stats());
    print("drop request -> requester running", requestToRunning);
    print("holder's drop -> requester running", dropToRunning);
  }

  private static Gil run(double seconds, int threads) throws InterruptedException {
    Gil gil = Gil.builder().trace(true).traceCapacity(1 << 20).build();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> ts = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(() -> {
        try {
          gil.acquire();
        } catch (InterruptedException e) {
          return;
        }
        try {
          long x = 0;
          while (!stop.get()) {
            x++;
            Gil.checkpoint();
          }
          if (x == 42) {
            System.out.print("");
          }
        } finally {
          gil.release();
        }
      }, "spin-" + i);
      t.start();
      ts.add(t);
    }
    Thread.sleep((long) (seconds * 1000));
    stop.set(true);
    for (Thread t : ts) {
      t.join();
    }
    return gil;
  }

  private static void print(String what, List<Long> nanos) {
    if (nanos.isEmpty()) {
      System.out.println(what + ": no samples");
      return;
    }
    long[] xs = nanos.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(xs);
    System.out.printf(Locale.ROOT, "%-36s n=%d  median %.1f us  p90 %.1f us  p99 %.1f us  max %.1f us%n",
        what + ":", xs.length, pct(xs, 0.50) / 1e3, pct(xs, 0.90) / 1e3, pct(xs, 0.99) / 1e3,
        xs[xs.length - 1] / 1e3);
  }

  private static double pct(long[] sorted, double p) {
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
