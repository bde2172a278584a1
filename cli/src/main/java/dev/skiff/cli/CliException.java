package dev.skiff.cli;

import java.util.List;

/**
 * A failure the user caused or can fix (unknown resource type, bad flag combination, a timeout
 * they asked for). Printed as {@code error: <message>} and the detail lines under it, never with a
 * stack trace.
 */
public final class CliException extends RuntimeException {
  private final List<String> details;
  private final int exitCode;

  public CliException(String message) {
    this(message, List.of(), 1);
  }

  public CliException(String message, List<String> details, int exitCode) {
    super(message);
    this.details = List.copyOf(details);
    this.exitCode = exitCode;
  }

  public List<String> details() {
    return details;
  }

  public int exitCode() {
    return exitCode;
  }
}
