package dev.skiff.apiserver.strategy;

import com.google.protobuf.Message;
import dev.skiff.client.api.Kinds;
import dev.skiff.client.api.ResourceKind;

/** The strategy of each kind: kinds without their own rules get {@link BaseStrategy}. */
public final class Strategies {
  private Strategies() {}

  @SuppressWarnings("unchecked")
  public static <T extends Message> Strategy<T> forKind(ResourceKind<T, ?> kind) {
    Strategy<?> s;
    if (kind == Kinds.POD) {
      s = new PodStrategy();
    } else if (kind == Kinds.REPLICA_SET) {
      s = new ReplicaSetStrategy();
    } else if (kind == Kinds.DEPLOYMENT) {
      s = new DeploymentStrategy();
    } else if (kind == Kinds.SERVICE) {
      s = new ServiceStrategy();
    } else if (kind == Kinds.NAMESPACE) {
      s = new NamespaceStrategy();
    } else if (kind == Kinds.SECRET) {
      s = new SecretStrategy();
    } else if (kind == Kinds.NODE) {
      s = new BaseStrategy<>(kind, BaseStrategy.NameRule.DNS_SUBDOMAIN, false); // agents register with status
    } else {
      s = new BaseStrategy<>(kind);
    }
    return (Strategy<T>) s;
  }
}
