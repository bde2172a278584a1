package dev.skiff.client;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.BadRequest.FieldViolation;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.ArrayList;
import java.util.List;

/**
 * A failed API call: the gRPC status code, the server's message, and for INVALID_ARGUMENT the
 * {@code google.rpc.BadRequest} field violations (field path and description of each bad field).
 * {@link #getMessage()} is one line a person can act on: the description, then each violation.
 */
public final class ApiException extends RuntimeException {
  private final Status.Code code;
  private final String description;
  private final List<FieldViolation> violations;

  public ApiException(Status.Code code, String description, List<FieldViolation> violations, Throwable cause) {
    super(format(code, description, violations), cause);
    this.code = code;
    this.description = description == null ? "" : description;
    this.violations = List.copyOf(violations);
  }

  /** Converts a gRPC failure (or wraps any other throwable as UNKNOWN). */
  public static ApiException from(Throwable t) {
    if (t instanceof ApiException api) {
      return api;
    }
    Status status = Status.fromThrowable(t);
    if (!(t instanceof StatusRuntimeException) && !(t instanceof StatusException)
        && status.getCode() == Status.Code.UNKNOWN && status.getDescription() == null) {
      return new ApiException(Status.Code.UNKNOWN, String.valueOf(t), List.of(), t);
    }
    return new ApiException(status.getCode(), status.getDescription(), violationsOf(t), t);
  }

  private static List<FieldViolation> violationsOf(Throwable t) {
    com.google.rpc.Status rich = StatusProto.fromThrowable(t);
    if (rich == null) {
      return List.of();
    }
    List<FieldViolation> out = new ArrayList<>();
    for (Any detail : rich.getDetailsList()) {
      if (detail.is(BadRequest.class)) {
        try {
          out.addAll(detail.unpack(BadRequest.class).getFieldViolationsList());
        } catch (InvalidProtocolBufferException e) {
          // a malformed detail is ignored: the status message still says what went wrong
        }
      }
    }
    return out;
  }

  public Status.Code code() {
    return code;
  }

  /** The server's message without the code or violations. */
  public String description() {
    return description;
  }

  public List<FieldViolation> violations() {
    return violations;
  }

  public boolean isNotFound() {
    return code == Status.Code.NOT_FOUND;
  }

  public boolean isAlreadyExists() {
    return code == Status.Code.ALREADY_EXISTS;
  }

  /** A stale resourceVersion: re-read and try again. */
  public boolean isConflict() {
    return code == Status.Code.ABORTED;
  }

  private static String format(Status.Code code, String description, List<FieldViolation> violations) {
    StringBuilder sb = new StringBuilder(code.name());
    if (description != null && !description.isEmpty()) {
      sb.append(": ").append(description);
    }
    for (FieldViolation v : violations) {
      sb.append("; ").append(v.getField()).append(": ").append(v.getDescription());
    }
    return sb.toString();
  }
}
