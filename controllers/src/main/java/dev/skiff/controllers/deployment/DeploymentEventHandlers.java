package dev.skiff.controllers.deployment;

import dev.skiff.api.v1.Deployment;
import dev.skiff.api.v1.OwnerReference;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.ReplicaSet;
import dev.skiff.client.api.Kinds;
import dev.skiff.client.informer.Lister;
import dev.skiff.client.informer.ResourceEventHandler;
import dev.skiff.controllers.WorkLoop;
import dev.skiff.controllers.ownership.OwnerRefs;
import dev.skiff.controllers.ownership.Selectors;
import java.util.Objects;
import java.util.Optional;

/**
 * Maps ReplicaSet and pod events to Deployment keys (Kubernetes' addReplicaSet, updateReplicaSet,
 * deleteReplicaSet, deletePod). Runs on informer threads: lookups in caches only.
 */
final class DeploymentEventHandlers {
  private final Lister<Deployment> deployments;
  private final Lister<ReplicaSet> replicaSets;
  private final WorkLoop loop;

  DeploymentEventHandlers(Lister<Deployment> deployments, Lister<ReplicaSet> replicaSets, WorkLoop loop) {
    this.deployments = deployments;
    this.replicaSets = replicaSets;
    this.loop = loop;
  }

  ResourceEventHandler<ReplicaSet> replicaSets() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(ReplicaSet rs) {
        Optional<Deployment> owner = owner(rs.getMetadata().getNamespace(), OwnerRefs.controllerOf(rs.getMetadata()));
        if (owner.isPresent()) {
          enqueue(owner.get());
        } else if (OwnerRefs.controllerOf(rs.getMetadata()).isEmpty()) {
          enqueueMatching(rs);
        }
      }

      @Override
      public void onUpdate(ReplicaSet oldRs, ReplicaSet newRs) {
        Optional<OwnerReference> oldRef = OwnerRefs.controllerOf(oldRs.getMetadata());
        Optional<OwnerReference> newRef = OwnerRefs.controllerOf(newRs.getMetadata());
        String ns = newRs.getMetadata().getNamespace();
        if (!Objects.equals(oldRef, newRef)) {
          owner(ns, oldRef).ifPresent(DeploymentEventHandlers.this::enqueue);
        }
        Optional<Deployment> owner = owner(ns, newRef);
        if (owner.isPresent()) {
          enqueue(owner.get());
        } else if (newRef.isEmpty()
            && (!oldRs.getMetadata().getLabelsMap().equals(newRs.getMetadata().getLabelsMap()) || oldRef.isPresent())) {
          enqueueMatching(newRs);
        }
      }

      @Override
      public void onDelete(ReplicaSet rs) {
        owner(rs.getMetadata().getNamespace(), OwnerRefs.controllerOf(rs.getMetadata()))
            .ifPresent(DeploymentEventHandlers.this::enqueue);
      }
    };
  }

  /** Recreate waits for old pods to be gone: their deletion may be what it waits for. */
  ResourceEventHandler<Pod> pods() {
    return new ResourceEventHandler<>() {
      @Override
      public void onDelete(Pod pod) {
        String ns = pod.getMetadata().getNamespace();
        OwnerRefs.controllerOf(pod.getMetadata())
            .filter(ref -> "ReplicaSet".equals(ref.getKind()))
            .flatMap(ref -> replicaSets.get(ns, ref.getName()).filter(rs -> rs.getMetadata().getUid().equals(ref.getUid())))
            .flatMap(rs -> owner(ns, OwnerRefs.controllerOf(rs.getMetadata())))
            .filter(Deployments::isRecreate)
            .ifPresent(DeploymentEventHandlers.this::enqueue);
      }
    };
  }

  private Optional<Deployment> owner(String namespace, Optional<OwnerReference> ref) {
    return ref.filter(r -> "Deployment".equals(r.getKind()))
        .flatMap(r -> deployments.get(namespace, r.getName()).filter(d -> d.getMetadata().getUid().equals(r.getUid())));
  }

  private void enqueueMatching(ReplicaSet rs) {
    for (Deployment d : deployments.list(rs.getMetadata().getNamespace())) {
      if (!Selectors.isEmpty(d.getSpec().getSelector())
          && Selectors.matcher(d.getSpec().getSelector()).test(rs.getMetadata().getLabelsMap())) {
        enqueue(d);
      }
    }
  }

  private void enqueue(Deployment d) {
    loop.add(Kinds.DEPLOYMENT.key(d));
  }
}
