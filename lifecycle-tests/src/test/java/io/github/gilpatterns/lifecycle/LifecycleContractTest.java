package io.github.gilpatterns.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.gilpatterns.join.Joinable;
import io.github.gilpatterns.join.Lifecycle;
import io.github.gilpatterns.patterns.PatternSubjects;
import io.github.gilpatterns.testing.Await;
import io.github.gilpatterns.testing.ThreadMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@link Lifecycle} contract (and {@link Joinable}'s), each property written once and run over
 * every thread-owning type of core and patterns, as Guava's testlib and the JSR-166 TCK run one
 * set of cases over many implementations. A {@link Subject} says what each type's work is; a
 * property here never names a type, except through what its subject declares (whether accepted
 * work waits for a thread, whether what {@code shutdownNow()} returns is ordered, whether the
 * threads are the service's own).
 *
 * <p>Every property also runs under {@code ThreadLeakCheck}, so a type that leaves a thread
 * running after its test fails there; and, in the virtual-thread pass, on virtual threads.
 */
@Timeout(120)
class LifecycleContractTest {

  /** Numbered work handed over behind held threads. */
  private static final int QUEUED = 5;

  static Stream<Arguments> subjects() {
    List<Named<Supplier<Subject<?>>>> all = new ArrayList<>(CoreSubjects.all());
    all.addAll(PatternSubjects.all());
    return all.stream().map(Arguments::of);
  }

  /** Runs {@code property} on a fresh subject, ending the service whatever happens. */
  private static void check(Supplier<Subject<?>> make, Property property) throws Exception {
    Subject<?> subject = make.get();
    try {
      property.check(subject);
    } finally {
      subject.cleanUp();
    }
  }

  @FunctionalInterface
  interface Property {
    void check(Subject<?> subject) throws Exception;
  }

  private static <W> List<Integer> handBack(Subject<W> s) {
    return s.ids(s.service.shutdownNow());
  }

  private static Set<Integer> ids(int n) {
    Set<Integer> ids = new HashSet<>();
    for (int id = 0; id < n; id++) {
      ids.add(id);
    }
    return ids;
  }

  // ------------------------------------------------------------------------------ shutdown

  @ParameterizedTest(name = "{0}")
  @MethodSource("subjects")
  void shutdownRefusesNewWorkAndRunsWhatWasAccepted(Supplier<Subject<?>> make) throws Exception {
    check(make, s -> {
      Lifecycle<?> service = s.service;
      assertFalse(service.isShutdown());
      assertFalse(service.isTerminated());
      Subject.Blocker blocker = s.block();
      s.submitAll(QUEUED);
      service.shutdown();
      assertTrue(service.isShutdown(), "shut down at once");
      assertFalse(service.isTerminated(), "not terminated while accepted work waits");
      assertThrows(s.refusal(), () -> s.submit(QUEUED), "work after shutdown() is refused");
      blocker.release();
      assertTrue(service.awaitTermination(Await.LIMIT.toSeconds(), TimeUnit.SECONDS));
      assertTrue(service.isTerminated());
      s.assertRan(QUEUED);
      assertFalse(s.ran().contains(QUEUED), "the refused work never ran");
      assertEquals(List.of(), handBack(s), "nothing left to hand back");
      s.assertNoThreadAlive();
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("subjects")
  void shutdownNowHandsBackExactlyTheAcceptedWorkThatNeverRan(Supplier<Subject<?>> make)
      throws Exception {
    check(make, s -> {
      Subject.Blocker blocker = s.block();
      s.submitAll(QUEUED);
      List<Integer> back = handBack(s);
      assertTrue(s.service.isShutdown());
      assertThrows(s.refusal(), () -> s.submit(QUEUED));
      if (!s.ownsThreads()) {
        blocker.release(); // a queue does not interrupt its consumers
      }
      assertTrue(s.service.awaitTermination(Await.LIMIT.toSeconds(), TimeUnit.SECONDS));
      if (s.ownsThreads()) {
        assertEquals(s.threadCount(), blocker.interrupted.get(),
            "shutdownNow() interrupts the work that is running");
      }
      Set<Integer> ran = s.ran();
      for (int id : back) {
        assertFalse(ran.contains(id), "work " + id + " was handed back and ran too");
      }
      Set<Integer> accounted = new HashSet<>(ran);
      accounted.addAll(back);
      assertEquals(ids(QUEUED), accounted, "accepted work neither ran nor was handed back");
      assertEquals(QUEUED, back.size() + ran.size(), "work handed back twice");
      if (s.holdsWork()) {
        List<Integer> expected = new ArrayList<>(ids(QUEUED));
        if (s.ordered()) {
          assertEquals(expected, back, "in the order it would have run");
        } else {
          assertEquals(ids(QUEUED), new HashSet<>(back));
        }
      }
      assertEquals(List.of(), handBack(s), "handed back once");
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("subjects")
  void everyCallIsIdempotentAndTheStatesOnlyMoveForward(Supplier<Subject<?>> make)
      throws Exception {
    check(make, s -> {
      Lifecycle<?> service = s.service;
      assertEquals(s.name(), service.name());
      s.submitAll(3);
      service.shutdown();
      service.shutdown();
      service.close();
      assertTrue(service.isShutdown() && service.isTerminated());
      service.close();
      service.shutdown();
      assertEquals(List.of(), handBack(s));
      assertTrue(service.isShutdown() && service.isTerminated(), "the states only move forward");
      assertTrue(service.awaitTermination(0, TimeUnit.NANOSECONDS));
      assertEquals(s.name(), service.name());
      s.assertRan(3);
      s.assertNoThreadAlive();
    });
  }

  // ------------------------------------------------------------------------------ timeouts

  @ParameterizedTest(name = "{0}")
  @MethodSource("subjects")
  void zeroNegativeAndHugeTimeoutsBothForms(Supplier<Subject<?>> make) throws Exception {
    check(make, s -> {
      Lifecycle<?> service = s.service;
      // Running: a timeout of zero or less checks and returns; none may wait (the test's
      // timeout would catch one that did, since nothing here ends the service).
      assertFalse(service.awaitTermination(0, TimeUnit.NANOSECONDS));
      assertFalse(service.awaitTermination(-1, TimeUnit.SECONDS));
      assertFalse(service.awaitTermination(Long.MIN_VALUE, TimeUnit.DAYS));
      assertFalse(service.awaitTermination(Duration.ZERO));
      assertFalse(service.awaitTermination(Duration.ofSeconds(-5)));
      assertFalse(service.awaitTermination(Duration.ofSeconds(Long.MIN_VALUE)));
      service.shutdown();
      // Huge timeouts saturate instead of overflowing into "do not wait".
      assertTrue(service.awaitTermination(Long.MAX_VALUE, TimeUnit.DAYS));
      assertTrue(service.awaitTermination(Duration.ofSeconds(Long.MAX_VALUE)));
      assertTrue(service.awaitTermination(Long.MIN_VALUE, TimeUnit.NANOSECONDS),
          "terminated: a check without waiting says so");
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("subjects")
  void nullArgumentsThrowAndChangeNothing(Supplier<Subject<?>> make) throws Exception {
    check(make, s -> {
      Lifecycle<?> service = s.service;
      assertThrows(NullPointerException.class, () -> service.awaitTermination(1, null));
      assertThrows(NullPointerException.class, () -> service.awaitTermination(null));
      if (service instanceof Joinable) {
        Joinable joinable = (Joinable) service;
        assertThrows(NullPointerException.class, () -> joinable.join(1, null));
        assertThrows(NullPointerException.class, () -> joinable.join(null));
      }
      assertFalse(service.isShutdown(), "a refused call changed the state");
      s.submitAll(2);
      service.close();
      s.assertRan(2);
    });
  }

  // ------------------------------------------------------------------------------ close

  @ParameterizedTest(name = "{0}")
  @MethodSource("subjects")
  void closeShutsDownRunsEverythingAcceptedAndWaits(Supplier<Subject<?>> make) throws Exception {
    check(make, s -> {
      Subject.Blocker blocker = s.block();
      s.submitAll(QUEUED);
      AtomicBoolean returned = new AtomicBoolean();
      Thread closer = ThreadMode.start("closer", () -> {
        s.service.close();
        returned.set(true);
      });
      Await.blocked(closer);
      assertTrue(s.service.isShutdown(), "close() shuts down first");
      assertFalse(returned.get(), "close() returned while accepted work was waiting");
      blocker.release();
      closer.join(Await.LIMIT.toMillis());
      assertTrue(returned.get(), "close() did not return once the work had run");
      assertTrue(s.service.isTerminated());
      s.assertRan(QUEUED);
      s.assertNoThreadAlive();
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("subjects")
  void anInterruptedCloseStopsAsShutdownNowAndReportsWhatItDropped(Supplier<Subject<?>> make)
      throws Exception {
    check(make, s -> interruptedClose(s, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("subjects")
  void aCloseCalledWhileInterruptedStopsAtOnceAndReportsWhatItDropped(
      Supplier<Subject<?>> make) throws Exception {
    check(make, s -> interruptedClose(s, true));
  }

  /**
   * close() on a thread interrupted while it waits (or on entry): it stops as shutdownNow()
   * does, reports what never ran by the service's name, waits for the running work, and returns
   * with the interrupt status set.
   */
  private static void interruptedClose(Subject<?> s, boolean onEntry) throws Exception {
    try (CapturedLog log = new CapturedLog(s.service.getClass().getName())) {
      Subject.Blocker blocker = s.block();
      s.submitAll(QUEUED);
      AtomicBoolean interruptedAfter = new AtomicBoolean();
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      Thread closer = ThreadMode.start("closer", () -> {
        if (onEntry) {
          Thread.currentThread().interrupt();
        }
        try {
          s.service.close();
        } catch (Throwable t) {
          thrown.set(t);
        }
        interruptedAfter.set(Thread.currentThread().isInterrupted());
      });
      if (!onEntry) {
        Await.blocked(closer);
        closer.interrupt();
      }
      if (!s.ownsThreads()) {
        // A queue's consumers are not the queue's to interrupt: the one running holds on.
        Await.until("the dropped elements are reported", () -> !log.records.isEmpty());
        blocker.release();
      }
      closer.join(Await.LIMIT.toMillis());
      assertFalse(closer.isAlive(), "the interrupted close() did not stop as shutdownNow() does");
      assertNull(thrown.get(), "close() threw");
      assertTrue(interruptedAfter.get(), "close() sets the interrupt status again");
      assertTrue(s.service.isTerminated());
      if (s.ownsThreads()) {
        assertEquals(s.threadCount(), blocker.interrupted.get(), "the running work was stopped");
      }
      int dropped = QUEUED - s.ran().size();
      if (s.holdsWork()) {
        assertEquals(QUEUED, dropped, "the accepted work behind the held threads never ran");
      }
      // What the report counts is what shutdownNow() handed back: the numbered work that never
      // ran, and the blockers too where they are the service's work (a pipeline's blocker is an
      // item that had not come out of it).
      if (dropped > 0) {
        assertEquals(1, log.records.size(), () -> "one report: " + log.messages());
      }
      assertTrue(log.records.size() <= 1, () -> "one report at most: " + log.messages());
      for (LogRecord report : log.records) {
        assertEquals(Level.WARNING, report.getLevel());
        Matcher m = Pattern.compile(Pattern.quote(s.service.getClass().getSimpleName() + " "
            + s.name() + ": close() was interrupted, so it stopped as shutdownNow() does; ")
            + "(\\d+) accepted items will never run").matcher(report.getMessage());
        assertTrue(m.matches(), report.getMessage());
        int reported = Integer.parseInt(m.group(1));
        assertTrue(reported >= dropped && reported <= dropped + s.threadCount(),
            () -> report.getMessage() + ", with " + dropped + " numbered items that never ran");
      }
      s.assertNoThreadAlive();
    }
  }

  // ------------------------------------------------------------------------------ own thread

  @ParameterizedTest(name = "{0}")
  @MethodSource("subjects")
  void onItsOwnThreadAwaitTerminationThrowsAndCloseShutsDownAndReturns(
      Supplier<Subject<?>> make) throws Exception {
    check(make, s -> {
      if (!s.ownsThreads()) {
        return; // a queue cannot tell its consumers from other threads
      }
      List<Object> seen = new CopyOnWriteArrayList<>();
      s.onServiceThread(() -> {
        try {
          seen.add(s.service.awaitTermination(0, TimeUnit.SECONDS));
        } catch (Throwable t) {
          seen.add(t);
        }
        try {
          s.service.close();
          seen.add("closed");
        } catch (Throwable t) {
          seen.add(t);
        }
      });
      Await.until("the service's thread ran the calls", () -> seen.size() == 2);
      assertInstanceOf(IllegalStateException.class, seen.get(0),
          "awaitTermination() on the service's thread would wait for itself");
      assertEquals("closed", seen.get(1), "close() on the service's thread returns");
      assertTrue(s.service.isShutdown());
      assertTrue(s.service.awaitTermination(Await.LIMIT.toSeconds(), TimeUnit.SECONDS));
      s.assertNoThreadAlive();
    });
  }

  // ------------------------------------------------------------------------------ join

  @ParameterizedTest(name = "{0}")
  @MethodSource("subjects")
  void joinWaitsForTheWorkHandedOverBeforeItAndEndsNothing(Supplier<Subject<?>> make)
      throws Exception {
    check(make, s -> {
      if (!(s.service instanceof Joinable)) {
        return;
      }
      Joinable joinable = (Joinable) s.service;
      Subject.Blocker blocker = s.block();
      s.submitAll(QUEUED);
      assertFalse(joinable.join(0, TimeUnit.NANOSECONDS));
      assertFalse(joinable.join(-1, TimeUnit.SECONDS));
      assertFalse(joinable.join(Duration.ZERO));
      assertFalse(joinable.join(Duration.ofSeconds(Long.MIN_VALUE)));
      blocker.release();
      joinable.join();
      s.assertRan(QUEUED);
      assertFalse(s.service.isShutdown(), "join() ends nothing");
      assertTrue(joinable.join(Long.MAX_VALUE, TimeUnit.DAYS));
      assertTrue(joinable.join(Duration.ofSeconds(Long.MAX_VALUE)));
      if (s.ownsThreads()) {
        List<Object> seen = new CopyOnWriteArrayList<>();
        s.onServiceThread(() -> {
          try {
            joinable.join();
            seen.add("returned");
          } catch (Throwable t) {
            seen.add(t);
          }
        });
        Await.until("the service's thread joined", () -> !seen.isEmpty());
        assertInstanceOf(IllegalStateException.class, seen.get(0),
            "join() on the service's thread would wait for itself");
      }
      s.service.close();
    });
  }

  /** Captures what one {@link System.Logger} logs through java.util.logging. */
  private static final class CapturedLog implements AutoCloseable {
    final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Logger logger;
    private final Handler handler = new Handler() {
      @Override
      public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
          records.add(record);
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };

    CapturedLog(String name) {
      logger = Logger.getLogger(name);
      logger.addHandler(handler);
    }

    List<String> messages() {
      List<String> messages = new ArrayList<>();
      for (LogRecord r : records) {
        messages.add(r.getMessage());
      }
      return messages;
    }

    @Override
    public void close() {
      logger.removeHandler(handler);
    }
  }
}
