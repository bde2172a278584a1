package dev.skiff.store.raft;

import com.google.common.base.Suppliers;
import com.google.protobuf.MessageLite;
import java.util.function.Supplier;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * A Ratis message that keeps the protobuf it was made from and serializes it only when Ratis
 * asks for the bytes. A proposal's bytes are needed once, for the log; the request itself is
 * applied on the leader without parsing it back (see {@code StoreStateMachine.startTransaction}).
 * Not for answers: Ratis keeps those in its retry cache for a minute, where objects take
 * several times the memory of their bytes.
 *
 * <p>Thread-safe: the bytes are computed at most once.
 */
final class ProtoMessage<T extends MessageLite> implements Message {
    private final T value;
    private final Supplier<ByteString> content;

    private ProtoMessage(T value) {
        this.value = value;
        this.content = Suppliers.memoize(() -> UnsafeByteOperations.unsafeWrap(value.toByteArray()));
    }

    static <T extends MessageLite> ProtoMessage<T> of(T value) {
        return new ProtoMessage<>(value);
    }

    T value() {
        return value;
    }

    @Override
    public ByteString getContent() {
        return content.get();
    }

    @Override
    public String toString() {
        return value.getClass().getSimpleName() + "(" + value.getSerializedSize() + " bytes)";
    }
}
