package io.github.gilpatterns.jcstress.report;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The thread-safety claims this module's jcstress tests prove or refute, numbered as in the
 * module README: the one place where a claim's sentence and the words of its verdict are written.
 *
 * <p>A test belongs to a claim through its jcstress {@code @Description}, which starts with
 * "Claim N" ({@link #ofDescription}). It is on the claim's broken side when it declares an
 * ACCEPTABLE_INTERESTING outcome (the race the claim is about, allowed there and hoped for),
 * and on its fixed side otherwise (every outcome but the correct ones is FORBIDDEN).
 */
public enum Claim {
    LOST_UPDATES(1,
            "Unsynchronised counter++ loses updates; a lock, an atomic or an owner never does.",
            "lost an update", "never lost one",
            "both actors to read the counter before either writes it back"),
    TORN_WRITES(2,
            "A two-part write without a lock can be seen half old, half new; a lock or an owner keeps it whole.",
            "showed a half-written string", "never showed one",
            "one actor's write or read to fall between the two halves of the other's write"),
    GIL_NOT_YOUR_SANITY(3,
            "The GIL gives mutual exclusion between checkpoints, not atomicity of your code.",
            "lost increments", "never lost one",
            "the GIL to change hands between a read and its write, or two free-threaded actors to overlap"),
    PRINT_JOBS(4,
            "Print jobs interleave when threads print their own lines, and never through a print manager.",
            "interleaved two jobs", "never interleaved them",
            "one actor to print a line between the other actor's two lines"),
    JOIN_SEES_WRITES(5,
            "join() makes every finished task's writes visible, and taskDone() balances exactly.",
            "read a result before it was there or missed a wake-up",
            "never missed a write, a wake-up or a count",
            "an actor to read before the other's task or message has run, or a notify to come before the wait"),
    START_JOIN(6,
            "Thread.start() and join() happen-before: without join() the main thread reads too early.",
            "read the child's data before the child wrote it", "never missed a write",
            "the main actor to read before the child thread has run"),
    TELL_RACING_CLOSE(7,
            "A tell() racing close() runs exactly once or is refused, never lost.",
            "accepted a message after the owner's last drain and lost it",
            "never lost an accepted message",
            "an offer to land between its closed-flag check and the owner's last drain");

    private static final Pattern PREFIX = Pattern.compile("^Claim (\\d+)\\b");

    private final int number;
    private final String sentence;
    private final String race;
    private final String guarantee;
    private final String raceNeeds;

    Claim(int number, String sentence, String race, String guarantee, String raceNeeds) {
        this.number = number;
        this.sentence = sentence;
        this.race = race;
        this.guarantee = guarantee;
        this.raceNeeds = raceNeeds;
    }

    /** The claim's number in the module README. */
    public int number() {
        return number;
    }

    /** The claim in one sentence. */
    public String sentence() {
        return sentence;
    }

    /** What a broken test did when it was caught, after "the broken version": "lost an update". */
    public String race() {
        return race;
    }

    /** What the fixed tests never did, after "the fixed versions": "never lost one". */
    public String guarantee() {
        return guarantee;
    }

    /** What the race needs to show up, after "the race needs": why a run may not see it. */
    public String raceNeeds() {
        return raceNeeds;
    }

    /** The claim with this README number. */
    public static Optional<Claim> ofNumber(int number) {
        for (Claim claim : values()) {
            if (claim.number == number) {
                return Optional.of(claim);
            }
        }
        return Optional.empty();
    }

    /** The claim a test's jcstress description names ("Claim 1, broken: ..."), if it names one. */
    public static Optional<Claim> ofDescription(String description) {
        Matcher matcher = PREFIX.matcher(description == null ? "" : description);
        return matcher.find() ? ofNumber(Integer.parseInt(matcher.group(1))) : Optional.empty();
    }
}
