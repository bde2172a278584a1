package dev.skiff.bench.store;

import dev.skiff.proto.etcd.KVGrpc;
import dev.skiff.proto.etcd.PutRequest;
import dev.skiff.proto.etcd.PutResponse;
import dev.skiff.proto.etcd.ResponseHeader;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The least a store can do for a put and still answer only once the put is on disk: a gRPC
 * server (the grpc-java and Netty that Skiff's store runs) whose {@code KV.Put} writes the request
 * into a file and fdatasyncs it on the transport thread that read it, then answers with a
 * revision. No MVCC, no Raft, no thread hand-off. {@code bench/store/floor.sh} times one client's
 * puts against it beside one-member Skiff and etcd stores: the single-client latency that no
 * store behind this gRPC stack, on this machine's disk, can go below.
 *
 * <p>The file is filled with zeros first, as Ratis preallocates its log segments, so that a
 * sync writes data only; writes wrap around at its end (nothing is ever read back). Every other
 * KV method answers UNIMPLEMENTED.
 *
 * <p>Usage: {@code FsyncFloor <port> <file>}
 */
public final class FsyncFloor extends KVGrpc.KVImplBase {
    private static final int FILE_BYTES = 64 << 20;

    private final FileChannel file;
    // guarded by this: Netty may run two connections' puts on two event loops
    private long revision;

    private FsyncFloor(FileChannel file) {
        this.file = file;
    }

    @Override
    public void put(PutRequest request, StreamObserver<PutResponse> response) {
        long rev;
        try {
            synchronized (this) {
                if (file.position() + request.getSerializedSize() > FILE_BYTES) {
                    file.position(0);
                }
                file.write(ByteBuffer.wrap(request.toByteArray()));
                file.force(false);
                rev = ++revision;
            }
        } catch (IOException e) {
            response.onError(Status.INTERNAL.withDescription(e.toString()).asRuntimeException());
            return;
        }
        response.onNext(PutResponse.newBuilder().setHeader(ResponseHeader.newBuilder().setRevision(rev)).build());
        response.onCompleted();
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        FileChannel file = FileChannel.open(Path.of(args[1]), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        ByteBuffer zeros = ByteBuffer.allocate(1 << 20);
        for (int i = 0; i < FILE_BYTES / zeros.capacity(); i++) {
            file.write(zeros.clear());
        }
        file.force(true);
        file.position(0);
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])))
                .directExecutor().addService(new FsyncFloor(file)).build().start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
        server.awaitTermination();
    }
}
