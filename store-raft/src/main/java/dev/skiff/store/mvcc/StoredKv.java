package dev.skiff.store.mvcc;

import com.google.protobuf.ByteString;
import dev.skiff.proto.etcd.mvcc.KeyValue;

/**
 * One entry of the history: the key's value at revision {@code (main, sub)}, or its
 * deletion (a tombstone). Kept as plain fields rather than a {@link KeyValue} message with
 * a separate revision key: every version of every key lives on the heap for as long as the
 * history holds it, and one object per version instead of three is what the garbage
 * collector copies (see docs/store-write-forwarding.md, session 10). The message is built
 * on the way out, by {@link #toKeyValue()}.
 */
record StoredKv(long main, long sub, ByteString key, ByteString value, long createRevision, long version,
                long lease, boolean tombstone) {

    static StoredKv put(long main, long sub, ByteString key, ByteString value, long createRevision, long version,
                        long lease) {
        return new StoredKv(main, sub, key, value, createRevision, version, lease, false);
    }

    /** A deletion: only the key and the revision, as etcd's tombstones. */
    static StoredKv tombstone(long main, long sub, ByteString key) {
        return new StoredKv(main, sub, key, ByteString.EMPTY, 0, 0, 0, true);
    }

    KeyValue toKeyValue() {
        return KeyValue.newBuilder()
                .setKey(key)
                .setValue(value)
                .setCreateRevision(createRevision)
                .setModRevision(main)
                .setVersion(version)
                .setLease(lease)
                .build();
    }

    /** Whether this entry comes after revision {@code (main, sub)}. */
    boolean isAfter(long otherMain, long otherSub) {
        return main != otherMain ? main > otherMain : sub > otherSub;
    }
}
