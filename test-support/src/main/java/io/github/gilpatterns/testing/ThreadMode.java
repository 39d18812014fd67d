package io.github.gilpatterns.testing;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The kind of thread the suites run on: platform threads by default, virtual threads when the
 * system property {@value #PROPERTY} is {@code virtual} (JDK 21 or later; on an older JDK that
 * setting fails loudly instead of quietly testing platform threads). Tests start their own threads
 * with {@link #start(String, Runnable)} and give {@link #factory(String)} to the library types
 * that take a {@link ThreadFactory}, so one suite tests both kinds.
 *
 * <p>Every thread made here is remembered until {@link #takeMade()} hands it over, so that
 * {@link ThreadLeakCheck} can find the threads a test left running, virtual ones included (the
 * JDK lists only platform threads).
 *
 * <p>The project compiles for Java 17, so the JDK 21 API {@code Thread.ofVirtual()} is reached
 * through a method handle.
 */
public final class ThreadMode {

  /** The system property that selects the thread kind: {@code platform} or {@code virtual}. */
  public static final String PROPERTY = "gilpatterns.test.threads";

  private static final boolean VIRTUAL;
  /** {@code Thread.Builder ofVirtual()}, or null on platform threads. */
  private static final MethodHandle OF_VIRTUAL;
  /** {@code Thread.Builder.name(String, long)}. */
  private static final MethodHandle NAME;
  /** {@code Thread.Builder.factory()}. */
  private static final MethodHandle FACTORY;

  static {
    String mode = System.getProperty(PROPERTY, "platform");
    switch (mode) {
      case "platform":
        VIRTUAL = false;
        OF_VIRTUAL = null;
        NAME = null;
        FACTORY = null;
        break;
      case "virtual":
        VIRTUAL = true;
        try {
          MethodHandles.Lookup lookup = MethodHandles.publicLookup();
          Class<?> builder = Class.forName("java.lang.Thread$Builder");
          OF_VIRTUAL = lookup.findStatic(Thread.class, "ofVirtual",
              MethodType.methodType(Class.forName("java.lang.Thread$Builder$OfVirtual")));
          NAME = lookup.findVirtual(builder, "name",
              MethodType.methodType(builder, String.class, long.class));
          FACTORY = lookup.findVirtual(builder, "factory", MethodType.methodType(ThreadFactory.class));
        } catch (ReflectiveOperationException e) {
          throw new ExceptionInInitializerError(new IllegalStateException(
              PROPERTY + "=virtual needs JDK 21 or later; this is " + Runtime.version(), e));
        }
        break;
      default:
        throw new ExceptionInInitializerError(new IllegalArgumentException(
            PROPERTY + " must be platform or virtual, was " + mode));
    }
  }

  /** Threads made since the last {@link #takeMade()}. */
  private static final Set<Thread> MADE = ConcurrentHashMap.newKeySet();

  private ThreadMode() {}

  /** Returns the threads made since the last call, and forgets them. */
  static List<Thread> takeMade() {
    List<Thread> made = new ArrayList<>(MADE);
    MADE.removeAll(made);
    return made;
  }

  private static Thread remember(Thread thread) {
    if (thread != null) {
      MADE.add(thread);
    }
    return thread;
  }

  /** Whether the suites run on virtual threads. */
  public static boolean virtual() {
    return VIRTUAL;
  }

  /**
   * A factory of unstarted threads of the selected kind, named {@code prefix-0},
   * {@code prefix-1}, ...; platform threads are non-daemon, as
   * {@link java.util.concurrent.Executors#defaultThreadFactory()}'s are.
   */
  public static ThreadFactory factory(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    if (VIRTUAL) {
      try {
        Object builder = OF_VIRTUAL.invoke();
        builder = NAME.invoke(builder, prefix + "-", 0L);
        ThreadFactory virtual = (ThreadFactory) FACTORY.invoke(builder);
        return task -> remember(virtual.newThread(task));
      } catch (Throwable t) {
        throw new IllegalStateException("could not make a virtual-thread factory", t);
      }
    }
    AtomicInteger next = new AtomicInteger();
    return task -> remember(new Thread(task, prefix + "-" + next.getAndIncrement()));
  }

  /** Creates and starts a thread of the selected kind named {@code name}. */
  public static Thread start(String name, Runnable task) {
    Thread thread = newThread(name, task);
    thread.start();
    return thread;
  }

  /** Creates an unstarted thread of the selected kind, in {@code new Thread(task, name)} order. */
  public static Thread newThread(Runnable task, String name) {
    return newThread(name, task);
  }

  /** Creates an unstarted thread of the selected kind named {@code name}. */
  public static Thread newThread(String name, Runnable task) {
    Thread thread = factory(name).newThread(task);
    thread.setName(name);
    return thread;
  }
}
