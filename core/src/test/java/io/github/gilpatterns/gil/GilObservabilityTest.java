package io.github.gilpatterns.gil;

import static io.github.gilpatterns.gil.TestSupport.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.gilpatterns.jfr.GilHoldEvent;
import io.github.gilpatterns.testing.Await;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Chrome trace-event JSON of a trace, read back; the gil_load-style summary; and the
 * Flight Recorder events, read back from a recording with {@link RecordingFile}.
 */
@Timeout(60)
class GilObservabilityTest {

  /**
   * Two CPU-bound threads share a GIL until it has been dropped on request four times; each
   * first sleeps without it a few times. Returns the GIL.
   *
   * <p>Only the first steps sleep: a sleep hands the GIL to the waiting thread without a drop
   * request, so a thread that kept sleeping could keep the other from ever timing out, and
   * the forced drops that end the run would never come.
   */
  private static Gil contend(Gil gil) throws Exception {
    CountDownLatch firstHolds = new CountDownLatch(1);
    Callable<Object> spin = () -> gil.holding(() -> {
      firstHolds.countDown();
      Await.Deadline deadline = Await.deadline("four forced drops");
      for (int i = 0; gil.stats().forcedDrops() < 4; i++) {
        deadline.check();
        TestSupport.fib(15);
        if (i < 3) {
          Gil.sleep(Duration.ZERO);
        }
      }
      return null;
    });
    TestSupport.Worker first = start("first", spin);
    assertTrue(firstHolds.await(20, TimeUnit.SECONDS));
    TestSupport.joinAll(List.of(first, start("second", spin)));
    return gil;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> traceEvents(String json) {
    Map<String, Object> doc = (Map<String, Object>) Json.parse(json);
    return (List<Map<String, Object>>) doc.get("traceEvents");
  }

  private static List<Map<String, Object>> phase(List<Map<String, Object>> events, String ph) {
    return events.stream().filter(e -> ph.equals(e.get("ph"))).collect(Collectors.toList());
  }

  private static BigDecimal num(Map<String, Object> e, String key) {
    return (BigDecimal) e.get(key);
  }

  /** Asserts that no slice starts before the previous one (in start order) has ended. */
  private static void assertNoOverlap(String what, List<Map<String, Object>> slices) {
    List<Map<String, Object>> sorted = new ArrayList<>(slices);
    sorted.sort(Comparator.comparing(e -> num(e, "ts")));
    for (int k = 1; k < sorted.size(); k++) {
      Map<String, Object> a = sorted.get(k - 1);
      Map<String, Object> b = sorted.get(k);
      assertTrue(num(a, "ts").add(num(a, "dur")).compareTo(num(b, "ts")) <= 0,
          () -> what + " overlap: " + a + " and " + b);
    }
  }

  @Test
  void chromeTraceHasOneTrackPerThreadAndHoldsThatNeverOverlap() throws Exception {
    GilTrace trace = contend(Gil.builder().trace(true).build()).trace();
    List<Map<String, Object>> events = traceEvents(trace.toChromeTraceJson());

    List<Map<String, Object>> meta = phase(events, "M");
    assertEquals(1, meta.stream().filter(e -> "process_name".equals(e.get("name"))).count());
    Map<BigDecimal, String> tracks = new HashMap<>();
    for (Map<String, Object> e : meta) {
      if ("thread_name".equals(e.get("name"))) {
        @SuppressWarnings("unchecked")
        Map<String, Object> args = (Map<String, Object>) e.get("args");
        assertEquals(null, tracks.put(num(e, "tid"), (String) args.get("name")), "one track");
      }
    }
    assertEquals(Set.of("first", "second"), new HashSet<>(tracks.values()));

    List<Map<String, Object>> slices = phase(events, "X");
    for (Map<String, Object> e : slices) {
      assertTrue(tracks.containsKey(num(e, "tid")), () -> "on a named track: " + e);
      assertTrue(num(e, "dur").signum() >= 0, () -> "non-negative duration: " + e);
      assertEquals(BigDecimal.ONE, num(e, "pid"));
    }
    Set<Object> names = slices.stream().map(e -> e.get("name")).collect(Collectors.toSet());
    assertEquals(Set.of("holding GIL", "waiting for GIL", "released GIL"), names);
    // Under one GIL no two holds overlap; on one track no two slices do.
    assertNoOverlap("holds", slices.stream().filter(e -> "holding GIL".equals(e.get("name")))
        .collect(Collectors.toList()));
    for (BigDecimal tid : tracks.keySet()) {
      assertNoOverlap("slices of " + tracks.get(tid), slices.stream()
          .filter(e -> tid.equals(num(e, "tid"))).collect(Collectors.toList()));
    }
    Set<Object> instants = phase(events, "i").stream().map(e -> e.get("name"))
        .collect(Collectors.toSet());
    assertEquals(Set.of("drop request", "forced switch"), instants);
  }

  @Test
  void thePerThreadLoadOfATraceAddsUpAndIsPrinted() throws Exception {
    Gil gil = contend(Gil.builder().trace(true).build());
    GilLoad load = GilLoad.of(gil.trace());
    assertEquals(gil.trace().span(), load.wallTime());
    assertEquals(List.of("first", "second"), load.threads().stream()
        .map(GilLoad.ThreadLoad::threadName).collect(Collectors.toList()));
    Duration held = Duration.ZERO;
    for (GilLoad.ThreadLoad t : load.threads()) {
      assertTrue(t.held().plus(t.waited()).plus(t.released()).compareTo(load.wallTime()) <= 0,
          t::toString);
      assertTrue(t.heldPercent() > 0 && t.waitedPercent() > 0, t::toString);
      held = held.plus(t.held());
    }
    assertTrue(held.compareTo(load.wallTime()) <= 0, "one holder at a time: " + held);
    String text = load.toString();
    assertTrue(text.matches("(?s)GIL load over \\d+\\.\\d ms \\(share of wall time per thread\\)\n"
        + " +thread +held +waiting +released\n"
        + " +first +\\d+\\.\\d% +\\d+\\.\\d% +\\d+\\.\\d%\n"
        + " +second +\\d+\\.\\d% +\\d+\\.\\d% +\\d+\\.\\d%\n"), text);
  }

  @Test
  void anInterruptedAcquireEndsItsWaitingSliceWhenItGivesUp() throws Exception {
    Gil gil = Gil.builder().trace(true).build();
    gil.acquire();
    try {
      TestSupport.Worker waiter = start("waiter", () -> {
        try {
          gil.acquire();
          gil.release();
          return "acquired";
        } catch (InterruptedException expected) {
          return "interrupted";
        }
      });
      TestSupport.awaitCondition("the waiter waits", () -> gil.waiters() == 1);
      waiter.thread.interrupt();
      assertEquals("interrupted", waiter.join());
    } finally {
      gil.release();
    }
    List<Map<String, Object>> events = traceEvents(gil.trace().toChromeTraceJson());
    BigDecimal waiterTid = phase(events, "M").stream()
        .filter(e -> e.get("args") instanceof Map && "waiter".equals(((Map<?, ?>) e.get("args"))
            .get("name"))).map(e -> num(e, "tid")).findFirst().orElseThrow();
    List<Map<String, Object>> slices = phase(events, "X");
    Map<String, Object> wait = slices.stream().filter(e -> waiterTid.equals(num(e, "tid")))
        .collect(Collectors.toList()).get(0);
    assertEquals("waiting for GIL", wait.get("name"));
    assertEquals(1, slices.stream().filter(e -> waiterTid.equals(num(e, "tid"))).count());
    Map<String, Object> hold = slices.stream().filter(e -> !waiterTid.equals(num(e, "tid")))
        .findFirst().orElseThrow();
    assertTrue(num(wait, "ts").add(num(wait, "dur"))
        .compareTo(num(hold, "ts").add(num(hold, "dur"))) < 0,
        "the wait ends when the waiter gives up, before the holder releases: " + slices);
  }

  @Test
  void threadNamesAreEscapedAndReadBackUnchanged() throws Exception {
    Gil gil = Gil.builder().trace(true).build();
    String name = "q\"uote \\ back\nslash\ttab \u0001 \u00e9 \ud83d\ude00 \ud800";
    TestSupport.joinAll(List.of(start(name, () -> {
      gil.holding(() -> Gil.sleep(Duration.ZERO));
      return null;
    })));
    String json = gil.trace().toChromeTraceJson();
    assertTrue(json.chars().allMatch(c -> c >= 0x20 && c < 0x7f || c == '\n'), "ASCII only");
    List<Map<String, Object>> events = traceEvents(json);
    @SuppressWarnings("unchecked")
    Map<String, Object> args = (Map<String, Object>) phase(events, "M").stream()
        .filter(e -> "thread_name".equals(e.get("name"))).findFirst().orElseThrow().get("args");
    assertEquals(name, args.get("name"));
  }

  @Test
  void severalTracesAreOneProcessEachOnOneTimeAxis() throws Exception {
    GilTrace a = contend(Gil.builder().trace(true).build()).trace();
    GilTrace b = contend(Gil.builder().trace(true).build()).trace();
    List<Map<String, Object>> events = traceEvents(GilTrace.toChromeTraceJson(List.of(a, b)));
    Set<BigDecimal> pids = phase(events, "X").stream().map(e -> num(e, "pid"))
        .collect(Collectors.toSet());
    assertEquals(Set.of(BigDecimal.ONE, BigDecimal.valueOf(2)), pids);
    // b ran after a: its first slice starts after a's last one ends.
    BigDecimal aEnd = phase(events, "X").stream().filter(e -> num(e, "pid").intValue() == 1)
        .map(e -> num(e, "ts").add(num(e, "dur"))).max(BigDecimal::compareTo).orElseThrow();
    BigDecimal bStart = phase(events, "X").stream().filter(e -> num(e, "pid").intValue() == 2)
        .map(e -> num(e, "ts")).min(BigDecimal::compareTo).orElseThrow();
    assertTrue(aEnd.compareTo(bStart) <= 0, aEnd + " <= " + bStart);
    assertEquals(List.of(), traceEvents(GilTrace.EMPTY.toChromeTraceJson()).stream()
        .filter(e -> !"M".equals(e.get("ph"))).collect(Collectors.toList()));
  }

  @Test
  void aRecordingHoldsTheGilEventsWithPlausibleDurations(@TempDir Path dir) throws Exception {
    assertFalse(GilHoldEvent.PROBE.isEnabled(), "off without a recording");
    Path file = dir.resolve("gil.jfr");
    long start;
    long wall;
    try (Recording recording = new Recording()) {
      for (String type : List.of("GilHold", "GilWait", "GilReleased", "GilSwitch",
          "GilDropRequest")) {
        recording.enable("io.github.gilpatterns." + type);
      }
      recording.start();
      start = System.nanoTime();
      contend(Gil.create());
      wall = System.nanoTime() - start;
      recording.stop();
      recording.dump(file);
    }
    Map<String, List<RecordedEvent>> byType = RecordingFile.readAllEvents(file).stream()
        .filter(e -> e.getEventType().getName().startsWith("io.github.gilpatterns."))
        .collect(Collectors.groupingBy(e -> e.getEventType().getName()
            .substring("io.github.gilpatterns.".length())));
    assertEquals(Set.of("GilHold", "GilWait", "GilReleased", "GilSwitch", "GilDropRequest"),
        byType.keySet());
    Map<String, Duration> heldBy = new HashMap<>();
    for (RecordedEvent e : byType.get("GilHold")) {
      assertTrue(e.getString("gil").startsWith("Gil@"), e::toString);
      assertTrue(!e.getDuration().isNegative() && e.getDuration().toNanos() <= wall, e::toString);
      heldBy.merge(e.getThread().getJavaName(), e.getDuration(), Duration::plus);
    }
    assertEquals(Set.of("first", "second"), heldBy.keySet());
    Duration held = heldBy.values().stream().reduce(Duration.ZERO, Duration::plus);
    assertTrue(held.toNanos() <= wall, "one holder at a time: " + held + " in " + wall + " ns");
    for (RecordedEvent e : byType.get("GilWait")) {
      assertTrue(!e.getDuration().isNegative() && e.getDuration().toNanos() <= wall, e::toString);
    }
    for (RecordedEvent e : byType.get("GilSwitch")) {
      assertTrue(e.getThread().getJavaThreadId() != e.getLong("previousId"), e::toString);
      assertFalse(e.getThread().getJavaName().equals(e.getString("previous")), e::toString);
    }
    GilLoad load = GilLoad.fromRecording(file);
    assertEquals(Set.of("first", "second"), load.threads().stream()
        .map(GilLoad.ThreadLoad::threadName).collect(Collectors.toSet()));
    for (GilLoad.ThreadLoad t : load.threads()) {
      assertTrue(t.heldPercent() > 0 && t.waitedPercent() > 0, t::toString);
      assertTrue(t.held().plus(t.waited()).plus(t.released()).compareTo(load.wallTime()) <= 0,
          t::toString);
    }
    assertTrue(Files.size(file) > 0);
  }
}
