/**
 * Five Python threading notebooks re-run in Java, one program per notebook, a lesson past them
 * (virtual threads), a comparison with CPython measured in the same sitting, and the launcher
 * that lists and runs them ({@link io.github.gilpatterns.examples.Launcher}, the main class of
 * {@code examples/target/gilpatterns-examples.jar}).
 *
 * <p>Each program walks its notebook's cells in order ("In [n]" headings, "##" for markdown
 * sections), runs the Java counterpart of each cell on the emulated GIL of
 * {@code io.github.gilpatterns.gil} where the notebook ran CPython, prints its figures beside
 * the notebook's own and those CPython 3.11 measured on a 2-core machine, as ratios, and ends
 * with the lesson in one sentence. Where a notebook was wrong it says so and shows the corrected
 * experiment (notebook 000 timed only {@code start()}).
 *
 * <ul>
 *   <li>{@link io.github.gilpatterns.examples.Notebook000ThreadsCanHurt}: runthreads, start-only
 *       timing and the corrected timing with {@code join()}, per mode, with a chart.
 *   <li>{@link io.github.gilpatterns.examples.Notebook001WayOneThreads}: fib timed once, twice and
 *       on two threads; the _/* interleaving with a GIL timeline; Amdahl's law against measured
 *       speedups; the global-string hybrid; Hettinger's counter and print managers.
 *   <li>{@link io.github.gilpatterns.examples.Notebook002ThreadsOnOneCore}: CPU time over wall
 *       time under the GIL, the Bank example, the multiprocessing advice.
 *   <li>{@link io.github.gilpatterns.examples.Notebook003OvercomingThreads}: a generated 21 MB
 *       Emails.csv read on one and two threads, with the GIL held or released while decoding;
 *       the {@code dis} cell through {@code javap}.
 *   <li>{@link io.github.gilpatterns.examples.Notebook004ThreadingModule}: start without join,
 *       daemon threads at exit, join order, {@code ThreadPoolExecutor} thread names.
 *   <li>{@link io.github.gilpatterns.examples.Lesson005VirtualThreads}: past the notebooks, JDK
 *       21's virtual threads: blocking tasks overlap without a pool to size, and CPU-bound ones on
 *       one carrier run one after the other, with no switch interval.
 * </ul>
 *
 * <p><b>Parallel capacity.</b> Each banner prints the machine's own parallel capacity, measured as
 * the notebook starts: two plain Java threads (no GIL, no library code) timed against one
 * ({@link io.github.gilpatterns.examples.Capacity}). A parallel lesson is judged against it: not
 * measurable when the plain threads take 1.5 times one thread's time or more, or did not get
 * their cores; otherwise shown when the emulation's two threads are nearer the plain threads'
 * ratio than 2. The rule is written down once, in {@code Capacity}.
 *
 * <p><b>Compare.</b> {@link io.github.gilpatterns.examples.Compare}, the launcher's
 * {@code compare} command, runs the jar's own CPython script ({@code cpython/experiments.py},
 * standard library only) one sample at a time, alternating with the same experiment on the
 * emulated GIL, and prints both with their ratio and fidelity target.
 *
 * <p><b>Pattern examples.</b> The subpackage {@code io.github.gilpatterns.examples.patterns}
 * holds one small program per pattern. The launcher finds every public class there with a
 * {@code public static void main(String[])} (directory or jar), names it by its simple name
 * in kebab case without a trailing {@code Example}, {@code Demo} or {@code Main}
 * ({@code CounterManagerExample} runs as {@code run counter-manager}), describes it by its
 * {@code public static final String DESCRIPTION} if present, and runs it in {@code all} after
 * the notebooks and with {@code run patterns}. Such a program must end its threads before
 * returning and must not call {@code System.exit}.
 *
 * <p><b>Sizes.</b> {@code fast} (the default) keeps {@code all} under two minutes on two cores;
 * {@code --full} uses the notebooks' sizes (fib(34) in CPython's time is fib(43) in Java, a
 * 21 MB Emails.csv read 100 times, two-second sleeps); {@code --size test} is the smallest size
 * that still shows each lesson, used by the tests.
 */
package io.github.gilpatterns.examples;
