package dev.skiff.store.mvcc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.skiff.store.StoreError;
import dev.skiff.store.StoreException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import org.junit.jupiter.api.Test;

class HistoryHashTest {
    private static void put(MvccStore store, String key, String value) {
        try (WriteTxn txn = store.write()) {
            txn.put(ByteString.copyFromUtf8(key), ByteString.copyFromUtf8(value), 0);
        }
    }

    private static void delete(MvccStore store, String key) {
        try (WriteTxn txn = store.write()) {
            txn.deleteRange(KeyRange.of(ByteString.copyFromUtf8(key), ByteString.EMPTY));
        }
    }

    private static MvccStore history(String lastValue) {
        MvccStore store = new MvccStore();
        put(store, "/a", "1");
        put(store, "/b", "1");
        delete(store, "/a");
        put(store, "/b", lastValue);
        return store;
    }

    @Test
    void theSameHistoryHashesTheSameAndAnyDifferenceShows() {
        assertThat(HistoryHash.of(history("2"), 0)).isEqualTo(HistoryHash.of(history("2"), 0));
        assertThat(HistoryHash.of(history("2"), 0).hash()).isNotEqualTo(HistoryHash.of(history("3"), 0).hash());
        // up to the revision before the difference they agree
        assertThat(HistoryHash.of(history("2"), 4)).isEqualTo(HistoryHash.of(history("3"), 4));
    }

    @Test
    void aRevisionsHashDoesNotChangeWithLaterWrites() {
        MvccStore store = history("2");
        HistoryHash.Result before = HistoryHash.of(store, 5);
        put(store, "/c", "1");
        assertThat(HistoryHash.of(store, 5)).isEqualTo(before);
        assertThat(HistoryHash.of(store, 0).revision()).isEqualTo(6);
        assertThat(HistoryHash.of(store, 0).hash()).isNotEqualTo(before.hash());
    }

    @Test
    void compactedAndFutureRevisionsFailAsEtcdDoes() {
        MvccStore store = history("2");
        store.compact(4);
        assertThat(HistoryHash.of(store, 4).compactRevision()).isEqualTo(4);
        assertThatThrownBy(() -> HistoryHash.of(store, 3)).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.error()).isEqualTo(StoreError.COMPACTED));
        assertThatThrownBy(() -> HistoryHash.of(store, 99)).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.error()).isEqualTo(StoreError.FUTURE_REVISION));
    }

    @Test
    void aStoreRestoredFromASnapshotHashesLikeItsSource() throws Exception {
        MvccStore source = history("2");
        source.compact(3);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        MvccSnapshot.write(source, new DataOutputStream(bytes));
        MvccStore restored = new MvccStore();
        MvccSnapshot.read(restored, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertThat(HistoryHash.of(restored, 0)).isEqualTo(HistoryHash.of(source, 0));
    }
}
