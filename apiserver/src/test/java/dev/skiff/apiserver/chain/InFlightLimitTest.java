package dev.skiff.apiserver.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.client.api.TooManyRequests;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The limit on a real in-process server whose handlers hold their calls until the test lets them go. */
class InFlightLimitTest {
  private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };
  private static final MethodDescriptor<byte[], byte[]> CREATE = method("Create", MethodDescriptor.MethodType.UNARY);
  private static final MethodDescriptor<byte[], byte[]> GET = method("Get", MethodDescriptor.MethodType.UNARY);
  private static final MethodDescriptor<byte[], byte[]> WATCH =
      method("Watch", MethodDescriptor.MethodType.SERVER_STREAMING);

  private final Semaphore entered = new Semaphore(0);
  private final CountDownLatch release = new CountDownLatch(1);
  private final ExecutorService handlers = Executors.newCachedThreadPool();
  private Server server;
  private ManagedChannel channel;

  private static MethodDescriptor<byte[], byte[]> method(String name, MethodDescriptor.MethodType type) {
    return MethodDescriptor.<byte[], byte[]>newBuilder().setType(type)
        .setFullMethodName(MethodDescriptor.generateFullMethodName("test.Kind", name))
        .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
  }

  /** Counts itself in, waits for the test's release, echoes. */
  private void held(byte[] req, io.grpc.stub.StreamObserver<byte[]> out) {
    entered.release();
    try {
      release.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    out.onNext(req);
    out.onCompleted();
  }

  @BeforeEach
  void start() throws IOException {
    ServerCalls.UnaryMethod<byte[], byte[]> held = this::held;
    ServerServiceDefinition service = ServerServiceDefinition.builder("test.Kind")
        .addMethod(CREATE, ServerCalls.asyncUnaryCall(held))
        .addMethod(GET, ServerCalls.asyncUnaryCall(held))
        .addMethod(WATCH, ServerCalls.asyncServerStreamingCall((req, out) -> entered.release()))
        .build();
    String name = "inflight-" + System.nanoTime();
    server = InProcessServerBuilder.forName(name).executor(handlers)
        .addService(ServerInterceptors.intercept(service, new InFlightLimit(2, 1))).build().start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void stop() {
    release.countDown();
    channel.shutdownNow();
    server.shutdownNow();
    handlers.shutdownNow();
  }

  private CompletableFuture<byte[]> async(MethodDescriptor<byte[], byte[]> m, int value) {
    return CompletableFuture.supplyAsync(
        () -> ClientCalls.blockingUnaryCall(channel, m, CallOptions.DEFAULT, new byte[] {(byte) value}), handlers);
  }

  private ClientCall<byte[], byte[]> startCall(MethodDescriptor<byte[], byte[]> m) {
    ClientCall<byte[], byte[]> call = channel.newCall(m, CallOptions.DEFAULT);
    call.start(new ClientCall.Listener<>() {}, new Metadata());
    call.sendMessage(new byte[] {9});
    call.halfClose();
    call.request(1);
    return call;
  }

  @Test
  void oneMoreThanTheLimitIsRefusedAtOnceWithRetryAfterAndReadsHaveTheirOwnLimit() throws Exception {
    CompletableFuture<byte[]> first = async(CREATE, 1);
    assertThat(entered.tryAcquire(5, TimeUnit.SECONDS)).isTrue();

    assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, CREATE, CallOptions.DEFAULT, new byte[] {2}))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
          assertThat(e.getStatus().getDescription()).contains("too many requests in flight (1 mutating)");
          assertThat(TooManyRequests.retryAfter(e)).contains(Duration.ofSeconds(1));
        });
    // reads have their own permits, and watches take none
    CompletableFuture<byte[]> read = async(GET, 3);
    assertThat(entered.tryAcquire(5, TimeUnit.SECONDS)).isTrue();
    ClientCall<byte[], byte[]> watch = startCall(WATCH);
    assertThat(entered.tryAcquire(5, TimeUnit.SECONDS)).isTrue();

    release.countDown();
    assertThat(first.get(5, TimeUnit.SECONDS)).containsExactly(1);
    assertThat(read.get(5, TimeUnit.SECONDS)).containsExactly(3);
    watch.cancel("done", null);
    // the permit came back when the call closed
    assertThat(ClientCalls.blockingUnaryCall(channel, CREATE, CallOptions.DEFAULT, new byte[] {4})).containsExactly(4);
  }

  @Test
  void aCancelledCallHoldsItsPermitUntilItsHandlerEnds() throws Exception {
    ClientCall<byte[], byte[]> call = startCall(CREATE);
    assertThat(entered.tryAcquire(5, TimeUnit.SECONDS)).isTrue();
    call.cancel("client gave up", null);
    // its handler is still working (gRPC delivers the cancellation after it): still counted
    assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, CREATE, CallOptions.DEFAULT, new byte[] {2}))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));

    release.countDown();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (true) {
      try {
        assertThat(ClientCalls.blockingUnaryCall(channel, CREATE, CallOptions.DEFAULT, new byte[] {5})).containsExactly(5);
        return;
      } catch (StatusRuntimeException e) {
        assertThat(System.nanoTime()).as("permit back within 5 s of the handler's end").isLessThan(deadline);
        Thread.sleep(10);
      }
    }
  }

  @Test
  void negativeLimitsAreRefusedAndZeroMeansNoLimit() throws Exception {
    assertThatThrownBy(() -> new InFlightLimit(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    String name = "unlimited-" + System.nanoTime();
    ServerServiceDefinition service = ServerServiceDefinition.builder("test.Kind")
        .addMethod(CREATE, ServerCalls.asyncUnaryCall(this::held)).build();
    Server unlimited = InProcessServerBuilder.forName(name).executor(handlers)
        .addService(ServerInterceptors.intercept(service, new InFlightLimit(0, 0))).build().start();
    ManagedChannel ch = InProcessChannelBuilder.forName(name).build();
    try {
      for (int i = 0; i < 20; i++) {
        ClientCall<byte[], byte[]> c = ch.newCall(CREATE, CallOptions.DEFAULT);
        c.start(new ClientCall.Listener<>() {}, new Metadata());
        c.sendMessage(new byte[] {1});
        c.halfClose();
      }
      assertThat(entered.tryAcquire(20, 5, TimeUnit.SECONDS)).as("all 20 in flight at once").isTrue();
    } finally {
      release.countDown();
      ch.shutdownNow();
      unlimited.shutdownNow();
    }
  }
}
