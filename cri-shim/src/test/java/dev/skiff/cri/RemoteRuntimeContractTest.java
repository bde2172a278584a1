package dev.skiff.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.cri.v1.ContainerStatusRequest;
import dev.skiff.cri.v1.ContainerStatusResponse;
import dev.skiff.cri.v1.CreateContainerRequest;
import dev.skiff.cri.v1.CreateContainerResponse;
import dev.skiff.cri.v1.ExecSyncRequest;
import dev.skiff.cri.v1.ExecSyncResponse;
import dev.skiff.cri.v1.ImageServiceGrpc;
import dev.skiff.cri.v1.PullImageRequest;
import dev.skiff.cri.v1.PullImageResponse;
import dev.skiff.cri.v1.RemoveImageRequest;
import dev.skiff.cri.v1.RemoveImageResponse;
import dev.skiff.cri.v1.RunPodSandboxRequest;
import dev.skiff.cri.v1.RunPodSandboxResponse;
import dev.skiff.cri.v1.RuntimeServiceGrpc;
import dev.skiff.cri.v1.StopContainerRequest;
import dev.skiff.cri.v1.StopContainerResponse;
import dev.skiff.cri.v1.VersionRequest;
import dev.skiff.cri.v1.VersionResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RemoteRuntime against a misbehaving runtime (a hand-written server): answers that break the
 * CRI contract, a runtime that never answers, and the deadlines and timeouts it sends.
 */
class RemoteRuntimeContractTest {
  /** Answers with empty messages, never answers Version, and records what it was sent. */
  static final class BrokenRuntime extends RuntimeServiceGrpc.RuntimeServiceImplBase {
    final List<Object> received = new CopyOnWriteArrayList<>();

    @Override
    public void version(VersionRequest req, StreamObserver<VersionResponse> out) {
      received.add(req); // never answers
    }

    @Override
    public void runPodSandbox(RunPodSandboxRequest req, StreamObserver<RunPodSandboxResponse> out) {
      out.onNext(RunPodSandboxResponse.getDefaultInstance());
      out.onCompleted();
    }

    @Override
    public void createContainer(CreateContainerRequest req, StreamObserver<CreateContainerResponse> out) {
      out.onNext(CreateContainerResponse.getDefaultInstance());
      out.onCompleted();
    }

    @Override
    public void containerStatus(ContainerStatusRequest req, StreamObserver<ContainerStatusResponse> out) {
      out.onNext(ContainerStatusResponse.getDefaultInstance());
      out.onCompleted();
    }

    @Override
    public void stopContainer(StopContainerRequest req, StreamObserver<StopContainerResponse> out) {
      received.add(req);
      out.onError(Status.NOT_FOUND.withDescription("container gone").asRuntimeException());
    }

    @Override
    public void execSync(ExecSyncRequest req, StreamObserver<ExecSyncResponse> out) {
      received.add(req);
      out.onError(Status.PERMISSION_DENIED.withDescription("no exec for you").asRuntimeException());
    }
  }

  static final class BrokenImages extends ImageServiceGrpc.ImageServiceImplBase {
    @Override
    public void pullImage(PullImageRequest req, StreamObserver<PullImageResponse> out) {
      out.onNext(PullImageResponse.getDefaultInstance());
      out.onCompleted();
    }

    @Override
    public void removeImage(RemoveImageRequest req, StreamObserver<RemoveImageResponse> out) {
      out.onError(Status.NOT_FOUND.withDescription("image gone").asRuntimeException());
    }
  }

  private final BrokenRuntime broken = new BrokenRuntime();
  private Server server;
  private ManagedChannel channel;
  private RemoteRuntime runtime;

  @BeforeEach
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(broken).addService(new BrokenImages()).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    runtime = new RemoteRuntime(channel, RuntimeTimeouts.defaults());
  }

  @AfterEach
  void stop() {
    runtime.close();
    channel.shutdownNow();
    server.shutdownNow();
  }

  @Test
  void emptyIdsAndMissingStatusesAreContractErrors() {
    assertThatThrownBy(() -> runtime.runPodSandbox(CriConfigs.sandbox("default", "p", ""), ""))
        .isInstanceOfSatisfying(CriException.class, e -> assertThat(e.code()).isEqualTo(Status.Code.INTERNAL))
        .hasMessageContaining("empty pod_sandbox_id");
    assertThatThrownBy(() -> runtime.createContainer("sb",
            CriConfigs.container("c", "localhost:5000/busybox:1.35", List.of("sh"), List.of()), null))
        .isInstanceOfSatisfying(CriException.class, e -> assertThat(e.code()).isEqualTo(Status.Code.INTERNAL))
        .hasMessageContaining("empty container_id");
    assertThatThrownBy(() -> runtime.containerStatus("c1"))
        .isInstanceOfSatisfying(CriException.class, e -> assertThat(e.operation()).isEqualTo("ContainerStatus"))
        .hasMessageContaining("no status");
    assertThatThrownBy(() -> runtime.pullImage("localhost:5000/busybox:1.35", null, null))
        .hasMessageContaining("empty image_ref");
  }

  @Test
  void removalOfAnAbsentImageIsDone() {
    runtime.removeImage("localhost:5000/gone:1"); // NOT_FOUND counts as removed, as the contract says
  }

  @Test
  void aRuntimeThatNeverAnswersHitsTheCallDeadline() {
    runtime.stopContainer("warm-up", Duration.ZERO); // loads gRPC's classes outside the timed call
    RemoteRuntime impatient =
        new RemoteRuntime(channel, new RuntimeTimeouts(Duration.ofMillis(300), Duration.ofSeconds(1)));
    long t0 = System.nanoTime();
    assertThatThrownBy(impatient::version)
        .isInstanceOfSatisfying(CriException.class, e -> assertThat(e.isDeadlineExceeded()).isTrue());
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(30));
    assertThat(broken.received).hasSize(2);
  }

  @Test
  void stopOfAGoneContainerIsDoneAndTimeoutsAreSentInWholeSeconds() {
    runtime.stopContainer("c1", Duration.ofMillis(1500)); // NOT_FOUND counts as stopped
    assertThatThrownBy(() -> runtime.execSync("c1", List.of("true"), Duration.ofMillis(200)))
        .isInstanceOfSatisfying(CriException.class, e -> {
          assertThat(e.code()).isEqualTo(Status.Code.PERMISSION_DENIED);
          assertThat(e.operation()).isEqualTo("ExecSync");
        })
        .hasMessage("ExecSync: PERMISSION_DENIED: no exec for you");
    assertThat(broken.received).containsExactly(
        StopContainerRequest.newBuilder().setContainerId("c1").setTimeout(2).build(),
        ExecSyncRequest.newBuilder().setContainerId("c1").addCmd("true").setTimeout(1).build());
  }
}
