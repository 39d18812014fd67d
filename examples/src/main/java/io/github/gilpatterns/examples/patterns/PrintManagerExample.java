package io.github.gilpatterns.examples.patterns;

import io.github.gilpatterns.join.Threads;
import io.github.gilpatterns.patterns.PrintManager;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Hettinger's print manager: four threads print three-line jobs at the same time through one
 * print manager, and every job comes out as one block.
 */
public final class PrintManagerExample {

  private PrintManagerExample() {}

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
    out.println("print manager: 4 threads x 3 jobs of 3 lines; each job stays in one block");
    try (PrintManager printer = PrintManager.start("print-manager", out)) {
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        final int id = t;
        threads.add(Threads.start("printer-" + t, () -> {
          for (int j = 0; j < 3; j++) {
            printer.print(                     // print_queue.put([...])
                "  thread " + id + ", job " + j + ": begin",
                "  thread " + id + ", job " + j + ": middle",
                "  thread " + id + ", job " + j + ": end");
          }
        }));
      }
      Threads.joinAll(threads);
      printer.print("all jobs sent");
      printer.join();                          // print_queue.join()
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      out.println("interrupted");
    }
  }
}
