package io.github.gilpatterns.patterns;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import io.github.gilpatterns.owner.Owner;
import java.io.Flushable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

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
 * <p><b>Lifecycle</b>: the library's one {@link io.github.gilpatterns.join.Lifecycle} contract,
 * with print jobs as its work, and {@link #join()} is the
 * {@link io.github.gilpatterns.join.Joinable} one: it returns once every job sent before it has
 * been written and the output flushed. {@link #shutdown()} stops accepting jobs (later calls
 * throw {@link RejectedExecutionException}) and lets the accepted ones be written and flushed;
 * {@link #shutdownNow()} returns the text of each job never written (its lines, each ended by the
 * line separator); {@link #close()} is shutdown and wait. The thread is not a daemon (Python's
 * is), so a print manager that is never closed keeps the JVM alive; use try-with-resources.
 *
 * <p><b>Memory consistency effects:</b> actions in a thread prior to {@code print} happen-before
 * the job is written; the writing and flushing of a job happen-before {@code join()} returns in a
 * thread that called it after the {@code print}, and before {@code close()} returns.
 */
public final class PrintManager extends OwnerBacked<PrintManager.Output, String> {

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
  static final class Output {
    final Appendable out;

    Output(Appendable out) {
      this.out = out;
    }
  }

  private final Consumer<Output> flush = o -> flush(o.out);

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

  private PrintManager(Builder builder) {
    super(startOwner(builder.name, builder.out, builder.threadFactory));
  }

  private static Owner<Output> startOwner(String name, Appendable out,
      @Nullable ThreadFactory threadFactory) {
    Owner.Builder<Output> owner =
        Owner.builder(new Output(out)).name(name).onDrained(o -> flush(name, o.out));
    if (threadFactory != null) {
      owner.threadFactory(threadFactory);
    }
    return owner.start();
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
    return builder(out).name(name).start();
  }

  /**
   * Returns a builder of print managers that write to {@code out}.
   *
   * @param out the output the new thread will own; no other thread should write to it unless its
   *     {@code append} is atomic
   * @return a new builder with the defaults: name {@code print-manager}, a non-daemon platform
   *     thread
   * @throws NullPointerException if {@code out} is {@code null}
   */
  public static Builder builder(Appendable out) {
    return new Builder(requireNonNull(out, "out"));
  }

  /**
   * A builder of {@link PrintManager}s. Not thread-safe; each {@link #start()} starts a new print
   * manager on the same output. A setter that throws changes nothing.
   */
  public static final class Builder {
    private final Appendable out;
    private String name = "print-manager";
    private @Nullable ThreadFactory threadFactory;

    private Builder(Appendable out) {
      this.out = out;
    }

    /**
     * Sets the name of the print manager and of its thread (default {@code print-manager}).
     *
     * @param name the name
     * @return this builder
     * @throws NullPointerException if {@code name} is {@code null}
     */
    @CanIgnoreReturnValue
    public Builder name(String name) {
      this.name = requireNonNull(name, "name");
      return this;
    }

    /**
     * Makes the print-manager thread come from {@code threadFactory} (a virtual thread with
     * {@code Thread.ofVirtual().factory()} on JDK 21+); see
     * {@link Owner.Builder#threadFactory(ThreadFactory)}.
     *
     * @param threadFactory returns a new, unstarted thread
     * @return this builder
     * @throws NullPointerException if {@code threadFactory} is {@code null}
     */
    @CanIgnoreReturnValue
    public Builder threadFactory(ThreadFactory threadFactory) {
      this.threadFactory = requireNonNull(threadFactory, "threadFactory");
      return this;
    }

    /**
     * Starts a print manager.
     *
     * @return the started print manager; close it when done
     */
    public PrintManager start() {
      return new PrintManager(this);
    }
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
    flush(owner.name(), out);
  }

  private static void flush(String name, Appendable out) {
    if (out instanceof Flushable) {
      try {
        ((Flushable) out).flush();
      } catch (IOException e) {
        throw new UncheckedIOException("print manager " + name + " could not flush", e);
      }
    }
  }

  /**
   * Before every join, on the joining thread: tells a flush, so that a join ends with the output
   * flushed (after a shutdown the drained hook flushes after the last job, which the join awaits).
   */
  @Override
  void beforeJoin() {
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

  /** A job never written is its text; a flush is not work. */
  @Override
  @Nullable String neverRan(Consumer<? super Output> message) {
    return message instanceof PrintManager.Job ? ((Job) message).text : null;
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
