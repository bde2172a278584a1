package dev.skiff.controllers.replicaset;

import dev.skiff.api.v1.DeleteRequest;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodList;
import dev.skiff.api.v1.Preconditions;
import dev.skiff.api.v1.ReplicaSet;
import dev.skiff.api.v1.ReplicaSetList;
import dev.skiff.api.v1.ReplicaSetStatus;
import dev.skiff.client.ApiException;
import dev.skiff.client.ResourceClient;
import dev.skiff.client.api.Kinds;
import dev.skiff.client.informer.Lister;
import dev.skiff.client.queue.Reconciler;
import dev.skiff.controllers.ControllerContext;
import dev.skiff.controllers.WorkLoop;
import dev.skiff.controllers.ownership.ClaimManager;
import dev.skiff.controllers.ownership.Expectations;
import dev.skiff.controllers.ownership.Selectors;
import dev.skiff.controllers.pods.Pods;
import io.grpc.Status;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code spec.replicas} pods matching each ReplicaSet's selector (Kubernetes'
 * {@code ReplicaSetController}): creates missing pods from the template in slow-start batches,
 * deletes surplus pods cheapest first ({@link PodDeletionOrder}), adopts matching orphans,
 * releases pods that stop matching, and writes the status. {@link Expectations} hold back a new
 * create or delete until the informer has shown the previous ones.
 *
 * <p>Threads: informer handlers ({@link ReplicaSetPodHandler}) only enqueue and observe
 * expectations; {@link #reconcile} runs on the loop's workers, never twice at once for one key.
 */
public final class ReplicaSetController implements Reconciler {
  private static final Logger log = LoggerFactory.getLogger(ReplicaSetController.class);
  /** At most this many creates or deletes per sync (Kubernetes' burstReplicas). */
  static final int BURST_REPLICAS = 500;
  private static final int SLOW_START_INITIAL_BATCH = 1;

  private final ControllerContext ctx;
  private final ResourceClient<ReplicaSet, ReplicaSetList> replicaSets;
  private final ResourceClient<Pod, PodList> pods;
  private final Lister<ReplicaSet> rsLister;
  private final Lister<Pod> podLister;
  private final Expectations expectations;
  private final ClaimManager<Pod> claims;
  private final PodFactory podFactory = new PodFactory();
  private final WorkLoop loop;

  public ReplicaSetController(ControllerContext ctx) {
    this.ctx = ctx;
    this.replicaSets = ctx.client().resource(Kinds.REPLICA_SET);
    this.pods = ctx.client().resource(Kinds.POD);
    var rsInformer = ctx.informers().informerFor(Kinds.REPLICA_SET);
    var podInformer = ctx.informers().informerFor(Kinds.POD);
    this.rsLister = rsInformer.lister();
    this.podLister = podInformer.lister();
    this.expectations = new Expectations(ctx.clock());
    this.claims = new ClaimManager<>(Kinds.POD, pods, Kinds.REPLICA_SET);
    this.loop = new WorkLoop("replicaset", this, ctx.config().workers(), ctx.clock());
    rsInformer.addEventHandler(loop.enqueueing(Kinds.REPLICA_SET::key));
    podInformer.addEventHandler(new ReplicaSetPodHandler(rsLister, expectations, loop));
  }

  public WorkLoop loop() {
    return loop;
  }

  /** The expectations (tests read them to prove a slow watch does not cause over-creation). */
  Expectations expectations() {
    return expectations;
  }

  @Override
  public void reconcile(String key) throws Exception {
    ReplicaSet rs = rsLister.get(key).orElse(null);
    if (rs == null) {
      expectations.forget(key);
      return;
    }
    ObjectMeta meta = rs.getMetadata();
    if (Selectors.isEmpty(rs.getSpec().getSelector())) {
      log.warn("replicaset {}: empty selector, refusing to manage every pod of the namespace", key);
      return;
    }
    boolean needsSync = expectations.satisfied(key);
    Predicate<Map<String, String>> selector = Selectors.matcher(rs.getSpec().getSelector());
    List<Pod> candidates = podLister.list(meta.getNamespace()).stream().filter(Pods::isActive).toList();
    List<Pod> owned = claims.claim(meta, selector, candidates,
        () -> replicaSets.find(meta.getNamespace(), meta.getName()).map(ReplicaSet::getMetadata));

    Exception failure = null;
    String failureReason = null;
    List<Pod> remaining = owned;
    if (needsSync && !meta.hasDeletionTimestamp()) {
      try {
        remaining = manageReplicas(key, rs, owned);
      } catch (ApiException e) {
        failure = e;
        failureReason = owned.size() < desired(rs) ? "FailedCreate" : "FailedDelete";
      }
    }
    writeStatus(key, rs, remaining, failure, failureReason);
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * Creates or deletes pods toward spec.replicas; returns the owned pods still counted for the
   * status (those just deleted are not, so the status never overstates what is left).
   */
  private List<Pod> manageReplicas(String key, ReplicaSet rs, List<Pod> owned) throws InterruptedException {
    int diff = owned.size() - desired(rs);
    if (diff < 0) {
      createPods(key, rs, Math.min(-diff, BURST_REPLICAS));
    } else if (diff > 0) {
      List<Pod> victims = PodDeletionOrder.victims(owned, Math.min(diff, BURST_REPLICAS));
      deletePods(key, rs, victims);
      return owned.stream().filter(p -> !victims.contains(p)).toList();
    }
    return owned;
  }

  private static int desired(ReplicaSet rs) {
    return rs.getSpec().hasReplicas() ? rs.getSpec().getReplicas() : 1;
  }

  private void createPods(String key, ReplicaSet rs, int count) throws InterruptedException {
    expectations.expectCreations(key, count);
    log.info("replicaset {}: creating {} pods", key, count);
    SlowStart.Result result = SlowStart.run(count, SLOW_START_INITIAL_BATCH, () -> createPod(rs));
    int skipped = count - result.succeeded();
    for (int i = 0; i < skipped; i++) {
      expectations.creationObserved(key);
    }
    if (result.firstFailure() != null) {
      ApiException failure = ApiException.from(result.firstFailure());
      if (failure.code() == Status.Code.FAILED_PRECONDITION) {
        // The namespace is terminating: its controller deletes this ReplicaSet next.
        log.info("replicaset {}: not creating pods: {}", key, failure.getMessage());
        return;
      }
      ctx.recorder().event(rs, "Warning", "FailedCreate", "Error creating: " + failure.getMessage());
      throw failure;
    }
  }

  private Pod createPod(ReplicaSet rs) {
    for (int attempt = 0; ; attempt++) {
      try {
        Pod created = pods.create(podFactory.newPod(rs));
        ctx.recorder().event(rs, "Normal", "SuccessfulCreate", "Created pod: " + created.getMetadata().getName());
        return created;
      } catch (ApiException e) {
        if (!e.isAlreadyExists() || attempt >= 3) {
          throw e;
        }
      }
    }
  }

  private void deletePods(String key, ReplicaSet rs, List<Pod> victims) throws InterruptedException {
    expectations.expectDeletions(key, victims.stream().map(p -> p.getMetadata().getUid()).toList());
    log.info("replicaset {}: deleting {} pods", key, victims.size());
    AtomicReference<ApiException> failure = new AtomicReference<>();
    try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Pod victim : victims) {
        exec.submit(() -> {
          ObjectMeta m = victim.getMetadata();
          try {
            pods.delete(DeleteRequest.newBuilder().setNamespace(m.getNamespace()).setName(m.getName())
                .setPreconditions(Preconditions.newBuilder().setUid(m.getUid())).build());
            ctx.recorder().event(rs, "Normal", "SuccessfulDelete", "Deleted pod: " + m.getName());
          } catch (ApiException e) {
            expectations.deletionObserved(key, m.getUid());
            if (!e.isNotFound()) {
              failure.compareAndSet(null, e);
              ctx.recorder().event(rs, "Warning", "FailedDelete", "Error deleting pod " + m.getName() + ": " + e.getMessage());
            }
          }
        });
      }
    }
    if (failure.get() != null) {
      throw failure.get();
    }
  }

  /** @param reason FailedCreate or FailedDelete (Kubernetes' ReplicaFailure reasons) with a failure */
  private void writeStatus(String key, ReplicaSet rs, List<Pod> owned, Exception failure, String reason) {
    Instant now = ctx.clock().instant();
    ReplicaSetStatus status = ReplicaSetStatuses.compute(rs, owned, now,
        failure == null ? null : failure.getMessage(), reason);
    if (!status.equals(rs.getStatus())) {
      try {
        replicaSets.updateStatus(rs.toBuilder().setStatus(status).build());
      } catch (ApiException e) {
        if (e.isNotFound()) {
          return;
        }
        if (!e.isConflict()) {
          throw e;
        }
        loop.add(key); // a newer version is on its way through the informer
      }
    }
    ReplicaSetStatuses.untilNextAvailable(rs, owned, now).ifPresent(d -> loop.addAfter(key, d));
  }
}
