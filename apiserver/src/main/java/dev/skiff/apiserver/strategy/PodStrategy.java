package dev.skiff.apiserver.strategy;

import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodSpec;
import dev.skiff.api.v1.PodStatus;
import dev.skiff.api.v1.Toleration;
import dev.skiff.apiserver.errors.FieldError;
import dev.skiff.apiserver.errors.Violations;
import dev.skiff.client.api.Kinds;
import java.util.OptionalLong;

/**
 * Pods: spec defaults (restartPolicy, grace period, DNS policy, scheduler, pull policies, the
 * not-ready/unreachable tolerations of Kubernetes' DefaultTolerationSeconds), phase Pending on
 * create, a mostly immutable spec, and graceful deletion for pods bound to a node.
 */
public final class PodStrategy extends BaseStrategy<Pod> {
  static final long DEFAULT_TOLERATION_SECONDS = 300;

  public PodStrategy() {
    super(Kinds.POD);
  }

  /** Type meta, status {phase: Pending} and the spec defaults, built once. */
  @Override
  public Pod prepareForCreate(Pod pod) {
    Pod.Builder b = pod.toBuilder().setApiVersion(kind.apiVersion()).setKind(kind.kind())
        .setStatus(PodStatus.newBuilder().setPhase("Pending"));
    defaultSpec(b.getSpecBuilder());
    return b.build();
  }

  @Override
  protected Pod applyDefaults(Pod pod) {
    Pod.Builder b = pod.toBuilder();
    defaultSpec(b.getSpecBuilder());
    return b.build();
  }

  private static void defaultSpec(PodSpec.Builder spec) {
    PodSpecRules.defaults(spec);
    addToleration(spec, "node.kubernetes.io/not-ready");
    addToleration(spec, "node.kubernetes.io/unreachable");
  }

  /** Adds a NoExecute toleration of {@code key} for 300 s unless one already tolerates it. */
  private static void addToleration(PodSpec.Builder spec, String key) {
    for (int i = 0; i < spec.getTolerationsCount(); i++) {
      Toleration t = spec.getTolerations(i);
      boolean all = t.getKey().isEmpty() && t.getOperator().equals("Exists");
      if (all || (t.getKey().equals(key) && (t.getEffect().isEmpty() || t.getEffect().equals("NoExecute")))) {
        return;
      }
    }
    spec.addTolerations(Toleration.newBuilder().setKey(key).setOperator("Exists")
        .setEffect("NoExecute").setTolerationSeconds(DEFAULT_TOLERATION_SECONDS));
  }

  @Override
  protected void validateObject(Pod pod, Violations v) {
    PodSpecRules.validate(pod.getSpec(), "spec", v);
  }

  @Override
  public void validateUpdate(Pod pod, Pod old, Violations v) {
    validate(pod, v);
    // Kubernetes lets an update change only images, activeDeadlineSeconds and tolerations.
    PodSpec.Builder comparable = pod.getSpec().toBuilder();
    for (int i = 0; i < comparable.getContainersCount() && i < old.getSpec().getContainersCount(); i++) {
      comparable.setContainers(i, comparable.getContainers(i).toBuilder()
          .setImage(old.getSpec().getContainers(i).getImage()));
    }
    for (int i = 0; i < comparable.getInitContainersCount() && i < old.getSpec().getInitContainersCount(); i++) {
      comparable.setInitContainers(i, comparable.getInitContainers(i).toBuilder()
          .setImage(old.getSpec().getInitContainers(i).getImage()));
    }
    if (old.getSpec().hasActiveDeadlineSeconds()) {
      comparable.setActiveDeadlineSeconds(old.getSpec().getActiveDeadlineSeconds());
    } else {
      comparable.clearActiveDeadlineSeconds();
    }
    comparable.clearTolerations().addAllTolerations(old.getSpec().getTolerationsList());
    if (!comparable.build().equals(old.getSpec())) {
      v.add(FieldError.forbidden("spec", "pod updates may not change fields other than "
          + "`spec.containers[*].image`, `spec.initContainers[*].image`, `spec.activeDeadlineSeconds` "
          + "or `spec.tolerations` (only additions to existing tolerations)"));
    }
  }

  @Override
  public long gracePeriodSeconds(Pod pod, OptionalLong requested) {
    // Kubernetes: an unscheduled or finished pod goes at once; else the grace period applies.
    if (pod.getSpec().getNodeName().isEmpty()) {
      return 0;
    }
    String phase = pod.getStatus().getPhase();
    if (phase.equals("Succeeded") || phase.equals("Failed")) {
      return 0;
    }
    long grace = requested.isPresent() ? requested.getAsLong()
        : pod.getSpec().hasTerminationGracePeriodSeconds() ? pod.getSpec().getTerminationGracePeriodSeconds() : 30;
    return Math.max(0, grace);
  }
}
