package dev.skiff.apiserver.strategy;

import dev.skiff.api.v1.Container;
import dev.skiff.api.v1.ContainerPort;
import dev.skiff.api.v1.EnvVar;
import dev.skiff.api.v1.PodSpec;
import dev.skiff.api.v1.ResourceRequirements;
import dev.skiff.api.v1.Volume;
import dev.skiff.api.v1.VolumeMount;
import dev.skiff.apiserver.errors.FieldError;
import dev.skiff.apiserver.errors.Violations;
import dev.skiff.client.api.Quantity;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Defaults and validation of a PodSpec, shared by pods and pod templates (Kubernetes' rules). */
public final class PodSpecRules {
  static final List<String> RESTART_POLICIES = List.of("Always", "OnFailure", "Never");
  static final List<String> PULL_POLICIES = List.of("Always", "IfNotPresent", "Never");
  static final List<String> PROTOCOLS = List.of("TCP", "UDP", "SCTP");
  static final List<String> DNS_POLICIES = List.of("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None");

  private PodSpecRules() {}

  public static PodSpec defaults(PodSpec spec) {
    PodSpec.Builder b = spec.toBuilder();
    defaults(b);
    return b.build();
  }

  /** Applies the defaults to {@code b} in place (one build for the whole object, not one per rule). */
  static void defaults(PodSpec.Builder b) {
    if (b.getRestartPolicy().isEmpty()) {
      b.setRestartPolicy("Always");
    }
    if (!b.hasTerminationGracePeriodSeconds()) {
      b.setTerminationGracePeriodSeconds(30);
    }
    if (b.getDnsPolicy().isEmpty()) {
      b.setDnsPolicy("ClusterFirst");
    }
    if (b.getSchedulerName().isEmpty()) {
      b.setSchedulerName("default-scheduler");
    }
    if (b.getServiceAccountName().isEmpty() && !b.getServiceAccount().isEmpty()) {
      b.setServiceAccountName(b.getServiceAccount());
    }
    if (!b.hasEnableServiceLinks()) {
      b.setEnableServiceLinks(true);
    }
    for (int i = 0; i < b.getContainersCount(); i++) {
      Container c = b.getContainers(i);
      if (needsDefaults(c)) {
        b.setContainers(i, defaults(c));
      }
    }
    for (int i = 0; i < b.getInitContainersCount(); i++) {
      Container c = b.getInitContainers(i);
      if (needsDefaults(c)) {
        b.setInitContainers(i, defaults(c));
      }
    }
  }

  private static boolean needsDefaults(Container c) {
    if (c.getImagePullPolicy().isEmpty() || c.getTerminationMessagePath().isEmpty()
        || c.getTerminationMessagePolicy().isEmpty()) {
      return true;
    }
    for (int i = 0; i < c.getPortsCount(); i++) {
      if (c.getPorts(i).getProtocol().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  static Container defaults(Container c) {
    Container.Builder b = c.toBuilder();
    if (b.getImagePullPolicy().isEmpty()) {
      b.setImagePullPolicy(pullPolicyFor(b.getImage()));
    }
    if (b.getTerminationMessagePath().isEmpty()) {
      b.setTerminationMessagePath("/dev/termination-log");
    }
    if (b.getTerminationMessagePolicy().isEmpty()) {
      b.setTerminationMessagePolicy("File");
    }
    for (int i = 0; i < b.getPortsCount(); i++) {
      if (b.getPorts(i).getProtocol().isEmpty()) {
        b.setPorts(i, b.getPorts(i).toBuilder().setProtocol("TCP"));
      }
    }
    return b.build();
  }

  /** Always for ":latest" or no tag, else IfNotPresent (a digest counts as a tag). */
  static String pullPolicyFor(String image) {
    if (image.contains("@")) {
      return "IfNotPresent";
    }
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    if (colon <= slash) {
      return "Always";
    }
    return image.substring(colon + 1).equals("latest") ? "Always" : "IfNotPresent";
  }

  public static void validate(PodSpec spec, String path, Violations v) {
    Set<String> volumes = new HashSet<>();
    for (int i = 0; i < spec.getVolumesCount(); i++) {
      Volume vol = spec.getVolumes(i);
      String p = path + ".volumes[" + i + "].name";
      Names.dnsLabel(p, vol.getName(), v);
      if (!vol.getName().isEmpty() && !volumes.add(vol.getName())) {
        v.add(FieldError.duplicate(p, vol.getName()));
      }
    }
    if (spec.getContainersCount() == 0) {
      v.required(path + ".containers");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < spec.getInitContainersCount(); i++) {
      container(spec.getInitContainers(i), path + ".initContainers[" + i + "]", names, volumes, v);
    }
    for (int i = 0; i < spec.getContainersCount(); i++) {
      container(spec.getContainers(i), path + ".containers[" + i + "]", names, volumes, v);
    }
    oneOf(path + ".restartPolicy", spec.getRestartPolicy(), RESTART_POLICIES, v);
    oneOf(path + ".dnsPolicy", spec.getDnsPolicy(), DNS_POLICIES, v);
    if (spec.hasTerminationGracePeriodSeconds() && spec.getTerminationGracePeriodSeconds() < 0) {
      v.invalid(path + ".terminationGracePeriodSeconds", spec.getTerminationGracePeriodSeconds(),
          "must be greater than or equal to 0");
    }
    if (spec.hasActiveDeadlineSeconds() && spec.getActiveDeadlineSeconds() <= 0) {
      v.invalid(path + ".activeDeadlineSeconds", spec.getActiveDeadlineSeconds(), "must be greater than 0");
    }
    Names.labels(path + ".nodeSelector", spec.getNodeSelectorMap(), v);
    if (!spec.getNodeName().isEmpty()) {
      Names.dnsSubdomain(path + ".nodeName", spec.getNodeName(), v);
    }
    for (int i = 0; i < spec.getTolerationsCount(); i++) {
      var t = spec.getTolerations(i);
      String p = path + ".tolerations[" + i + "]";
      if (!t.getOperator().isEmpty() && !t.getOperator().equals("Exists") && !t.getOperator().equals("Equal")) {
        v.add(FieldError.notSupported(p + ".operator", t.getOperator(), List.of("Equal", "Exists")));
      }
      if (t.getOperator().equals("Exists") && !t.getValue().isEmpty()) {
        v.invalid(p + ".operator", t.getOperator(), "value must be empty when `operator` is 'Exists'");
      }
      if (!t.getEffect().isEmpty() && !List.of("NoSchedule", "PreferNoSchedule", "NoExecute").contains(t.getEffect())) {
        v.add(FieldError.notSupported(p + ".effect", t.getEffect(),
            List.of("NoSchedule", "PreferNoSchedule", "NoExecute")));
      }
    }
  }

  private static void container(Container c, String p, Set<String> names, Set<String> volumes, Violations v) {
    Names.dnsLabel(p + ".name", c.getName(), v);
    if (!c.getName().isEmpty() && !names.add(c.getName())) {
      v.add(FieldError.duplicate(p + ".name", c.getName()));
    }
    if (c.getImage().isBlank()) {
      v.required(p + ".image");
    }
    oneOf(p + ".imagePullPolicy", c.getImagePullPolicy(), PULL_POLICIES, v);
    Set<String> portNames = new HashSet<>();
    for (int i = 0; i < c.getPortsCount(); i++) {
      ContainerPort port = c.getPorts(i);
      String pp = p + ".ports[" + i + "]";
      if (port.getContainerPort() < 1 || port.getContainerPort() > 65535) {
        v.invalid(pp + ".containerPort", port.getContainerPort(), "must be between 1 and 65535, inclusive");
      }
      if (port.getHostPort() < 0 || port.getHostPort() > 65535) {
        v.invalid(pp + ".hostPort", port.getHostPort(), "must be between 1 and 65535, inclusive");
      }
      oneOf(pp + ".protocol", port.getProtocol(), PROTOCOLS, v);
      if (!port.getName().isEmpty()) {
        if (port.getName().length() > 15 || Names.dnsLabelError(port.getName()) != null) {
          v.invalid(pp + ".name", port.getName(), "must be an IANA_SVC_NAME (at most 15 characters, "
              + "lower case alphanumerics and '-')");
        } else if (!portNames.add(port.getName())) {
          v.add(FieldError.duplicate(pp + ".name", port.getName()));
        }
      }
    }
    for (int i = 0; i < c.getEnvCount(); i++) {
      EnvVar e = c.getEnv(i);
      Names.envVarName(p + ".env[" + i + "].name", e.getName(), v);
    }
    for (int i = 0; i < c.getVolumeMountsCount(); i++) {
      VolumeMount m = c.getVolumeMounts(i);
      String mp = p + ".volumeMounts[" + i + "]";
      if (m.getName().isEmpty()) {
        v.required(mp + ".name");
      } else if (!volumes.contains(m.getName())) {
        v.add(new FieldError(mp + ".name", "Not found: \"" + m.getName() + "\""));
      }
      if (m.getMountPath().isEmpty()) {
        v.required(mp + ".mountPath");
      }
    }
    resources(c.getResources(), p + ".resources", v);
  }

  private static void resources(ResourceRequirements r, String p, Violations v) {
    Map<String, Quantity> limits = quantities(r.getLimitsMap(), p + ".limits", v);
    Map<String, Quantity> requests = quantities(r.getRequestsMap(), p + ".requests", v);
    requests.forEach((name, request) -> {
      Quantity limit = limits.get(name);
      if (limit != null && request.compareTo(limit) > 0) {
        v.invalid(p + ".requests[" + name + "]", r.getRequestsMap().get(name),
            "must be less than or equal to " + name + " limit of " + r.getLimitsMap().get(name));
      }
    });
  }

  private static Map<String, Quantity> quantities(Map<String, String> raw, String p, Violations v) {
    Map<String, Quantity> out = new java.util.HashMap<>();
    raw.forEach((name, text) -> {
      try {
        Quantity q = Quantity.parse(text);
        if (q.signum() < 0) {
          v.invalid(p + "[" + name + "]", text, "must be greater than or equal to 0");
        } else {
          out.put(name, q);
        }
      } catch (IllegalArgumentException e) {
        v.invalid(p + "[" + name + "]", text, "quantities must match the regular expression "
            + "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
      }
    });
    return out;
  }

  static void oneOf(String field, String value, List<String> allowed, Violations v) {
    if (value.isEmpty()) {
      v.required(field);
    } else if (!allowed.contains(value)) {
      v.add(FieldError.notSupported(field, value, allowed));
    }
  }
}
