package io.github.gilpatterns.jcstress;

import com.google.common.util.concurrent.Futures;
import io.github.gilpatterns.join.Threads;
import io.github.gilpatterns.owner.Owner;
import io.github.gilpatterns.queue.JoinableQueue;
import java.util.concurrent.Future;

/**
 * Blocking calls for jcstress actors, which may not throw checked exceptions in
 * {@code Mode.Continuous}. Nobody interrupts an actor there, so an interrupt is a harness
 * failure: the flag is restored and the call ends with an {@link IllegalStateException},
 * which jcstress reports as a test error (and {@code run.sh} as a failure).
 */
final class Blocking {

    private Blocking() {}

    /** A blocking call. */
    interface Call {
        void run() throws InterruptedException;
    }

    static void call(Call call) {
        try {
            call.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("jcstress actor interrupted", e);
        }
    }

    static void join(JoinableQueue<?> queue) {
        call(queue::join);
    }

    static void join(Thread thread) {
        call(thread::join);
    }

    static void joinAll(Iterable<Thread> threads) {
        call(() -> Threads.joinAll(threads));
    }

    static void join(Owner<?> owner) {
        call(owner::join);
    }

    /** The future's value, waiting uninterruptibly; a failure becomes an unchecked exception. */
    static <V> V get(Future<V> future) {
        return Futures.getUnchecked(future);
    }
}
