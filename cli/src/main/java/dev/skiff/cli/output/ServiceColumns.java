package dev.skiff.cli.output;

import dev.skiff.api.v1.LoadBalancerIngress;
import dev.skiff.api.v1.Service;
import dev.skiff.api.v1.ServicePort;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** kubectl's service table: NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE (+ SELECTOR). */
public final class ServiceColumns implements Columns<Service> {
  @Override
  public List<String> headers() {
    return List.of("NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE");
  }

  @Override
  public List<String> wideHeaders() {
    return List.of("SELECTOR");
  }

  @Override
  public List<String> row(Service svc, Instant now, boolean wide) {
    var spec = svc.getSpec();
    String type = spec.getType().isEmpty() ? "ClusterIP" : spec.getType();
    List<String> row = new ArrayList<>(List.of(
        svc.getMetadata().getName(),
        type,
        Cells.orNone(spec.getClusterIp()),
        externalIp(svc, type),
        ports(spec.getPortsList()),
        Cells.age(svc.getMetadata(), now)));
    if (wide) {
      row.add(Cells.labels(spec.getSelectorMap()));
    }
    return row;
  }

  private static String externalIp(Service svc, String type) {
    var spec = svc.getSpec();
    switch (type) {
      case "ExternalName":
        return spec.getExternalName();
      case "LoadBalancer": {
        List<String> ips = new ArrayList<>();
        for (LoadBalancerIngress i : svc.getStatus().getLoadBalancer().getIngressList()) {
          ips.add(i.getIp().isEmpty() ? i.getHostname() : i.getIp());
        }
        ips.addAll(spec.getExternalIpsList());
        return ips.isEmpty() ? "<pending>" : String.join(",", ips);
      }
      default:
        return Cells.joinOrNone(spec.getExternalIpsList());
    }
  }

  static String ports(List<ServicePort> ports) {
    if (ports.isEmpty()) {
      return Cells.NONE;
    }
    List<String> out = new ArrayList<>();
    for (ServicePort p : ports) {
      String protocol = p.getProtocol().isEmpty() ? "TCP" : p.getProtocol();
      out.add(p.getNodePort() == 0
          ? p.getPort() + "/" + protocol
          : p.getPort() + ":" + p.getNodePort() + "/" + protocol);
    }
    return String.join(",", out);
  }
}
