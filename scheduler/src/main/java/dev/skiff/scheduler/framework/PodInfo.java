package dev.skiff.scheduler.framework;

import dev.skiff.api.v1.Affinity;
import dev.skiff.api.v1.Container;
import dev.skiff.api.v1.ContainerPort;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodAffinityTerm;
import dev.skiff.api.v1.WeightedPodAffinityTerm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A pod with what scheduling needs precomputed once: its effective requests, host ports,
 * resolved priority and compiled pod (anti-)affinity terms. Immutable; shared between the queue,
 * the cache and the plugins.
 */
public final class PodInfo {
  private final Pod pod;
  private final String key;
  private final int priority;
  private final Resources requests;
  private final Resources nonZeroRequests;
  private final List<HostPort> hostPorts;
  private final List<AffinityTerm> requiredAffinity;
  private final List<AffinityTerm> requiredAntiAffinity;
  private final List<AffinityTerm> preferredAffinity;
  private final List<AffinityTerm> preferredAntiAffinity;

  private PodInfo(Pod pod, int priority) {
    this.pod = pod;
    this.key = keyOf(pod);
    this.priority = priority;
    this.requests = Resources.podRequests(pod.getSpec());
    this.nonZeroRequests = Resources.nonZeroPodRequests(pod.getSpec());
    this.hostPorts = hostPorts(pod);
    Affinity a = pod.getSpec().getAffinity();
    String ns = pod.getMetadata().getNamespace();
    Map<String, String> labels = pod.getMetadata().getLabelsMap();
    this.requiredAffinity = required(
        a.getPodAffinity().getRequiredDuringSchedulingIgnoredDuringExecutionList(), ns, labels);
    this.requiredAntiAffinity = required(
        a.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecutionList(), ns, labels);
    this.preferredAffinity = preferred(
        a.getPodAffinity().getPreferredDuringSchedulingIgnoredDuringExecutionList(), ns, labels);
    this.preferredAntiAffinity = preferred(
        a.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecutionList(), ns, labels);
  }

  /**
   * @param priority the pod's priority: {@code spec.priority}, or resolved from its PriorityClass
   * @throws IllegalArgumentException when a quantity or selector in the pod is malformed
   */
  public static PodInfo of(Pod pod, int priority) {
    return new PodInfo(pod, priority);
  }

  /** For pods whose {@code spec.priority} is authoritative (set, or 0 when unset). */
  public static PodInfo of(Pod pod) {
    return new PodInfo(pod, pod.getSpec().getPriority());
  }

  public static String keyOf(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  private PodInfo(PodInfo base, Pod pod) {
    this.pod = pod;
    this.key = base.key;
    this.priority = base.priority;
    this.requests = base.requests;
    this.nonZeroRequests = base.nonZeroRequests;
    this.hostPorts = base.hostPorts;
    this.requiredAffinity = base.requiredAffinity;
    this.requiredAntiAffinity = base.requiredAntiAffinity;
    this.preferredAffinity = base.preferredAffinity;
    this.preferredAntiAffinity = base.preferredAntiAffinity;
  }

  /** This pod assigned to {@code nodeName} (what the cache assumes), without recomputing. */
  public PodInfo withNodeName(String nodeName) {
    Pod assigned = pod.toBuilder().setSpec(pod.getSpec().toBuilder().setNodeName(nodeName)).build();
    return new PodInfo(this, assigned);
  }

  /** The information of an updated object of the same pod, keeping the resolved priority. */
  public PodInfo withPod(Pod updated) {
    return new PodInfo(updated, priority);
  }

  public Pod pod() {
    return pod;
  }

  public String key() {
    return key;
  }

  public String name() {
    return pod.getMetadata().getName();
  }

  public String namespace() {
    return pod.getMetadata().getNamespace();
  }

  public String uid() {
    return pod.getMetadata().getUid();
  }

  public Map<String, String> labels() {
    return pod.getMetadata().getLabelsMap();
  }

  public String nodeName() {
    return pod.getSpec().getNodeName();
  }

  public int priority() {
    return priority;
  }

  public Resources requests() {
    return requests;
  }

  public Resources nonZeroRequests() {
    return nonZeroRequests;
  }

  public List<HostPort> hostPorts() {
    return hostPorts;
  }

  public List<AffinityTerm> requiredAffinity() {
    return requiredAffinity;
  }

  public List<AffinityTerm> requiredAntiAffinity() {
    return requiredAntiAffinity;
  }

  public List<AffinityTerm> preferredAffinity() {
    return preferredAffinity;
  }

  public List<AffinityTerm> preferredAntiAffinity() {
    return preferredAntiAffinity;
  }

  /** Whether any (anti-)affinity term exists, required or preferred. */
  public boolean hasAffinity() {
    return !requiredAffinity.isEmpty() || !requiredAntiAffinity.isEmpty()
        || !preferredAffinity.isEmpty() || !preferredAntiAffinity.isEmpty();
  }

  @Override
  public String toString() {
    return key;
  }

  private static List<HostPort> hostPorts(Pod pod) {
    List<HostPort> ports = new ArrayList<>();
    for (Container c : pod.getSpec().getContainersList()) {
      for (ContainerPort p : c.getPortsList()) {
        if (p.getHostPort() > 0) {
          ports.add(HostPort.of(p.getHostIp(), p.getProtocol(), p.getHostPort()));
        }
      }
    }
    return List.copyOf(ports);
  }

  private static List<AffinityTerm> required(List<PodAffinityTerm> terms, String ns,
      Map<String, String> labels) {
    if (terms.isEmpty()) {
      return List.of();
    }
    List<AffinityTerm> out = new ArrayList<>(terms.size());
    for (PodAffinityTerm t : terms) {
      out.add(AffinityTerm.compile(t, ns, labels, 0));
    }
    return List.copyOf(out);
  }

  private static List<AffinityTerm> preferred(List<WeightedPodAffinityTerm> terms, String ns,
      Map<String, String> labels) {
    if (terms.isEmpty()) {
      return List.of();
    }
    List<AffinityTerm> out = new ArrayList<>(terms.size());
    for (WeightedPodAffinityTerm t : terms) {
      out.add(AffinityTerm.compile(t.getPodAffinityTerm(), ns, labels, t.getWeight()));
    }
    return List.copyOf(out);
  }
}
