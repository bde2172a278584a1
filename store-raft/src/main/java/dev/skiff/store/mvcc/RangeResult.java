package dev.skiff.store.mvcc;

import dev.skiff.proto.etcd.mvcc.KeyValue;
import java.util.List;

/** Keys of a range in ascending key order, the total number in the range, and the revision read. */
public record RangeResult(List<KeyValue> kvs, long count, long revision) {
}
