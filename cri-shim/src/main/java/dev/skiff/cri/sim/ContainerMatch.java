package dev.skiff.cri.sim;

import dev.skiff.cri.v1.ContainerConfig;
import dev.skiff.cri.v1.PodSandboxMetadata;

/** Selects the containers a {@link ContainerBehavior} rule applies to. */
@FunctionalInterface
public interface ContainerMatch {
  boolean matches(PodSandboxMetadata pod, ContainerConfig container);

  static ContainerMatch any() {
    return (pod, container) -> true;
  }

  /** Containers with this name (the name in the pod spec), in any pod. */
  static ContainerMatch containerName(String name) {
    return (pod, container) -> container.getMetadata().getName().equals(name);
  }

  /** Every container of the pod {@code namespace/name}. */
  static ContainerMatch pod(String namespace, String name) {
    return (pod, container) -> pod.getNamespace().equals(namespace) && pod.getName().equals(name);
  }

  /** Containers whose image reference is exactly {@code image}. */
  static ContainerMatch image(String image) {
    return (pod, container) -> container.getImage().getImage().equals(image);
  }

  default ContainerMatch and(ContainerMatch other) {
    return (pod, container) -> matches(pod, container) && other.matches(pod, container);
  }
}
