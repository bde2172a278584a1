package dev.skiff.store.mvcc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** A captured image is the store as it was at capture, whatever the store does before it is written. */
class MvccSnapshotTest {
    private static void put(MvccStore store, String key, String value) {
        try (WriteTxn txn = store.write()) {
            txn.put(ByteString.copyFromUtf8(key), ByteString.copyFromUtf8(value), 0);
        }
    }

    private static MvccStore restore(byte[] bytes) throws IOException {
        MvccStore restored = new MvccStore();
        MvccSnapshot.read(restored, new DataInputStream(new ByteArrayInputStream(bytes)));
        return restored;
    }

    private static byte[] bytes(MvccSnapshot.Image image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        image.write(new DataOutputStream(out));
        return out.toByteArray();
    }

    @Test
    void anImageIgnoresWritesAndCompactionsAfterItsCapture() throws Exception {
        MvccStore store = new MvccStore();
        for (int i = 0; i < 200; i++) {
            put(store, "/k" + (i % 20), "v" + i);
        }
        ByteArrayOutputStream then = new ByteArrayOutputStream();
        MvccSnapshot.write(store, new DataOutputStream(then));
        MvccSnapshot.Image image = MvccSnapshot.capture(store);

        // the store moves on: more versions, and a compaction that removes (and, inside the
        // TreeMap, relinks) most of the history the image refers to
        for (int i = 0; i < 200; i++) {
            put(store, "/k" + (i % 30), "w" + i);
        }
        store.compact(store.currentRevision() - 5);

        byte[] written = bytes(image);
        assertThat(written).isEqualTo(then.toByteArray());
        MvccStore restored = restore(written);
        assertThat(restored.currentRevision()).isEqualTo(image.revision()).isEqualTo(201);
        assertThat(HistoryHash.of(restored, 0)).isEqualTo(HistoryHash.of(restore(then.toByteArray()), 0));
        assertThat(restored.get(ByteString.copyFromUtf8("/k19")).getValue().toStringUtf8()).isEqualTo("v199");
        assertThat(restored.get(ByteString.copyFromUtf8("/k25"))).isNull();
    }
}
