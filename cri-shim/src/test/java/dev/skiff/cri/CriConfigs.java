package dev.skiff.cri;

import dev.skiff.cri.v1.ContainerConfig;
import dev.skiff.cri.v1.ContainerMetadata;
import dev.skiff.cri.v1.ImageSpec;
import dev.skiff.cri.v1.KeyValue;
import dev.skiff.cri.v1.LinuxContainerConfig;
import dev.skiff.cri.v1.LinuxContainerResources;
import dev.skiff.cri.v1.LinuxContainerSecurityContext;
import dev.skiff.cri.v1.LinuxPodSandboxConfig;
import dev.skiff.cri.v1.LinuxSandboxSecurityContext;
import dev.skiff.cri.v1.NamespaceMode;
import dev.skiff.cri.v1.NamespaceOption;
import dev.skiff.cri.v1.PodSandboxConfig;
import dev.skiff.cri.v1.PodSandboxMetadata;
import java.util.List;
import java.util.UUID;

/** Sandbox and container configs shaped as the node agent builds them (kubelet-like). */
public final class CriConfigs {
  private CriConfigs() {}

  public static PodSandboxConfig sandbox(String namespace, String name, String logDirectory) {
    String uid = UUID.randomUUID().toString();
    return PodSandboxConfig.newBuilder()
        .setMetadata(PodSandboxMetadata.newBuilder().setName(name).setNamespace(namespace).setUid(uid).setAttempt(0))
        .setHostname(name)
        .setLogDirectory(logDirectory)
        .putLabels("io.kubernetes.pod.name", name)
        .putLabels("io.kubernetes.pod.namespace", namespace)
        .putLabels("io.kubernetes.pod.uid", uid)
        .putAnnotations("skiff.dev/test", "true")
        .setLinux(LinuxPodSandboxConfig.newBuilder()
            .setCgroupParent("")
            .setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
                .setNamespaceOptions(NamespaceOption.newBuilder()
                    .setNetwork(NamespaceMode.POD).setPid(NamespaceMode.CONTAINER).setIpc(NamespaceMode.POD))
                .setSeccompProfilePath("runtime/default")))
        .build();
  }

  public static ContainerConfig container(String name, String image, List<String> command, List<String> args) {
    return ContainerConfig.newBuilder()
        .setMetadata(ContainerMetadata.newBuilder().setName(name).setAttempt(0))
        .setImage(ImageSpec.newBuilder().setImage(image))
        .addAllCommand(command)
        .addAllArgs(args)
        .addEnvs(KeyValue.newBuilder().setKey("GREETING").setValue("hello"))
        .putLabels("io.kubernetes.container.name", name)
        .setLogPath(name + "/0.log")
        .setLinux(LinuxContainerConfig.newBuilder()
            .setResources(LinuxContainerResources.newBuilder()
                .setCpuShares(102).setCpuPeriod(100_000).setCpuQuota(50_000)
                .setMemoryLimitInBytes(64L << 20))
            .setSecurityContext(LinuxContainerSecurityContext.newBuilder()
                .setNamespaceOptions(NamespaceOption.newBuilder()
                    .setNetwork(NamespaceMode.POD).setPid(NamespaceMode.CONTAINER).setIpc(NamespaceMode.POD))
                .setSeccompProfilePath("runtime/default")))
        .build();
  }
}
