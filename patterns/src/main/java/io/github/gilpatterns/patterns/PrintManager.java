package io.github.gilpatterns.patterns;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import io.github.gilpatterns.owner.Owner;
import java.io.Flushable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An output that belongs to one thread, the <em>print manager</em>; every other thread prints by
 * sending it a <em>job</em>, a list of lines, and the print manager writes each job's lines
 * together, never interleaved with another job's. This is the print manager of Raymond
 * Hettinger's worked example of threading done right (his PyBay 2017 talk "Concurrency"), built on
 * {@link Owner}.
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
 * runs out of jobs (so also after the last job, before its thread ends) and by {@link #join()}.
 * The output is never closed: the print manager does not own its lifetime (think of
 * {@code System.out}).
 *
 * <p><b>Failures.</b> An {@link IOException} from the output is logged (as a failed
 * {@link Owner} message) and the print manager carries on with the next job; the failed job may
 * be partly written. ({@code PrintStream} never throws; it records errors for
 * {@link java.io.PrintStream#checkError()}.)
 *
 * <p><b>Lifecycle</b>, with {@link java.util.concurrent.ExecutorService}'s names and meanings:
 * {@link #shutdown()} stops accepting jobs (later calls throw
 * {@link RejectedExecutionException}) and lets the accepted ones be written and flushed;
 * {@link #shutdownNow()} returns the jobs never written;
 * {@link #awaitTermination(long, TimeUnit)} waits for the thread to end; {@link #close()} is
 * shutdown and wait. The thread is not a daemon (Python's is), so a print manager that is never
 * closed keeps the JVM alive; use try-with-resources.
 *
 * <p><b>Memory consistency effects:</b> actions in a thread prior to {@code print} happen-before
 * the job is written; the writing and flushing of a job happen-before {@code join()} returns in a
 * thread that called it after the {@code print}, and before {@code close()} returns.
 */
public final class PrintManager implements AutoCloseable {

  /*
   * Implementation overview. An Owner<Output> with an unbounded mailbox; a job is a Job message
   * that appends one string (the lines joined, each ended by the line separator) to the output.
   * The owner's drained hook flushes the output each time the owner has written a burst of jobs
   * and found its mailbox empty, so a flush follows the last job before the thread waits or ends.
   * join() first tells a flush, so a join always ends with a flushed output. The output is
   * touched only by the owner thread.
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

  /** One print job: a message that carries its text, so shutdownNow() can return it. */
  private final class Job implements Consumer<Output> {
    final String text;

    Job(String text) {
      this.text = text;
    }

    @Override
    public void accept(Output o) {
      write(o.out, text);
    }

    @Override
    public String toString() {
      return "print job of " + text.length() + " chars";
    }
  }

  private PrintManager(String name, Appendable out) {
    this.flush = o -> flush(o.out);
    this.owner = Owner.builder(new Output(out)).name(name).onDrained(flush).start();
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
    owner.tell(new Job(text));
  }

  private void write(Appendable out, String text) {
    try {
      if (!text.isEmpty()) {
        out.append(text);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("print manager " + owner.name() + " could not write", e);
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
   * @throws IllegalStateException if called on the print-manager thread, or if some of those
   *     jobs will never be written ({@link #shutdownNow()})
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

  /**
   * Waits at most {@code timeout} {@code unit}s until every job sent before this call has been
   * written and the output flushed; see {@link #join()}.
   *
   * @param timeout the longest time to wait; zero or negative means check without waiting
   * @param unit the unit of {@code timeout}
   * @return {@code true} if every earlier job has been written, {@code false} on timeout
   * @throws NullPointerException if {@code unit} is {@code null}
   * @throws IllegalStateException as for {@link #join()}
   * @throws InterruptedException if the calling thread is interrupted while waiting (its
   *     interrupt status is cleared)
   */
  public boolean join(long timeout, TimeUnit unit) throws InterruptedException {
    requireNonNull(unit, "unit");
    tellFlush();
    return owner.join(timeout, unit);
  }

  private void tellFlush() {
    if (owner.isOwnerThread()) {
      throw new IllegalStateException(
          "join() called on the thread of print manager " + owner.name()
              + ", which would wait for itself");
    }
    try {
      owner.tell(flush);
    } catch (RejectedExecutionException shutDown) {
      // The drained hook flushes after the last job; owner.join() waits for that.
    }
  }

  /**
   * Stops accepting jobs; the accepted ones are still written, the output flushed after them (not
   * closed), then the thread ends. Does not wait. Idempotent; any thread may call it.
   */
  public void shutdown() {
    owner.shutdown();
  }

  /**
   * Stops accepting jobs and returns the text of each accepted job that will never be written
   * (its lines, each ended by the line separator), in the order they would have been. The job
   * being written is interrupted and waited for; see {@link Owner#shutdownNow()}.
   *
   * @return the texts of the jobs never written
   */
  @CanIgnoreReturnValue
  public List<String> shutdownNow() {
    List<String> notWritten = new ArrayList<>();
    for (Consumer<? super Output> message : owner.shutdownNow()) {
      if (message instanceof PrintManager.Job) {
        notWritten.add(((Job) message).text);
      }
    }
    return notWritten;
  }

  /**
   * Blocks until the print-manager thread has ended after a shutdown, the timeout elapses, or the
   * calling thread is interrupted.
   *
   * @param timeout the longest time to wait; zero or negative means check without waiting
   * @param unit the unit of {@code timeout}
   * @return {@code true} if the thread has ended, {@code false} on timeout
   * @throws NullPointerException if {@code unit} is {@code null}
   * @throws IllegalStateException if called on the print-manager thread, or if it ended
   *     unexpectedly
   * @throws InterruptedException if interrupted while waiting (the status is cleared)
   */
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return owner.awaitTermination(timeout, unit);
  }

  /**
   * Blocks until the print-manager thread has ended after a shutdown, the timeout elapses, or the
   * calling thread is interrupted; see {@link #awaitTermination(long, TimeUnit)}.
   *
   * @param timeout the longest time to wait; zero or negative means check without waiting
   * @return {@code true} if the thread has ended, {@code false} on timeout
   * @throws NullPointerException if {@code timeout} is {@code null}
   * @throws IllegalStateException as for {@link #awaitTermination(long, TimeUnit)}
   * @throws InterruptedException if interrupted while waiting (the status is cleared)
   */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return owner.awaitTermination(timeout);
  }

  /**
   * Shuts down and waits until every accepted job has been written, the output flushed and the
   * thread ended, as {@code ExecutorService.close()} does: an interrupt while waiting stops the
   * print manager as {@link #shutdownNow()} does (the jobs dropped are logged) and is set again
   * on return. Idempotent.
   */
  @Override
  public void close() {
    owner.close();
  }

  /**
   * Returns whether this print manager has been shut down.
   *
   * @return {@code true} if it no longer accepts jobs
   */
  public boolean isShutdown() {
    return owner.isShutdown();
  }

  /**
   * Returns whether this print manager no longer accepts jobs.
   *
   * @return {@code true} after a shutdown
   * @deprecated use {@link #isShutdown()}, java.util.concurrent's name
   */
  @Deprecated
  public boolean isClosed() {
    return owner.isShutdown();
  }

  /**
   * Returns whether the print-manager thread has ended.
   *
   * @return {@code true} once it has
   */
  public boolean isTerminated() {
    return owner.isTerminated();
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
