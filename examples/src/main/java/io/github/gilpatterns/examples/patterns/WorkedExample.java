package io.github.gilpatterns.examples.patterns;

import java.io.PrintStream;

/**
 * Raymond Hettinger's worked example of threading with queues: a counter manager and a print
 * manager, 10 workers each adding 1, joins in the Python's order. The output is the same on every
 * run: "Starting up", the counts 1 to 10 each with a dashed line, "Finishing up".
 *
 * @see HettingerExample
 */
public final class WorkedExample {

  private WorkedExample() {}

  /**
   * Runs the example, printing to {@code System.out}.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    run(System.out);
  }

  /**
   * Runs the example.
   *
   * @param out where the print manager writes
   */
  public static void run(PrintStream out) {
    try {
      HettingerExample.run(out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      out.println("interrupted");
    }
  }
}
