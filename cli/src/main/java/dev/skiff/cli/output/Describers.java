package dev.skiff.cli.output;

import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import dev.skiff.api.v1.Container;
import dev.skiff.api.v1.ContainerState;
import dev.skiff.api.v1.ContainerStatus;
import dev.skiff.api.v1.Deployment;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.OwnerReference;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodTemplateSpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The body of {@code skiff describe} (everything but Events): metadata for every kind, a
 * kubectl-like summary for Pods and Deployments, and the spec and status as YAML for the rest.
 */
public final class Describers {
  private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

  private Describers() {}

  public static String describe(String kind, Message object, Instant now) {
    ObjectMeta meta = TablePrinter.metadataOf(object);
    DescribeWriter w = new DescribeWriter();
    w.line("Name", meta.getName());
    if (!meta.getNamespace().isEmpty()) {
      w.line("Namespace", meta.getNamespace());
    }
    w.map("Labels", meta.getLabelsMap(), "=");
    Map<String, String> annotations = new HashMap<>(meta.getAnnotationsMap());
    annotations.remove(LAST_APPLIED);
    w.map("Annotations", annotations, ": ");
    w.line("CreationTimestamp", meta.hasCreationTimestamp() ? time(meta.getCreationTimestamp()) : Cells.UNKNOWN);
    for (OwnerReference ref : meta.getOwnerReferencesList()) {
      if (ref.getController()) {
        w.line("Controlled By", ref.getKind() + "/" + ref.getName());
      }
    }
    switch (object) {
      case Pod pod -> pod(w, pod);
      case Deployment d -> deployment(w, d);
      default -> rest(w, object);
    }
    return w.toString();
  }

  private static void pod(DescribeWriter w, Pod pod) {
    var status = pod.getStatus();
    w.line("Node", pod.getSpec().getNodeName().isEmpty() ? Cells.NONE
        : pod.getSpec().getNodeName() + (status.getHostIp().isEmpty() ? "" : "/" + status.getHostIp()));
    if (status.hasStartTime()) {
      w.line("Start Time", time(status.getStartTime()));
    }
    w.line("Status", pod.getMetadata().hasDeletionTimestamp() ? "Terminating" : orNone(status.getPhase()));
    w.line("IP", orNone(status.getPodIp()));
    w.heading("Containers");
    Map<String, ContainerStatus> byName = new HashMap<>();
    status.getContainerStatusesList().forEach(s -> byName.put(s.getName(), s));
    DescribeWriter containers = w.child();
    for (Container c : pod.getSpec().getContainersList()) {
      containers.heading(c.getName());
      DescribeWriter cw = containers.child();
      container(cw, c);
      ContainerStatus s = byName.get(c.getName());
      if (s != null) {
        state(cw, "State", s.getState());
        if (s.hasLastState() && !s.getLastState().equals(ContainerState.getDefaultInstance())) {
          state(cw, "Last State", s.getLastState());
        }
        cw.line("Ready", s.getReady() ? "True" : "False");
        cw.line("Restart Count", s.getRestartCount());
      }
      containers.nested(cw);
    }
    w.nested(containers);
    if (status.getConditionsCount() > 0) {
      w.heading("Conditions");
      Table t = Table.asWritten("Type", "Status");
      status.getConditionsList().forEach(c -> t.addRow(c.getType(), c.getStatus()));
      w.nested(w.child().raw(t.render(true)));
    }
  }

  private static void container(DescribeWriter w, Container c) {
    w.line("Image", c.getImage());
    if (c.getPortsCount() > 0) {
      w.line("Port", String.join(", ", c.getPortsList().stream()
          .map(p -> p.getContainerPort() + "/" + (p.getProtocol().isEmpty() ? "TCP" : p.getProtocol())).toList()));
    }
    if (c.getCommandCount() > 0) {
      w.line("Command", String.join(" ", c.getCommandList()));
    }
    if (c.getArgsCount() > 0) {
      w.line("Args", String.join(" ", c.getArgsList()));
    }
    if (c.getEnvCount() > 0) {
      Map<String, String> env = new HashMap<>();
      c.getEnvList().forEach(e -> env.put(e.getName(), e.hasValueFrom() ? "(from a source)" : e.getValue()));
      w.map("Environment", env, ": ");
    }
  }

  private static void state(DescribeWriter w, String key, ContainerState s) {
    if (s.hasRunning()) {
      w.line(key, "Running");
      if (s.getRunning().hasStartedAt()) {
        w.nested(w.child().line("Started", time(s.getRunning().getStartedAt())));
      }
    } else if (s.hasTerminated()) {
      w.line(key, "Terminated");
      DescribeWriter t = w.child();
      t.line("Reason", orNone(s.getTerminated().getReason()));
      t.line("Exit Code", s.getTerminated().getExitCode());
      if (s.getTerminated().hasFinishedAt()) {
        t.line("Finished", time(s.getTerminated().getFinishedAt()));
      }
      w.nested(t);
    } else if (s.hasWaiting()) {
      w.line(key, "Waiting");
      w.nested(w.child().line("Reason", orNone(s.getWaiting().getReason())));
    } else {
      w.line(key, "Waiting");
    }
  }

  private static void deployment(DescribeWriter w, Deployment d) {
    var spec = d.getSpec();
    var status = d.getStatus();
    int desired = spec.hasReplicas() ? spec.getReplicas() : 1;
    w.line("Selector", Cells.selector(spec.getSelector()));
    w.line("Replicas", desired + " desired | " + status.getUpdatedReplicas() + " updated | "
        + status.getReplicas() + " total | " + status.getAvailableReplicas() + " available | "
        + status.getUnavailableReplicas() + " unavailable");
    w.line("StrategyType", spec.getStrategy().getType().isEmpty() ? "RollingUpdate" : spec.getStrategy().getType());
    w.line("MinReadySeconds", spec.getMinReadySeconds());
    if (spec.getPaused()) {
      w.line("Paused", "true");
    }
    template(w, spec.getTemplate());
    if (status.getConditionsCount() > 0) {
      w.heading("Conditions");
      Table t = Table.asWritten("Type", "Status", "Reason");
      status.getConditionsList().forEach(c -> t.addRow(c.getType(), c.getStatus(), orNone(c.getReason())));
      w.nested(w.child().raw(t.render(true)));
    }
  }

  private static void template(DescribeWriter w, PodTemplateSpec template) {
    w.heading("Pod Template");
    DescribeWriter tw = w.child();
    tw.map("Labels", template.getMetadata().getLabelsMap(), "=");
    tw.heading("Containers");
    DescribeWriter cs = tw.child();
    for (Container c : template.getSpec().getContainersList()) {
      cs.heading(c.getName());
      cs.nested(cs.child().raw(containerText(c)));
    }
    tw.nested(cs);
    w.nested(tw);
  }

  private static String containerText(Container c) {
    DescribeWriter w = new DescribeWriter();
    container(w, c);
    return w.toString();
  }

  /** Any other kind: its fields besides metadata, as YAML. */
  private static void rest(DescribeWriter w, Message object) {
    String yaml = ObjectFormats.yaml(object);
    StringBuilder kept = new StringBuilder();
    boolean skipping = false;
    for (String line : yaml.split("\n")) {
      boolean topLevel = !line.startsWith(" ") && !line.startsWith("-");
      if (topLevel) {
        skipping = line.startsWith("metadata:") || line.startsWith("apiVersion:") || line.startsWith("kind:");
      }
      if (!skipping) {
        kept.append(line).append('\n');
      }
    }
    w.raw(kept.toString());
  }

  private static String time(Timestamp ts) {
    return TIME.format(Cells.toInstant(ts));
  }

  private static String orNone(String s) {
    return Cells.orNone(s);
  }

  static List<String> names(List<Container> containers) {
    return containers.stream().map(Container::getName).toList();
  }
}
