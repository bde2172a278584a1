package dev.skiff.cri.sim;

import java.util.List;
import java.util.Objects;

/**
 * What a simulated {@code ExecSync} answers.
 *
 * @param exitCode the command's exit code
 * @param stdout captured standard output
 * @param stderr captured standard error
 * @param timesOut when true the call fails with {@code DEADLINE_EXCEEDED} (as containerd does when
 *     a command outlives its timeout), immediately: the simulation never waits
 */
public record ExecOutcome(int exitCode, String stdout, String stderr, boolean timesOut) {
  public ExecOutcome {
    Objects.requireNonNull(stdout, "stdout");
    Objects.requireNonNull(stderr, "stderr");
  }

  public static ExecOutcome ok(String stdout) {
    return new ExecOutcome(0, stdout, "", false);
  }

  public static ExecOutcome exit(int exitCode, String stderr) {
    return new ExecOutcome(exitCode, "", stderr, false);
  }

  public static ExecOutcome timeout() {
    return new ExecOutcome(-1, "", "", true);
  }

  /**
   * The answer to a command nobody scripted: {@code echo ARGS} prints its arguments, {@code true}
   * exits 0, {@code false} exits 1, anything else succeeds with no output (a probe passes).
   */
  public static ExecOutcome unscripted(List<String> command) {
    return switch (command.get(0)) {
      case "echo" -> ok(String.join(" ", command.subList(1, command.size())) + "\n");
      case "false" -> exit(1, "");
      default -> ok("");
    };
  }
}
