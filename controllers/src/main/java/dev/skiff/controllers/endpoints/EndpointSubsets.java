package dev.skiff.controllers.endpoints;

import dev.skiff.api.v1.Container;
import dev.skiff.api.v1.ContainerPort;
import dev.skiff.api.v1.EndpointAddress;
import dev.skiff.api.v1.EndpointPort;
import dev.skiff.api.v1.EndpointSubset;
import dev.skiff.api.v1.ObjectReference;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.Service;
import dev.skiff.api.v1.ServicePort;
import dev.skiff.controllers.pods.Pods;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The subsets of a Service's Endpoints from its selected pods (pure): each pod with an IP goes to
 * {@code addresses} when ready (or when the Service publishes not-ready addresses) and to
 * {@code notReadyAddresses} otherwise; each Service port's targetPort is resolved per pod (a
 * number, or a container port by name); pods with the same resolved ports share a subset.
 */
public final class EndpointSubsets {
  private static final Comparator<EndpointAddress> BY_IP =
      Comparator.comparing(EndpointAddress::getIp).thenComparing(a -> a.getTargetRef().getName());

  private EndpointSubsets() {}

  /** Addresses of pods that resolved to the same ports. */
  private record Group(List<EndpointAddress> ready, List<EndpointAddress> notReady) {}

  public static List<EndpointSubset> compute(Service svc, List<Pod> selected) {
    Map<List<EndpointPort>, Group> groups = new LinkedHashMap<>();
    boolean publishNotReady = svc.getSpec().getPublishNotReadyAddresses();
    for (Pod pod : selected) {
      if (pod.getStatus().getPodIp().isEmpty() || !isServing(pod, publishNotReady)) {
        continue;
      }
      List<EndpointPort> ports = new ArrayList<>();
      for (ServicePort sp : svc.getSpec().getPortsList()) {
        resolve(sp, pod).ifPresent(port -> ports.add(EndpointPort.newBuilder()
            .setName(sp.getName())
            .setPort(port)
            .setProtocol(protocol(sp.getProtocol()))
            .build()));
      }
      if (ports.isEmpty() && svc.getSpec().getPortsCount() > 0) {
        continue;
      }
      ports.sort(Comparator.comparing(EndpointPort::getName).thenComparingInt(EndpointPort::getPort));
      Group group = groups.computeIfAbsent(List.copyOf(ports), k -> new Group(new ArrayList<>(), new ArrayList<>()));
      boolean ready = publishNotReady || Pods.isReady(pod);
      (ready ? group.ready() : group.notReady()).add(address(svc, pod));
    }
    List<EndpointSubset> out = new ArrayList<>();
    for (var e : groups.entrySet()) {
      out.add(EndpointSubset.newBuilder()
          .addAllAddresses(e.getValue().ready().stream().sorted(BY_IP).toList())
          .addAllNotReadyAddresses(e.getValue().notReady().stream().sorted(BY_IP).toList())
          .addAllPorts(e.getKey())
          .build());
    }
    out.sort(Comparator.comparing(s -> s.getPortsList().toString()));
    return out;
  }

  /** The pod's port for {@code sp}: the target port number, or the container port named by it. */
  static OptionalInt resolve(ServicePort sp, Pod pod) {
    String target = sp.getTargetPort().trim();
    if (target.isEmpty()) {
      return OptionalInt.of(sp.getPort());
    }
    if (target.chars().allMatch(Character::isDigit)) {
      return OptionalInt.of(Integer.parseInt(target));
    }
    for (Container c : pod.getSpec().getContainersList()) {
      for (ContainerPort cp : c.getPortsList()) {
        if (target.equals(cp.getName()) && protocol(cp.getProtocol()).equals(protocol(sp.getProtocol()))) {
          return OptionalInt.of(cp.getContainerPort());
        }
      }
    }
    return OptionalInt.empty();
  }

  private static boolean isServing(Pod pod, boolean publishNotReady) {
    String phase = pod.getStatus().getPhase();
    if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      return false;
    }
    return publishNotReady || !Pods.isTerminating(pod);
  }

  private static EndpointAddress address(Service svc, Pod pod) {
    EndpointAddress.Builder a = EndpointAddress.newBuilder()
        .setIp(pod.getStatus().getPodIp())
        .setTargetRef(ObjectReference.newBuilder().setKind("Pod")
            .setNamespace(pod.getMetadata().getNamespace())
            .setName(pod.getMetadata().getName())
            .setUid(pod.getMetadata().getUid()));
    Optional.of(pod.getSpec().getNodeName()).filter(n -> !n.isEmpty()).ifPresent(a::setNodeName);
    if (!pod.getSpec().getHostname().isEmpty() && svc.getMetadata().getName().equals(pod.getSpec().getSubdomain())) {
      a.setHostname(pod.getSpec().getHostname());
    }
    return a.build();
  }

  private static String protocol(String p) {
    return p.isEmpty() ? "TCP" : p;
  }
}
