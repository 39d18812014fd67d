package io.github.gilpatterns.patterns;

import static java.util.Objects.requireNonNull;

import io.github.gilpatterns.owner.Owner;
import java.io.Flushable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * An output that belongs to one thread, the <em>print manager</em>; every other thread prints by
 * sending it a <em>job</em>, a list of lines, and the print manager writes each job's lines
 * together, never interleaved with another job's. This is the print manager of Raymond
 * Hettinger's worked example (seed notebook 001), built on {@link Owner}.
 *
 * <p>The Python, and the same thing in Java:
 *
 * <pre>{@code
 * print_queue = queue.Queue()                   | PrintManager printer =
 *                                               |     PrintManager.start(System.out);
 * def print_manager():                          | // the loop is the owner thread of `printer`:
 *     'I have EXCLUSIVE rights to call          | // it alone writes to System.out
 *      the "print" keyword'                     |
 *     while True:                               |
 *         job = print_queue.get()               |
 *         for line in job:                      |
 *             print(line)                       |
 *         print_queue.task_done()               |
 *                                               |
 * print_queue.put(['The count is %d' % counter, | printer.print("The count is " + count,
 *                  '---------------'])          |     "---------------");
 * print_queue.join()                            | printer.join();
 * }</pre>
 *
 * <p><b>Jobs.</b> {@link #print(String...)} copies the lines, enqueues them as one job and returns
 * at once; any thread may call it. The print manager writes jobs one at a time, in the order they
 * entered its queue, each as a single {@link Appendable#append(CharSequence) append} of its lines,
 * each line followed by {@link System#lineSeparator()}. So the lines of a job are always
 * contiguous and complete in the output, and the jobs of one thread appear in the order that
 * thread printed them. This holds against other writers of the same output too when its
 * {@code append} is atomic, as {@link java.io.PrintStream}'s is; with any other output, the print
 * manager must be its only writer.
 *
 * <p><b>Flushing.</b> If the output is {@link Flushable} it is flushed whenever the print manager
 * runs out of jobs, by {@link #join()} and by {@link #close()}. The output is never closed: the
 * print manager does not own its lifetime (think of {@code System.out}).
 *
 * <p><b>Failures.</b> An {@link IOException} from the output is logged (as a failed
 * {@link Owner} message) and the print manager carries on with the next job; the failed job may
 * be partly written. ({@code PrintStream} never throws; it records errors for
 * {@link java.io.PrintStream#checkError()}.)
 *
 * <p><b>Closing.</b> {@link #close()} stops accepting jobs (later calls throw
 * {@link RejectedExecutionException}), writes every job already accepted, flushes, and ends the
 * print-manager thread. The thread is not a daemon (Python's is), so a print manager that is never
 * closed keeps the JVM alive; use try-with-resources.
 *
 * <p><b>Memory consistency effects:</b> actions in a thread prior to {@code print} happen-before
 * the job is written; the writing and flushing of a job happen-before {@code join()} returns in a
 * thread that called it after the {@code print}, and before {@code close()} returns.
 */
public final class PrintManager implements AutoCloseable {

  /*
   * Implementation overview. An Owner<Output> with an unbounded mailbox; a job is a message that
   * appends one string (the lines joined, each ended by the line separator) to the output, then
   * flushes it if nothing else is waiting (pending() <= 1: the running job is counted). join()
   * first tells a flush, so a join always ends with a flushed output. The output is touched only
   * by the owner thread.
   */

  private static final String SEPARATOR = System.lineSeparator();

  /** The owned output; touched only by the print-manager thread. */
  private static final class Output {
    final Appendable out;

    Output(Appendable out) {
      this.out = out;
    }
  }

  private final Owner<Output> owner;
  private final Consumer<Output> flush;

  private PrintManager(String name, Appendable out) {
    this.owner = Owner.builder(new Output(out)).name(name).start();
    this.flush = o -> flush(o.out);
  }

  /**
   * Starts a print manager named {@code print-manager} that writes to {@code out}.
   *
   * @param out the output the new thread will own (for example {@code System.out})
   * @return the started print manager; close it when done
   * @throws NullPointerException if {@code out} is {@code null}
   */
  public static PrintManager start(Appendable out) {
    return start("print-manager", out);
  }

  /**
   * Starts a print manager whose thread is named {@code name} and writes to {@code out}.
   *
   * @param name the name of the print-manager thread
   * @param out the output the new thread will own; no other thread should write to it unless its
   *     {@code append} is atomic
   * @return the started print manager; close it when done
   * @throws NullPointerException if {@code name} or {@code out} is {@code null}
   */
  public static PrintManager start(String name, Appendable out) {
    return new PrintManager(requireNonNull(name, "name"), requireNonNull(out, "out"));
  }

  /**
   * Sends a job of {@code lines} to the print manager and returns at once (the queue is
   * unbounded), like {@code print_queue.put(lines)}. The lines are copied, so the caller may reuse
   * the array. A job with no lines writes nothing. Lines may contain line breaks; they are written
   * as they are.
   *
   * <p>IMPLEMENTATION NOTES: lock-free; builds the job's text on the calling thread, then one
   * enqueue on the owner's MPSC mailbox.
   *
   * @param lines the lines of the job, written together
   * @throws NullPointerException if {@code lines} or any line is {@code null}; nothing is printed
   * @throws RejectedExecutionException if this print manager is closed; nothing is printed
   */
  public void print(String... lines) {
    requireNonNull(lines, "lines");
    send(job(List.of(lines))); // List.of rejects null elements
  }

  /**
   * Sends a job of {@code lines} to the print manager; the same as {@link #print(String...)}.
   *
   * @param lines the lines of the job, written together
   * @throws NullPointerException if {@code lines} or any line is {@code null}; nothing is printed
   * @throws RejectedExecutionException if this print manager is closed; nothing is printed
   */
  public void print(List<String> lines) {
    requireNonNull(lines, "lines");
    send(job(List.copyOf(lines)));
  }

  private static String job(List<String> lines) {
    int length = 0;
    for (String line : lines) {
      length += line.length() + SEPARATOR.length();
    }
    StringBuilder text = new StringBuilder(length);
    for (String line : lines) {
      text.append(line).append(SEPARATOR);
    }
    return text.toString();
  }

  private void send(String text) {
    owner.tell(o -> write(o.out, text));
  }

  private void write(Appendable out, String text) {
    try {
      if (!text.isEmpty()) {
        out.append(text);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("print manager " + owner.name() + " could not write", e);
    }
    if (owner.pending() <= 1L) { // nothing waits behind this job
      flush(out);
    }
  }

  private void flush(Appendable out) {
    if (out instanceof Flushable) {
      try {
        ((Flushable) out).flush();
      } catch (IOException e) {
        throw new UncheckedIOException("print manager " + owner.name() + " could not flush", e);
      }
    }
  }

  /**
   * Waits until every job sent (by any thread) before this call has been written, and the output
   * flushed, like {@code print_queue.join()}. Returns at once after {@link #close()} has
   * completed.
   *
   * @throws IllegalStateException if called on the print-manager thread
   * @throws InterruptedException if the calling thread is interrupted while waiting (its
   *     interrupt status is cleared)
   */
  public void join() throws InterruptedException {
    tellFlush();
    owner.join();
  }

  /**
   * Waits at most {@code timeout} until every job sent before this call has been written and the
   * output flushed; see {@link #join()}.
   *
   * @param timeout the longest time to wait; zero or negative means check without waiting
   * @return {@code true} if every earlier job has been written, {@code false} if the timeout
   *     elapsed first
   * @throws NullPointerException if {@code timeout} is {@code null}
   * @throws IllegalStateException if called on the print-manager thread
   * @throws InterruptedException if the calling thread is interrupted while waiting (its
   *     interrupt status is cleared)
   */
  public boolean join(Duration timeout) throws InterruptedException {
    requireNonNull(timeout, "timeout");
    tellFlush();
    return owner.join(timeout);
  }

  private void tellFlush() {
    if (owner.isOwnerThread()) {
      throw new IllegalStateException(
          "join() called on the thread of print manager " + owner.name()
              + ", which would wait for itself");
    }
    try {
      owner.tell(flush);
    } catch (RejectedExecutionException closed) {
      // Closed: close() flushes after the last job; owner.join() waits for that.
    }
  }

  /**
   * Stops accepting jobs, writes every job already accepted, flushes the output (without closing
   * it), and waits for the print-manager thread to end. Idempotent. The wait is not
   * interruptible (accepted jobs are never dropped); an interrupt during it is kept and set again
   * on return.
   */
  @Override
  public void close() {
    try {
      owner.tell(flush); // the last message: runs after every accepted job
    } catch (RejectedExecutionException alreadyClosed) {
      // Another close() got there first and sent its own flush.
    }
    Closing.closeRunningEverything(owner);
  }

  /**
   * Returns whether {@link #close()} has been called.
   *
   * @return {@code true} if this print manager no longer accepts jobs
   */
  public boolean isClosed() {
    return owner.isShutdown();
  }

  /**
   * Returns the name of this print manager, which is also the name of its thread.
   *
   * @return the name
   */
  public String name() {
    return owner.name();
  }

  /**
   * Returns a string naming this print manager and the state of its thread.
   *
   * @return for example {@code PrintManager[Owner[print-manager, running, processed=12,
   *     pending=0]]}
   */
  @Override
  public String toString() {
    return "PrintManager[" + owner + "]";
  }
}
