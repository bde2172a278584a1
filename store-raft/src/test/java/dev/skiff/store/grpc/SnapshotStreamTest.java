package dev.skiff.store.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.skiff.proto.etcd.KVGrpc;
import dev.skiff.proto.etcd.LeaseGrantRequest;
import dev.skiff.proto.etcd.LeaseGrpc;
import dev.skiff.proto.etcd.MaintenanceGrpc;
import dev.skiff.proto.etcd.PutRequest;
import dev.skiff.proto.etcd.SnapshotRequest;
import dev.skiff.proto.etcd.SnapshotResponse;
import dev.skiff.store.StoreConfig;
import dev.skiff.store.StoreNode;
import dev.skiff.store.lease.Lessor;
import dev.skiff.store.mvcc.MvccStore;
import dev.skiff.store.raft.MemberRegistry;
import dev.skiff.store.raft.StoreState;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Maintenance.Snapshot streams what etcdctl's {@code snapshot save} accepts, and the image reads back. */
class SnapshotStreamTest {
    @TempDir
    Path dir;

    @Test
    void streamEndsInTheDigestOfAPaddedImageThatReadsBack() throws Exception {
        try (StoreNode store = StoreNode.start(StoreConfig.singleNode(dir))) {
            String name = InProcessServerBuilder.generateName();
            InProcessServerBuilder b = InProcessServerBuilder.forName(name).directExecutor();
            store.clientServices().forEach(b::addService);
            Server server = b.build().start();
            ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
            try {
                KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel);
                long lease = LeaseGrpc.newBlockingStub(channel).leaseGrant(LeaseGrantRequest.newBuilder().setTTL(60).build()).getID();
                for (int i = 0; i < 100; i++) {
                    kv.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("/snap/" + i))
                            .setValue(ByteString.copyFromUtf8("v" + i)).setLease(i == 0 ? lease : 0).build());
                }

                List<SnapshotResponse> messages = new ArrayList<>();
                MaintenanceGrpc.newBlockingStub(channel).snapshot(SnapshotRequest.getDefaultInstance())
                        .forEachRemaining(messages::add);
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                for (SnapshotResponse m : messages) {
                    m.getBlob().writeTo(all);
                }
                byte[] stream = all.toByteArray();

                // etcdctl's check, and what the remaining counts say
                assertThat(stream.length % MaintenanceService.SNAPSHOT_ALIGN).isEqualTo(32);
                long sent = 0;
                for (SnapshotResponse m : messages) {
                    sent += m.getBlob().size();
                    assertThat(m.getRemainingBytes()).isEqualTo(stream.length - sent);
                }
                byte[] image = Arrays.copyOf(stream, stream.length - 32);
                assertThat(Arrays.copyOfRange(stream, image.length, stream.length))
                        .isEqualTo(MessageDigest.getInstance("SHA-256").digest(image));

                StoreState copy = new StoreState(new MvccStore(), new Lessor(Clock.systemUTC(), 1), new MemberRegistry());
                copy.read(new DataInputStream(new ByteArrayInputStream(image)));
                assertThat(copy.mvcc().currentRevision()).isEqualTo(store.revision());
                assertThat(messages).allSatisfy(m -> assertThat(m.getHeader().getRevision()).isEqualTo(store.revision()));
                assertThat(copy.mvcc().get(ByteString.copyFromUtf8("/snap/99")).getValue().toStringUtf8()).isEqualTo("v99");
                assertThat(copy.mvcc().get(ByteString.copyFromUtf8("/snap/0")).getLease()).isEqualTo(lease);
            } finally {
                channel.shutdownNow();
                server.shutdownNow();
            }
        }
    }
}
