/**
 * An emulated Global Interpreter Lock, faithful to CPython's {@code Python/ceval_gil.c},
 * so that Java programs can feel what CPython's threads feel, and switch the same code to
 * free-threaded (PEP 703) or one-GIL-per-interpreter (PEP 684) execution to watch the
 * difference.
 *
 * <ul>
 *   <li>{@link io.github.gilpatterns.gil.Gil}: the lock, its static eval-breaker
 *       {@link io.github.gilpatterns.gil.Gil#checkpoint() checkpoint()}, and
 *       {@link io.github.gilpatterns.gil.Gil#releasing(java.util.concurrent.Callable)
 *       releasing(..)} for blocking calls;</li>
 *   <li>{@link io.github.gilpatterns.gil.GilExecutor}: Python's {@code ThreadPoolExecutor}
 *       (tasks share one GIL) and {@code InterpreterPoolExecutor} (one GIL per worker), as a
 *       Guava {@code ListeningExecutorService};</li>
 *   <li>{@link io.github.gilpatterns.gil.GilStats} and
 *       {@link io.github.gilpatterns.gil.GilTrace}: counters and a bounded log of who held
 *       the GIL when, renderable as a text timeline.</li>
 * </ul>
 *
 * <p>The GIL protects nothing but the code between checkpoints: a read-modify-write with a
 * checkpoint in the middle still loses updates, as {@code counter += 1} does in CPython.
 */
package io.github.gilpatterns.gil;
