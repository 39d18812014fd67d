package io.github.gilpatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.github.gilpatterns.patterns.PrintManager;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

/*
    Claim 4 (the print manager of Raymond Hettinger's worked example: "I have EXCLUSIVE rights to
    call the print keyword"): a job of several lines handed to the print manager comes out together,
    never interleaved with another job's lines. Two threads that print their lines themselves
    interleave, even if every single line is printed atomically.

    Each actor prints a job of two lines, "A1" "A2" and "B1" "B2", to a terminal that keeps
    lines whole (each println is atomic, as System.out's is); the arbiter reads what the
    terminal shows, lines separated by spaces. Manager uses the pattern class,
    io.github.gilpatterns.patterns.PrintManager, writing to a plain StringBuilder (not
    thread-safe: the print-manager thread is its only writer); it owns a thread, so the test
    starts and closes one per sample and collects far fewer samples than the others.

    How to run this test:
       $ jcstress-tests/run.sh quick -t PrintManager_01_JobsNeverInterleave
       $ java -jar jcstress-tests/target/jcstress.jar -t PrintManager_01_JobsNeverInterleave[.SubTestName]

    Expected outcomes:
        RESULT                     Unmanaged                 Locked, Manager
        A1 A2 B1 B2, B1 B2 A1 A2   Acceptable                Acceptable   one job, then the other
        A1 B1 A2 B2 and the like   Acceptable, interesting   Forbidden    the jobs interleaved
        (other)                    Forbidden                 Forbidden    a line lost or reordered in its job
 */
public class PrintManager_01_JobsNeverInterleave {

    /** A terminal that keeps each line whole, as System.out does for one println. */
    static final class Terminal {
        private final List<String> lines = new ArrayList<>();

        synchronized void println(String line) {
            lines.add(line);
        }

        synchronized String screen() {
            return String.join(" ", lines);
        }
    }

    /*
      ----------------------------------------------------------------------------------------
        Broken: each actor prints its own lines, one println per line.
     */
    @JCStressTest
    @Description("Claim 4, broken: two threads printing their own lines interleave their jobs.")
    @Outcome(id = {"A1 A2 B1 B2", "B1 B2 A1 A2"}, expect = ACCEPTABLE, desc = "One actor printed its whole job before the other started.")
    @Outcome(id = {"A1 B1 A2 B2", "A1 B1 B2 A2", "B1 A1 A2 B2", "B1 A1 B2 A2"}, expect = ACCEPTABLE_INTERESTING, desc = "The two jobs interleaved line by line on the terminal.")
    @Outcome(expect = FORBIDDEN, desc = "A line was lost, or a job's own lines came out of order.")
    @State
    public static class Unmanaged {
        final Terminal terminal = new Terminal();

        @Actor
        public void actor1() {
            terminal.println("A1");
            terminal.println("A2");
        }

        @Actor
        public void actor2() {
            terminal.println("B1");
            terminal.println("B2");
        }

        @Arbiter
        public void arbiter(L_Result r) {
            r.r1 = terminal.screen();
        }
    }

    /*
      ----------------------------------------------------------------------------------------
        Fixed with a lock held for the whole job ("with print_lock:").
     */
    @JCStressTest
    @Description("Claim 4, fixed with a lock per job: jobs never interleave.")
    @Outcome(id = {"A1 A2 B1 B2", "B1 B2 A1 A2"}, expect = ACCEPTABLE, desc = "One actor printed its whole job under the lock, then the other.")
    @Outcome(expect = FORBIDDEN, desc = "The jobs interleaved (or a line was lost) in spite of the lock.")
    @State
    public static class Locked {
        final Terminal terminal = new Terminal();

        @Actor
        public void actor1() {
            synchronized (terminal) {
                terminal.println("A1");
                terminal.println("A2");
            }
        }

        @Actor
        public void actor2() {
            synchronized (terminal) {
                terminal.println("B1");
                terminal.println("B2");
            }
        }

        @Arbiter
        public void arbiter(L_Result r) {
            r.r1 = terminal.screen();
        }
    }

    /*
      ----------------------------------------------------------------------------------------
        Fixed Hettinger's way: both actors hand their jobs to a PrintManager; the arbiter
        join()s it (print_queue.join()), reads the output and closes it.
     */
    @JCStressTest
    @Description("Claim 4, fixed with PrintManager: jobs never interleave.")
    @Outcome(id = {"A1 A2 B1 B2", "B1 B2 A1 A2"}, expect = ACCEPTABLE, desc = "The print manager wrote one actor's job, then the other's.")
    @Outcome(expect = FORBIDDEN, desc = "The jobs interleaved, a line was lost, or join() returned before both jobs were written.")
    @State
    public static class Manager {
        final StringBuilder out = new StringBuilder();
        final PrintManager printer = PrintManager.start("jcstress-print-manager", out);

        @Actor
        public void actor1() {
            printer.print("A1", "A2");
        }

        @Actor
        public void actor2() {
            printer.print("B1", "B2");
        }

        @Arbiter
        public void arbiter(L_Result r) {
            try {
                Blocking.call(printer::join);
                r.r1 = out.toString().replace(System.lineSeparator(), " ").trim();
            } finally {
                printer.close();
            }
        }
    }
}
