package dev.skiff.client.etcd;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * A store call failed. {@link #status()} is the gRPC status the store answered with
 * (UNAVAILABLE when no endpoint could be reached, DEADLINE_EXCEEDED on timeout).
 */
public class EtcdException extends RuntimeException {
  private final Status status;

  public EtcdException(Status status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  public Status status() {
    return status;
  }

  static EtcdException from(String operation, StatusRuntimeException e) {
    Status s = e.getStatus();
    String description = s.getDescription() == null ? s.getCode().toString() : s.getDescription();
    if (s.getCode() == Status.Code.OUT_OF_RANGE && description.contains("compacted")) {
      return new EtcdCompactedException(0, operation + ": " + description, e);
    }
    if (s.getCode() == Status.Code.OUT_OF_RANGE && description.contains("future revision")) {
      return new EtcdFutureRevisionException(operation + ": " + description, e);
    }
    return new EtcdException(s, operation + ": " + description, e);
  }
}
