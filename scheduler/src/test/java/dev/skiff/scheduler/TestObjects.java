package dev.skiff.scheduler;

import dev.skiff.api.v1.Affinity;
import dev.skiff.api.v1.Container;
import dev.skiff.api.v1.ContainerPort;
import dev.skiff.api.v1.LabelSelector;
import dev.skiff.api.v1.Node;
import dev.skiff.api.v1.NodeSelector;
import dev.skiff.api.v1.NodeSelectorRequirement;
import dev.skiff.api.v1.NodeSelectorTerm;
import dev.skiff.api.v1.NodeSpec;
import dev.skiff.api.v1.NodeStatus;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodAffinityTerm;
import dev.skiff.api.v1.PodSpec;
import dev.skiff.api.v1.ResourceRequirements;
import dev.skiff.api.v1.Taint;
import dev.skiff.api.v1.Toleration;
import dev.skiff.api.v1.TopologySpreadConstraint;
import java.util.List;
import java.util.Map;

/** Builders of nodes and pods for tests. */
public final class TestObjects {
  private TestObjects() {}

  public static Node.Builder node(String name, String cpu, String memory) {
    return Node.newBuilder()
        .setApiVersion("v1").setKind("Node")
        .setMetadata(ObjectMeta.newBuilder().setName(name))
        .setSpec(NodeSpec.getDefaultInstance())
        .setStatus(NodeStatus.newBuilder()
            .putAllocatable("cpu", cpu).putAllocatable("memory", memory)
            .putAllocatable("pods", "110")
            .putCapacity("cpu", cpu).putCapacity("memory", memory).putCapacity("pods", "110"));
  }

  public static Node.Builder labels(Node.Builder node, String... kv) {
    for (int i = 0; i < kv.length; i += 2) {
      node.getMetadataBuilder().putLabels(kv[i], kv[i + 1]);
    }
    return node;
  }

  public static Node.Builder taint(Node.Builder node, String key, String value, String effect) {
    node.getSpecBuilder().addTaints(Taint.newBuilder().setKey(key).setValue(value).setEffect(effect));
    return node;
  }

  public static Pod.Builder pod(String name, String cpu, String memory) {
    ResourceRequirements.Builder res = ResourceRequirements.newBuilder();
    if (cpu != null) {
      res.putRequests("cpu", cpu);
    }
    if (memory != null) {
      res.putRequests("memory", memory);
    }
    return Pod.newBuilder()
        .setApiVersion("v1").setKind("Pod")
        .setMetadata(ObjectMeta.newBuilder().setName(name).setNamespace("default")
            .setUid("uid-" + name))
        .setSpec(PodSpec.newBuilder()
            .setSchedulerName("default-scheduler")
            .addContainers(Container.newBuilder().setName("c").setImage("busybox").setResources(res)));
  }

  public static Pod.Builder podLabels(Pod.Builder pod, String... kv) {
    for (int i = 0; i < kv.length; i += 2) {
      pod.getMetadataBuilder().putLabels(kv[i], kv[i + 1]);
    }
    return pod;
  }

  public static Pod.Builder onNode(Pod.Builder pod, String node) {
    pod.getSpecBuilder().setNodeName(node);
    return pod;
  }

  public static Pod.Builder hostPort(Pod.Builder pod, int port) {
    pod.getSpecBuilder().getContainersBuilder(0)
        .addPorts(ContainerPort.newBuilder().setContainerPort(port).setHostPort(port));
    return pod;
  }

  public static Pod.Builder tolerate(Pod.Builder pod, String key, String op, String value,
      String effect) {
    pod.getSpecBuilder().addTolerations(
        Toleration.newBuilder().setKey(key).setOperator(op).setValue(value).setEffect(effect));
    return pod;
  }

  public static NodeSelectorRequirement req(String key, String op, String... values) {
    return NodeSelectorRequirement.newBuilder().setKey(key).setOperator(op)
        .addAllValues(List.of(values)).build();
  }

  public static Pod.Builder requireNodes(Pod.Builder pod, NodeSelectorTerm... terms) {
    pod.getSpecBuilder().getAffinityBuilder().getNodeAffinityBuilder()
        .setRequiredDuringSchedulingIgnoredDuringExecution(
            NodeSelector.newBuilder().addAllNodeSelectorTerms(List.of(terms)));
    return pod;
  }

  public static PodAffinityTerm affinityTerm(String topologyKey, Map<String, String> matchLabels) {
    return PodAffinityTerm.newBuilder().setTopologyKey(topologyKey)
        .setLabelSelector(LabelSelector.newBuilder().putAllMatchLabels(matchLabels)).build();
  }

  public static Pod.Builder podAffinity(Pod.Builder pod, PodAffinityTerm term) {
    Affinity.Builder a = pod.getSpecBuilder().getAffinityBuilder();
    a.getPodAffinityBuilder().addRequiredDuringSchedulingIgnoredDuringExecution(term);
    return pod;
  }

  public static Pod.Builder podAntiAffinity(Pod.Builder pod, PodAffinityTerm term) {
    Affinity.Builder a = pod.getSpecBuilder().getAffinityBuilder();
    a.getPodAntiAffinityBuilder().addRequiredDuringSchedulingIgnoredDuringExecution(term);
    return pod;
  }

  public static Pod.Builder spread(Pod.Builder pod, String key, int maxSkew, String when,
      Map<String, String> matchLabels) {
    pod.getSpecBuilder().addTopologySpreadConstraints(TopologySpreadConstraint.newBuilder()
        .setTopologyKey(key).setMaxSkew(maxSkew).setWhenUnsatisfiable(when)
        .setLabelSelector(LabelSelector.newBuilder().putAllMatchLabels(matchLabels)));
    return pod;
  }
}
