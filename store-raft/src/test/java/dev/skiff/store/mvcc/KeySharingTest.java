package dev.skiff.store.mvcc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import org.junit.jupiter.api.Test;

/** Every version of a key holds the same copy of the key, after writes and after a snapshot restore. */
class KeySharingTest {
    private static void put(MvccStore store, String key, String value) {
        try (WriteTxn txn = store.write()) {
            // a fresh ByteString each time, as each request brings its own
            txn.put(ByteString.copyFromUtf8(key), ByteString.copyFromUtf8(value), 0);
        }
    }

    private static void assertOneCopyPerKey(MvccStore store) {
        History h = store.historyLocked();
        assertThat(h.size()).isEqualTo(4);
        assertThat(h.get(1).key()).isSameAs(h.get(0).key());
        assertThat(h.get(3).key()).isSameAs(h.get(0).key());
        assertThat(h.get(2).key()).isNotSameAs(h.get(0).key());
    }

    @Test
    void versionsOfAKeyShareOneCopyOfIt() throws Exception {
        MvccStore store = new MvccStore();
        put(store, "/registry/pods/default/a", "1");
        put(store, "/registry/pods/default/a", "2");
        put(store, "/registry/pods/default/b", "1");
        put(store, "/registry/pods/default/a", "3");
        assertOneCopyPerKey(store);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        MvccSnapshot.write(store, new DataOutputStream(bytes));
        MvccStore restored = new MvccStore();
        MvccSnapshot.read(restored, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertOneCopyPerKey(restored);
    }
}
