package dev.skiff.apiserver.strategy;

import dev.skiff.api.v1.Service;
import dev.skiff.api.v1.ServicePort;
import dev.skiff.apiserver.errors.FieldError;
import dev.skiff.apiserver.errors.Violations;
import dev.skiff.client.api.Kinds;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Services: type ClusterIP, sessionAffinity None, port protocol TCP, targetPort = port. */
public final class ServiceStrategy extends BaseStrategy<Service> {
  static final List<String> TYPES = List.of("ClusterIP", "NodePort", "LoadBalancer", "ExternalName");

  public ServiceStrategy() {
    super(Kinds.SERVICE, NameRule.DNS_LABEL, true);
  }

  @Override
  protected Service applyDefaults(Service svc) {
    var spec = svc.getSpec().toBuilder();
    if (spec.getType().isEmpty()) {
      spec.setType("ClusterIP");
    }
    if (spec.getSessionAffinity().isEmpty()) {
      spec.setSessionAffinity("None");
    }
    for (int i = 0; i < spec.getPortsCount(); i++) {
      ServicePort.Builder p = spec.getPorts(i).toBuilder();
      if (p.getProtocol().isEmpty()) {
        p.setProtocol("TCP");
      }
      if (p.getTargetPort().isEmpty() || p.getTargetPort().equals("0")) {
        p.setTargetPort(Integer.toString(p.getPort()));
      }
      spec.setPorts(i, p);
    }
    return svc.toBuilder().setSpec(spec).build();
  }

  @Override
  protected void validateObject(Service svc, Violations v) {
    var spec = svc.getSpec();
    PodSpecRules.oneOf("spec.type", spec.getType(), TYPES, v);
    boolean headless = spec.getClusterIp().equals("None");
    if (spec.getType().equals("ExternalName")) {
      Names.dnsSubdomain("spec.externalName", spec.getExternalName(), v);
    } else if (spec.getPortsCount() == 0 && !headless) {
      v.required("spec.ports");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < spec.getPortsCount(); i++) {
      ServicePort p = spec.getPorts(i);
      String path = "spec.ports[" + i + "]";
      if (spec.getPortsCount() > 1 && p.getName().isEmpty()) {
        v.required(path + ".name");
      } else if (!p.getName().isEmpty()) {
        Names.dnsLabel(path + ".name", p.getName(), v);
        if (!names.add(p.getName())) {
          v.add(FieldError.duplicate(path + ".name", p.getName()));
        }
      }
      if (p.getPort() < 1 || p.getPort() > 65535) {
        v.invalid(path + ".port", p.getPort(), "must be between 1 and 65535, inclusive");
      }
      PodSpecRules.oneOf(path + ".protocol", p.getProtocol(), PodSpecRules.PROTOCOLS, v);
      String target = p.getTargetPort();
      if (target.chars().allMatch(Character::isDigit)) {
        int t = Integer.parseInt(target);
        if (t < 1 || t > 65535) {
          v.invalid(path + ".targetPort", target, "must be between 1 and 65535, inclusive");
        }
      } else if (target.length() > 15 || Names.dnsLabelError(target) != null) {
        v.invalid(path + ".targetPort", target, "must be a port number or an IANA_SVC_NAME");
      }
      if (p.getNodePort() != 0 && (p.getNodePort() < 1 || p.getNodePort() > 65535)) {
        v.invalid(path + ".nodePort", p.getNodePort(), "must be between 1 and 65535, inclusive");
      }
    }
    Names.labels("spec.selector", spec.getSelectorMap(), v);
  }
}
