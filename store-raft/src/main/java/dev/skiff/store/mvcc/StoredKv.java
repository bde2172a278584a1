package dev.skiff.store.mvcc;

import dev.skiff.proto.etcd.mvcc.KeyValue;

/** One entry of the history: the key's value at a revision, or its deletion (a tombstone). */
record StoredKv(KeyValue kv, boolean tombstone) {
}
