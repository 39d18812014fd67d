package io.github.gilpatterns.gil;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An immutable snapshot of a {@link Gil}'s trace: who took the GIL, who dropped it and who
 * asked for it, when, oldest first. Returned by {@link Gil#trace()} for a GIL built with
 * {@link Gil.Builder#trace(boolean) trace(true)}; the GIL keeps only the most recent
 * {@link Gil.Builder#traceCapacity(int) capacity} events, and {@link #lostEvents()} says
 * how many older ones were overwritten.
 *
 * <p>{@link #renderTimeline(int)} draws who held the GIL when, one row per thread, the way
 * David Beazley's GIL talks draw it:
 * <pre>
 * GIL timeline: 20.4 ms, 1 column = 0.34 ms, '#' held most of the column, '+' held part
 * fib-0 |#####++.....+#####++.....+#####
 * fib-1 |.....++#####+.....++#####+.....
 * </pre>
 *
 * <p><b>Memory consistency effects:</b> a {@code GilTrace} is immutable and safe to share
 * between threads without synchronization.
 */
public final class GilTrace {
  /*
   * Implementation overview: the Gil records events into a Recorder (a ring of
   * `capacity` events) under its own mutex, so recording needs no synchronization of its
   * own; snapshot() copies the ring, oldest first, under the same mutex.
   */

  /** What happened. */
  public enum Kind {
    /** A thread took the GIL (after {@code take_gil}). */
    ACQUIRED,
    /** A thread dropped the GIL (at a checkpoint, in {@code releasing}, or by release). */
    RELEASED,
    /** A waiting thread asked the holder to drop the GIL after one switch interval. */
    DROP_REQUESTED
  }

  /**
   * One traced event.
   *
   * @param kind what happened
   * @param nanoTime when, in {@link System#nanoTime()} units
   * @param threadId the {@link Thread#getId() id} of the thread it happened to (for
   *     {@link Kind#DROP_REQUESTED}, the thread that asked)
   * @param threadName that thread's name at the time
   */
  public record Event(Kind kind, long nanoTime, long threadId, String threadName) {
    /**
     * Checks the components.
     *
     * @param kind what happened
     * @param nanoTime when, in {@link System#nanoTime()} units
     * @param threadId the id of the thread it happened to
     * @param threadName that thread's name at the time
     * @throws NullPointerException if {@code kind} or {@code threadName} is null
     */
    public Event {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(threadName, "threadName");
    }
  }

  static final GilTrace EMPTY = new GilTrace(List.of(), 0L);

  private final List<Event> events;
  private final long lostEvents;

  private GilTrace(List<Event> events, long lostEvents) {
    this.events = events;
    this.lostEvents = lostEvents;
  }

  /**
   * Returns the events, oldest first.
   *
   * @return an unmodifiable list of the traced events
   */
  public List<Event> events() {
    return events;
  }

  /**
   * Returns how many older events were overwritten because the trace was full.
   *
   * @return the number of events lost, 0 if none
   */
  public long lostEvents() {
    return lostEvents;
  }

  /**
   * Returns whether the trace holds no event.
   *
   * @return {@code true} if there are no events
   */
  public boolean isEmpty() {
    return events.isEmpty();
  }

  /**
   * Returns how many times each thread took the GIL within this trace, by thread name, in
   * order of first appearance.
   *
   * @return an unmodifiable map from thread name to its number of {@link Kind#ACQUIRED}
   *     events
   */
  public Map<String, Long> acquisitionsByThread() {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (Event e : events) {
      if (e.kind() == Kind.ACQUIRED) {
        counts.merge(e.threadName(), 1L, Long::sum);
      }
    }
    return Collections.unmodifiableMap(counts);
  }

  /**
   * Renders who held the GIL when as text: a header line, then one row per thread (in
   * order of first appearance) of {@code width} columns spanning the traced time, each
   * column {@code '#'} if the thread held the GIL for at least half of it, {@code '+'} if
   * for less, {@code '.'} if not at all. A thread whose first traced event is a release
   * is drawn holding from the start; one still holding at the last event, to the end.
   *
   * @param width number of columns of the time axis
   * @return the rendered timeline, lines separated by {@code '\n'}
   * @throws IllegalArgumentException if {@code width} is less than 1
   */
  public String renderTimeline(int width) {
    if (width < 1) {
      throw new IllegalArgumentException("width must be at least 1: " + width);
    }
    if (events.isEmpty()) {
      return "GIL timeline: no events traced\n";
    }
    long t0 = events.get(0).nanoTime();
    long t1 = Math.max(events.get(events.size() - 1).nanoTime(), t0 + 1);
    double span = t1 - t0;

    // Per thread id: name and the hold intervals [start, end).
    Map<Long, String> names = new LinkedHashMap<>();
    Map<Long, List<long[]>> holds = new LinkedHashMap<>();
    Map<Long, Long> openSince = new LinkedHashMap<>();
    for (Event e : events) {
      if (e.kind() == Kind.DROP_REQUESTED) {
        continue;
      }
      long id = e.threadId();
      if (!names.containsKey(id)) {
        names.put(id, e.threadName());
        holds.put(id, new ArrayList<>());
        if (e.kind() == Kind.RELEASED) {
          openSince.put(id, t0);
        }
      }
      if (e.kind() == Kind.ACQUIRED) {
        openSince.put(id, e.nanoTime());
      } else {
        @Nullable Long since = openSince.remove(id);
        if (since != null) {
          holds.get(id).add(new long[] {since, e.nanoTime()});
        }
      }
    }
    openSince.forEach((id, since) -> holds.get(id).add(new long[] {since, t1}));

    int labelWidth = 0;
    for (String n : names.values()) {
      labelWidth = Math.max(labelWidth, n.length());
    }
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT,
        "GIL timeline: %.2f ms, 1 column = %.3f ms, '#' held most of the column, '+' held part%n",
        span / 1e6, span / width / 1e6).replace(System.lineSeparator(), "\n"));
    double[] held = new double[width];
    for (Map.Entry<Long, String> entry : names.entrySet()) {
      Arrays.fill(held, 0.0);
      for (long[] h : holds.get(entry.getKey())) {
        addInterval(held, (h[0] - t0) / span * width, (h[1] - t0) / span * width);
      }
      sb.append(entry.getValue());
      for (int i = entry.getValue().length(); i < labelWidth; i++) {
        sb.append(' ');
      }
      sb.append(" |");
      for (double f : held) {
        sb.append(f >= 0.5 ? '#' : f > 0.0 ? '+' : '.');
      }
      sb.append('\n');
    }
    if (lostEvents > 0) {
      sb.append("(").append(lostEvents).append(" earlier events not kept)\n");
    }
    return sb.toString();
  }

  /** Adds the interval [from, to), in column units, to the per-column held fractions. */
  private static void addInterval(double[] held, double from, double to) {
    int width = held.length;
    from = Math.max(0.0, Math.min(width, from));
    to = Math.max(from, Math.min(width, to));
    if (to == from) {
      // An instantaneous hold still shows as "part of the column".
      int c = Math.min(width - 1, (int) from);
      held[c] = Math.max(held[c], Double.MIN_VALUE);
      return;
    }
    int first = (int) from;
    int last = Math.min(width - 1, (int) Math.ceil(to) - 1);
    for (int c = first; c <= last; c++) {
      double overlap = Math.min(to, c + 1.0) - Math.max(from, c);
      if (overlap > 0) {
        held[c] += overlap;
      }
    }
  }

  /**
   * Returns the time between the first and the last event.
   *
   * @return the traced time span, zero if fewer than two events
   */
  public Duration span() {
    if (events.size() < 2) {
      return Duration.ZERO;
    }
    return Duration.ofNanos(events.get(events.size() - 1).nanoTime() - events.get(0).nanoTime());
  }

  /**
   * Returns a one-line summary: number of events, lost events and span.
   *
   * @return a string describing this trace
   */
  @Override
  public String toString() {
    return "GilTrace[events=" + events.size() + ", lost=" + lostEvents + ", span=" + span() + "]";
  }

  /** The ring the Gil records into. Guarded by the owning Gil's mutex. */
  static final class Recorder {
    private final @Nullable Event[] ring;
    private long count;

    Recorder(int capacity) {
      this.ring = new Event[capacity];
    }

    /** Records an event at {@code nanoTime}, the instant the Gil's statistics use for it. */
    void record(Kind kind, Thread thread, long nanoTime) {
      @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+
      long id = thread.getId();
      ring[(int) (count % ring.length)] = new Event(kind, nanoTime, id, thread.getName());
      count++;
    }

    GilTrace snapshot() {
      int n = (int) Math.min(count, ring.length);
      List<Event> out = new ArrayList<>(n);
      long first = count - n;
      for (long i = first; i < count; i++) {
        // Slots first .. count - 1 have been written.
        out.add(Objects.requireNonNull(ring[(int) (i % ring.length)]));
      }
      return new GilTrace(Collections.unmodifiableList(out), first);
    }
  }
}
