package io.github.gilpatterns.examples.patterns;

import io.github.gilpatterns.patterns.Pipeline;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A pipeline of owner threads: parse "user:amount" lines, then a keyed stage on 3 threads (each
 * user always on the same thread, so per user the order is kept), then a sink that keeps a running
 * balance per user. The sink's state is plain: only the sink thread touches it.
 */
public final class PipelineExample {

  private PipelineExample() {}

  /** One parsed event, and the keyed-stage thread that checked it. */
  private record Deposit(String user, long amount, String checkedBy) {}

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
   * @param out where to print
   */
  public static void run(PrintStream out) {
    List<String> lines = List.of("ann:10", "bob:5", "ann:-3", "cy:7", "bob:1", "ann:4",
        "cy:-2", "bob:x", "ann:1");
    // The sink's state is read only after join(), which makes the sink's writes visible.
    Map<String, List<Long>> history = new TreeMap<>(); // the sink's own state
    Map<String, Set<String>> checkers = new TreeMap<>();
    out.println("pipeline: parse -> keyed check x3 -> running balance per user");
    try (Pipeline<String> pipeline = Pipeline.<String>builder("deposits")
        .onFailure((p, stage, item, failure) ->
            out.println("  stage " + stage + " rejected " + item + ": " + failure))
        .stage("parse", (String line) -> {
          String[] parts = line.split(":");
          return new Deposit(parts[0], Long.parseLong(parts[1]), null);
        })
        .keyedStage("check", 3, Deposit::user,
            d -> new Deposit(d.user(), d.amount(), Thread.currentThread().getName()))
        .sink("balance", d -> {
          checkers.computeIfAbsent(d.user(), u -> new TreeSet<>()).add(d.checkedBy());
          List<Long> h = history.computeIfAbsent(d.user(), u -> new ArrayList<>());
          long previous = h.isEmpty() ? 0L : h.get(h.size() - 1);
          h.add(previous + d.amount());
        })) {
      lines.forEach(pipeline::submit);
      pipeline.join();                         // every line has gone all the way through
      history.forEach((user, balances) -> out.println("  " + user + ": balances " + balances
          + ", checked by " + checkers.get(user)));
      out.println("  delivered " + pipeline.delivered() + ", failed " + pipeline.failed());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      out.println("interrupted");
    }
  }
}
