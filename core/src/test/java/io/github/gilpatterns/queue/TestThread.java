package io.github.gilpatterns.queue;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A daemon test thread that records what its body throws, can be waited on until it is blocked,
 * and is finished with a bounded join that rethrows the recorded failure. Never sleeps.
 */
final class TestThread extends Thread {

    /** A body that may throw anything; failures are rethrown by {@link #finish()}. */
    @FunctionalInterface
    interface Body {
        void run() throws Throwable;
    }

    static final long TIMEOUT_SECONDS = 20;

    private final Body body;
    private volatile Throwable failure;

    private TestThread(String name, Body body) {
        super(name);
        this.body = body;
        setDaemon(true);
    }

    static TestThread start(String name, Body body) {
        TestThread t = new TestThread(name, body);
        t.start();
        return t;
    }

    @Override
    public void run() {
        try {
            body.run();
        } catch (Throwable e) {
            failure = e;
        }
    }

    /**
     * Waits (spinning with {@code Thread.yield()}, no sleep) until this thread is parked in
     * WAITING or TIMED_WAITING; fails if it ends first or does not block within the timeout.
     */
    void awaitBlocked() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        for (;;) {
            State s = getState();
            if (s == State.WAITING || s == State.TIMED_WAITING) {
                return;
            }
            if (s == State.TERMINATED) {
                throw new AssertionError(getName() + " ended instead of blocking", failure);
            }
            if (System.nanoTime() - deadline > 0) {
                fail(getName() + " did not block within " + TIMEOUT_SECONDS + " s (state " + s + ")");
            }
            Thread.yield();
        }
    }

    /** Joins with a timeout, failing if the thread is still alive, and rethrows its failure. */
    void finish() throws InterruptedException {
        join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        if (isAlive()) {
            interrupt();
            join(1000);
            fail(getName() + " did not finish within " + TIMEOUT_SECONDS + " s");
        }
        Throwable f = failure;
        if (f != null) {
            throw new AssertionError(getName() + " failed: " + f, f);
        }
    }

    /** Returns what the body threw, after {@link #finish()}-style joining by the caller. */
    Throwable failure() {
        return failure;
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
