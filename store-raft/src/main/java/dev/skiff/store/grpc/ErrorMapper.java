package dev.skiff.store.grpc;

import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import dev.skiff.store.StoreError;
import dev.skiff.store.StoreException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one table from store errors to gRPC statuses (etcd's {@code v3rpc/util.go}). The
 * message is etcd's, so etcd clients recognise it; errors about one request field also
 * carry a {@code google.rpc.BadRequest} naming it.
 */
public final class ErrorMapper {
    private static final Map<StoreError, Status.Code> CODES = new EnumMap<>(StoreError.class);
    private static final Map<StoreError, String> FIELDS = new EnumMap<>(StoreError.class);

    static {
        CODES.put(StoreError.EMPTY_KEY, Status.Code.INVALID_ARGUMENT);
        CODES.put(StoreError.KEY_NOT_FOUND, Status.Code.INVALID_ARGUMENT);
        CODES.put(StoreError.VALUE_PROVIDED, Status.Code.INVALID_ARGUMENT);
        CODES.put(StoreError.LEASE_PROVIDED, Status.Code.INVALID_ARGUMENT);
        CODES.put(StoreError.TOO_MANY_OPS, Status.Code.INVALID_ARGUMENT);
        CODES.put(StoreError.DUPLICATE_KEY, Status.Code.INVALID_ARGUMENT);
        CODES.put(StoreError.REQUEST_TOO_LARGE, Status.Code.INVALID_ARGUMENT);
        CODES.put(StoreError.COMPACTED, Status.Code.OUT_OF_RANGE);
        CODES.put(StoreError.FUTURE_REVISION, Status.Code.OUT_OF_RANGE);
        CODES.put(StoreError.LEASE_NOT_FOUND, Status.Code.NOT_FOUND);
        CODES.put(StoreError.LEASE_EXISTS, Status.Code.FAILED_PRECONDITION);
        CODES.put(StoreError.LEASE_TTL_TOO_LARGE, Status.Code.OUT_OF_RANGE);
        CODES.put(StoreError.MEMBER_NOT_FOUND, Status.Code.NOT_FOUND);
        CODES.put(StoreError.PEER_URL_EXISTS, Status.Code.FAILED_PRECONDITION);
        CODES.put(StoreError.NOT_LEADER, Status.Code.UNAVAILABLE);
        CODES.put(StoreError.NO_LEADER, Status.Code.UNAVAILABLE);
        CODES.put(StoreError.TIMEOUT, Status.Code.UNAVAILABLE);
        CODES.put(StoreError.INVALID_ARGUMENT, Status.Code.INVALID_ARGUMENT);
        CODES.put(StoreError.NOT_CAPABLE, Status.Code.UNAVAILABLE);
        FIELDS.put(StoreError.EMPTY_KEY, "key");
        FIELDS.put(StoreError.VALUE_PROVIDED, "value");
        FIELDS.put(StoreError.LEASE_PROVIDED, "lease");
        FIELDS.put(StoreError.TOO_MANY_OPS, "success");
        FIELDS.put(StoreError.DUPLICATE_KEY, "success");
        FIELDS.put(StoreError.LEASE_NOT_FOUND, "lease");
    }

    private ErrorMapper() {
    }

    public static Status.Code codeOf(StoreError e) {
        return CODES.getOrDefault(e, Status.Code.UNKNOWN);
    }

    /** The status a client sees for {@code t} (unwrapping futures' wrappers). */
    public static StatusRuntimeException toStatus(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof StatusRuntimeException sre) {
            return sre;
        }
        if (t instanceof StoreException se) {
            Status.Code code = codeOf(se.error());
            String field = FIELDS.get(se.error());
            if (field != null && code == Status.Code.INVALID_ARGUMENT) {
                com.google.rpc.Status detail = com.google.rpc.Status.newBuilder()
                        .setCode(Code.INVALID_ARGUMENT_VALUE)
                        .setMessage(se.getMessage())
                        .addDetails(com.google.protobuf.Any.pack(BadRequest.newBuilder()
                                .addFieldViolations(BadRequest.FieldViolation.newBuilder()
                                        .setField(field).setDescription(se.getMessage()))
                                .build()))
                        .build();
                return StatusProto.toStatusRuntimeException(detail);
            }
            return code.toStatus().withDescription(se.getMessage()).asRuntimeException();
        }
        return Status.INTERNAL.withDescription("etcdserver: " + t).asRuntimeException();
    }
}
