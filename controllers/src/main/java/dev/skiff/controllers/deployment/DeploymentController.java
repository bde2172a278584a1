package dev.skiff.controllers.deployment;

import dev.skiff.api.v1.Deployment;
import dev.skiff.api.v1.DeploymentList;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.ReplicaSet;
import dev.skiff.api.v1.ReplicaSetList;
import dev.skiff.client.ResourceClient;
import dev.skiff.client.api.Kinds;
import dev.skiff.client.informer.Lister;
import dev.skiff.client.queue.Reconciler;
import dev.skiff.controllers.ControllerContext;
import dev.skiff.controllers.WorkLoop;
import dev.skiff.controllers.ownership.ClaimManager;
import dev.skiff.controllers.ownership.OwnerRefs;
import dev.skiff.controllers.ownership.Selectors;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rolls Deployments out through ReplicaSets named {@code <deployment>-<pod-template-hash>}
 * (Kubernetes' {@code DeploymentController}): claims its ReplicaSets, then per sync either only
 * scales (paused, or a replica count change), or advances the RollingUpdate or Recreate strategy
 * one safe step, then writes counts and the Available / Progressing conditions.
 *
 * <p>Threads: handlers ({@link DeploymentEventHandlers}) only enqueue; {@link #reconcile} runs on
 * the loop's workers, one at a time per Deployment.
 */
public final class DeploymentController implements Reconciler {
  private static final Logger log = LoggerFactory.getLogger(DeploymentController.class);

  private final ControllerContext ctx;
  private final ResourceClient<Deployment, DeploymentList> deployments;
  private final Lister<Deployment> deploymentLister;
  private final Lister<ReplicaSet> rsLister;
  private final Lister<Pod> podLister;
  private final ClaimManager<ReplicaSet> claims;
  private final ReplicaSetWriter writer;
  private final WorkLoop loop;

  public DeploymentController(ControllerContext ctx) {
    this.ctx = ctx;
    this.deployments = ctx.client().resource(Kinds.DEPLOYMENT);
    ResourceClient<ReplicaSet, ReplicaSetList> replicaSets = ctx.client().resource(Kinds.REPLICA_SET);
    var dInformer = ctx.informers().informerFor(Kinds.DEPLOYMENT);
    var rsInformer = ctx.informers().informerFor(Kinds.REPLICA_SET);
    var podInformer = ctx.informers().informerFor(Kinds.POD);
    this.deploymentLister = dInformer.lister();
    this.rsLister = rsInformer.lister();
    this.podLister = podInformer.lister();
    this.claims = new ClaimManager<>(Kinds.REPLICA_SET, replicaSets, Kinds.DEPLOYMENT);
    this.writer = new ReplicaSetWriter(replicaSets, ctx.recorder());
    this.loop = new WorkLoop("deployment", this, ctx.config().workers(), ctx.clock());
    DeploymentEventHandlers handlers = new DeploymentEventHandlers(deploymentLister, rsLister, loop);
    dInformer.addEventHandler(loop.enqueueing(Kinds.DEPLOYMENT::key));
    rsInformer.addEventHandler(handlers.replicaSets());
    podInformer.addEventHandler(handlers.pods());
  }

  public WorkLoop loop() {
    return loop;
  }

  @Override
  public void reconcile(String key) {
    Optional<Deployment> found = deploymentLister.get(key);
    if (found.isEmpty()) {
      return;
    }
    Deployment d = found.get();
    ObjectMeta meta = d.getMetadata();
    if (Selectors.isEmpty(d.getSpec().getSelector())) {
      ctx.recorder().event(d, "Warning", "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.");
      if (d.getStatus().getObservedGeneration() < meta.getGeneration()) {
        deployments.updateStatus(d.toBuilder().setStatus(
            d.getStatus().toBuilder().setObservedGeneration(meta.getGeneration())).build());
      }
      return;
    }
    List<ReplicaSet> candidates = rsLister.list(meta.getNamespace());
    List<ReplicaSet> owned = claims.claim(meta, Selectors.matcher(d.getSpec().getSelector()), candidates,
        () -> deployments.find(meta.getNamespace(), meta.getName()).map(Deployment::getMetadata));
    DeploymentSync sync = new DeploymentSync(deployments, writer, ctx.recorder(), ctx.clock(), d, owned);
    if (meta.hasDeletionTimestamp()) {
      sync.resolve(false);
      sync.syncStatus();
      return;
    }
    sync.checkPaused();
    if (d.getSpec().getPaused()) {
      Rollouts.scaleOnly(sync);
      return;
    }
    sync.resolve(false);
    if (sync.isScalingEvent()) {
      Rollouts.scaleOnly(sync);
      return;
    }
    Optional<Duration> recheck = Deployments.isRecreate(d)
        ? Rollouts.recreate(sync, olds -> oldPodsRunning(meta.getNamespace(), olds))
        : Rollouts.rolling(sync);
    recheck.ifPresent(after -> loop.addAfter(key, after));
    log.debug("deployment {} synced", key);
  }

  /** Whether any pod of the old ReplicaSets is not finished yet (Recreate waits for none). */
  private boolean oldPodsRunning(String namespace, List<ReplicaSet> olds) {
    if (olds.stream().anyMatch(rs -> rs.getStatus().getReplicas() > 0)) {
      return true;
    }
    Set<String> uids = olds.stream().map(rs -> rs.getMetadata().getUid()).collect(Collectors.toSet());
    return podLister.list(namespace).stream()
        .filter(p -> OwnerRefs.controllerOf(p.getMetadata()).map(r -> uids.contains(r.getUid())).orElse(false))
        .anyMatch(p -> !"Succeeded".equals(p.getStatus().getPhase()) && !"Failed".equals(p.getStatus().getPhase()));
  }
}
