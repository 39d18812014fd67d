package io.github.gilpatterns.owner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An owner with a backlog when its JVM receives SIGTERM: {@code drainOnExit} runs every accepted
 * message before the JVM exits; without it, or when the drain times out, the number of accepted
 * messages that did not run is logged. Each case runs {@link ExitOwnerMain} in a child JVM.
 */
class OwnerExitTest {

  @TempDir Path services;

  @Test
  void drainOnExitRunsTheWholeBacklogBeforeTheJvmExits() throws Exception {
    Result result = runAndTerminate("drain");
    assertTrue(result.pendingAtTerm > 1_000, "a backlog when SIGTERM was sent: " + result);
    assertEquals(50_000L, result.lastCount, result.toString());
    assertTrue(result.lastShutdown, "the exit shut the owner down before draining it");
    assertTrue(result.stderr.isEmpty(), "nothing to report: " + result.stderr);
  }

  @Test
  void anOwnerKilledAtExitWithABacklogIsLoggedWithItsCount() throws Exception {
    Result result = runAndTerminate("no-drain");
    assertTrue(result.stderr.stream().anyMatch(line -> line.startsWith("WARNING")
        && line.contains("owner exit-no-drain was still running when the JVM exited")
        && line.contains("1,000 accepted messages")), result.toString());
  }

  @Test
  void aDrainThatTimesOutIsLoggedWithWhatWasLeft() throws Exception {
    Result result = runAndTerminate("timeout");
    assertTrue(result.stderr.stream().anyMatch(line -> line.startsWith("WARNING")
        && line.contains("owner exit-timeout did not drain within 200 ms")
        && line.contains("1,000 accepted messages")), result.toString());
  }

  private Result runAndTerminate(String mode) throws Exception {
    Path finder = services.resolve("META-INF/services/java.lang.System$LoggerFinder");
    Files.createDirectories(finder.getParent());
    Files.writeString(finder, StderrLoggerFinder.class.getName() + "\n");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classPath = services + File.pathSeparator + System.getProperty("java.class.path");
    Process child = new ProcessBuilder(java, "-cp", classPath, ExitOwnerMain.class.getName(), mode)
        .start();
    try {
      List<String> stdout = new ArrayList<>();
      BufferedReader out = reader(child.getInputStream());
      String accepted = null;
      for (String line; (line = out.readLine()) != null; ) {
        stdout.add(line);
        if (line.startsWith("accepted ")) {
          accepted = line;
          break;
        }
      }
      if (accepted == null) {
        fail("the child ended before accepting its messages: " + stdout + "\n"
            + new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
      }
      child.toHandle().destroy(); // SIGTERM (the Process streams stay open): hooks run
      for (String line; (line = out.readLine()) != null; ) {
        stdout.add(line);
      }
      assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not exit after SIGTERM");
      List<String> stderr = new ArrayList<>();
      BufferedReader err = reader(child.getErrorStream());
      for (String line; (line = err.readLine()) != null; ) {
        stderr.add(line);
      }
      long lastCount = -1;
      boolean lastShutdown = false;
      for (String line : stdout) {
        if (line.startsWith("count=")) { // count=N shutdown=B
          String[] parts = line.split(" ");
          lastCount = Long.parseLong(parts[0].substring("count=".length()));
          lastShutdown = Boolean.parseBoolean(parts[1].substring("shutdown=".length()));
        }
      }
      long pending = Long.parseLong(accepted.substring(accepted.lastIndexOf(' ') + 1));
      return new Result(pending, lastCount, lastShutdown, stderr);
    } finally {
      child.destroyForcibly();
    }
  }

  private static BufferedReader reader(java.io.InputStream in) throws IOException {
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  /** What a child printed. */
  private static final class Result {
    final long pendingAtTerm;
    final long lastCount;
    final boolean lastShutdown;
    final List<String> stderr;

    Result(long pendingAtTerm, long lastCount, boolean lastShutdown, List<String> stderr) {
      this.pendingAtTerm = pendingAtTerm;
      this.lastCount = lastCount;
      this.lastShutdown = lastShutdown;
      this.stderr = stderr;
    }

    @Override
    public String toString() {
      return "pending at SIGTERM " + pendingAtTerm + ", last count " + lastCount + " (shut down: "
          + lastShutdown + "), stderr " + stderr;
    }
  }
}
