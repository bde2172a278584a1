package dev.skiff.apiserver.grpc;

import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import dev.skiff.apiserver.errors.ApiError;
import dev.skiff.apiserver.errors.FieldError;
import dev.skiff.client.etcd.EtcdException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where failures become gRPC statuses. Stateless. */
public final class StatusMapper {
  private static final Logger log = LoggerFactory.getLogger(StatusMapper.class);

  private StatusMapper() {}

  public static StatusRuntimeException toStatus(Throwable t) {
    if (t instanceof ApiError e) {
      return fromApiError(e);
    }
    if (t instanceof StatusRuntimeException sre) {
      return sre;
    }
    if (t instanceof EtcdException e) {
      Status.Code code = switch (e.status().getCode()) {
        case OUT_OF_RANGE -> Status.Code.OUT_OF_RANGE;
        case DEADLINE_EXCEEDED -> Status.Code.DEADLINE_EXCEEDED;
        case RESOURCE_EXHAUSTED, INVALID_ARGUMENT -> Status.Code.RESOURCE_EXHAUSTED; // request too large for the store
        default -> Status.Code.UNAVAILABLE;
      };
      log.info("store call failed: {}", e.getMessage());
      return Status.fromCode(code).withDescription("storage: " + e.getMessage()).asRuntimeException();
    }
    if (t instanceof IllegalArgumentException e) {
      return Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
    }
    log.error("internal error", t);
    return Status.INTERNAL.withDescription("internal error: " + t).asRuntimeException();
  }

  private static StatusRuntimeException fromApiError(ApiError e) {
    if (e.violations().isEmpty()) {
      return Status.fromCode(e.code()).withDescription(e.getMessage()).asRuntimeException();
    }
    BadRequest.Builder bad = BadRequest.newBuilder();
    for (FieldError v : e.violations()) {
      bad.addFieldViolations(BadRequest.FieldViolation.newBuilder()
          .setField(v.field()).setDescription(v.description()));
    }
    com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
        .setCode(Code.forNumber(e.code().value()).getNumber())
        .setMessage(e.getMessage())
        .addDetails(com.google.protobuf.Any.pack(bad.build()))
        .build();
    return StatusProto.toStatusRuntimeException(status);
  }
}
