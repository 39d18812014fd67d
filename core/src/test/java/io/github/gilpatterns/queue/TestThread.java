package io.github.gilpatterns.queue;

import static org.junit.jupiter.api.Assertions.fail;

import io.github.gilpatterns.testing.Await;
import io.github.gilpatterns.testing.ThreadMode;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A test thread, of the kind {@link ThreadMode} selects, that records what its body throws, can
 * be waited on until it is blocked, and is finished with a bounded join that rethrows the
 * recorded failure. Never sleeps; every wait is bounded ({@link Await}).
 */
final class TestThread {

    /** A body that may throw anything; failures are rethrown by {@link #finish()}. */
    @FunctionalInterface
    interface Body {
        void run() throws Throwable;
    }

    static final long TIMEOUT_SECONDS = Await.LIMIT.toSeconds();

    private final Thread thread;
    private volatile Throwable failure;

    private TestThread(String name, Body body) {
        this.thread = ThreadMode.newThread(name, () -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure = e;
            }
        });
        thread.setDaemon(true); // a platform thread left blocked must not keep the JVM alive
    }

    static TestThread start(String name, Body body) {
        TestThread t = new TestThread(name, body);
        t.thread.start();
        return t;
    }

    String getName() {
        return thread.getName();
    }

    boolean isAlive() {
        return thread.isAlive();
    }

    void interrupt() {
        thread.interrupt();
    }

    /**
     * Waits until this thread is parked in WAITING or TIMED_WAITING ({@link Await#blocked});
     * fails if it ends first or does not block within the timeout.
     */
    void awaitBlocked() {
        try {
            Await.blocked(thread);
        } catch (AssertionError e) {
            if (failure != null) {
                e.addSuppressed(failure);
            }
            throw e;
        }
    }

    /**
     * Waits until {@code condition} holds ({@link Await#until}); fails, naming {@code what}, if
     * it does not within the timeout.
     */
    static void awaitTrue(String what, BooleanSupplier condition) {
        Await.until(what, condition);
    }

    /** Joins with a timeout, failing if the thread is still alive, and rethrows its failure. */
    void finish() throws InterruptedException {
        thread.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        if (thread.isAlive()) {
            thread.interrupt();
            thread.join(1000);
            fail(getName() + " did not finish within " + TIMEOUT_SECONDS + " s");
        }
        Throwable f = failure;
        if (f != null) {
            throw new AssertionError(getName() + " failed: " + f, f);
        }
    }

    static void finishAll(List<TestThread> threads) throws InterruptedException {
        AssertionError first = null;
        for (TestThread t : threads) {
            try {
                t.finish();
            } catch (AssertionError e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
