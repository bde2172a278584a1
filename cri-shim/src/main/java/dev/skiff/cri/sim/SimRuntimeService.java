package dev.skiff.cri.sim;

import dev.skiff.cri.RuntimeConditions;
import dev.skiff.cri.v1.ContainerAttributes;
import dev.skiff.cri.v1.ContainerState;
import dev.skiff.cri.v1.ContainerStats;
import dev.skiff.cri.v1.ContainerStatsRequest;
import dev.skiff.cri.v1.ContainerStatsResponse;
import dev.skiff.cri.v1.ContainerStatusRequest;
import dev.skiff.cri.v1.ContainerStatusResponse;
import dev.skiff.cri.v1.CpuUsage;
import dev.skiff.cri.v1.CreateContainerRequest;
import dev.skiff.cri.v1.CreateContainerResponse;
import dev.skiff.cri.v1.ExecSyncRequest;
import dev.skiff.cri.v1.ExecSyncResponse;
import dev.skiff.cri.v1.FilesystemIdentifier;
import dev.skiff.cri.v1.FilesystemUsage;
import dev.skiff.cri.v1.ListContainerStatsRequest;
import dev.skiff.cri.v1.ListContainerStatsResponse;
import dev.skiff.cri.v1.ListContainersRequest;
import dev.skiff.cri.v1.ListContainersResponse;
import dev.skiff.cri.v1.ListPodSandboxRequest;
import dev.skiff.cri.v1.ListPodSandboxResponse;
import dev.skiff.cri.v1.MemoryUsage;
import dev.skiff.cri.v1.PodSandboxStatusRequest;
import dev.skiff.cri.v1.PodSandboxStatusResponse;
import dev.skiff.cri.v1.RemoveContainerRequest;
import dev.skiff.cri.v1.RemoveContainerResponse;
import dev.skiff.cri.v1.RemovePodSandboxRequest;
import dev.skiff.cri.v1.RemovePodSandboxResponse;
import dev.skiff.cri.v1.ReopenContainerLogRequest;
import dev.skiff.cri.v1.ReopenContainerLogResponse;
import dev.skiff.cri.v1.RunPodSandboxRequest;
import dev.skiff.cri.v1.RunPodSandboxResponse;
import dev.skiff.cri.v1.RuntimeCondition;
import dev.skiff.cri.v1.RuntimeServiceGrpc;
import dev.skiff.cri.v1.RuntimeStatus;
import dev.skiff.cri.v1.StartContainerRequest;
import dev.skiff.cri.v1.StartContainerResponse;
import dev.skiff.cri.v1.StatusRequest;
import dev.skiff.cri.v1.StatusResponse;
import dev.skiff.cri.v1.StopContainerRequest;
import dev.skiff.cri.v1.StopContainerResponse;
import dev.skiff.cri.v1.StopPodSandboxRequest;
import dev.skiff.cri.v1.StopPodSandboxResponse;
import dev.skiff.cri.v1.UInt64Value;
import dev.skiff.cri.v1.UpdateContainerResourcesRequest;
import dev.skiff.cri.v1.UpdateContainerResourcesResponse;
import dev.skiff.cri.v1.VersionRequest;
import dev.skiff.cri.v1.VersionResponse;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/** The CRI RuntimeService over a {@link SimulatedRuntime}. Stateless; thread-safe. */
final class SimRuntimeService extends RuntimeServiceGrpc.RuntimeServiceImplBase {
  static final String RUNTIME_NAME = "skiff-simulated";
  static final String RUNTIME_VERSION = "0.1.0";
  /** Memory a simulated container reports using. */
  private static final long WORKING_SET_BYTES = 4L << 20;

  private final SimulatedRuntime rt;

  SimRuntimeService(SimulatedRuntime rt) {
    this.rt = rt;
  }

  static <T> void answer(StreamObserver<T> out, Supplier<T> body) {
    T value;
    try {
      value = body.get();
    } catch (StatusRuntimeException e) {
      out.onError(e);
      return;
    }
    out.onNext(value);
    out.onCompleted();
  }

  @Override
  public void version(VersionRequest req, StreamObserver<VersionResponse> out) {
    answer(out, () -> VersionResponse.newBuilder()
        .setVersion("0.1.0")
        .setRuntimeName(RUNTIME_NAME)
        .setRuntimeVersion(RUNTIME_VERSION)
        .setRuntimeApiVersion("v1")
        .build());
  }

  @Override
  public void status(StatusRequest req, StreamObserver<StatusResponse> out) {
    answer(out, () -> {
      boolean net = rt.networkReady();
      return StatusResponse.newBuilder()
          .setStatus(RuntimeStatus.newBuilder()
              .addConditions(RuntimeCondition.newBuilder().setType(RuntimeConditions.RUNTIME_READY).setStatus(true))
              .addConditions(RuntimeCondition.newBuilder().setType(RuntimeConditions.NETWORK_READY).setStatus(net)
                  .setReason(net ? "" : "NetworkPluginNotReady")
                  .setMessage(net ? "" : "Network plugin returns error: cni plugin not initialized")))
          .build();
    });
  }

  @Override
  public void runPodSandbox(RunPodSandboxRequest req, StreamObserver<RunPodSandboxResponse> out) {
    answer(out, () -> RunPodSandboxResponse.newBuilder().setPodSandboxId(rt.runPodSandbox(req)).build());
  }

  @Override
  public void stopPodSandbox(StopPodSandboxRequest req, StreamObserver<StopPodSandboxResponse> out) {
    answer(out, () -> {
      rt.stopPodSandbox(req.getPodSandboxId());
      return StopPodSandboxResponse.getDefaultInstance();
    });
  }

  @Override
  public void removePodSandbox(RemovePodSandboxRequest req, StreamObserver<RemovePodSandboxResponse> out) {
    answer(out, () -> {
      rt.removePodSandbox(req.getPodSandboxId());
      return RemovePodSandboxResponse.getDefaultInstance();
    });
  }

  @Override
  public void podSandboxStatus(PodSandboxStatusRequest req, StreamObserver<PodSandboxStatusResponse> out) {
    answer(out, () -> PodSandboxStatusResponse.newBuilder()
        .setStatus(rt.podSandboxStatus(req.getPodSandboxId())).build());
  }

  @Override
  public void listPodSandbox(ListPodSandboxRequest req, StreamObserver<ListPodSandboxResponse> out) {
    answer(out, () -> ListPodSandboxResponse.newBuilder().addAllItems(rt.listPodSandbox(req.getFilter())).build());
  }

  @Override
  public void createContainer(CreateContainerRequest req, StreamObserver<CreateContainerResponse> out) {
    answer(out, () -> CreateContainerResponse.newBuilder().setContainerId(rt.createContainer(req)).build());
  }

  @Override
  public void startContainer(StartContainerRequest req, StreamObserver<StartContainerResponse> out) {
    answer(out, () -> {
      rt.startContainer(req.getContainerId());
      return StartContainerResponse.getDefaultInstance();
    });
  }

  @Override
  public void stopContainer(StopContainerRequest req, StreamObserver<StopContainerResponse> out) {
    answer(out, () -> {
      rt.stopContainer(req.getContainerId(), req.getTimeout());
      return StopContainerResponse.getDefaultInstance();
    });
  }

  @Override
  public void removeContainer(RemoveContainerRequest req, StreamObserver<RemoveContainerResponse> out) {
    answer(out, () -> {
      rt.removeContainer(req.getContainerId());
      return RemoveContainerResponse.getDefaultInstance();
    });
  }

  @Override
  public void listContainers(ListContainersRequest req, StreamObserver<ListContainersResponse> out) {
    answer(out, () -> ListContainersResponse.newBuilder().addAllContainers(rt.listContainers(req.getFilter())).build());
  }

  @Override
  public void containerStatus(ContainerStatusRequest req, StreamObserver<ContainerStatusResponse> out) {
    answer(out, () -> ContainerStatusResponse.newBuilder()
        .setStatus(rt.containerStatus(req.getContainerId())).build());
  }

  @Override
  public void updateContainerResources(UpdateContainerResourcesRequest req,
      StreamObserver<UpdateContainerResourcesResponse> out) {
    answer(out, () -> {
      rt.updateContainerResources(req.getContainerId(), req.getLinux());
      return UpdateContainerResourcesResponse.getDefaultInstance();
    });
  }

  @Override
  public void reopenContainerLog(ReopenContainerLogRequest req, StreamObserver<ReopenContainerLogResponse> out) {
    answer(out, () -> {
      rt.reopenContainerLog(req.getContainerId());
      return ReopenContainerLogResponse.getDefaultInstance();
    });
  }

  @Override
  public void execSync(ExecSyncRequest req, StreamObserver<ExecSyncResponse> out) {
    answer(out, () -> rt.execSync(req));
  }

  @Override
  public void containerStats(ContainerStatsRequest req, StreamObserver<ContainerStatsResponse> out) {
    answer(out, () -> ContainerStatsResponse.newBuilder()
        .setStats(stats(rt.containerForStats(req.getContainerId()), rt.nowNanos())).build());
  }

  @Override
  public void listContainerStats(ListContainerStatsRequest req, StreamObserver<ListContainerStatsResponse> out) {
    answer(out, () -> {
      long now = rt.nowNanos();
      ListContainerStatsResponse.Builder b = ListContainerStatsResponse.newBuilder();
      for (SimContainer c : rt.matching(req.getFilter().getId(), req.getFilter().getPodSandboxId(),
          req.getFilter().getLabelSelectorMap(), c -> c.state == ContainerState.CONTAINER_RUNNING)) {
        b.addStats(stats(c, now));
      }
      return b.build();
    });
  }

  /** Constant usage: a simulated process uses no CPU and a fixed working set. */
  private static ContainerStats stats(SimContainer c, long now) {
    boolean running = c.state == ContainerState.CONTAINER_RUNNING;
    return ContainerStats.newBuilder()
        .setAttributes(ContainerAttributes.newBuilder()
            .setId(c.id)
            .setMetadata(c.config.getMetadata())
            .putAllLabels(c.config.getLabelsMap())
            .putAllAnnotations(c.config.getAnnotationsMap()))
        .setCpu(CpuUsage.newBuilder().setTimestamp(now)
            .setUsageCoreNanoSeconds(UInt64Value.newBuilder().setValue(0))
            .setUsageNanoCores(UInt64Value.newBuilder().setValue(0)))
        .setMemory(MemoryUsage.newBuilder().setTimestamp(now)
            .setWorkingSetBytes(UInt64Value.newBuilder().setValue(running ? WORKING_SET_BYTES : 0)))
        .setWritableLayer(FilesystemUsage.newBuilder().setTimestamp(now)
            .setFsId(FilesystemIdentifier.newBuilder().setMountpoint("/simulated"))
            .setUsedBytes(UInt64Value.newBuilder().setValue(0))
            .setInodesUsed(UInt64Value.newBuilder().setValue(0)))
        .build();
  }
}
