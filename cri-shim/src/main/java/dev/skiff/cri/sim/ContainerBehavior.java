package dev.skiff.cri.sim;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a simulated container behaves once started. Immutable; the {@code with*} methods return
 * copies.
 *
 * @param runFor how long the container runs before it exits on its own; {@code null} = forever
 * @param exitCode the exit code when it exits on its own
 * @param oomKilled when it exits on its own, it was OOM-killed (exit 137, reason OOMKilled)
 * @param logLines lines written to the container's CRI log file (stdout) when it starts
 * @param exec answers of ExecSync by exact command line (other commands: see {@link
 *     SimulatedRuntime#execSync})
 * @param termExitCode the exit code when stopped with StopContainer (0: the process handles TERM)
 */
public record ContainerBehavior(
    Duration runFor,
    int exitCode,
    boolean oomKilled,
    List<String> logLines,
    Map<List<String>, ExecOutcome> exec,
    int termExitCode) {

  public ContainerBehavior {
    if (runFor != null && runFor.isNegative()) {
      throw new IllegalArgumentException("runFor must not be negative: " + runFor);
    }
    logLines = List.copyOf(logLines);
    exec = Map.copyOf(exec);
  }

  /** Runs until stopped; stops cleanly (exit 0). */
  public static ContainerBehavior runForever() {
    return new ContainerBehavior(null, 0, false, List.of(), Map.of(), 0);
  }

  /** Exits on its own after {@code after} with {@code code}. */
  public static ContainerBehavior exitAfter(Duration after, int code) {
    return new ContainerBehavior(Objects.requireNonNull(after), code, false, List.of(), Map.of(), 0);
  }

  /** Is OOM-killed after {@code after} (exit 137, reason OOMKilled). */
  public static ContainerBehavior oomAfter(Duration after) {
    return new ContainerBehavior(Objects.requireNonNull(after), 137, true, List.of(), Map.of(), 0);
  }

  public ContainerBehavior withLogLines(String... lines) {
    return new ContainerBehavior(runFor, exitCode, oomKilled, List.of(lines), exec, termExitCode);
  }

  public ContainerBehavior withExec(List<String> command, ExecOutcome outcome) {
    Map<List<String>, ExecOutcome> copy = new HashMap<>(exec);
    copy.put(List.copyOf(command), outcome);
    return new ContainerBehavior(runFor, exitCode, oomKilled, logLines, copy, termExitCode);
  }

  /** The exit code when stopped; e.g. 137 for a process that ignores TERM and is killed. */
  public ContainerBehavior withTermExitCode(int code) {
    return new ContainerBehavior(runFor, exitCode, oomKilled, logLines, exec, code);
  }
}
