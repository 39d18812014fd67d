package io.github.gilpatterns.examples;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A CPython interpreter on this machine, running the examples' own experiment script
 * ({@code experiments.py}, standard library only, shipped in the jar) one sample per call, so
 * that its samples can alternate with the emulated GIL's in one sitting.
 */
final class CPython implements AutoCloseable {
  private static final String SCRIPT = "cpython/experiments.py";
  /** The longest one sample may take before it counts as hung. */
  private static final long SAMPLE_TIMEOUT_SECONDS = 300;

  private final String executable;
  private final Path script;
  private final Map<String, String> info;

  private CPython(String executable, Path script, Map<String, String> info) {
    this.executable = executable;
    this.script = script;
    this.info = info;
  }

  /**
   * Finds {@code executable} and checks that it runs the experiment script.
   *
   * @return the interpreter, or {@code null} with the reason in {@code why[0]} if it cannot run
   */
  static CPython find(String executable, String[] why) throws InterruptedException {
    Path script;
    try (InputStream in = CPython.class.getResourceAsStream(SCRIPT)) {
      if (in == null) {
        why[0] = SCRIPT + " is missing from the examples jar";
        return null;
      }
      script = Files.createTempFile("gilpatterns-experiments", ".py");
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      why[0] = "cannot write the experiment script: " + e.getMessage();
      return null;
    }
    try {
      Map<String, String> info = run(executable, script, "info");
      if (!"CPython".equals(info.get("implementation"))) {
        why[0] = executable + " is " + info.get("implementation") + ", not CPython";
        Files.deleteIfExists(script);
        return null;
      }
      return new CPython(executable, script, info);
    } catch (IOException e) {
      why[0] = "cannot run " + executable + ": " + e.getMessage();
      try {
        Files.deleteIfExists(script);
      } catch (IOException ignored) {
        // a temporary file; the reason above is what matters
      }
      return null;
    }
  }

  /** CPython's version, as {@code platform.python_version()} prints it. */
  String version() {
    return info.get("version");
  }

  /** Whether this build has the GIL on ({@code sys._is_gil_enabled()}, 3.13 and later). */
  boolean gil() {
    return !"0".equals(info.get("gil"));
  }

  /** Runs one sample of {@code experiment} and returns the figure called {@code key}. */
  double sample(String key, String experiment, Object... args) throws IOException, InterruptedException {
    return median(1, key, experiment, args);
  }

  /** Runs one sample of {@code experiment} and returns the figures called {@code keys}, in order. */
  double[] sample(List<String> keys, String experiment, Object... args) throws IOException, InterruptedException {
    Map<String, String> result = run(executable, script, arguments(1, experiment, args));
    double[] figures = new double[keys.size()];
    for (int i = 0; i < figures.length; i++) {
      figures[i] = figure(result, keys.get(i), experiment);
    }
    return figures;
  }

  /**
   * Runs {@code repeats} samples of {@code experiment} in one process, one after another, and
   * returns the median of the figure called {@code key}.
   */
  double median(int repeats, String key, String experiment, Object... args) throws IOException,
      InterruptedException {
    return figure(run(executable, script, arguments(repeats, experiment, args)), key, experiment);
  }

  private static String[] arguments(int repeats, String experiment, Object... args) {
    String[] all = new String[args.length + 3];
    all[0] = "--repeat";
    all[1] = String.valueOf(repeats);
    all[2] = experiment;
    for (int i = 0; i < args.length; i++) {
      all[i + 3] = String.valueOf(args[i]);
    }
    return all;
  }

  private static double figure(Map<String, String> result, String key, String experiment) throws IOException {
    String value = result.get(key);
    if (value == null) {
      throw new IOException(experiment + " printed no " + key);
    }
    return Double.parseDouble(value);
  }

  private static Map<String, String> run(String executable, Path script, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(executable);
    command.add(script.toString());
    command.addAll(List.of(args));
    Path output = Files.createTempFile("gilpatterns-cpython", ".txt");
    Process p = null;
    try {
      // Output goes to a file, so that a sample that hangs is caught by the timeout below.
      p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
      if (!p.waitFor(SAMPLE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new IOException(String.join(" ", command) + " did not end within " + SAMPLE_TIMEOUT_SECONDS + " s");
      }
      String text = Files.readString(output, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IOException(String.join(" ", args) + " exited with " + p.exitValue() + ": " + text.strip());
      }
      for (String line : text.split("\n")) {
        if (line.startsWith("RESULT ")) {
          Map<String, String> result = new LinkedHashMap<>();
          for (String pair : line.substring(7).strip().split(" ")) {
            int eq = pair.indexOf('=');
            result.put(pair.substring(0, eq), pair.substring(eq + 1));
          }
          return result;
        }
      }
      throw new IOException(String.join(" ", args) + " printed no RESULT line: " + text.strip());
    } finally {
      if (p != null) {
        p.destroyForcibly();
      }
      Files.deleteIfExists(output);
    }
  }

  @Override
  public void close() throws IOException {
    Files.deleteIfExists(script);
  }
}
