package io.github.gilpatterns.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** JoinableQueue's Flight Recorder event, read back from a recording. */
@Timeout(60)
class JoinableQueueRecordingTest {

    @Test
    void aJoinThatWaitsIsRecordedAndOneThatReturnsAtOnceIsNot(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("join.jfr");
        long wall;
        try (Recording recording = new Recording()) {
            recording.enable("io.github.gilpatterns.JoinableQueueJoin");
            recording.start();
            long start = System.nanoTime();
            JoinableQueue<String> queue = JoinableQueue.unbounded();
            queue.join(); // nothing unfinished: returns at once, no event
            queue.put("a");
            queue.put("b");
            TestThread joiner = TestThread.start("joiner", queue::join);
            joiner.awaitBlocked();
            for (int i = 0; i < 2; i++) {
                queue.take();
                queue.taskDone();
            }
            joiner.finish();
            wall = System.nanoTime() - start;
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> joins = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("io.github.gilpatterns.JoinableQueueJoin"))
                .collect(Collectors.toList());
        assertEquals(1, joins.size(), joins::toString);
        RecordedEvent join = joins.get(0);
        assertEquals("joiner", join.getThread().getJavaName());
        assertEquals(2L, join.getLong("unfinishedAtStart"));
        assertTrue(join.getBoolean("completed"));
        assertTrue(join.getDuration().toNanos() > 0 && join.getDuration().toNanos() <= wall,
                join::toString);
    }
}
