package dev.skiff.controllers.testing;

import com.google.protobuf.Timestamp;
import dev.skiff.api.v1.Binding;
import dev.skiff.api.v1.Container;
import dev.skiff.api.v1.ContainerPort;
import dev.skiff.api.v1.DeleteRequest;
import dev.skiff.api.v1.Deployment;
import dev.skiff.api.v1.DeploymentSpec;
import dev.skiff.api.v1.DeploymentStrategy;
import dev.skiff.api.v1.LabelSelector;
import dev.skiff.api.v1.Lease;
import dev.skiff.api.v1.LeaseSpec;
import dev.skiff.api.v1.Namespace;
import dev.skiff.api.v1.Node;
import dev.skiff.api.v1.NodeCondition;
import dev.skiff.api.v1.NodeStatus;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.ObjectReference;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodCondition;
import dev.skiff.api.v1.PodSpec;
import dev.skiff.api.v1.PodStatus;
import dev.skiff.api.v1.PodTemplateSpec;
import dev.skiff.api.v1.PodsGrpc;
import dev.skiff.api.v1.ReplicaSet;
import dev.skiff.api.v1.ReplicaSetSpec;
import dev.skiff.api.v1.RollingUpdateDeployment;
import dev.skiff.client.ApiException;
import dev.skiff.client.SkiffClient;
import dev.skiff.client.api.Kinds;
import dev.skiff.controllers.Timestamps;
import dev.skiff.controllers.pods.Pods;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builders and writes for test objects, and a tiny stand-in for the scheduler and the node agent
 * (bind pods, mark them Running and Ready, finish graceful deletions) so controllers can be
 * exercised without real nodes.
 */
public final class Fixtures {
  private final SkiffClient client;
  private final Clock clock;
  private final AtomicInteger ips = new AtomicInteger(1);
  private volatile boolean leaseNamespaceDone;

  public Fixtures(SkiffClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void namespace(String name) {
    if (name.equals("kube-node-lease") && leaseNamespaceDone) {
      return;
    }
    try {
      client.resource(Kinds.NAMESPACE).create(Namespace.newBuilder()
          .setMetadata(ObjectMeta.newBuilder().setName(name)).build());
    } catch (ApiException e) {
      if (!e.isAlreadyExists()) {
        throw e;
      }
    }
  }

  public static PodTemplateSpec template(Map<String, String> labels, String image) {
    return PodTemplateSpec.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().putAllLabels(labels))
        .setSpec(PodSpec.newBuilder().addContainers(Container.newBuilder().setName("app").setImage(image)
            .addPorts(ContainerPort.newBuilder().setName("http").setContainerPort(8080).setProtocol("TCP"))))
        .build();
  }

  public ReplicaSet replicaSet(String ns, String name, int replicas, Map<String, String> labels) {
    return client.resource(Kinds.REPLICA_SET).create(ReplicaSet.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace(ns).setName(name))
        .setSpec(ReplicaSetSpec.newBuilder().setReplicas(replicas)
            .setSelector(LabelSelector.newBuilder().putAllMatchLabels(labels))
            .setTemplate(template(labels, "busybox:1")))
        .build());
  }

  public Deployment deployment(String ns, String name, int replicas, Map<String, String> labels, String image,
      String strategy, String maxSurge, String maxUnavailable) {
    DeploymentStrategy.Builder s = DeploymentStrategy.newBuilder().setType(strategy);
    if (strategy.equals("RollingUpdate")) {
      s.setRollingUpdate(RollingUpdateDeployment.newBuilder().setMaxSurge(maxSurge).setMaxUnavailable(maxUnavailable));
    }
    return client.resource(Kinds.DEPLOYMENT).create(Deployment.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace(ns).setName(name))
        .setSpec(DeploymentSpec.newBuilder().setReplicas(replicas)
            .setSelector(LabelSelector.newBuilder().putAllMatchLabels(labels))
            .setTemplate(template(labels, image)).setStrategy(s))
        .build());
  }

  /** Applies {@code change} to the live Deployment's spec (retrying conflicts). */
  public Deployment updateDeployment(String ns, String name, java.util.function.UnaryOperator<DeploymentSpec> change) {
    for (int i = 0; ; i++) {
      Deployment d = client.resource(Kinds.DEPLOYMENT).get(ns, name);
      try {
        return client.resource(Kinds.DEPLOYMENT).update(d.toBuilder().setSpec(change.apply(d.getSpec())).build());
      } catch (ApiException e) {
        if (!e.isConflict() || i > 10) {
          throw e;
        }
      }
    }
  }

  public Pod pod(String ns, String name, Map<String, String> labels) {
    return client.resource(Kinds.POD).create(Pod.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace(ns).setName(name).putAllLabels(labels))
        .setSpec(template(labels, "busybox:1").getSpec())
        .build());
  }

  public Node node(String name, boolean ready) {
    Node n = client.resource(Kinds.NODE).create(Node.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setName(name)).build());
    return client.resource(Kinds.NODE).updateStatus(n.toBuilder().setStatus(NodeStatus.newBuilder()
        .addConditions(NodeCondition.newBuilder().setType("Ready").setStatus(ready ? "True" : "False")
            .setReason(ready ? "KubeletReady" : "KubeletNotReady")
            .setLastHeartbeatTime(now()).setLastTransitionTime(now()))).build());
  }

  /** Sets the node's Ready condition as its agent would. */
  public void nodeReady(String name, boolean ready) {
    Node n = client.resource(Kinds.NODE).get("", name);
    NodeStatus.Builder s = n.getStatus().toBuilder().clearConditions().addConditions(NodeCondition.newBuilder()
        .setType("Ready").setStatus(ready ? "True" : "False").setReason(ready ? "KubeletReady" : "KubeletNotReady")
        .setLastHeartbeatTime(now()).setLastTransitionTime(now()));
    client.resource(Kinds.NODE).updateStatus(n.toBuilder().setStatus(s).build());
  }

  /** Posts Ready=True for the node unless its Ready condition already is True. */
  public void ensureReady(String name) {
    Node n = client.resource(Kinds.NODE).get("", name);
    boolean ready = n.getStatus().getConditionsList().stream()
        .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    if (!ready) {
      nodeReady(name, true);
    }
  }

  /** Creates or renews the node's heartbeat lease in kube-node-lease. */
  public void renewLease(String node) {
    namespace("kube-node-lease");
    leaseNamespaceDone = true;
    var leases = client.resource(Kinds.LEASE);
    var existing = leases.find("kube-node-lease", node);
    LeaseSpec spec = LeaseSpec.newBuilder().setHolderIdentity(node).setLeaseDurationSeconds(40)
        .setRenewTime(Timestamps.of(clock.instant().plusNanos(ips.incrementAndGet()))).build();
    if (existing.isPresent()) {
      leases.update(existing.get().toBuilder().setSpec(spec).build());
    } else {
      leases.create(Lease.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace("kube-node-lease").setName(node))
          .setSpec(spec).build());
    }
  }

  public List<Pod> pods(String ns) {
    return client.resource(Kinds.POD).list(ns).getItemsList();
  }

  /** Pods not being deleted. */
  public List<Pod> activePods(String ns) {
    return pods(ns).stream().filter(Pods::isActive).toList();
  }

  public void bind(Pod pod, String node) {
    PodsGrpc.newBlockingStub(client.channel()).bind(Binding.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace(pod.getMetadata().getNamespace()).setName(pod.getMetadata().getName()))
        .setTarget(ObjectReference.newBuilder().setKind("Node").setName(node)).build());
  }

  /** Marks the pod Running and Ready with an IP, as its node agent would. */
  public Pod markReady(Pod pod) {
    Pod live = client.resource(Kinds.POD).get(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
    PodStatus status = live.getStatus().toBuilder().setPhase("Running")
        .setPodIp(live.getStatus().getPodIp().isEmpty() ? "10.0.0." + ips.incrementAndGet() : live.getStatus().getPodIp())
        .clearConditions()
        .addConditions(PodCondition.newBuilder().setType("Ready").setStatus("True").setLastTransitionTime(now()))
        .build();
    return client.resource(Kinds.POD).updateStatus(live.toBuilder().setStatus(status).build());
  }

  /**
   * One round of the stand-in scheduler and agents: binds unassigned pods round-robin to
   * {@code nodes}, marks bound pods on them ready, and completes graceful deletions there.
   */
  public void kubeletRound(String ns, List<String> nodes) {
    int i = 0;
    for (Pod p : pods(ns)) {
      try {
        String node = p.getSpec().getNodeName();
        if (Pods.isTerminating(p)) {
          if (node.isEmpty() || nodes.contains(node)) {
            client.resource(Kinds.POD).delete(DeleteRequest.newBuilder().setNamespace(ns)
                .setName(p.getMetadata().getName()).setGracePeriodSeconds(0).build());
          }
          continue;
        }
        if (node.isEmpty() && !nodes.isEmpty()) {
          bind(p, nodes.get(i++ % nodes.size()));
          markReady(p);
        } else if (nodes.contains(node) && !Pods.isReady(p)) {
          markReady(p);
        }
      } catch (ApiException | io.grpc.StatusRuntimeException e) {
        // raced with a controller: the next round sees the new state
      }
    }
  }

  public Set<String> names(List<Pod> pods) {
    return pods.stream().map(p -> p.getMetadata().getName()).collect(java.util.stream.Collectors.toSet());
  }

  private Timestamp now() {
    return Timestamps.of(clock.instant());
  }
}
