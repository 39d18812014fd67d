package io.github.gilpatterns.jcstress;

import io.github.gilpatterns.owner.Owner;

/**
 * The one {@link Owner} thread that the owner-based tests of a jcstress JVM send their
 * messages to.
 *
 * <p>jcstress creates a new state object for every sample, millions of them, in batches of
 * hundreds that are alive at the same time. An {@code Owner} per state would mean a thread
 * start (and a close) per sample and hundreds of live threads: the test would measure thread
 * creation, collect a few thousand samples, and need the arbiter to close each owner. So the
 * tests share one long-lived owner, and each state keeps its own plain, non-volatile fields
 * (a counter, a two-part string) that <em>only messages</em> touch, that is, only the owner
 * thread. That is exactly the discipline Owner enforces for its own state {@code S}: the
 * owned data is confined to the owner thread and every other thread reaches it by message.
 * The owner's own state is unused. Sharing the owner is honest for these claims: messages of
 * other samples only add interleavings, and {@code join()} must then also wait for them.
 *
 * <p>The thread is a daemon and is never closed: jcstress runs each test in its own JVM,
 * which ends when the test does.
 */
final class SharedOwner {

    /** The shared owner. Its state is unused: messages carry the sample's own fields. */
    static final Owner<Object> OWNER =
            Owner.builder(new Object()).name("jcstress-owner").daemon(true).start();

    private SharedOwner() {}
}
