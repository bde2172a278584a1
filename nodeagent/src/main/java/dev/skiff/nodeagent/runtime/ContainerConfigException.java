package dev.skiff.nodeagent.runtime;

/**
 * A container cannot be configured from its spec (a missing ConfigMap or Secret key, an unknown
 * field path): the container waits with reason {@code CreateContainerConfigError} and the message.
 */
public final class ContainerConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  public ContainerConfigException(String message) {
    super(message);
  }
}
