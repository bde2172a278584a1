package dev.skiff.client;

import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodSpec;

/** Pods for tests. */
public final class TestPods {
  private TestPods() {}

  public static Pod pod(String namespace, String name, String nodeName) {
    return Pod.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace(namespace).setName(name))
        .setSpec(PodSpec.newBuilder().setNodeName(nodeName))
        .build();
  }
}
