package dev.skiff.apiserver.strategy;

import dev.skiff.api.v1.Namespace;
import dev.skiff.api.v1.NamespaceStatus;
import dev.skiff.client.api.Kinds;

/**
 * Namespaces: phase Active on create with the "kubernetes" finalizer in spec.finalizers, which
 * keeps a deleted namespace Terminating until the namespace controller has emptied it and
 * removed the finalizer.
 */
public final class NamespaceStrategy extends BaseStrategy<Namespace> {
  public static final String KUBERNETES_FINALIZER = "kubernetes";

  public NamespaceStrategy() {
    super(Kinds.NAMESPACE, NameRule.DNS_LABEL, true);
  }

  @Override
  protected Namespace initialStatus(Namespace ns) {
    return ns.toBuilder().setStatus(NamespaceStatus.newBuilder().setPhase("Active")).build();
  }

  @Override
  public Namespace prepareForCreate(Namespace ns) {
    Namespace out = super.prepareForCreate(ns);
    if (!out.getSpec().getFinalizersList().contains(KUBERNETES_FINALIZER)) {
      out = out.toBuilder().setSpec(out.getSpec().toBuilder().addFinalizers(KUBERNETES_FINALIZER)).build();
    }
    return out;
  }

  @Override
  public Namespace onDeletionStarted(Namespace ns) {
    return ns.toBuilder().setStatus(ns.getStatus().toBuilder().setPhase("Terminating")).build();
  }

  @Override
  public boolean heldByKindFinalizers(Namespace ns) {
    return ns.getSpec().getFinalizersCount() > 0;
  }

  public static boolean terminating(Namespace ns) {
    return ns.getMetadata().hasDeletionTimestamp() || ns.getStatus().getPhase().equals("Terminating");
  }
}
