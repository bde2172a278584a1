package dev.skiff.controllers.deployment;

import dev.skiff.api.v1.Deployment;
import dev.skiff.api.v1.LabelSelector;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.PodTemplateSpec;
import dev.skiff.api.v1.Preconditions;
import dev.skiff.api.v1.ReplicaSet;
import dev.skiff.api.v1.ReplicaSetList;
import dev.skiff.api.v1.ReplicaSetSpec;
import dev.skiff.api.v1.DeleteRequest;
import dev.skiff.client.ApiException;
import dev.skiff.client.ResourceClient;
import dev.skiff.client.api.Kinds;
import dev.skiff.client.events.EventRecorder;
import dev.skiff.controllers.ownership.OwnerRefs;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writes a Deployment makes to its ReplicaSets: create the new one, scale one (with the
 * replica annotations), delete old ones beyond the revision history limit. Each write is
 * recorded as an event on the Deployment. Stateless: safe from any worker.
 */
final class ReplicaSetWriter {
  private static final Logger log = LoggerFactory.getLogger(ReplicaSetWriter.class);

  private final ResourceClient<ReplicaSet, ReplicaSetList> client;
  private final EventRecorder recorder;

  ReplicaSetWriter(ResourceClient<ReplicaSet, ReplicaSetList> client, EventRecorder recorder) {
    this.client = client;
    this.recorder = recorder;
  }

  /** The ReplicaSet a Deployment would create for its current template at {@code revision}. */
  static ReplicaSet newReplicaSet(Deployment d, long revision, int replicas) {
    int collisions = d.getStatus().hasCollisionCount() ? d.getStatus().getCollisionCount() : 0;
    String hash = PodTemplateHash.compute(d.getSpec().getTemplate(), collisions);
    PodTemplateSpec.Builder template = d.getSpec().getTemplate().toBuilder();
    template.getMetadataBuilder().putLabels(PodTemplateHash.LABEL, hash);
    LabelSelector selector = d.getSpec().getSelector().toBuilder().putMatchLabels(PodTemplateHash.LABEL, hash).build();
    ObjectMeta meta = ObjectMeta.newBuilder()
        .setName(d.getMetadata().getName() + "-" + hash)
        .setNamespace(d.getMetadata().getNamespace())
        .putAllLabels(template.getMetadata().getLabelsMap())
        .addOwnerReferences(OwnerRefs.controllerRef(Kinds.DEPLOYMENT, d.getMetadata()))
        .build();
    meta = Revisions.forNewReplicaSet(d, meta, revision);
    meta = Revisions.withReplicaAnnotations(meta, Deployments.replicas(d), Deployments.replicas(d) + Deployments.maxSurge(d));
    return ReplicaSet.newBuilder()
        .setApiVersion("apps/v1")
        .setKind("ReplicaSet")
        .setMetadata(meta)
        .setSpec(ReplicaSetSpec.newBuilder()
            .setReplicas(replicas)
            .setMinReadySeconds(d.getSpec().getMinReadySeconds())
            .setSelector(selector)
            .setTemplate(template))
        .build();
  }

  ReplicaSet create(Deployment d, ReplicaSet rs) {
    ReplicaSet created = client.create(rs);
    int n = Deployments.replicas(created);
    if (n > 0) {
      recorder.event(d, "Normal", "ScalingReplicaSet",
          "Scaled up replica set " + created.getMetadata().getName() + " from 0 to " + n);
    }
    return created;
  }

  /** Writes {@code rs} unchanged apart from its metadata (annotations) and minReadySeconds. */
  ReplicaSet update(ReplicaSet rs) {
    return client.update(rs);
  }

  /**
   * Scales {@code rs} to {@code replicas}, refreshing the replica annotations; no write if both
   * already match. Returns the ReplicaSet as stored.
   */
  ReplicaSet scale(Deployment d, ReplicaSet rs, int replicas) {
    int desired = Deployments.replicas(d);
    int max = desired + Deployments.maxSurge(d);
    int current = Deployments.replicas(rs);
    boolean sizeChanges = current != replicas;
    if (!sizeChanges && !Revisions.replicaAnnotationsDiffer(rs.getMetadata(), desired, max)) {
      return rs;
    }
    ReplicaSet.Builder b = rs.toBuilder();
    b.getSpecBuilder().setReplicas(replicas);
    b.setMetadata(Revisions.withReplicaAnnotations(rs.getMetadata(), desired, max));
    ReplicaSet updated = client.update(b.build());
    if (sizeChanges) {
      String direction = replicas > current ? "up" : "down";
      log.info("deployment {}/{}: scaled {} replica set {} from {} to {}", d.getMetadata().getNamespace(),
          d.getMetadata().getName(), direction, rs.getMetadata().getName(), current, replicas);
      recorder.event(d, "Normal", "ScalingReplicaSet", "Scaled " + direction + " replica set "
          + rs.getMetadata().getName() + " from " + current + " to " + replicas);
    }
    return updated;
  }

  /**
   * Deletes the oldest-revision old ReplicaSets beyond the history limit that are scaled to zero
   * and settled (Kubernetes' cleanupDeployment).
   */
  void cleanup(Deployment d, List<ReplicaSet> old) {
    List<ReplicaSet> cleanable = old.stream().filter(rs -> !rs.getMetadata().hasDeletionTimestamp())
        .sorted(Comparator.comparingLong((ReplicaSet rs) -> Revisions.of(rs.getMetadata()))
            .thenComparing(Deployments.OLDEST_FIRST))
        .toList();
    int surplus = cleanable.size() - Deployments.historyLimit(d);
    for (int i = 0; i < surplus; i++) {
      ReplicaSet rs = cleanable.get(i);
      if (rs.getStatus().getReplicas() != 0 || Deployments.replicas(rs) != 0
          || rs.getMetadata().getGeneration() > rs.getStatus().getObservedGeneration()) {
        continue;
      }
      ObjectMeta m = rs.getMetadata();
      try {
        client.delete(DeleteRequest.newBuilder().setNamespace(m.getNamespace()).setName(m.getName())
            .setPreconditions(Preconditions.newBuilder().setUid(m.getUid())).build());
        log.info("deployment {}/{}: deleted old replica set {} (revision history limit {})",
            d.getMetadata().getNamespace(), d.getMetadata().getName(), m.getName(), Deployments.historyLimit(d));
      } catch (ApiException e) {
        if (!e.isNotFound()) {
          throw e;
        }
      }
    }
  }
}
