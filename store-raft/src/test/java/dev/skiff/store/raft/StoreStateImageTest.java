package dev.skiff.store.raft;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.skiff.proto.etcd.CompactionRequest;
import dev.skiff.proto.etcd.LeaseGrantRequest;
import dev.skiff.proto.etcd.LeaseRevokeRequest;
import dev.skiff.proto.etcd.PutRequest;
import dev.skiff.proto.etcd.mvcc.KeyValue;
import dev.skiff.store.lease.Lessor;
import dev.skiff.store.mvcc.KeyRange;
import dev.skiff.store.mvcc.MvccStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** An image taken off the apply thread (Maintenance.Snapshot's) while entries apply is a state between two of them. */
class StoreStateImageTest {
    private static final ByteString PREFIX = ByteString.copyFromUtf8("/leased/");

    private static StoreState newState() {
        return new StoreState(new MvccStore(), new Lessor(Clock.systemUTC(), 1), new MemberRegistry());
    }

    @Test
    void noImageHoldsAKeyWithoutItsLease() throws Exception {
        StoreState state = newState();
        AtomicBoolean stop = new AtomicBoolean();
        // the apply thread: grant a lease, put a key on it, revoke it (which deletes the key), again and again
        Thread apply = Thread.ofPlatform().name("apply").start(() -> {
            for (long id = 1; !stop.get(); id++) {
                long lease = id;
                state.change(() -> state.applier().leaseGrant(LeaseGrantRequest.newBuilder().setID(lease).setTTL(60).build()));
                state.change(() -> state.applier().put(PutRequest.newBuilder()
                        .setKey(PREFIX.concat(ByteString.copyFromUtf8(Long.toString(lease)))).setLease(lease).build()));
                state.change(() -> state.applier().leaseRevoke(LeaseRevokeRequest.newBuilder().setID(lease).build()));
                if (lease % 100 == 0) { // keeps the history, and so each image, small
                    state.change(() -> state.applier().compact(CompactionRequest.newBuilder()
                            .setRevision(state.mvcc().currentRevision()).build()));
                }
            }
        });
        int withKey = 0;
        try {
            for (int i = 0; i < 3000; i++) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                state.write(new DataOutputStream(bytes));
                StoreState copy = newState();
                copy.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
                var kvs = copy.mvcc().range(KeyRange.of(PREFIX, KeyRange.prefixEnd(PREFIX)), 0, 0).kvs();
                assertThat(kvs).hasSizeLessThanOrEqualTo(1);
                for (KeyValue kv : kvs) {
                    withKey++;
                    assertThat(copy.lessor().exists(kv.getLease())).as("lease of %s", kv.getKey().toStringUtf8()).isTrue();
                }
            }
        } finally {
            stop.set(true);
            apply.join();
        }
        assertThat(withKey).as("images taken between a put and its revoke").isPositive();
    }
}
