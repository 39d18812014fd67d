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
 * An immutable snapshot of a {@link Gil}'s trace: who took the GIL, who dropped it (and
 * why: on request at a checkpoint, to run inside {@code releasing}, or for good), who began to
 * wait for it and who asked for it, when, oldest first. Returned by {@link Gil#trace()} for a GIL built with
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
 * <p>{@link #toChromeTraceJson()} writes the same events in the Chrome trace-event format,
 * which <a href="https://ui.perfetto.dev">Perfetto</a> and {@code chrome://tracing} open: one
 * track per thread with a slice for each stretch of holding the GIL, waiting for it, and
 * running released inside {@link Gil#releasing(CheckedCallable) releasing}, and instant events
 * for drop requests and forced switches. {@link GilLoad#of(GilTrace)} sums the same slices
 * per thread, as CPython's {@code gil_load} does.
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
    DROP_REQUESTED,
    /**
     * A thread found the GIL held and began to wait for it (in {@code acquire}, or taking
     * it back after {@code releasing}); its next {@link #ACQUIRED}, or
     * {@link #WAIT_ABANDONED}, ends the wait.
     */
    WAITING,
    /**
     * The holder dropped the GIL at a checkpoint to honour a drop request: recorded right
     * after its {@link #RELEASED}, at the same instant. It waits from then on until its
     * next {@link #ACQUIRED}.
     */
    FORCED_SWITCH,
    /**
     * The holder dropped the GIL to run without it inside {@code releasing} or
     * {@code Gil.sleep}: recorded right after its {@link #RELEASED}, at the same instant.
     * It runs released until its next {@link #WAITING} or {@link #ACQUIRED}.
     */
    RELEASING,
    /**
     * A waiting thread gave up without the GIL: its {@code acquire} was interrupted. It
     * neither holds nor waits from then on.
     */
    WAIT_ABANDONED
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
      if (e.kind() != Kind.ACQUIRED && e.kind() != Kind.RELEASED) {
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

  /** What a thread was doing during a {@link Slice}. */
  enum State {
    HOLDING("holding GIL"),
    WAITING("waiting for GIL"),
    RELEASED("released GIL");

    final String label;

    State(String label) {
      this.label = label;
    }
  }

  /** One stretch of one thread in one state, {@code [start, end)} in nanoTime units. */
  record Slice(long threadId, String threadName, State state, long start, long end) {}

  /**
   * Rebuilds each thread's stretches of holding, waiting and running released from the
   * events, in order of their start. A thread whose first event is a release held the GIL
   * from the first event; one whose first event is a drop request was waiting from there; a
   * stretch still open at the last event ends there.
   */
  List<Slice> slices() {
    List<Slice> out = new ArrayList<>();
    if (events.isEmpty()) {
      return out;
    }
    long t0 = events.get(0).nanoTime();
    long t1 = events.get(events.size() - 1).nanoTime();
    Map<Long, @Nullable State> state = new LinkedHashMap<>();
    Map<Long, Long> since = new LinkedHashMap<>();
    Map<Long, String> names = new LinkedHashMap<>();
    for (Event e : events) {
      long id = e.threadId();
      long t = e.nanoTime();
      if (!names.containsKey(id)) {
        names.put(id, e.threadName());
        if (e.kind() == Kind.RELEASED) {
          state.put(id, State.HOLDING);
          since.put(id, t0);
        } else if (e.kind() == Kind.DROP_REQUESTED) {
          state.put(id, State.WAITING);
          since.put(id, t0);
        }
      }
      @Nullable State next;
      switch (e.kind()) {
        case ACQUIRED:
          next = State.HOLDING;
          break;
        case WAITING:
        case FORCED_SWITCH:
          next = State.WAITING;
          break;
        case RELEASING:
          next = State.RELEASED;
          break;
        case RELEASED:
        case WAIT_ABANDONED:
          next = null;
          break;
        default: // DROP_REQUESTED: the requester keeps waiting
          continue;
      }
      @Nullable State current = state.get(id);
      if (current != null && current != next) {
        out.add(new Slice(id, names.get(id), current, since.get(id), t));
      }
      if (current != next) {
        state.put(id, next);
        since.put(id, t);
      }
    }
    state.forEach((id, current) -> {
      if (current != null) {
        out.add(new Slice(id, names.get(id), current, since.get(id), t1));
      }
    });
    out.sort((a, b) -> Long.compare(a.start(), b.start()));
    return out;
  }

  /**
   * Returns this trace in the Chrome trace-event JSON format, which
   * <a href="https://ui.perfetto.dev">Perfetto</a> ("Open trace file") and
   * {@code chrome://tracing} open: {@code {"traceEvents": [...], "displayTimeUnit": "ms"}}.
   * The GIL is one process ({@code pid} 1, named {@code "GIL"}), each thread one track
   * ({@code tid} its thread id, named by a {@code thread_name} metadata event). On each
   * track, complete events ({@code "ph": "X"}) named {@code "holding GIL"},
   * {@code "waiting for GIL"} and {@code "released GIL"} cover the thread's stretches, and
   * instant events ({@code "ph": "i"}) mark the drop requests it made ({@code "drop request"})
   * and the forced switches it honoured ({@code "forced switch"}). Timestamps are in
   * microseconds from the first event, to the nanosecond; lost events are counted in
   * {@code "otherData"}.
   *
   * @return the trace as a JSON document
   */
  public String toChromeTraceJson() {
    return toChromeTraceJson(List.of(this));
  }

  /**
   * Returns several traces in one Chrome trace-event JSON document, as
   * {@link #toChromeTraceJson()} writes one: each trace is one process ({@code pid} 1, 2,
   * ... in list order, named {@code "GIL 1"}, {@code "GIL 2"}, ...), all on one time axis
   * from the earliest event of any of them. One trace per GIL of a
   * {@link GilExecutor.Builder#gils(java.util.function.Supplier) perInterpreter}
   * executor shows every interpreter side by side.
   *
   * @param traces the traces, one per GIL
   * @return the traces as a JSON document
   * @throws NullPointerException if {@code traces} or one of them is null
   */
  public static String toChromeTraceJson(List<GilTrace> traces) {
    List<GilTrace> all = List.copyOf(traces);
    long t0 = Long.MAX_VALUE;
    for (GilTrace trace : all) {
      if (!trace.events.isEmpty()) {
        t0 = Math.min(t0, trace.events.get(0).nanoTime());
      }
    }
    StringBuilder sb = new StringBuilder("{\"traceEvents\":[");
    long lost = 0;
    for (int i = 0; i < all.size(); i++) {
      GilTrace trace = all.get(i);
      lost += trace.lostEvents;
      int pid = i + 1;
      next(sb).append("{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":")
          .append(pid).append(",\"tid\":0,\"args\":{\"name\":");
      jsonString(sb, all.size() == 1 ? "GIL" : "GIL " + pid).append("}}");
      Map<Long, String> named = new LinkedHashMap<>();
      for (Event e : trace.events) {
        if (named.putIfAbsent(e.threadId(), e.threadName()) == null) {
          next(sb).append("{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":")
              .append(pid).append(",\"tid\":").append(e.threadId())
              .append(",\"args\":{\"name\":");
          jsonString(sb, e.threadName()).append("}}");
        }
      }
      for (Slice slice : trace.slices()) {
        next(sb).append("{\"name\":\"").append(slice.state().label)
            .append("\",\"cat\":\"gil\",\"ph\":\"X\",\"pid\":").append(pid)
            .append(",\"tid\":").append(slice.threadId()).append(",\"ts\":");
        micros(sb, slice.start() - t0).append(",\"dur\":");
        micros(sb, slice.end() - slice.start()).append('}');
      }
      for (Event e : trace.events) {
        @Nullable String name = e.kind() == Kind.DROP_REQUESTED ? "drop request"
            : e.kind() == Kind.FORCED_SWITCH ? "forced switch" : null;
        if (name != null) {
          next(sb).append("{\"name\":\"").append(name)
              .append("\",\"cat\":\"gil\",\"ph\":\"i\",\"s\":\"t\",\"pid\":").append(pid)
              .append(",\"tid\":").append(e.threadId()).append(",\"ts\":");
          micros(sb, e.nanoTime() - t0).append('}');
        }
      }
    }
    return sb.append("],\"displayTimeUnit\":\"ms\",\"otherData\":{\"lostEvents\":")
        .append(lost).append("}}\n").toString();
  }

  /** Starts the next element of the traceEvents array, on a line of its own. */
  private static StringBuilder next(StringBuilder sb) {
    if (sb.charAt(sb.length() - 1) != '[') {
      sb.append(',');
    }
    return sb.append('\n');
  }

  /** Appends nanoseconds as microseconds with three decimals: exact, so slices tile exactly. */
  private static StringBuilder micros(StringBuilder sb, long nanos) {
    long abs = Math.abs(nanos);
    if (nanos < 0) {
      sb.append('-');
    }
    long frac = abs % 1000;
    sb.append(abs / 1000).append('.');
    if (frac < 100) {
      sb.append('0');
    }
    if (frac < 10) {
      sb.append('0');
    }
    return sb.append(frac);
  }

  /**
   * Appends {@code s} as a JSON string: quotes, backslashes and control characters
   * escaped, and every character outside printable ASCII as a {@code \}{@code uXXXX} escape,
   * so that the document is ASCII and valid even if a name holds a lone surrogate.
   */
  static StringBuilder jsonString(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c == '\n') {
        sb.append("\\n");
      } else if (c == '\t') {
        sb.append("\\t");
      } else if (c < 0x20 || c > 0x7e) {
        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append('"');
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
