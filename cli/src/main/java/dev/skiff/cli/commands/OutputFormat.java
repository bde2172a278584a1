package dev.skiff.cli.commands;

import dev.skiff.cli.CliException;

/** The {@code -o} values of {@code get} (and {@code apply}/{@code create} for name). */
enum OutputFormat {
  TABLE, WIDE, YAML, JSON, NAME;

  static OutputFormat parse(String value) {
    if (value == null || value.isEmpty()) {
      return TABLE;
    }
    return switch (value) {
      case "wide" -> WIDE;
      case "yaml" -> YAML;
      case "json" -> JSON;
      case "name" -> NAME;
      default -> throw new CliException(
          "unable to match a printer suitable for the output format \"" + value
              + "\", allowed formats are: json, name, wide, yaml");
    };
  }

  boolean isTable() {
    return this == TABLE || this == WIDE;
  }
}
