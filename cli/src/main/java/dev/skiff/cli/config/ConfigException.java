package dev.skiff.cli.config;

/** A config file that cannot be read or written; the message is meant for the user as is. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
