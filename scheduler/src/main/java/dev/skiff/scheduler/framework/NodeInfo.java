package dev.skiff.scheduler.framework;

import dev.skiff.api.v1.ContainerImage;
import dev.skiff.api.v1.Node;
import dev.skiff.api.v1.Taint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A node and the pods on it (bound or assumed), with their requests summed. Immutable: every
 * change makes a new instance (pods per node are few, so copying is cheap), which lets a
 * snapshot hand the same instance to concurrent filter workers.
 */
public final class NodeInfo {
  private final String name;
  private final Node node;
  private final List<PodInfo> pods;
  private final Resources allocatable;
  private final long allocatablePods;
  private final Resources requested;
  private final long nonZeroMilliCpu;
  private final long nonZeroMemory;
  private final Map<String, Long> imageSizes;
  private final int podsWithAffinity;
  private final int podsWithRequiredAntiAffinity;
  // Hot fields read by every filter and score, copied out of the objects above so that one
  // NodeInfo (not the Node proto) is all a typical filter pass touches.
  private final long allocatableMilliCpu;
  private final long allocatableMemory;
  private final long requestedMilliCpu;
  private final long requestedMemory;
  private final boolean hasScalarRequests;
  private final boolean unschedulable;
  private final List<Taint> taints;
  private final Map<String, String> labels;

  private NodeInfo(String name, Node node, List<PodInfo> pods, Resources allocatable,
      Map<String, Long> imageSizes) {
    this.name = name;
    this.node = node;
    this.pods = pods;
    this.allocatable = allocatable;
    this.allocatablePods = allocatable.scalar(Resources.PODS);
    this.imageSizes = imageSizes;
    Resources sum = Resources.NONE;
    long cpu = 0;
    long mem = 0;
    int affinity = 0;
    int anti = 0;
    for (PodInfo p : pods) {
      sum = sum.plus(p.requests());
      cpu += p.nonZeroRequests().milliCpu();
      mem += p.nonZeroRequests().memory();
      affinity += p.hasAffinity() ? 1 : 0;
      anti += p.requiredAntiAffinity().isEmpty() ? 0 : 1;
    }
    this.requested = sum;
    this.nonZeroMilliCpu = cpu;
    this.nonZeroMemory = mem;
    this.podsWithAffinity = affinity;
    this.podsWithRequiredAntiAffinity = anti;
    this.allocatableMilliCpu = allocatable.milliCpu();
    this.allocatableMemory = allocatable.memory();
    this.requestedMilliCpu = sum.milliCpu();
    this.requestedMemory = sum.memory();
    this.hasScalarRequests = !sum.scalars().isEmpty();
    this.unschedulable = node != null && node.getSpec().getUnschedulable();
    this.taints = node == null ? List.of() : node.getSpec().getTaintsList();
    this.labels = node == null ? Map.of() : node.getMetadata().getLabelsMap();
  }

  /** A node with no pods yet. */
  public static NodeInfo of(Node node) {
    return new NodeInfo(node.getMetadata().getName(), node, List.of(),
        Resources.parse(node.getStatus().getAllocatableMap()), images(node));
  }

  /** Pods seen on a node the cache has no Node object for yet. */
  public static NodeInfo placeholder(String name) {
    return new NodeInfo(name, null, List.of(), Resources.NONE, Map.of());
  }

  public NodeInfo withNode(Node newNode) {
    return new NodeInfo(name, newNode, pods,
        Resources.parse(newNode.getStatus().getAllocatableMap()), images(newNode));
  }

  public NodeInfo withPod(PodInfo pod) {
    List<PodInfo> next = new ArrayList<>(pods.size() + 1);
    for (PodInfo p : pods) {
      if (!p.key().equals(pod.key())) {
        next.add(p);
      }
    }
    next.add(pod);
    return new NodeInfo(name, node, List.copyOf(next), allocatable, imageSizes);
  }

  public NodeInfo withoutPod(String podKey) {
    List<PodInfo> next = new ArrayList<>(pods.size());
    for (PodInfo p : pods) {
      if (!p.key().equals(podKey)) {
        next.add(p);
      }
    }
    return next.size() == pods.size() ? this
        : new NodeInfo(name, node, List.copyOf(next), allocatable, imageSizes);
  }

  public String name() {
    return name;
  }

  /** The Node object, or null for a placeholder. */
  public Node node() {
    return node;
  }

  public Map<String, String> labels() {
    return labels;
  }

  public List<Taint> taints() {
    return taints;
  }

  public boolean unschedulable() {
    return unschedulable;
  }

  public int podCount() {
    return pods.size();
  }

  public long allocatableMilliCpu() {
    return allocatableMilliCpu;
  }

  public long allocatableMemory() {
    return allocatableMemory;
  }

  public long requestedMilliCpu() {
    return requestedMilliCpu;
  }

  public long requestedMemory() {
    return requestedMemory;
  }

  /** Whether pods here request extended resources (then {@link #requested()} has scalars). */
  public boolean hasScalarRequests() {
    return hasScalarRequests;
  }

  public List<PodInfo> pods() {
    return pods;
  }

  public Resources allocatable() {
    return allocatable;
  }

  public long allocatablePods() {
    return allocatablePods;
  }

  public Resources requested() {
    return requested;
  }

  public long nonZeroRequestedMilliCpu() {
    return nonZeroMilliCpu;
  }

  public long nonZeroRequestedMemory() {
    return nonZeroMemory;
  }

  /** Image size in bytes by normalized name ("nginx" → "nginx:latest"). */
  public Map<String, Long> imageSizes() {
    return imageSizes;
  }

  public boolean hasPodsWithAffinity() {
    return podsWithAffinity > 0;
  }

  public boolean hasPodsWithRequiredAntiAffinity() {
    return podsWithRequiredAntiAffinity > 0;
  }

  /** Whether a host port of a pod on this node conflicts with {@code port}. */
  public boolean hostPortInUse(HostPort port) {
    for (PodInfo p : pods) {
      for (HostPort used : p.hostPorts()) {
        if (used.conflictsWith(port)) {
          return true;
        }
      }
    }
    return false;
  }

  /** An image reference with the ":latest" tag Kubernetes implies when none is given. */
  public static String normalizeImage(String image) {
    int slash = image.lastIndexOf('/');
    if (image.contains("@") || image.indexOf(':', slash + 1) >= 0) {
      return image;
    }
    return image + ":latest";
  }

  private static Map<String, Long> images(Node node) {
    if (node.getStatus().getImagesCount() == 0) {
      return Map.of();
    }
    Map<String, Long> sizes = new HashMap<>();
    for (ContainerImage image : node.getStatus().getImagesList()) {
      for (String n : image.getNamesList()) {
        sizes.put(normalizeImage(n), image.getSizeBytes());
      }
    }
    return Map.copyOf(sizes);
  }

  @Override
  public String toString() {
    return name + "(" + pods.size() + " pods)";
  }
}
