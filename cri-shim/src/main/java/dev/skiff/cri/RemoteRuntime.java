package dev.skiff.cri;

import static dev.skiff.cri.CriCalls.call;
import static dev.skiff.cri.CriCalls.contract;
import static dev.skiff.cri.CriCalls.idempotent;
import static dev.skiff.cri.CriCalls.requireId;

import dev.skiff.cri.v1.AuthConfig;
import dev.skiff.cri.v1.Container;
import dev.skiff.cri.v1.ContainerConfig;
import dev.skiff.cri.v1.ContainerFilter;
import dev.skiff.cri.v1.ContainerStats;
import dev.skiff.cri.v1.ContainerStatsFilter;
import dev.skiff.cri.v1.ContainerStatsRequest;
import dev.skiff.cri.v1.ContainerStatsResponse;
import dev.skiff.cri.v1.ContainerStatus;
import dev.skiff.cri.v1.ContainerStatusRequest;
import dev.skiff.cri.v1.ContainerStatusResponse;
import dev.skiff.cri.v1.CreateContainerRequest;
import dev.skiff.cri.v1.ExecSyncRequest;
import dev.skiff.cri.v1.ExecSyncResponse;
import dev.skiff.cri.v1.FilesystemUsage;
import dev.skiff.cri.v1.Image;
import dev.skiff.cri.v1.LinuxContainerResources;
import dev.skiff.cri.v1.ListContainerStatsRequest;
import dev.skiff.cri.v1.ListContainersRequest;
import dev.skiff.cri.v1.ListPodSandboxRequest;
import dev.skiff.cri.v1.PodSandbox;
import dev.skiff.cri.v1.PodSandboxConfig;
import dev.skiff.cri.v1.PodSandboxFilter;
import dev.skiff.cri.v1.PodSandboxStatus;
import dev.skiff.cri.v1.PodSandboxStatusRequest;
import dev.skiff.cri.v1.PodSandboxStatusResponse;
import dev.skiff.cri.v1.RemoveContainerRequest;
import dev.skiff.cri.v1.RemovePodSandboxRequest;
import dev.skiff.cri.v1.ReopenContainerLogRequest;
import dev.skiff.cri.v1.RunPodSandboxRequest;
import dev.skiff.cri.v1.RuntimeServiceGrpc;
import dev.skiff.cri.v1.RuntimeStatus;
import dev.skiff.cri.v1.StartContainerRequest;
import dev.skiff.cri.v1.StatusRequest;
import dev.skiff.cri.v1.StatusResponse;
import dev.skiff.cri.v1.StopContainerRequest;
import dev.skiff.cri.v1.StopPodSandboxRequest;
import dev.skiff.cri.v1.UpdateContainerResourcesRequest;
import dev.skiff.cri.v1.VersionRequest;
import dev.skiff.cri.v1.VersionResponse;
import io.grpc.Channel;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@link ContainerRuntime} over the CRI gRPC API of a remote runtime (containerd's CRI plugin on
 * its Unix socket, or any server of the same services such as the simulated one). The
 * RuntimeService calls are here; the ImageService ones are in {@link RemoteImages}, and both make
 * their calls through {@link CriCalls}.
 *
 * <p>Every call builds a stub with its own deadline; gRPC failures become {@link CriException}
 * with the status code kept; answers that break the CRI contract become {@code INTERNAL}. Thread
 * safe: stubs are immutable and gRPC channels are shared by design.
 */
public final class RemoteRuntime implements ContainerRuntime {
  /** Where {@code scripts/setup-runtime.sh} puts containerd's CRI socket by default. */
  public static final String DEFAULT_ENDPOINT = "unix:///var/lib/skiff/containerd/containerd.sock";

  /** The CRI API version this client speaks. */
  public static final String CRI_API_VERSION = "v1";

  private final Channel channel;
  private final ManagedChannel ownedChannel;
  private final RuntimeTimeouts timeouts;
  private final RemoteImages images;

  /**
   * A runtime over a channel the caller owns (and closes): e.g. an in-process channel.
   */
  public RemoteRuntime(Channel channel, RuntimeTimeouts timeouts) {
    this(channel, null, timeouts);
  }

  private RemoteRuntime(Channel channel, ManagedChannel ownedChannel, RuntimeTimeouts timeouts) {
    this.channel = Objects.requireNonNull(channel, "channel");
    this.ownedChannel = ownedChannel;
    this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
    this.images = new RemoteImages(channel, timeouts);
  }

  /**
   * Connects to a runtime endpoint such as {@code unix:///run/skiff/containerd/containerd.sock}
   * (a bare absolute path is taken as a Unix socket). The channel connects lazily: a missing
   * socket shows as {@code UNAVAILABLE} on the first call. {@link #close()} closes it.
   */
  public static RemoteRuntime connect(String endpoint, RuntimeTimeouts timeouts) {
    String target = endpoint.startsWith("/") ? "unix://" + endpoint : endpoint;
    if (!target.startsWith("unix:")) {
      throw new IllegalArgumentException(
          "runtime endpoint must be a Unix socket (unix:///path/to/containerd.sock), got: " + endpoint);
    }
    ManagedChannel channel =
        Grpc.newChannelBuilder(target, InsecureChannelCredentials.create())
            .maxInboundMessageSize(16 * 1024 * 1024)
            .build();
    return new RemoteRuntime(channel, channel, timeouts);
  }

  private RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime(Duration deadline) {
    return RuntimeServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
  }

  private RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime() {
    return runtime(timeouts.call());
  }

  // ------------------------------------------------------------------ runtime

  @Override
  public VersionResponse version() {
    VersionResponse r =
        call("Version", () -> runtime().version(VersionRequest.newBuilder().setVersion(CRI_API_VERSION).build()));
    if (r.getRuntimeName().isEmpty()) {
      throw contract("Version", "empty runtime_name");
    }
    return r;
  }

  @Override
  public RuntimeStatus status() {
    StatusResponse r = call("Status", () -> runtime().status(StatusRequest.getDefaultInstance()));
    if (!r.hasStatus()) {
      throw contract("Status", "no status");
    }
    return r.getStatus();
  }

  // ------------------------------------------------------------------ pod sandboxes

  @Override
  public String runPodSandbox(PodSandboxConfig config, String runtimeHandler) {
    Objects.requireNonNull(config, "config");
    if (!config.hasMetadata() || config.getMetadata().getName().isEmpty() || config.getMetadata().getUid().isEmpty()) {
      throw new IllegalArgumentException("RunPodSandbox: metadata.name and metadata.uid are required");
    }
    RunPodSandboxRequest req =
        RunPodSandboxRequest.newBuilder()
            .setConfig(config)
            .setRuntimeHandler(runtimeHandler == null ? "" : runtimeHandler)
            .build();
    String id = call("RunPodSandbox", () -> runtime().runPodSandbox(req)).getPodSandboxId();
    if (id.isEmpty()) {
      throw contract("RunPodSandbox", "empty pod_sandbox_id");
    }
    return id;
  }

  @Override
  public void stopPodSandbox(String sandboxId) {
    requireId("StopPodSandbox", sandboxId);
    idempotent("StopPodSandbox", () -> runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(sandboxId).build()));
  }

  @Override
  public void removePodSandbox(String sandboxId) {
    requireId("RemovePodSandbox", sandboxId);
    idempotent("RemovePodSandbox", () -> runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(sandboxId).build()));
  }

  @Override
  public PodSandboxStatus podSandboxStatus(String sandboxId) {
    requireId("PodSandboxStatus", sandboxId);
    PodSandboxStatusResponse r =
        call("PodSandboxStatus",
            () -> runtime().podSandboxStatus(PodSandboxStatusRequest.newBuilder().setPodSandboxId(sandboxId).build()));
    if (!r.hasStatus()) {
      throw contract("PodSandboxStatus", "no status for sandbox " + sandboxId);
    }
    if (!r.getStatus().getId().isEmpty() && !sandboxId.startsWith(r.getStatus().getId())
        && !r.getStatus().getId().startsWith(sandboxId)) {
      throw contract("PodSandboxStatus", "asked for " + sandboxId + ", got " + r.getStatus().getId());
    }
    return r.getStatus();
  }

  @Override
  public List<PodSandbox> listPodSandbox(PodSandboxFilter filter) {
    ListPodSandboxRequest req = ListPodSandboxRequest.newBuilder().setFilter(filter).build();
    return call("ListPodSandbox", () -> runtime().listPodSandbox(req)).getItemsList();
  }

  // ------------------------------------------------------------------ containers

  @Override
  public String createContainer(String sandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig) {
    requireId("CreateContainer", sandboxId);
    Objects.requireNonNull(config, "config");
    if (!config.hasMetadata() || config.getMetadata().getName().isEmpty()) {
      throw new IllegalArgumentException("CreateContainer: metadata.name is required");
    }
    if (config.getImage().getImage().isEmpty()) {
      throw new IllegalArgumentException("CreateContainer: image.image is required");
    }
    CreateContainerRequest req =
        CreateContainerRequest.newBuilder()
            .setPodSandboxId(sandboxId)
            .setConfig(config)
            .setSandboxConfig(sandboxConfig == null ? PodSandboxConfig.getDefaultInstance() : sandboxConfig)
            .build();
    String id = call("CreateContainer", () -> runtime().createContainer(req)).getContainerId();
    if (id.isEmpty()) {
      throw contract("CreateContainer", "empty container_id");
    }
    return id;
  }

  @Override
  public void startContainer(String containerId) {
    requireId("StartContainer", containerId);
    call("StartContainer",
        () -> runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(containerId).build()));
  }

  @Override
  public void stopContainer(String containerId, Duration gracePeriod) {
    requireId("StopContainer", containerId);
    long seconds = Math.max(0, ceilSeconds(gracePeriod));
    StopContainerRequest req =
        StopContainerRequest.newBuilder().setContainerId(containerId).setTimeout(seconds).build();
    idempotent("StopContainer", () -> runtime(timeouts.call().plusSeconds(seconds)).stopContainer(req));
  }

  @Override
  public void removeContainer(String containerId) {
    requireId("RemoveContainer", containerId);
    idempotent("RemoveContainer", () -> runtime().removeContainer(RemoveContainerRequest.newBuilder().setContainerId(containerId).build()));
  }

  @Override
  public List<Container> listContainers(ContainerFilter filter) {
    ListContainersRequest req = ListContainersRequest.newBuilder().setFilter(filter).build();
    return call("ListContainers", () -> runtime().listContainers(req)).getContainersList();
  }

  @Override
  public ContainerStatus containerStatus(String containerId) {
    requireId("ContainerStatus", containerId);
    ContainerStatusResponse r =
        call("ContainerStatus",
            () -> runtime().containerStatus(ContainerStatusRequest.newBuilder().setContainerId(containerId).build()));
    if (!r.hasStatus()) {
      throw contract("ContainerStatus", "no status for container " + containerId);
    }
    return r.getStatus();
  }

  @Override
  public void updateContainerResources(String containerId, LinuxContainerResources resources) {
    requireId("UpdateContainerResources", containerId);
    UpdateContainerResourcesRequest req =
        UpdateContainerResourcesRequest.newBuilder().setContainerId(containerId).setLinux(resources).build();
    call("UpdateContainerResources", () -> runtime().updateContainerResources(req));
  }

  @Override
  public void reopenContainerLog(String containerId) {
    requireId("ReopenContainerLog", containerId);
    call("ReopenContainerLog",
        () -> runtime().reopenContainerLog(ReopenContainerLogRequest.newBuilder().setContainerId(containerId).build()));
  }

  @Override
  public ExecSyncResponse execSync(String containerId, List<String> command, Duration timeout) {
    requireId("ExecSync", containerId);
    if (command == null || command.isEmpty()) {
      throw new IllegalArgumentException("ExecSync: a command is required");
    }
    long seconds = Math.max(0, ceilSeconds(timeout));
    ExecSyncRequest req =
        ExecSyncRequest.newBuilder().setContainerId(containerId).addAllCmd(command).setTimeout(seconds).build();
    // The runtime enforces the command's timeout itself (answering DEADLINE_EXCEEDED); our
    // deadline only guards against a runtime that never answers.
    return call("ExecSync", () -> runtime(timeouts.call().plusSeconds(seconds)).execSync(req));
  }

  @Override
  public ContainerStats containerStats(String containerId) {
    requireId("ContainerStats", containerId);
    ContainerStatsResponse r =
        call("ContainerStats",
            () -> runtime().containerStats(ContainerStatsRequest.newBuilder().setContainerId(containerId).build()));
    if (!r.hasStats()) {
      throw contract("ContainerStats", "no stats for container " + containerId);
    }
    return r.getStats();
  }

  @Override
  public List<ContainerStats> listContainerStats(ContainerStatsFilter filter) {
    ListContainerStatsRequest req = ListContainerStatsRequest.newBuilder().setFilter(filter).build();
    return call("ListContainerStats", () -> runtime().listContainerStats(req)).getStatsList();
  }

  // ------------------------------------------------------------------ images

  @Override
  public List<Image> listImages() {
    return images.listImages();
  }

  @Override
  public Optional<Image> imageStatus(String image) {
    return images.imageStatus(image);
  }

  @Override
  public String pullImage(String image, AuthConfig auth, PodSandboxConfig sandboxConfig) {
    return images.pullImage(image, auth, sandboxConfig);
  }

  @Override
  public void removeImage(String image) {
    images.removeImage(image);
  }

  @Override
  public List<FilesystemUsage> imageFsInfo() {
    return images.imageFsInfo();
  }

  @Override
  public void close() {
    if (ownedChannel != null) {
      ownedChannel.shutdown();
      try {
        if (!ownedChannel.awaitTermination(5, TimeUnit.SECONDS)) {
          ownedChannel.shutdownNow();
        }
      } catch (InterruptedException e) {
        ownedChannel.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }

  private static long ceilSeconds(Duration d) {
    if (d == null || d.isNegative()) {
      return 0;
    }
    long s = d.getSeconds();
    return d.getNano() > 0 ? s + 1 : s;
  }
}
