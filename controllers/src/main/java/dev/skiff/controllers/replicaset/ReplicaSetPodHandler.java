package dev.skiff.controllers.replicaset;

import dev.skiff.api.v1.OwnerReference;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.ReplicaSet;
import dev.skiff.client.api.Kinds;
import dev.skiff.client.informer.Lister;
import dev.skiff.client.informer.ResourceEventHandler;
import dev.skiff.controllers.WorkLoop;
import dev.skiff.controllers.ownership.Expectations;
import dev.skiff.controllers.ownership.OwnerRefs;
import dev.skiff.controllers.ownership.Selectors;
import dev.skiff.controllers.pods.Pods;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns pod events into ReplicaSet keys and expectation observations (Kubernetes' addPod,
 * updatePod, deletePod). Runs on the pod informer's thread: quick, no API calls.
 */
final class ReplicaSetPodHandler implements ResourceEventHandler<Pod> {
  private final Lister<ReplicaSet> rsLister;
  private final Expectations expectations;
  private final WorkLoop loop;

  ReplicaSetPodHandler(Lister<ReplicaSet> rsLister, Expectations expectations, WorkLoop loop) {
    this.rsLister = rsLister;
    this.expectations = expectations;
    this.loop = loop;
  }

  @Override
  public void onAdd(Pod pod) {
    if (Pods.isTerminating(pod)) {
      onDelete(pod);
      return;
    }
    Optional<ReplicaSet> owner = owner(pod);
    if (owner.isPresent()) {
      String key = Kinds.REPLICA_SET.key(owner.get());
      expectations.creationObserved(key);
      loop.add(key);
    } else if (OwnerRefs.controllerOf(pod.getMetadata()).isEmpty()) {
      enqueueMatching(pod);
    }
  }

  @Override
  public void onUpdate(Pod oldPod, Pod newPod) {
    if (oldPod.getMetadata().getResourceVersion().equals(newPod.getMetadata().getResourceVersion())) {
      return;
    }
    boolean labelsChanged = !oldPod.getMetadata().getLabelsMap().equals(newPod.getMetadata().getLabelsMap());
    if (Pods.isTerminating(newPod)) {
      onDelete(newPod);
      if (labelsChanged) {
        onDelete(oldPod);
      }
      return;
    }
    Optional<OwnerReference> oldRef = OwnerRefs.controllerOf(oldPod.getMetadata());
    Optional<OwnerReference> newRef = OwnerRefs.controllerOf(newPod.getMetadata());
    if (oldRef.isPresent() && !Objects.equals(oldRef, newRef)) {
      owner(oldPod).ifPresent(rs -> loop.add(Kinds.REPLICA_SET.key(rs)));
    }
    Optional<ReplicaSet> owner = owner(newPod);
    if (owner.isPresent()) {
      String key = Kinds.REPLICA_SET.key(owner.get());
      loop.add(key);
      int minReady = owner.get().getSpec().getMinReadySeconds();
      if (minReady > 0 && !Pods.isReady(oldPod) && Pods.isReady(newPod)) {
        loop.addAfter(key, Duration.ofSeconds(minReady));
      }
    } else if (newRef.isEmpty() && (labelsChanged || oldRef.isPresent())) {
      enqueueMatching(newPod);
    }
  }

  @Override
  public void onDelete(Pod pod) {
    owner(pod).ifPresent(rs -> {
      String key = Kinds.REPLICA_SET.key(rs);
      expectations.deletionObserved(key, pod.getMetadata().getUid());
      loop.add(key);
    });
  }

  /** The ReplicaSet in the cache that the pod's controller reference names, if uids match. */
  private Optional<ReplicaSet> owner(Pod pod) {
    return OwnerRefs.controllerOf(pod.getMetadata())
        .filter(ref -> "ReplicaSet".equals(ref.getKind()))
        .flatMap(ref -> rsLister.get(pod.getMetadata().getNamespace(), ref.getName())
            .filter(rs -> rs.getMetadata().getUid().equals(ref.getUid())));
  }

  private void enqueueMatching(Pod pod) {
    for (ReplicaSet rs : rsLister.list(pod.getMetadata().getNamespace())) {
      if (!Selectors.isEmpty(rs.getSpec().getSelector())
          && Selectors.matcher(rs.getSpec().getSelector()).test(pod.getMetadata().getLabelsMap())) {
        loop.add(Kinds.REPLICA_SET.key(rs));
      }
    }
  }
}
