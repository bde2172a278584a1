package dev.skiff.cli.output;

import dev.skiff.api.v1.Node;
import dev.skiff.api.v1.NodeAddress;
import dev.skiff.api.v1.NodeCondition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** kubectl's node table: NAME STATUS ROLES AGE VERSION (+ addresses, OS, kernel, runtime). */
public final class NodeColumns implements Columns<Node> {
  private static final String ROLE_PREFIX = "node-role.kubernetes.io/";

  @Override
  public List<String> headers() {
    return List.of("NAME", "STATUS", "ROLES", "AGE", "VERSION");
  }

  @Override
  public List<String> wideHeaders() {
    return List.of("INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME");
  }

  @Override
  public List<String> row(Node node, Instant now, boolean wide) {
    var info = node.getStatus().getNodeInfo();
    List<String> row = new ArrayList<>(List.of(
        node.getMetadata().getName(),
        status(node),
        roles(node),
        Cells.age(node.getMetadata(), now),
        info.getKubeletVersion().isEmpty() ? Cells.UNKNOWN : info.getKubeletVersion()));
    if (wide) {
      row.add(address(node, "InternalIP"));
      row.add(address(node, "ExternalIP"));
      row.add(info.getOsImage().isEmpty() ? Cells.UNKNOWN : info.getOsImage());
      row.add(info.getKernelVersion().isEmpty() ? Cells.UNKNOWN : info.getKernelVersion());
      row.add(info.getContainerRuntimeVersion().isEmpty() ? Cells.UNKNOWN : info.getContainerRuntimeVersion());
    }
    return row;
  }

  /** Ready, NotReady or Unknown from the Ready condition, plus SchedulingDisabled when cordoned. */
  public static String status(Node node) {
    String status = "Unknown";
    for (NodeCondition c : node.getStatus().getConditionsList()) {
      if (c.getType().equals("Ready")) {
        status = switch (c.getStatus()) {
          case "True" -> "Ready";
          case "False" -> "NotReady";
          default -> "Unknown";
        };
      }
    }
    if (node.getSpec().getUnschedulable()) {
      status += ",SchedulingDisabled";
    }
    return status;
  }

  private static String roles(Node node) {
    TreeSet<String> roles = new TreeSet<>();
    node.getMetadata().getLabelsMap().forEach((k, v) -> {
      if (k.startsWith(ROLE_PREFIX) && k.length() > ROLE_PREFIX.length()) {
        roles.add(k.substring(ROLE_PREFIX.length()));
      } else if (k.equals("kubernetes.io/role") && !v.isEmpty()) {
        roles.add(v);
      }
    });
    return Cells.joinOrNone(roles);
  }

  private static String address(Node node, String type) {
    for (NodeAddress a : node.getStatus().getAddressesList()) {
      if (a.getType().equals(type)) {
        return a.getAddress();
      }
    }
    return Cells.NONE;
  }
}
