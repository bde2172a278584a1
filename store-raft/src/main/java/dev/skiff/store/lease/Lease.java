package dev.skiff.store.lease;

import com.google.protobuf.ByteString;
import java.util.List;

/** A lease as clients see it: id, granted TTL in seconds, remaining seconds, attached keys. */
public record Lease(long id, long grantedTtl, long remainingTtl, List<ByteString> keys) {
}
