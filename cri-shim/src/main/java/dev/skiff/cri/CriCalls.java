package dev.skiff.cri;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.function.Supplier;

/**
 * How the remote runtime and image clients make one CRI call: gRPC failures become {@link
 * CriException} with the status code kept, idempotent stops and removals take {@code NOT_FOUND}
 * as done, answers that break the CRI contract become {@code INTERNAL}. Stateless.
 */
final class CriCalls {
  private CriCalls() {}

  static <T> T call(String operation, Supplier<T> rpc) {
    try {
      return rpc.get();
    } catch (StatusRuntimeException e) {
      throw failure(operation, e);
    }
  }

  /** Runs an idempotent stop/remove (sandbox, container, image): an object already gone counts as done. */
  static void idempotent(String operation, Runnable rpc) {
    try {
      rpc.run();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
        throw failure(operation, e);
      }
    }
  }

  static CriException contract(String operation, String what) {
    return new CriException(operation, Status.Code.INTERNAL, "runtime answer broke the CRI contract: " + what);
  }

  static String requireId(String operation, String id) {
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException(operation + ": an id is required");
    }
    return id;
  }

  private static CriException failure(String operation, StatusRuntimeException e) {
    Status status = e.getStatus();
    return new CriException(operation, status.getCode(), status.getDescription(), e);
  }
}
