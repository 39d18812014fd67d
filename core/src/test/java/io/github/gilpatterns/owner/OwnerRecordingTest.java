package io.github.gilpatterns.owner;

import static io.github.gilpatterns.owner.OwnerTestSupport.DEADLINE;
import static io.github.gilpatterns.owner.OwnerTestSupport.awaitBlocked;
import static io.github.gilpatterns.owner.OwnerTestSupport.startOwner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.ListenableFuture;
import io.github.gilpatterns.jfr.OwnerMessageEvent;
import io.github.gilpatterns.jfr.OwnerParkEvent;
import io.github.gilpatterns.jfr.OwnerUnparkEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The Owner's Flight Recorder events, read back from a recording with {@link RecordingFile}. */
@Timeout(60)
class OwnerRecordingTest {
  private static final String PREFIX = "io.github.gilpatterns.";
  private static final List<String> TYPES =
      List.of("OwnerMessage", "OwnerPark", "OwnerUnpark", "OwnerMailbox");

  private static Recording recording() {
    Recording recording = new Recording();
    for (String type : TYPES) {
      recording.enable(PREFIX + type).withPeriod(Duration.ofMillis(20));
    }
    return recording;
  }

  /**
   * 100 messages queue behind a gate until a mailbox sample has seen them; then the owner
   * drains, parks, and is woken by one more message.
   */
  @Test
  void messagesParksUnparksAndMailboxSamplesAreRecorded(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("owner.jfr");
    CountDownLatch sampledBacklog = new CountDownLatch(1);
    long wall;
    try (Recording recording = recording(); RecordingStream stream = new RecordingStream()) {
      stream.enable(PREFIX + "OwnerMailbox").withPeriod(Duration.ofMillis(20));
      stream.onEvent(PREFIX + "OwnerMailbox", e -> {
        if (e.getString("owner").equals("recorded") && e.getLong("depth") > 100) {
          sampledBacklog.countDown();
        }
      });
      recording.start();
      stream.startAsync();
      long start = System.nanoTime();
      Owner<int[]> owner = startOwner("recorded", new int[1]);
      try {
        OwnerTestSupport.Gate gate = new OwnerTestSupport.Gate();
        owner.tell(gate);
        gate.awaitEntered();
        for (int i = 0; i < 100; i++) {
          owner.tell(c -> c[0]++);
        }
        assertTrue(sampledBacklog.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS),
            "a mailbox sample saw the backlog");
        gate.release();
        owner.join();
        awaitBlocked(owner.thread()); // parked on the empty mailbox
        owner.tell(c -> c[0]++);
        owner.join();
        assertEquals(101, owner.ask(c -> c[0]).get());
      } finally {
        owner.close();
      }
      wall = System.nanoTime() - start;
      recording.stop();
      recording.dump(file);
    }
    Map<String, List<RecordedEvent>> byType = RecordingFile.readAllEvents(file).stream()
        .filter(e -> e.getEventType().getName().startsWith(PREFIX))
        .filter(e -> e.getString("owner").equals("recorded"))
        .collect(Collectors.groupingBy(e -> e.getEventType().getName().substring(PREFIX.length())));
    assertEquals(TYPES.stream().collect(Collectors.toSet()), byType.keySet());
    List<RecordedEvent> messages = byType.get("OwnerMessage");
    assertEquals(103, messages.size(), "the gate, 100 tells, one more and the ask");
    for (RecordedEvent e : messages) {
      assertTrue(e.getLong("queued") >= 0 && e.getLong("queued") <= wall, e::toString);
      assertTrue(!e.getDuration().isNegative() && e.getDuration().toNanos() <= wall, e::toString);
      assertEquals("recorded", e.getThread().getJavaName());
    }
    // The first message behind the gate was sent while the gate ran and ran after it: its
    // queued time is positive and bounded by the run.
    long gateRun = messages.get(0).getDuration().toNanos();
    long firstQueued = messages.get(1).getLong("queued");
    assertTrue(firstQueued > 0 && firstQueued <= gateRun + wall, firstQueued + " vs " + gateRun);
    for (RecordedEvent e : byType.get("OwnerUnpark")) {
      assertFalse(e.getThread().getJavaName().equals("recorded"), "a sender unparks: " + e);
    }
    assertTrue(byType.get("OwnerPark").stream()
        .allMatch(e -> e.getThread().getJavaName().equals("recorded")));
    assertTrue(byType.get("OwnerMailbox").stream().anyMatch(e -> e.getLong("depth") > 100));
  }

  @Test
  void aDefaultRecordingLeavesOutTheEventPerMessageOnly() throws Exception {
    try (Recording recording = new Recording(Configuration.getConfiguration("default"))) {
      recording.start();
      assertFalse(OwnerMessageEvent.PROBE.isEnabled(), "one event per message is opt-in");
      assertTrue(OwnerParkEvent.PROBE.isEnabled());
      assertTrue(OwnerUnparkEvent.PROBE.isEnabled());
    }
  }

  @Test
  void whileMessagesAreStampedEveryoneStillSeesTheMessagesThatWereSent() throws Exception {
    try (Recording recording = recording()) {
      recording.start();
      assertTrue(OwnerMessageEvent.PROBE.isEnabled());
      Owner<int[]> owner = startOwner("stamped", new int[1]);
      OwnerTestSupport.Gate gate = new OwnerTestSupport.Gate();
      owner.tell(gate);
      gate.awaitEntered();
      Consumer<int[]> left = c -> c[0]++;
      owner.tell(left);
      ListenableFuture<Integer> asked = owner.ask(c -> c[0]);
      List<Consumer<? super int[]>> leftovers = owner.shutdownNow();
      assertEquals(2, leftovers.size());
      assertSame(left, leftovers.get(0));
      assertTrue(asked.isCancelled(), "the ask among the leftovers is cancelled");
      assertTrue(owner.awaitTermination(DEADLINE));
    }
    assertFalse(OwnerMessageEvent.PROBE.isEnabled(), "off once no recording enables it");
  }
}
