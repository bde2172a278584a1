package dev.skiff.cli.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Makes sure a container runtime answers before the node agent starts: containerd's CRI socket
 * present, or else, as root, {@code scripts/setup-runtime.sh} run to install and start it (its
 * progress goes to the terminal); not root, the user is told what to run.
 */
final class RuntimeSetup {
  /** The CRI endpoint to use, or empty with the reason in {@code problem}. */
  record Outcome(Optional<String> endpoint, String problem) {}

  private final Path scriptsDir;
  private final boolean root;
  private final PrintWriter out;

  RuntimeSetup(Path scriptsDir, boolean root, PrintWriter out) {
    this.scriptsDir = scriptsDir;
    this.root = root;
    this.out = out;
  }

  Outcome ensure(String endpoint) {
    if (Files.exists(socketOf(endpoint))) {
      return new Outcome(Optional.of(endpoint), "");
    }
    Path script = scriptsDir.resolve("setup-runtime.sh");
    if (!root) {
      return new Outcome(Optional.empty(), "containerd is not running (no socket at " + socketOf(endpoint)
          + "). Set it up once as root:  sudo " + script + "  then start skiff server again"
          + " (or use --runtime simulated for a node without real containers).");
    }
    if (!Files.isRegularFile(script)) {
      return new Outcome(Optional.empty(), "containerd is not running and " + script + " is missing");
    }
    out.println("skiff server: containerd is not running; setting it up with " + script + " (first time only)...");
    out.flush();
    try {
      Process setup = new ProcessBuilder("bash", script.toString(), "setup").inheritIO().start();
      if (setup.waitFor() != 0) {
        return new Outcome(Optional.empty(), script + " failed (exit code " + setup.exitValue() + "); see its output above");
      }
      Process query = new ProcessBuilder("bash", script.toString(), "endpoint").redirectErrorStream(true).start();
      String printed = new String(query.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      query.waitFor();
      List<String> lines = printed.lines().toList();
      String found = lines.isEmpty() ? endpoint : lines.getLast();
      return new Outcome(Optional.of(found.startsWith("unix://") ? found : endpoint), "");
    } catch (IOException e) {
      return new Outcome(Optional.empty(), "cannot run " + script + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(Optional.empty(), "interrupted while setting up containerd");
    }
  }

  static Path socketOf(String endpoint) {
    return Path.of(endpoint.startsWith("unix://") ? endpoint.substring("unix://".length()) : endpoint);
  }
}
