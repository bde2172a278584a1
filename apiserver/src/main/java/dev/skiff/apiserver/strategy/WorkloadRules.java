package dev.skiff.apiserver.strategy;

import dev.skiff.api.v1.LabelSelector;
import dev.skiff.api.v1.PodTemplateSpec;
import dev.skiff.apiserver.errors.FieldError;
import dev.skiff.apiserver.errors.Violations;
import dev.skiff.client.api.LabelMatcher;
import dev.skiff.client.api.LabelSelectors;

/** Selector and template rules shared by ReplicaSets and Deployments. */
final class WorkloadRules {
  private WorkloadRules() {}

  static PodTemplateSpec defaults(PodTemplateSpec template) {
    return template.toBuilder().setSpec(PodSpecRules.defaults(template.getSpec())).build();
  }

  static void validate(boolean hasSelector, LabelSelector selector, boolean hasTemplate, PodTemplateSpec template,
                       boolean hasReplicas, int replicas, Violations v) {
    LabelMatcher matcher = null;
    if (!hasSelector || (selector.getMatchLabelsCount() == 0 && selector.getMatchExpressionsCount() == 0)) {
      v.add(new FieldError("spec.selector", "Required value"));
    } else {
      try {
        matcher = LabelSelectors.fromMessage(selector);
      } catch (IllegalArgumentException e) {
        v.add(new FieldError("spec.selector", "Invalid value: " + e.getMessage()));
      }
    }
    if (hasReplicas && replicas < 0) {
      v.invalid("spec.replicas", replicas, "must be greater than or equal to 0");
    }
    if (!hasTemplate) {
      v.required("spec.template");
      return;
    }
    Names.labels("spec.template.metadata.labels", template.getMetadata().getLabelsMap(), v);
    if (matcher != null && !matcher.matches(template.getMetadata().getLabelsMap())) {
      v.invalid("spec.template.metadata.labels", template.getMetadata().getLabelsMap(),
          "`selector` does not match template `labels`");
    }
    PodSpecRules.validate(template.getSpec(), "spec.template.spec", v);
    if (!template.getSpec().getRestartPolicy().equals("Always") && !template.getSpec().getRestartPolicy().isEmpty()) {
      v.add(FieldError.notSupported("spec.template.spec.restartPolicy", template.getSpec().getRestartPolicy(),
          java.util.List.of("Always")));
    }
  }
}
