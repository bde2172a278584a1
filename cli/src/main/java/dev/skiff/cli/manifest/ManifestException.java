package dev.skiff.cli.manifest;

import java.util.List;

/**
 * A manifest that cannot be read or converted. The message is one line for the user; the details
 * (one per bad field, each with its path) are printed under it.
 */
public final class ManifestException extends RuntimeException {
  private final List<String> details;

  public ManifestException(String message) {
    this(message, List.of());
  }

  public ManifestException(String message, List<String> details) {
    super(message);
    this.details = List.copyOf(details);
  }

  public List<String> details() {
    return details;
  }
}
