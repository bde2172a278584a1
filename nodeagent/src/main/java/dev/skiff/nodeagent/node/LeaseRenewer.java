package dev.skiff.nodeagent.node;

import com.google.protobuf.Timestamp;
import dev.skiff.api.v1.Lease;
import dev.skiff.api.v1.LeaseSpec;
import dev.skiff.api.v1.Namespace;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.OwnerReference;
import dev.skiff.client.ApiException;
import dev.skiff.client.SkiffClient;
import dev.skiff.client.api.Kinds;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The node heartbeat (kubelet's node lease controller): the Lease {@code kube-node-lease/<node>},
 * held by the node, renewed on each {@link #renew()} with renewTime = now. Creates the Lease (and
 * the kube-node-lease namespace if the API server lacks it). Not thread-safe: one loop calls it.
 */
public final class LeaseRenewer {
  public static final String NAMESPACE = "kube-node-lease";

  private final SkiffClient client;
  private final String nodeName;
  private final Duration leaseDuration;
  private final Clock clock;
  private Lease current;

  public LeaseRenewer(SkiffClient client, String nodeName, Duration leaseDuration, Clock clock) {
    this.client = client;
    this.nodeName = nodeName;
    this.leaseDuration = leaseDuration;
    this.clock = clock;
  }

  public void renew() {
    var leases = client.resource(Kinds.LEASE);
    Instant now = clock.instant();
    Timestamp ts = Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build();
    if (current == null) {
      Optional<Lease> found = leases.find(NAMESPACE, nodeName);
      if (found.isEmpty()) {
        current = create(ts);
        return;
      }
      current = found.get();
    }
    Lease next = current.toBuilder().setSpec(current.getSpec().toBuilder()
        .setHolderIdentity(nodeName).setLeaseDurationSeconds((int) leaseDuration.toSeconds())
        .setRenewTime(ts)).build();
    try {
      current = leases.update(next);
    } catch (ApiException e) {
      current = null; // stale or gone: read it again next time
      if (e.isNotFound()) {
        current = create(ts);
        return;
      }
      throw e;
    }
  }

  private Lease create(Timestamp now) {
    Lease lease = Lease.newBuilder().setApiVersion("coordination.k8s.io/v1").setKind("Lease")
        .setMetadata(withOwner(ObjectMeta.newBuilder().setName(nodeName).setNamespace(NAMESPACE)))
        .setSpec(LeaseSpec.newBuilder().setHolderIdentity(nodeName)
            .setLeaseDurationSeconds((int) leaseDuration.toSeconds()).setRenewTime(now))
        .build();
    try {
      return client.resource(Kinds.LEASE).create(lease);
    } catch (ApiException e) {
      if (e.code() == Status.Code.FAILED_PRECONDITION || (e.isNotFound())) {
        ensureNamespace();
        return client.resource(Kinds.LEASE).create(lease);
      }
      if (e.isAlreadyExists()) {
        return client.resource(Kinds.LEASE).get(NAMESPACE, nodeName);
      }
      throw e;
    }
  }

  /** The Node owns its Lease (deleting the Node collects it) once the Node exists. */
  private ObjectMeta.Builder withOwner(ObjectMeta.Builder meta) {
    client.resource(Kinds.NODE).find("", nodeName).ifPresent(n -> meta.addOwnerReferences(
        OwnerReference.newBuilder().setApiVersion("v1").setKind("Node").setName(nodeName)
            .setUid(n.getMetadata().getUid())));
    return meta;
  }

  private void ensureNamespace() {
    try {
      client.resource(Kinds.NAMESPACE).create(Namespace.newBuilder().setApiVersion("v1").setKind("Namespace")
          .setMetadata(ObjectMeta.newBuilder().setName(NAMESPACE)).build());
    } catch (ApiException e) {
      if (!e.isAlreadyExists()) {
        throw e;
      }
    }
  }

  /** The last Lease written or read. */
  public Optional<Lease> current() {
    return Optional.ofNullable(current);
  }
}
