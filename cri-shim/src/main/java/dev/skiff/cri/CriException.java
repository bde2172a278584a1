package dev.skiff.cri;

import io.grpc.Status;

/**
 * A CRI call failed: the operation (CRI method name), the gRPC status code the runtime answered
 * (or {@code INTERNAL} when its answer broke the CRI contract), and the runtime's message.
 */
public final class CriException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String operation;
  private final Status.Code code;

  public CriException(String operation, Status.Code code, String message, Throwable cause) {
    super(operation + ": " + code + (message == null || message.isEmpty() ? "" : ": " + message), cause);
    this.operation = operation;
    this.code = code;
  }

  public CriException(String operation, Status.Code code, String message) {
    this(operation, code, message, null);
  }

  /** The CRI method, e.g. {@code RunPodSandbox}. */
  public String operation() {
    return operation;
  }

  /** The gRPC status code of the failure. */
  public Status.Code code() {
    return code;
  }

  public boolean isNotFound() {
    return code == Status.Code.NOT_FOUND;
  }

  public boolean isDeadlineExceeded() {
    return code == Status.Code.DEADLINE_EXCEEDED;
  }

  /** The runtime endpoint did not answer (socket absent, runtime down). */
  public boolean isUnavailable() {
    return code == Status.Code.UNAVAILABLE;
  }
}
