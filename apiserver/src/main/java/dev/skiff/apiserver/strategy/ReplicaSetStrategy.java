package dev.skiff.apiserver.strategy;

import dev.skiff.api.v1.ReplicaSet;
import dev.skiff.apiserver.errors.FieldError;
import dev.skiff.apiserver.errors.Violations;
import dev.skiff.client.api.Kinds;

/** ReplicaSets: replicas 1 by default; selector required, matching the template; selector immutable. */
public final class ReplicaSetStrategy extends BaseStrategy<ReplicaSet> {
  public ReplicaSetStrategy() {
    super(Kinds.REPLICA_SET);
  }

  @Override
  protected ReplicaSet applyDefaults(ReplicaSet rs) {
    var spec = rs.getSpec().toBuilder();
    if (!spec.hasReplicas()) {
      spec.setReplicas(1);
    }
    if (spec.hasTemplate()) {
      spec.setTemplate(WorkloadRules.defaults(spec.getTemplate()));
    }
    return rs.toBuilder().setSpec(spec).build();
  }

  @Override
  protected void validateObject(ReplicaSet rs, Violations v) {
    var s = rs.getSpec();
    WorkloadRules.validate(s.hasSelector(), s.getSelector(), s.hasTemplate(), s.getTemplate(),
        s.hasReplicas(), s.getReplicas(), v);
    if (s.getMinReadySeconds() < 0) {
      v.invalid("spec.minReadySeconds", s.getMinReadySeconds(), "must be greater than or equal to 0");
    }
  }

  @Override
  public void validateUpdate(ReplicaSet rs, ReplicaSet old, Violations v) {
    validate(rs, v);
    if (!rs.getSpec().getSelector().equals(old.getSpec().getSelector())) {
      v.add(FieldError.immutable("spec.selector"));
    }
  }
}
