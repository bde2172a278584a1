package dev.skiff.nodeagent.node;

import com.google.protobuf.Timestamp;
import dev.skiff.api.v1.ContainerImage;
import dev.skiff.api.v1.DaemonEndpoint;
import dev.skiff.api.v1.NodeAddress;
import dev.skiff.api.v1.NodeCondition;
import dev.skiff.api.v1.NodeDaemonEndpoints;
import dev.skiff.api.v1.NodeStatus;
import dev.skiff.api.v1.NodeSystemInfo;
import dev.skiff.client.api.Quantity;
import dev.skiff.cri.ContainerRuntime;
import dev.skiff.cri.CriException;
import dev.skiff.cri.RuntimeConditions;
import dev.skiff.cri.v1.Image;
import dev.skiff.cri.v1.RuntimeStatus;
import dev.skiff.cri.v1.VersionResponse;
import dev.skiff.nodeagent.NodeAgentConfig;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Computes the Node's status (kubelet's setNodeStatus): capacity and allocatable, conditions
 * (Ready from the runtime's RuntimeReady and NetworkReady; MemoryPressure and DiskPressure from
 * /proc/meminfo and statvfs when host stats are read), addresses, the daemon endpoint, node info
 * and the images present (largest first, at most 50, for image locality). Heartbeat and transition
 * times are carried over from the previous status when a condition did not change, so an unchanged
 * node gives an equal status. Not thread-safe: the node status loop owns it.
 */
public final class NodeStatusBuilder {
  static final int MAX_IMAGES = 50;
  static final String KUBELET_VERSION = "skiff-0.1.0";
  /** kubelet's default hard eviction thresholds. */
  static final long MEMORY_AVAILABLE_MIN = 100L * 1024 * 1024;
  static final double DISK_AVAILABLE_MIN = 0.10;

  private final NodeAgentConfig config;
  private final ContainerRuntime runtime;
  private final Clock clock;
  private final int port;

  public NodeStatusBuilder(NodeAgentConfig config, ContainerRuntime runtime, Clock clock, int port) {
    this.config = config;
    this.runtime = runtime;
    this.clock = clock;
    this.port = port;
  }

  public long cpuMillis() {
    return config.cpuMillis() > 0 ? config.cpuMillis() : Runtime.getRuntime().availableProcessors() * 1000L;
  }

  public long memoryBytes() {
    if (config.memoryBytes() > 0) {
      return config.memoryBytes();
    }
    return config.readHostStats() ? HostInfo.meminfo("MemTotal").orElse(8L << 30) : 8L << 30;
  }

  public NodeStatus build(NodeStatus previous) {
    NodeStatus.Builder b = NodeStatus.newBuilder();
    String cpu = Quantity.ofMillis(cpuMillis()).toString();
    String mem = Quantity.ofBytes(memoryBytes()).toString();
    String pods = Integer.toString(config.maxPods());
    b.putCapacity("cpu", cpu).putCapacity("memory", mem).putCapacity("pods", pods);
    b.putAllocatable("cpu", cpu).putAllocatable("memory", mem).putAllocatable("pods", pods);
    if (config.readHostStats()) {
      HostInfo.disk(config.rootDir()).ifPresent(d -> {
        b.putCapacity("ephemeral-storage", Quantity.ofBytes(d[0]).toString());
        b.putAllocatable("ephemeral-storage", Quantity.ofBytes(d[0]).toString());
      });
    }
    VersionResponse version = null;
    String readyReason;
    String readyMessage;
    boolean ready;
    try {
      version = runtime.version();
      RuntimeStatus rs = runtime.status();
      ready = RuntimeConditions.ready(rs);
      readyReason = ready ? "KubeletReady" : "KubeletNotReady";
      readyMessage = ready ? "skiff agent is posting ready status"
          : "container runtime not ready: RuntimeReady=" + RuntimeConditions.isTrue(rs, RuntimeConditions.RUNTIME_READY)
              + " NetworkReady=" + RuntimeConditions.isTrue(rs, RuntimeConditions.NETWORK_READY);
    } catch (CriException e) {
      ready = false;
      readyReason = "KubeletNotReady";
      readyMessage = "container runtime is down: " + e.getMessage();
    }
    boolean memoryPressure = false;
    boolean diskPressure = false;
    if (config.readHostStats()) {
      memoryPressure = HostInfo.meminfo("MemAvailable").map(a -> a < MEMORY_AVAILABLE_MIN).orElse(false);
      diskPressure = HostInfo.disk(config.rootDir())
          .map(d -> d[0] > 0 && (double) d[1] / d[0] < DISK_AVAILABLE_MIN).orElse(false);
    }
    b.addConditions(condition(previous, "MemoryPressure", memoryPressure,
        memoryPressure ? "KubeletHasInsufficientMemory" : "KubeletHasSufficientMemory",
        memoryPressure ? "available memory is below 100Mi" : "kubelet has sufficient memory available"));
    b.addConditions(condition(previous, "DiskPressure", diskPressure,
        diskPressure ? "KubeletHasDiskPressure" : "KubeletHasNoDiskPressure",
        diskPressure ? "available disk is below 10%" : "kubelet has no disk pressure"));
    b.addConditions(condition(previous, "PIDPressure", false, "KubeletHasSufficientPID",
        "kubelet has sufficient PID available"));
    b.addConditions(condition(previous, "Ready", ready, readyReason, readyMessage));
    b.addAddresses(NodeAddress.newBuilder().setType("InternalIP").setAddress(config.nodeIp()));
    b.addAddresses(NodeAddress.newBuilder().setType("Hostname").setAddress(config.hostname()));
    b.setDaemonEndpoints(NodeDaemonEndpoints.newBuilder()
        .setKubeletEndpoint(DaemonEndpoint.newBuilder().setPort(port)));
    NodeSystemInfo.Builder info = NodeSystemInfo.newBuilder()
        .setOperatingSystem("linux").setArchitecture(HostInfo.arch())
        .setKubeletVersion(KUBELET_VERSION).setKubeProxyVersion("");
    if (config.readHostStats()) {
      info.setMachineId(HostInfo.read("/etc/machine-id"))
          .setBootId(HostInfo.read("/proc/sys/kernel/random/boot_id"))
          .setKernelVersion(HostInfo.read("/proc/sys/kernel/osrelease"))
          .setOsImage(HostInfo.osImage())
          .setSystemUuid(HostInfo.read("/sys/class/dmi/id/product_uuid"));
    } else {
      info.setMachineId(config.nodeName()).setKernelVersion("hollow").setOsImage("Skiff hollow node");
    }
    if (version != null) {
      info.setContainerRuntimeVersion(version.getRuntimeName() + "://" + version.getRuntimeVersion());
    } else if (previous.hasNodeInfo()) {
      info.setContainerRuntimeVersion(previous.getNodeInfo().getContainerRuntimeVersion());
    }
    b.setNodeInfo(info);
    if (version != null) {
      try {
        b.addAllImages(images(runtime.listImages()));
      } catch (CriException e) {
        b.addAllImages(previous.getImagesList());
      }
    } else {
      b.addAllImages(previous.getImagesList());
    }
    return b.build();
  }

  static List<ContainerImage> images(List<Image> images) {
    return images.stream()
        .sorted(Comparator.comparingLong(Image::getSize).reversed())
        .limit(MAX_IMAGES)
        .map(i -> ContainerImage.newBuilder()
            .addAllNames(i.getRepoDigestsList()).addAllNames(i.getRepoTagsList())
            .setSizeBytes(i.getSize()).build())
        .toList();
  }

  private NodeCondition condition(NodeStatus previous, String type, boolean status, String reason,
      String message) {
    String value = status ? "True" : "False";
    Optional<NodeCondition> prev = previous.getConditionsList().stream()
        .filter(c -> c.getType().equals(type)).findFirst();
    Timestamp now = Timestamp.newBuilder().setSeconds(clock.instant().getEpochSecond()).build();
    boolean same = prev.isPresent() && prev.get().getStatus().equals(value)
        && prev.get().getReason().equals(reason) && prev.get().getMessage().equals(message);
    return NodeCondition.newBuilder().setType(type).setStatus(value).setReason(reason).setMessage(message)
        .setLastHeartbeatTime(same ? prev.get().getLastHeartbeatTime() : now)
        .setLastTransitionTime(prev.filter(p -> p.getStatus().equals(value))
            .map(NodeCondition::getLastTransitionTime).orElse(now))
        .build();
  }
}
