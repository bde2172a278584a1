package dev.skiff.nodeagent.runtime;

import dev.skiff.api.v1.Container;
import dev.skiff.api.v1.ContainerPort;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.ResourceRequirements;
import dev.skiff.api.v1.VolumeMount;
import dev.skiff.client.api.Quantity;
import dev.skiff.cri.v1.ContainerConfig;
import dev.skiff.cri.v1.ContainerMetadata;
import dev.skiff.cri.v1.DNSConfig;
import dev.skiff.cri.v1.ImageSpec;
import dev.skiff.cri.v1.KeyValue;
import dev.skiff.cri.v1.LinuxContainerConfig;
import dev.skiff.cri.v1.LinuxContainerResources;
import dev.skiff.cri.v1.LinuxContainerSecurityContext;
import dev.skiff.cri.v1.LinuxPodSandboxConfig;
import dev.skiff.cri.v1.LinuxSandboxSecurityContext;
import dev.skiff.cri.v1.Mount;
import dev.skiff.cri.v1.NamespaceMode;
import dev.skiff.cri.v1.NamespaceOption;
import dev.skiff.cri.v1.PodSandboxConfig;
import dev.skiff.cri.v1.PodSandboxMetadata;
import dev.skiff.cri.v1.PortMapping;
import dev.skiff.cri.v1.Protocol;
import dev.skiff.nodeagent.NodeAgentConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Translates a Pod into CRI configs (kubelet's kuberuntime_sandbox.go / kuberuntime_container.go):
 * the sandbox (metadata, hostname, DNS, port mappings, log directory, namespaces, labels that find
 * the pod again) and each container (command, args, env, mounts, resources, log path). Pure.
 */
public final class PodConfigs {
  /** CFS period kubelet uses (100 ms). */
  public static final long CPU_PERIOD = 100_000;
  private static final long MIN_SHARES = 2;
  private static final String SECCOMP_RUNTIME_DEFAULT = "runtime/default";

  private final NodeAgentConfig config;

  public PodConfigs(NodeAgentConfig config) {
    this.config = config;
  }

  /** {@code <podLogDir>/<namespace>_<name>_<uid>}. */
  public Path podLogDir(Pod pod) {
    var m = pod.getMetadata();
    return config.podLogDir().resolve(m.getNamespace() + "_" + m.getName() + "_" + m.getUid());
  }

  public static long gracePeriodSeconds(Pod pod) {
    if (pod.getMetadata().hasDeletionGracePeriodSeconds()) {
      return pod.getMetadata().getDeletionGracePeriodSeconds();
    }
    return pod.getSpec().hasTerminationGracePeriodSeconds()
        ? pod.getSpec().getTerminationGracePeriodSeconds() : 30;
  }

  public PodSandboxConfig sandbox(Pod pod, int attempt) {
    var m = pod.getMetadata();
    var spec = pod.getSpec();
    PodSandboxConfig.Builder b = PodSandboxConfig.newBuilder()
        .setMetadata(PodSandboxMetadata.newBuilder()
            .setName(m.getName()).setNamespace(m.getNamespace()).setUid(m.getUid()).setAttempt(attempt))
        .setLogDirectory(podLogDir(pod).toString())
        .putAllLabels(m.getLabelsMap())
        .putLabels(RuntimeLabels.POD_NAME, m.getName())
        .putLabels(RuntimeLabels.POD_NAMESPACE, m.getNamespace())
        .putLabels(RuntimeLabels.POD_UID, m.getUid())
        .putLabels(RuntimeLabels.NODE, config.nodeName())
        .putAllAnnotations(m.getAnnotationsMap());
    if (!spec.getHostNetwork()) {
      b.setHostname(hostname(pod));
    }
    dns(pod).ifPresent(b::setDnsConfig);
    for (Container c : spec.getContainersList()) {
      for (ContainerPort p : c.getPortsList()) {
        if (p.getHostPort() > 0) {
          b.addPortMappings(PortMapping.newBuilder()
              .setContainerPort(p.getContainerPort()).setHostPort(p.getHostPort())
              .setHostIp(p.getHostIp()).setProtocol(protocol(p.getProtocol())));
        }
      }
    }
    b.setLinux(LinuxPodSandboxConfig.newBuilder()
        .setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
            .setNamespaceOptions(NamespaceOption.newBuilder()
                .setNetwork(spec.getHostNetwork() ? NamespaceMode.NODE : NamespaceMode.POD)
                .setPid(spec.getHostPid() ? NamespaceMode.NODE : NamespaceMode.CONTAINER)
                .setIpc(spec.getHostIpc() ? NamespaceMode.NODE : NamespaceMode.POD))
            .setSeccompProfilePath(SECCOMP_RUNTIME_DEFAULT)));
    return b.build();
  }

  private static String hostname(Pod pod) {
    String h = pod.getSpec().getHostname().isEmpty() ? pod.getMetadata().getName() : pod.getSpec().getHostname();
    h = h.length() > 63 ? h.substring(0, 63) : h;
    while (h.endsWith("-") || h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    return h;
  }

  private java.util.Optional<DNSConfig> dns(Pod pod) {
    var spec = pod.getSpec();
    DNSConfig.Builder b = DNSConfig.newBuilder();
    if ("None".equals(spec.getDnsPolicy())) {
      // Only the pod's own dnsConfig.
    } else if (!config.dnsServers().isEmpty() && !spec.getHostNetwork()) {
      b.addAllServers(config.dnsServers()).addAllSearches(config.dnsSearches());
    } else if (!spec.hasDnsConfig()) {
      return java.util.Optional.empty(); // the host's resolv.conf
    }
    if (spec.hasDnsConfig()) {
      b.addAllServers(spec.getDnsConfig().getNameserversList());
      b.addAllSearches(spec.getDnsConfig().getSearchesList());
      spec.getDnsConfig().getOptionsList().forEach(o ->
          b.addOptions(o.hasValue() ? o.getName() + ":" + o.getValue() : o.getName()));
    }
    return java.util.Optional.of(b.build());
  }

  private static Protocol protocol(String p) {
    return switch (p) {
      case "UDP" -> Protocol.UDP;
      case "SCTP" -> Protocol.SCTP;
      default -> Protocol.TCP;
    };
  }

  /**
   * A container's config.
   *
   * @param volumePaths host directory of each pod volume by name
   * @param env the resolved environment
   */
  public ContainerConfig container(Pod pod, Container c, boolean init, int attempt,
      Map<String, String> env, Map<String, Path> volumePaths) throws ContainerConfigException {
    var m = pod.getMetadata();
    ContainerConfig.Builder b = ContainerConfig.newBuilder()
        .setMetadata(ContainerMetadata.newBuilder().setName(c.getName()).setAttempt(attempt))
        .setImage(ImageSpec.newBuilder().setImage(c.getImage()))
        .addAllCommand(EnvResolver.expandAll(c.getCommandList(), env))
        .addAllArgs(EnvResolver.expandAll(c.getArgsList(), env))
        .setWorkingDir(c.getWorkingDir())
        .setLogPath(c.getName() + "/" + attempt + ".log")
        .setStdin(c.getStdin()).setStdinOnce(c.getStdinOnce()).setTty(c.getTty())
        .putLabels(RuntimeLabels.POD_NAME, m.getName())
        .putLabels(RuntimeLabels.POD_NAMESPACE, m.getNamespace())
        .putLabels(RuntimeLabels.POD_UID, m.getUid())
        .putLabels(RuntimeLabels.CONTAINER_NAME, c.getName())
        .putLabels(RuntimeLabels.NODE, config.nodeName())
        .putAnnotations(RuntimeLabels.RESTART_COUNT, Integer.toString(attempt))
        .putAnnotations(RuntimeLabels.GRACE_PERIOD, Long.toString(gracePeriodSeconds(pod)))
        .putAnnotations(RuntimeLabels.CONTAINER_HASH, Integer.toHexString(c.hashCode()));
    if (init) {
      b.putAnnotations(RuntimeLabels.INIT_CONTAINER, "true");
    }
    env.forEach((k, v) -> b.addEnvs(KeyValue.newBuilder().setKey(k).setValue(v)));
    for (VolumeMount vm : c.getVolumeMountsList()) {
      Path host = volumePaths.get(vm.getName());
      if (host == null) {
        throw new ContainerConfigException("volume \"" + vm.getName() + "\" of container "
            + c.getName() + " is not a volume of the pod (or not set up)");
      }
      if (!vm.getSubPath().isEmpty()) {
        host = host.resolve(vm.getSubPath());
      }
      b.addMounts(Mount.newBuilder().setContainerPath(vm.getMountPath())
          .setHostPath(host.toString()).setReadonly(vm.getReadOnly()));
    }
    var sc = c.getSecurityContext();
    LinuxContainerSecurityContext.Builder sec = LinuxContainerSecurityContext.newBuilder()
        .setNamespaceOptions(NamespaceOption.newBuilder()
            .setNetwork(pod.getSpec().getHostNetwork() ? NamespaceMode.NODE : NamespaceMode.POD)
            .setPid(pod.getSpec().getHostPid() ? NamespaceMode.NODE : NamespaceMode.CONTAINER)
            .setIpc(pod.getSpec().getHostIpc() ? NamespaceMode.NODE : NamespaceMode.POD))
        .setSeccompProfilePath(SECCOMP_RUNTIME_DEFAULT)
        .setPrivileged(sc.getPrivileged())
        .setReadonlyRootfs(sc.getReadOnlyRootFilesystem());
    if (sc.hasCapabilities()) {
      sec.setCapabilities(dev.skiff.cri.v1.Capability.newBuilder()
          .addAllAddCapabilities(sc.getCapabilities().getAddList())
          .addAllDropCapabilities(sc.getCapabilities().getDropList()));
    }
    if (sc.hasRunAsUser()) {
      sec.setRunAsUser(dev.skiff.cri.v1.Int64Value.newBuilder().setValue(sc.getRunAsUser()));
    } else if (pod.getSpec().getSecurityContext().hasRunAsUser()) {
      sec.setRunAsUser(dev.skiff.cri.v1.Int64Value.newBuilder()
          .setValue(pod.getSpec().getSecurityContext().getRunAsUser()));
    }
    b.setLinux(LinuxContainerConfig.newBuilder()
        .setResources(resources(c.getResources()))
        .setSecurityContext(sec));
    return b.build();
  }

  /** requests.cpu → shares, limits.cpu → CFS quota, limits.memory → memory limit. */
  public static LinuxContainerResources resources(ResourceRequirements r) {
    LinuxContainerResources.Builder b = LinuxContainerResources.newBuilder();
    String cpuRequest = r.getRequestsOrDefault("cpu", r.getLimitsOrDefault("cpu", ""));
    long shares = MIN_SHARES;
    if (!cpuRequest.isEmpty()) {
      shares = Math.max(MIN_SHARES, Quantity.parse(cpuRequest).milliValue() * 1024 / 1000);
    }
    b.setCpuShares(shares);
    String cpuLimit = r.getLimitsOrDefault("cpu", "");
    if (!cpuLimit.isEmpty()) {
      long quota = Quantity.parse(cpuLimit).milliValue() * CPU_PERIOD / 1000;
      b.setCpuPeriod(CPU_PERIOD).setCpuQuota(Math.max(1000, quota));
    }
    String memLimit = r.getLimitsOrDefault("memory", "");
    if (!memLimit.isEmpty()) {
      b.setMemoryLimitInBytes(Quantity.parse(memLimit).value());
    }
    return b.build();
  }

  /** Every container of the pod, init ones first. */
  public static List<Container> allContainers(Pod pod) {
    List<Container> all = new java.util.ArrayList<>(pod.getSpec().getInitContainersList());
    all.addAll(pod.getSpec().getContainersList());
    return all;
  }
}
