package io.github.gilpatterns.jcstress;

import io.github.gilpatterns.join.Threads;
import java.util.List;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.I_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    Claim 6 (notebook "GIL and the threading module"): "x.join() is an instruction to the main
    thread to wait for thread x to finish. This can be useful when the child threads are doing some
    work, and the main thread is then working on the data that the child threads have prepared." The
    notebook relies on two edges of the Java (and Python) memory model: everything before t.start()
    is visible to the new thread, and everything the thread did is visible after t.join() returns.
    With the join commented out (the notebook's first cell), the main thread prints "all done"
    before the thread has done anything, and reads whatever happens to be there.

    Each sample starts real platform threads (a few tens of microseconds each), so these tests
    collect far fewer samples than the others.

    How to run this test:
       $ jcstress-tests/run.sh quick -t Threads_01_StartJoinHappensBefore
       $ java -jar jcstress-tests/target/jcstress.jar -t Threads_01_StartJoinHappensBefore[.SubTestName]

    Expected outcomes:
        NoJoin:     42 Acceptable; 0 Acceptable, interesting (the child had not run yet).
        StartJoin:  1042 Acceptable; 1000 Forbidden (the child missed the input written before
                    start()); 0 Forbidden (join() returned without the child's output).
        JoinAll:    "1, 2" Acceptable; anything with a 0 Forbidden.
 */
public class Threads_01_StartJoinHappensBefore {

    /*
      ----------------------------------------------------------------------------------------
        Broken: the notebook with "# x.join()" commented out. actor1 starts a child that
        prepares data, then reads the data without waiting (it joins afterwards, only so that
        no thread outlives the sample).
     */
    @JCStressTest
    @Description("Claim 6, broken: without join() the main thread reads before the child has written.")
    @Outcome(id = "42", expect = ACCEPTABLE, desc = "The child had already prepared the data when actor1 read it.")
    @Outcome(id = "0", expect = ACCEPTABLE_INTERESTING, desc = "actor1 read before the child prepared the data: nothing made it wait.")
    @Outcome(expect = FORBIDDEN, desc = "A value nobody wrote.")
    @State
    public static class NoJoin {
        int data;

        @Actor
        public void actor1(I_Result r) {
            Thread child = new Thread(() -> data = 42, "child");
            child.start();
            r.r1 = data;
            Blocking.join(child);
        }
    }

    /*
      ----------------------------------------------------------------------------------------
        Fixed: start(), then join(), then read. The child reads an input written before
        start() and writes an output read after join(); both fields are plain.
     */
    @JCStressTest
    @Description("Claim 6: writes before start() are seen by the thread; its writes are seen after join().")
    @Outcome(id = "1042", expect = ACCEPTABLE, desc = "The child saw the input written before start(), and actor1 saw the output after join().")
    @Outcome(id = "1000", expect = FORBIDDEN, desc = "The child did not see the input written before start().")
    @Outcome(id = "0", expect = FORBIDDEN, desc = "actor1 did not see the child's output after join().")
    @Outcome(expect = FORBIDDEN, desc = "A value nobody could compute.")
    @State
    public static class StartJoin {
        int input;
        int output;

        @Actor
        public void actor1(I_Result r) {
            input = 42;
            Thread child = new Thread(() -> output = 1000 + input, "child");
            child.start();
            Blocking.join(child);
            r.r1 = output;
        }
    }

    /*
      ----------------------------------------------------------------------------------------
        Fixed, the notebook's second cell: start a list of threads with Threads.start(), wait
        for all of them with Threads.joinAll(), then use what each prepared.
     */
    @JCStressTest
    @Description("Claim 6: after Threads.joinAll() every child's writes are seen.")
    @Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "After joinAll() actor1 saw what both children prepared.")
    @Outcome(expect = FORBIDDEN, desc = "joinAll() returned without a child's result being visible.")
    @State
    public static class JoinAll {
        int prepared1;
        int prepared2;

        @Actor
        public void actor1(II_Result r) {
            Thread t1 = Threads.start("child-1", () -> prepared1 = 1);
            Thread t2 = Threads.start("child-2", () -> prepared2 = 2);
            Blocking.joinAll(List.of(t1, t2));
            r.r1 = prepared1;
            r.r2 = prepared2;
        }
    }
}
