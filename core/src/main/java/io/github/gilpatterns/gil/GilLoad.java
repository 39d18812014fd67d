package io.github.gilpatterns.gil;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;
import org.jspecify.annotations.Nullable;

/**
 * Per thread, the share of wall time spent holding a GIL, waiting for it, and running
 * released inside {@link Gil#releasing(CheckedCallable) releasing}: the summary that
 * CPython's {@code gil_load} package prints, read from a {@link GilTrace} or from a JDK
 * Flight Recorder recording. {@link #toString()} prints it as a table:
 * <pre>
 * GIL load over 312.4 ms (share of wall time per thread)
 *   thread    held  waiting  released
 *   fib-0    49.6%    50.3%      0.0%
 *   fib-1    50.1%    49.8%      0.0%
 * </pre>
 * Two CPU-bound threads under one GIL each hold it half the time and wait the other half;
 * a thread that blocks inside {@code releasing} shows that time as released.
 *
 * <p>The wall time is the span the source covers: from a trace's first event to its last
 * (a stretch still open at the last event counts up to it); from a recording, from the
 * start of its first GIL event to the end of its last. A share is of that whole span, so a
 * thread that started late has a smaller total than one that ran throughout.
 *
 * <p><b>Memory consistency effects:</b> a {@code GilLoad} is immutable and safe to share
 * between threads without synchronization.
 */
public final class GilLoad {
  private final Duration wallTime;
  private final List<ThreadLoad> threads;

  private GilLoad(Duration wallTime, List<ThreadLoad> threads) {
    this.wallTime = wallTime;
    this.threads = List.copyOf(threads);
  }

  /**
   * Returns the load of each thread in a trace, from the stretches that
   * {@link GilTrace#toChromeTraceJson()} draws.
   *
   * @param trace a GIL's trace
   * @return the load, with the threads in order of first appearance in the trace
   * @throws NullPointerException if {@code trace} is null
   */
  public static GilLoad of(GilTrace trace) {
    Objects.requireNonNull(trace, "trace");
    Totals totals = new Totals();
    for (GilTrace.Slice slice : trace.slices()) {
      totals.add(slice.threadId(), slice.threadName(), slice.state(), slice.end() - slice.start());
    }
    // Threads in order of first appearance, as the trace's other views list them.
    Totals ordered = new Totals();
    for (GilTrace.Event e : trace.events()) {
      long[] t = totals.nanos.get(e.threadId());
      if (t != null && !ordered.nanos.containsKey(e.threadId())) {
        ordered.nanos.put(e.threadId(), t);
        ordered.names.put(e.threadId(), totals.names.get(e.threadId()));
      }
    }
    return ordered.toLoad(trace.span());
  }

  /**
   * Returns the load of each thread in a Flight Recorder recording, from its
   * {@code io.github.gilpatterns.GilHold}, {@code GilWait} and {@code GilReleased} events
   * (of every GIL in the recording, summed per thread).
   *
   * @param recording a {@code .jfr} file, such as one {@code -XX:StartFlightRecording} wrote
   * @return the load, with the threads in order of their first GIL event
   * @throws IOException if the file cannot be read or is not a recording
   * @throws NullPointerException if {@code recording} is null
   */
  public static GilLoad fromRecording(Path recording) throws IOException {
    Objects.requireNonNull(recording, "recording");
    List<RecordedEvent> events = new ArrayList<>();
    for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
      if (stateOf(e.getEventType().getName()) != null && e.getThread() != null) {
        events.add(e);
      }
    }
    events.sort((a, b) -> a.getStartTime().compareTo(b.getStartTime()));
    Totals totals = new Totals();
    @Nullable Instant first = null;
    @Nullable Instant last = null;
    for (RecordedEvent e : events) {
      RecordedThread thread = Objects.requireNonNull(e.getThread());
      String name = thread.getJavaName();
      totals.add(thread.getJavaThreadId(), name == null ? thread.getOSName() : name,
          Objects.requireNonNull(stateOf(e.getEventType().getName())), e.getDuration().toNanos());
      first = first == null ? e.getStartTime() : first;
      last = last == null || e.getEndTime().isAfter(last) ? e.getEndTime() : last;
    }
    return totals.toLoad(first == null || last == null ? Duration.ZERO
        : Duration.between(first, last));
  }

  private static GilTrace.@Nullable State stateOf(String eventType) {
    switch (eventType) {
      case "io.github.gilpatterns.GilHold":
        return GilTrace.State.HOLDING;
      case "io.github.gilpatterns.GilWait":
        return GilTrace.State.WAITING;
      case "io.github.gilpatterns.GilReleased":
        return GilTrace.State.RELEASED;
      default:
        return null;
    }
  }

  /** Nanoseconds per thread id, indexed by state ordinal, and the threads' names. */
  private static final class Totals {
    final Map<Long, long[]> nanos = new LinkedHashMap<>();
    final Map<Long, String> names = new LinkedHashMap<>();

    void add(long threadId, String name, GilTrace.State state, long duration) {
      names.putIfAbsent(threadId, name);
      nanos.computeIfAbsent(threadId, k -> new long[GilTrace.State.values().length])
          [state.ordinal()] += duration;
    }

    GilLoad toLoad(Duration wall) {
      List<ThreadLoad> loads = new ArrayList<>();
      nanos.forEach((id, t) -> loads.add(new ThreadLoad(id, Objects.requireNonNull(names.get(id)),
          Duration.ofNanos(t[GilTrace.State.HOLDING.ordinal()]),
          Duration.ofNanos(t[GilTrace.State.WAITING.ordinal()]),
          Duration.ofNanos(t[GilTrace.State.RELEASED.ordinal()]), wall)));
      return new GilLoad(wall, loads);
    }
  }

  /**
   * Returns the wall time the shares are of.
   *
   * @return the span of the trace or of the recording's GIL events
   */
  public Duration wallTime() {
    return wallTime;
  }

  /**
   * Returns each thread's load.
   *
   * @return an unmodifiable list, one entry per thread
   */
  public List<ThreadLoad> threads() {
    return threads;
  }

  /**
   * Returns the table shown in the class documentation: a header line with the wall time,
   * then one line per thread with its held, waiting and released shares in percent.
   *
   * @return the summary, lines separated by {@code '\n'}
   */
  @Override
  public String toString() {
    int width = "thread".length();
    for (ThreadLoad t : threads) {
      width = Math.max(width, t.threadName().length());
    }
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
        "GIL load over %s (share of wall time per thread)%n", GilStats.millis(wallTime)));
    sb.append(String.format(Locale.ROOT, "  %-" + width + "s %7s %8s %9s%n",
        "thread", "held", "waiting", "released"));
    for (ThreadLoad t : threads) {
      sb.append(String.format(Locale.ROOT, "  %-" + width + "s %6.1f%% %7.1f%% %8.1f%%%n",
          t.threadName(), t.heldPercent(), t.waitedPercent(), t.releasedPercent()));
    }
    return sb.toString().replace(System.lineSeparator(), "\n");
  }

  /**
   * One thread's times and its shares of the wall time.
   *
   * @param threadId the thread's id ({@code Thread.getId()})
   * @param threadName the thread's name
   * @param held how long it held the GIL
   * @param waited how long it waited for the GIL
   * @param released how long it ran released inside {@code releasing}
   * @param wallTime the wall time the shares are of
   */
  public record ThreadLoad(long threadId, String threadName, Duration held, Duration waited,
      Duration released, Duration wallTime) {
    /**
     * Checks the components.
     *
     * @param threadId the thread's id
     * @param threadName the thread's name
     * @param held how long it held the GIL
     * @param waited how long it waited for the GIL
     * @param released how long it ran released
     * @param wallTime the wall time the shares are of
     * @throws NullPointerException if a component is null
     */
    public ThreadLoad {
      Objects.requireNonNull(threadName, "threadName");
      Objects.requireNonNull(held, "held");
      Objects.requireNonNull(waited, "waited");
      Objects.requireNonNull(released, "released");
      Objects.requireNonNull(wallTime, "wallTime");
    }

    /**
     * Returns the share of the wall time the thread held the GIL.
     *
     * @return a percentage, 0 if the wall time is zero
     */
    public double heldPercent() {
      return percent(held);
    }

    /**
     * Returns the share of the wall time the thread waited for the GIL.
     *
     * @return a percentage, 0 if the wall time is zero
     */
    public double waitedPercent() {
      return percent(waited);
    }

    /**
     * Returns the share of the wall time the thread ran released inside {@code releasing}.
     *
     * @return a percentage, 0 if the wall time is zero
     */
    public double releasedPercent() {
      return percent(released);
    }

    private double percent(Duration d) {
      return wallTime.isZero() ? 0.0 : 100.0 * d.toNanos() / wallTime.toNanos();
    }
  }
}
