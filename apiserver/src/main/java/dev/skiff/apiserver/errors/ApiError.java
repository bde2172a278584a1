package dev.skiff.apiserver.errors;

import io.grpc.Status;
import java.util.List;

/**
 * A request the apiserver refuses or cannot serve, with the gRPC code it maps to and a message
 * a person can act on. Kubernetes' wording is kept where Kubernetes has one. Mapped to a gRPC
 * status in one place ({@code dev.skiff.apiserver.grpc.StatusMapper}).
 */
public final class ApiError extends RuntimeException {
  private final Status.Code code;
  private final List<FieldError> violations;

  public ApiError(Status.Code code, String message, List<FieldError> violations) {
    super(message, null, false, false);
    this.code = code;
    this.violations = List.copyOf(violations);
  }

  public ApiError(Status.Code code, String message) {
    this(code, message, List.of());
  }

  public Status.Code code() {
    return code;
  }

  public List<FieldError> violations() {
    return violations;
  }

  public static ApiError notFound(String plural, String name) {
    return new ApiError(Status.Code.NOT_FOUND, plural + " \"" + name + "\" not found");
  }

  public static ApiError alreadyExists(String plural, String name) {
    return new ApiError(Status.Code.ALREADY_EXISTS, plural + " \"" + name + "\" already exists");
  }

  public static ApiError conflict(String plural, String name) {
    return new ApiError(Status.Code.ABORTED, "Operation cannot be fulfilled on " + plural + " \"" + name
        + "\": the object has been modified; please apply your changes to the latest version and try again");
  }

  public static ApiError conflict(String plural, String name, String why) {
    return new ApiError(Status.Code.ABORTED, "Operation cannot be fulfilled on " + plural + " \"" + name
        + "\": " + why);
  }

  public static ApiError invalid(String kind, String name, List<FieldError> violations) {
    StringBuilder sb = new StringBuilder(kind).append(" \"").append(name).append("\" is invalid: ");
    if (violations.size() == 1) {
      sb.append(violations.getFirst());
    } else {
      sb.append('[');
      for (int i = 0; i < violations.size(); i++) {
        sb.append(i == 0 ? "" : ", ").append(violations.get(i));
      }
      sb.append(']');
    }
    return new ApiError(Status.Code.INVALID_ARGUMENT, sb.toString(), violations);
  }

  public static ApiError badRequest(String message) {
    return new ApiError(Status.Code.INVALID_ARGUMENT, message);
  }

  public static ApiError badRequest(String field, String message) {
    return new ApiError(Status.Code.INVALID_ARGUMENT, field + ": " + message,
        List.of(new FieldError(field, message)));
  }

  public static ApiError failedPrecondition(String message) {
    return new ApiError(Status.Code.FAILED_PRECONDITION, message);
  }

  public static ApiError gone(String message) {
    return new ApiError(Status.Code.OUT_OF_RANGE, message);
  }

  public static ApiError unavailable(String message) {
    return new ApiError(Status.Code.UNAVAILABLE, message);
  }

  public static ApiError unimplemented(String message) {
    return new ApiError(Status.Code.UNIMPLEMENTED, message);
  }

  public static ApiError timeout(String message) {
    return new ApiError(Status.Code.DEADLINE_EXCEEDED, message);
  }

  public static ApiError internal(String message) {
    return new ApiError(Status.Code.INTERNAL, message);
  }
}
