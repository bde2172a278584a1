package dev.skiff.controllers.deployment;

import dev.skiff.api.v1.Deployment;
import dev.skiff.api.v1.DeploymentList;
import dev.skiff.api.v1.DeploymentStatus;
import dev.skiff.api.v1.ReplicaSet;
import dev.skiff.client.ApiException;
import dev.skiff.client.ResourceClient;
import dev.skiff.client.events.EventRecorder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sync of one Deployment: the Deployment and its ReplicaSets as they stand during this sync
 * (updated after each write so later decisions see earlier ones), and the primitive steps the
 * strategies are made of: find or create the new ReplicaSet, scale, write status.
 *
 * <p>Confined to the worker that runs the sync; discarded afterwards.
 */
final class DeploymentSync {
  private static final Logger log = LoggerFactory.getLogger(DeploymentSync.class);

  private final ResourceClient<Deployment, DeploymentList> deployments;
  private final ReplicaSetWriter writer;
  private final EventRecorder recorder;
  private final Clock clock;
  private Deployment d;
  private final List<ReplicaSet> owned;
  private ReplicaSet newRs;
  private List<ReplicaSet> olds = List.of();

  DeploymentSync(ResourceClient<Deployment, DeploymentList> deployments, ReplicaSetWriter writer,
      EventRecorder recorder, Clock clock, Deployment d, List<ReplicaSet> owned) {
    this.deployments = deployments;
    this.writer = writer;
    this.recorder = recorder;
    this.clock = clock;
    this.d = d;
    this.owned = new ArrayList<>(owned);
  }

  Deployment deployment() {
    return d;
  }

  ReplicaSet newRs() {
    return newRs;
  }

  List<ReplicaSet> olds() {
    return olds;
  }

  /** Old ReplicaSets and the new one (if any). */
  List<ReplicaSet> all() {
    List<ReplicaSet> all = new ArrayList<>(olds);
    if (newRs != null) {
      all.add(newRs);
    }
    return all;
  }

  Instant now() {
    return clock.instant();
  }

  /**
   * Splits the owned ReplicaSets into the new one (template equal to the Deployment's) and the
   * old ones, raising the new one's revision above every old one (a rollback reuses an old
   * ReplicaSet this way), and records the revision on the Deployment. With {@code create}, makes
   * the new ReplicaSet if there is none.
   */
  void resolve(boolean create) {
    Optional<ReplicaSet> existing = Deployments.findNew(d, owned);
    olds = owned.stream().filter(rs -> existing.isEmpty() || rs != existing.get()).toList();
    long newRevision = Revisions.max(olds) + 1;
    if (existing.isPresent()) {
      ReplicaSet rs = existing.get();
      var meta = Revisions.forNewReplicaSet(d, rs.getMetadata(), newRevision);
      boolean minReadyDiffers = rs.getSpec().getMinReadySeconds() != d.getSpec().getMinReadySeconds();
      if (!meta.equals(rs.getMetadata()) || minReadyDiffers) {
        ReplicaSet.Builder b = rs.toBuilder().setMetadata(meta);
        b.getSpecBuilder().setMinReadySeconds(d.getSpec().getMinReadySeconds());
        rs = writer.update(b.build());
        replaceOwned(existing.get(), rs);
      }
      newRs = rs;
      recordRevision(Revisions.of(rs.getMetadata()));
      if (Deployments.progressDeadline(d).isPresent()
          && DeploymentConditions.get(d.getStatus(), DeploymentConditions.PROGRESSING).isEmpty()) {
        DeploymentStatus.Builder s = d.getStatus().toBuilder();
        DeploymentConditions.set(s, DeploymentConditions.of(DeploymentConditions.PROGRESSING, "True",
            DeploymentConditions.FOUND_NEW_RS, "Found new replica set \"" + rs.getMetadata().getName() + "\"", now()));
        writeStatus(s.build());
      }
      return;
    }
    newRs = null;
    if (create) {
      createNew(newRevision);
    }
  }

  private void createNew(long revision) {
    ReplicaSet draft = ReplicaSetWriter.newReplicaSet(d, revision, 0);
    List<ReplicaSet> withDraft = new ArrayList<>(olds);
    withDraft.add(draft);
    var f = Deployments.fenceposts(d);
    int replicas = Deployments.isRollingUpdate(d)
        ? RolloutMath.newReplicaSetReplicas(Deployments.replicas(d), f.maxSurge(), Deployments.specReplicas(withDraft), 0)
        : 0;
    draft = draft.toBuilder().setSpec(draft.getSpec().toBuilder().setReplicas(replicas)).build();
    try {
      newRs = writer.create(d, draft);
    } catch (ApiException e) {
      if (!e.isAlreadyExists()) {
        DeploymentStatus.Builder s = d.getStatus().toBuilder();
        DeploymentConditions.set(s, DeploymentConditions.of(DeploymentConditions.REPLICA_FAILURE, "True",
            DeploymentConditions.FAILED_CREATE, e.getMessage(), now()));
        writeStatus(s.build());
        throw e;
      }
      collision(draft);
      return;
    }
    owned.add(newRs);
    recordRevision(revision);
    if (Deployments.progressDeadline(d).isPresent()) {
      DeploymentStatus.Builder s = d.getStatus().toBuilder();
      DeploymentConditions.set(s, DeploymentConditions.of(DeploymentConditions.PROGRESSING, "True",
          DeploymentConditions.NEW_RS_CREATED, "Created new replica set \"" + newRs.getMetadata().getName() + "\"", now()));
      writeStatus(s.build());
    }
  }

  /**
   * A ReplicaSet with the new one's name exists but is not ours or has another template: a hash
   * collision. Bump the collision count so the next sync hashes differently.
   */
  private void collision(ReplicaSet draft) {
    int count = d.getStatus().hasCollisionCount() ? d.getStatus().getCollisionCount() : 0;
    log.warn("deployment {}/{}: replica set {} already exists with another template; collision count {}",
        d.getMetadata().getNamespace(), d.getMetadata().getName(), draft.getMetadata().getName(), count + 1);
    writeStatus(d.getStatus().toBuilder().setCollisionCount(count + 1).build());
    throw new IllegalStateException("hash collision on replica set " + draft.getMetadata().getName());
  }

  private void recordRevision(long revision) {
    String value = Long.toString(revision);
    if (value.equals(d.getMetadata().getAnnotationsMap().get(Revisions.REVISION))) {
      return;
    }
    String patch = "{\"metadata\":{\"annotations\":{\"" + Revisions.REVISION + "\":\"" + value + "\"}}}";
    d = deployments.patch(d.getMetadata().getNamespace(), d.getMetadata().getName(), patch);
  }

  /** Scales {@code rs} and keeps this sync's view current. */
  ReplicaSet scale(ReplicaSet rs, int replicas) {
    ReplicaSet updated = writer.scale(d, rs, replicas);
    if (updated != rs) {
      replaceOwned(rs, updated);
    }
    return updated;
  }

  private void replaceOwned(ReplicaSet before, ReplicaSet after) {
    owned.replaceAll(x -> x == before ? after : x);
    if (newRs == before) {
      newRs = after;
    }
    olds = olds.stream().map(x -> x == before ? after : x).toList();
  }

  /** Deletes old ReplicaSets beyond the history limit. */
  void cleanup() {
    writer.cleanup(d, olds);
  }

  /**
   * Writes {@code status} if it differs; keeps the stored Deployment. If the cached Deployment
   * was stale (our own previous write not yet seen), the status is written once more on the live
   * object, provided its spec generation is the one this sync worked from.
   */
  void writeStatus(DeploymentStatus status) {
    if (status.equals(d.getStatus())) {
      return;
    }
    try {
      d = deployments.updateStatus(d.toBuilder().setStatus(status).build());
    } catch (ApiException e) {
      if (!e.isConflict()) {
        throw e;
      }
      Deployment live = deployments.get(d.getMetadata().getNamespace(), d.getMetadata().getName());
      if (live.getMetadata().getGeneration() != d.getMetadata().getGeneration()) {
        throw e;
      }
      d = deployments.updateStatus(live.toBuilder().setStatus(status).build());
    }
  }

  /** Counts and Available only (scaling, paused, deleting). */
  void syncStatus() {
    writeStatus(DeploymentStatuses.calculate(d, all(), newRs, now()).build());
  }

  /**
   * Counts, Available and Progressing (with the deadline); returns when to look again for the
   * deadline, if a rollout is still running against one.
   */
  Optional<Duration> syncRolloutStatus() {
    DeploymentStatus.Builder s = DeploymentStatuses.calculate(d, all(), newRs, now());
    DeploymentStatuses.applyProgress(d, s, newRs, now());
    boolean timedOutNow = DeploymentConditions.get(s, DeploymentConditions.PROGRESSING)
        .map(c -> DeploymentConditions.TIMED_OUT.equals(c.getReason())).orElse(false)
        && !DeploymentConditions.get(d.getStatus(), DeploymentConditions.PROGRESSING)
            .map(c -> DeploymentConditions.TIMED_OUT.equals(c.getReason())).orElse(false);
    writeStatus(s.build());
    if (timedOutNow) {
      recorder.event(d, "Warning", DeploymentConditions.TIMED_OUT, "Deployment \"" + d.getMetadata().getName()
          + "\" has timed out progressing.");
    }
    return DeploymentStatuses.untilTimeout(d, d.getStatus(), now());
  }

  /** Sets Progressing Unknown with reason DeploymentPaused / DeploymentResumed on a pause change. */
  void checkPaused() {
    if (Deployments.progressDeadline(d).isEmpty()) {
      return;
    }
    var cond = DeploymentConditions.get(d.getStatus(), DeploymentConditions.PROGRESSING);
    if (cond.isPresent() && DeploymentConditions.TIMED_OUT.equals(cond.get().getReason())) {
      return;
    }
    boolean pausedCond = cond.isPresent() && DeploymentConditions.PAUSED.equals(cond.get().getReason());
    DeploymentStatus.Builder s = d.getStatus().toBuilder();
    if (d.getSpec().getPaused() && !pausedCond) {
      DeploymentConditions.set(s, DeploymentConditions.of(DeploymentConditions.PROGRESSING, "Unknown",
          DeploymentConditions.PAUSED, "Deployment is paused", now()));
    } else if (!d.getSpec().getPaused() && pausedCond) {
      DeploymentConditions.set(s, DeploymentConditions.of(DeploymentConditions.PROGRESSING, "Unknown",
          DeploymentConditions.RESUMED, "Deployment is resumed", now()));
    } else {
      return;
    }
    writeStatus(s.build());
  }

  /** Whether an active ReplicaSet was last scaled for another replica count than the spec's. */
  boolean isScalingEvent() {
    int want = Deployments.replicas(d);
    return Deployments.active(all()).stream()
        .map(rs -> Revisions.desiredReplicas(rs.getMetadata()))
        .anyMatch(desired -> desired >= 0 && desired != want);
  }

  boolean hasNew() {
    return Objects.nonNull(newRs);
  }
}
