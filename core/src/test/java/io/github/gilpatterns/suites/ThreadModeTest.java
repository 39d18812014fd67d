package io.github.gilpatterns.suites;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.gilpatterns.testing.ThreadMode;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The suites' thread switch does what it says: the run that asks for virtual threads gets them. */
class ThreadModeTest {

  @Test
  void threadsAreOfTheKindThePropertyNames() throws Exception {
    boolean wantVirtual = "virtual".equals(System.getProperty(ThreadMode.PROPERTY));
    assertEquals(wantVirtual, ThreadMode.virtual());
    AtomicReference<Thread> seen = new AtomicReference<>();
    Thread started = ThreadMode.start("mode-check", () -> seen.set(Thread.currentThread()));
    started.join();
    assertEquals("mode-check", started.getName());
    Thread fromFactory = ThreadMode.factory("mode-factory").newThread(() -> { });
    if (Runtime.version().feature() >= 21) {
      Method isVirtual = Thread.class.getMethod("isVirtual");
      assertEquals(wantVirtual, isVirtual.invoke(started));
      assertEquals(wantVirtual, isVirtual.invoke(fromFactory));
    }
    assertEquals(started, seen.get());
  }
}
