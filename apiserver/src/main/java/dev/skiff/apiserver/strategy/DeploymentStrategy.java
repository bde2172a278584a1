package dev.skiff.apiserver.strategy;

import dev.skiff.api.v1.Deployment;
import dev.skiff.api.v1.DeploymentStrategy.Builder;
import dev.skiff.api.v1.RollingUpdateDeployment;
import dev.skiff.apiserver.errors.FieldError;
import dev.skiff.apiserver.errors.Violations;
import dev.skiff.client.api.Kinds;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Deployments: Kubernetes' apps/v1 defaults (replicas 1, revisionHistoryLimit 10,
 * progressDeadlineSeconds 600, RollingUpdate 25%/25%) and validation.
 */
public final class DeploymentStrategy extends BaseStrategy<Deployment> {
  private static final Pattern INT_OR_PERCENT = Pattern.compile("\\d+%?");

  public DeploymentStrategy() {
    super(Kinds.DEPLOYMENT);
  }

  @Override
  protected Deployment applyDefaults(Deployment d) {
    var spec = d.getSpec().toBuilder();
    if (!spec.hasReplicas()) {
      spec.setReplicas(1);
    }
    if (!spec.hasRevisionHistoryLimit()) {
      spec.setRevisionHistoryLimit(10);
    }
    if (!spec.hasProgressDeadlineSeconds()) {
      spec.setProgressDeadlineSeconds(600);
    }
    Builder strategy = spec.getStrategy().toBuilder();
    if (strategy.getType().isEmpty()) {
      strategy.setType("RollingUpdate");
    }
    if (strategy.getType().equals("RollingUpdate")) {
      RollingUpdateDeployment.Builder ru = strategy.getRollingUpdate().toBuilder();
      if (ru.getMaxSurge().isEmpty()) {
        ru.setMaxSurge("25%");
      }
      if (ru.getMaxUnavailable().isEmpty()) {
        ru.setMaxUnavailable("25%");
      }
      strategy.setRollingUpdate(ru);
    }
    spec.setStrategy(strategy);
    if (spec.hasTemplate()) {
      spec.setTemplate(WorkloadRules.defaults(spec.getTemplate()));
    }
    return d.toBuilder().setSpec(spec).build();
  }

  @Override
  protected void validateObject(Deployment d, Violations v) {
    var s = d.getSpec();
    WorkloadRules.validate(s.hasSelector(), s.getSelector(), s.hasTemplate(), s.getTemplate(),
        s.hasReplicas(), s.getReplicas(), v);
    String type = s.getStrategy().getType();
    PodSpecRules.oneOf("spec.strategy.type", type, List.of("Recreate", "RollingUpdate"), v);
    if (type.equals("Recreate") && s.getStrategy().hasRollingUpdate()) {
      v.add(FieldError.forbidden("spec.strategy.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'"));
    }
    if (type.equals("RollingUpdate")) {
      RollingUpdateDeployment ru = s.getStrategy().getRollingUpdate();
      boolean surgeOk = intOrPercent("spec.strategy.rollingUpdate.maxSurge", ru.getMaxSurge(), v);
      boolean unavailOk = intOrPercent("spec.strategy.rollingUpdate.maxUnavailable", ru.getMaxUnavailable(), v);
      if (surgeOk && unavailOk && isZero(ru.getMaxSurge()) && isZero(ru.getMaxUnavailable())) {
        v.invalid("spec.strategy.rollingUpdate.maxUnavailable", ru.getMaxUnavailable(),
            "may not be 0 when `maxSurge` is 0");
      }
    }
    if (s.hasRevisionHistoryLimit() && s.getRevisionHistoryLimit() < 0) {
      v.invalid("spec.revisionHistoryLimit", s.getRevisionHistoryLimit(), "must be greater than or equal to 0");
    }
    if (s.hasProgressDeadlineSeconds() && s.getProgressDeadlineSeconds() <= s.getMinReadySeconds()) {
      v.invalid("spec.progressDeadlineSeconds", s.getProgressDeadlineSeconds(),
          "must be greater than minReadySeconds");
    }
  }

  private static boolean intOrPercent(String field, String value, Violations v) {
    if (!INT_OR_PERCENT.matcher(value).matches()) {
      v.invalid(field, value, "a valid percent string must be a numeric string followed by an ending '%' "
          + "(e.g. '1%',  or '93%'), or a non-negative integer");
      return false;
    }
    if (value.endsWith("%") && Integer.parseInt(value.substring(0, value.length() - 1)) > 100) {
      v.invalid(field, value, "must not be greater than 100%");
      return false;
    }
    return true;
  }

  private static boolean isZero(String value) {
    return value.equals("0") || value.equals("0%");
  }

  @Override
  public void validateUpdate(Deployment d, Deployment old, Violations v) {
    validate(d, v);
    if (!d.getSpec().getSelector().equals(old.getSpec().getSelector())) {
      v.add(FieldError.immutable("spec.selector"));
    }
  }
}
