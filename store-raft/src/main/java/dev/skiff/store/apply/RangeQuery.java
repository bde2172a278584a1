package dev.skiff.store.apply;

import dev.skiff.proto.etcd.RangeRequest;
import dev.skiff.proto.etcd.RangeResponse;
import dev.skiff.proto.etcd.ResponseHeader;
import dev.skiff.proto.etcd.mvcc.KeyValue;
import dev.skiff.store.mvcc.KeyRange;
import dev.skiff.store.mvcc.RangeResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Turns a {@code RangeRequest} into a response from raw range results (etcd's applier
 * Range): revision filters, sort order and target, limit with {@code more},
 * keys_only and count_only.
 */
final class RangeQuery {
    private RangeQuery() {
    }

    /** {@code reader} reads (range, limit) at the request's revision. */
    static RangeResponse run(RangeRequest r, BiFunction<KeyRange, Long, RangeResult> reader) {
        RangeRequest.SortOrder order = r.getSortOrder();
        if (order == RangeRequest.SortOrder.NONE && r.getSortTarget() != RangeRequest.SortTarget.KEY) {
            order = RangeRequest.SortOrder.ASCEND;
        }
        boolean filtered = r.getMinModRevision() != 0 || r.getMaxModRevision() != 0
                || r.getMinCreateRevision() != 0 || r.getMaxCreateRevision() != 0;
        boolean keyAscending = order == RangeRequest.SortOrder.NONE
                || (order == RangeRequest.SortOrder.ASCEND && r.getSortTarget() == RangeRequest.SortTarget.KEY);
        long fetchLimit = (!keyAscending || filtered || r.getLimit() <= 0) ? 0 : r.getLimit() + 1;
        if (r.getCountOnly()) {
            fetchLimit = 1;
        }
        RangeResult raw = reader.apply(KeyRange.of(r.getKey(), r.getRangeEnd()), fetchLimit);
        RangeResponse.Builder out = RangeResponse.newBuilder()
                .setHeader(ResponseHeader.newBuilder().setRevision(raw.revision()))
                .setCount(raw.count());
        if (r.getCountOnly()) {
            return out.build();
        }
        List<KeyValue> kvs = new ArrayList<>(raw.kvs());
        if (filtered) {
            kvs.removeIf(kv -> (r.getMinModRevision() != 0 && kv.getModRevision() < r.getMinModRevision())
                    || (r.getMaxModRevision() != 0 && kv.getModRevision() > r.getMaxModRevision())
                    || (r.getMinCreateRevision() != 0 && kv.getCreateRevision() < r.getMinCreateRevision())
                    || (r.getMaxCreateRevision() != 0 && kv.getCreateRevision() > r.getMaxCreateRevision()));
        }
        if (!keyAscending) {
            Comparator<KeyValue> c = comparator(r.getSortTarget());
            kvs.sort(order == RangeRequest.SortOrder.DESCEND ? c.reversed() : c);
        }
        if (r.getLimit() > 0 && kvs.size() > r.getLimit()) {
            kvs = kvs.subList(0, (int) r.getLimit());
            out.setMore(true);
        }
        for (KeyValue kv : kvs) {
            out.addKvs(r.getKeysOnly() ? kv.toBuilder().clearValue().build() : kv);
        }
        return out.build();
    }

    private static Comparator<KeyValue> comparator(RangeRequest.SortTarget target) {
        return switch (target) {
            case VERSION -> Comparator.comparingLong(KeyValue::getVersion);
            case CREATE -> Comparator.comparingLong(KeyValue::getCreateRevision);
            case MOD -> Comparator.comparingLong(KeyValue::getModRevision);
            case VALUE -> (a, b) -> KeyRange.compare(a.getValue(), b.getValue());
            default -> (a, b) -> KeyRange.compare(a.getKey(), b.getKey());
        };
    }
}
