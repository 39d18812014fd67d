package io.github.gilpatterns.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;

/**
 * A factory of {@link ThreadMode}'s threads that remembers every thread it made, so that a test
 * can check that a library type runs its work on the threads of the factory it was given.
 */
public final class RecordingThreadFactory implements ThreadFactory {
  /** Every thread this factory made, in order. */
  public final List<Thread> made = new CopyOnWriteArrayList<>();
  private final ThreadFactory base;

  /** A factory of threads named {@code prefix-0}, {@code prefix-1}, ... */
  public RecordingThreadFactory(String prefix) {
    base = ThreadMode.factory(prefix);
  }

  @Override
  public Thread newThread(Runnable r) {
    Thread t = base.newThread(r);
    made.add(t);
    return t;
  }
}
