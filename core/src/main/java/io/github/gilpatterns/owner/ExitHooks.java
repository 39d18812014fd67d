package io.github.gilpatterns.owner;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What happens to live owners when the JVM exits (after {@code System.exit}, a SIGTERM, or the
 * last non-daemon thread ending): one shutdown hook, installed when the first owner starts,
 * shuts down and waits for every owner built with {@code drainOnExit(..)}, then logs each owner
 * still running with the number of accepted messages that had not finished running (the one
 * running, if any, and those waiting).
 *
 * <p>The log goes through {@link System.Logger}. With java.util.logging as its backend, that
 * backend's own shutdown hook closes its handlers at the same time, so such a message can be
 * lost; a backend that stays up until the JVM halts prints it. {@code drainOnExit} itself does
 * not depend on logging.
 *
 * <p>The live set holds an owner from just before its thread starts until its thread
 * terminates; a live owner's thread references it anyway, so the set keeps nothing alive that
 * would otherwise be collected.
 */
final class ExitHooks {

  private static final System.Logger LOG = System.getLogger(Owner.class.getName());
  private static final Set<SerialCore<?>> LIVE = ConcurrentHashMap.newKeySet();

  static {
    try {
      Runtime.getRuntime().addShutdownHook(new Thread(ExitHooks::runAtExit, "gilpatterns-exit"));
    } catch (IllegalStateException shuttingDown) {
      // The JVM is already exiting: there is nothing left to hook into.
    }
  }

  private ExitHooks() {}

  static void register(SerialCore<?> core) {
    LIVE.add(core);
  }

  static void unregister(SerialCore<?> core) {
    LIVE.remove(core);
  }

  /** The owners whose threads are live now (weakly consistent, as the set's iterator is). */
  static Iterable<SerialCore<?>> live() {
    return LIVE;
  }

  /** The shutdown hook's body: drain the owners that asked for it, then report the rest. */
  private static void runAtExit() {
    List<SerialCore<?>> live = new ArrayList<>(LIVE);
    long start = System.nanoTime();
    for (SerialCore<?> core : live) {
      if (core.drainOnExit) {
        core.shutdown(); // all at once, so they drain in parallel
      }
    }
    for (SerialCore<?> core : live) {
      if (core.drainOnExit) {
        core.awaitTerminatedUntil(start + core.exitNanos);
      }
    }
    for (SerialCore<?> core : live) {
      if (core.isTerminated()) {
        continue;
      }
      long notRun = core.pending();
      if (notRun == 0L) {
        continue;
      }
      if (core.drainOnExit) {
        LOG.log(Level.WARNING, "{0} {1} did not drain within {2} ms of the JVM exiting: "
            + "{3} accepted messages had not finished running", core.kind(), core.name,
            Duration.ofNanos(core.exitNanos).toMillis(), notRun);
      } else {
        LOG.log(Level.WARNING, "{0} {1} was still running when the JVM exited: {2} accepted "
            + "messages had not finished running (drainOnExit(..) on its builder drains it "
            + "first)", core.kind(), core.name, notRun);
      }
    }
  }
}
