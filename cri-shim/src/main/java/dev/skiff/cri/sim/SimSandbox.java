package dev.skiff.cri.sim;

import dev.skiff.cri.v1.LinuxPodSandboxStatus;
import dev.skiff.cri.v1.Namespace;
import dev.skiff.cri.v1.PodSandbox;
import dev.skiff.cri.v1.PodSandboxConfig;
import dev.skiff.cri.v1.PodSandboxNetworkStatus;
import dev.skiff.cri.v1.PodSandboxState;
import dev.skiff.cri.v1.PodSandboxStatus;

/** One simulated sandbox. Mutable; guarded by the owning {@link SimulatedRuntime}'s lock. */
final class SimSandbox {
  final String id;
  final PodSandboxConfig config;
  final String runtimeHandler;
  final long createdAtNanos;
  final String ip;
  /** True when the IP came from the pool (not host network) and is still held. */
  boolean holdsPoolIp;
  PodSandboxState state = PodSandboxState.SANDBOX_READY;

  SimSandbox(String id, PodSandboxConfig config, String runtimeHandler, long createdAtNanos, String ip,
      boolean holdsPoolIp) {
    this.id = id;
    this.config = config;
    this.runtimeHandler = runtimeHandler;
    this.createdAtNanos = createdAtNanos;
    this.ip = ip;
    this.holdsPoolIp = holdsPoolIp;
  }

  PodSandboxStatus status() {
    return PodSandboxStatus.newBuilder()
        .setId(id)
        .setMetadata(config.getMetadata())
        .setState(state)
        .setCreatedAt(createdAtNanos)
        .setNetwork(PodSandboxNetworkStatus.newBuilder().setIp(ip))
        .setLinux(LinuxPodSandboxStatus.newBuilder()
            .setNamespaces(Namespace.newBuilder()
                .setOptions(config.getLinux().getSecurityContext().getNamespaceOptions())))
        .putAllLabels(config.getLabelsMap())
        .putAllAnnotations(config.getAnnotationsMap())
        .setRuntimeHandler(runtimeHandler)
        .build();
  }

  PodSandbox summary() {
    return PodSandbox.newBuilder()
        .setId(id)
        .setMetadata(config.getMetadata())
        .setState(state)
        .setCreatedAt(createdAtNanos)
        .putAllLabels(config.getLabelsMap())
        .putAllAnnotations(config.getAnnotationsMap())
        .setRuntimeHandler(runtimeHandler)
        .build();
  }
}
