package dev.skiff.cli.output;

import com.google.protobuf.Timestamp;
import dev.skiff.api.v1.ContainerStatus;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodCondition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** kubectl's pod table: NAME READY STATUS RESTARTS AGE (+ IP NODE NOMINATED NODE READINESS GATES). */
public final class PodColumns implements Columns<Pod> {
  @Override
  public List<String> headers() {
    return List.of("NAME", "READY", "STATUS", "RESTARTS", "AGE");
  }

  @Override
  public List<String> wideHeaders() {
    return List.of("IP", "NODE", "NOMINATED NODE", "READINESS GATES");
  }

  @Override
  public List<String> row(Pod pod, Instant now, boolean wide) {
    PodSummary s = summarize(pod);
    String restarts = String.valueOf(s.restarts());
    if (s.restarts() != 0 && s.lastRestart() != null) {
      restarts += " (" + Cells.age(s.lastRestart(), now) + " ago)";
    }
    List<String> row = new ArrayList<>(List.of(
        pod.getMetadata().getName(),
        s.readyContainers() + "/" + pod.getSpec().getContainersCount(),
        s.status(),
        restarts,
        Cells.age(pod.getMetadata(), now)));
    if (wide) {
      row.add(Cells.orNone(pod.getStatus().getPodIp()));
      row.add(Cells.orNone(pod.getSpec().getNodeName()));
      row.add(Cells.orNone(pod.getStatus().getNominatedNodeName()));
      row.add(readinessGates(pod));
    }
    return row;
  }

  /** What the STATUS, READY and RESTARTS columns show, computed like kubectl's printPod. */
  public record PodSummary(String status, int readyContainers, int restarts, Timestamp lastRestart) {}

  public static PodSummary summarize(Pod pod) {
    String reason = pod.getStatus().getReason().isEmpty()
        ? pod.getStatus().getPhase()
        : pod.getStatus().getReason();
    if (reason.isEmpty()) {
      reason = "Pending";
    }
    int restarts = 0;
    int ready = 0;
    Timestamp lastRestart = null;
    boolean initializing = false;
    List<ContainerStatus> inits = pod.getStatus().getInitContainerStatusesList();
    for (int i = 0; i < inits.size(); i++) {
      ContainerStatus c = inits.get(i);
      restarts += c.getRestartCount();
      lastRestart = later(lastRestart, c);
      if (c.getState().hasTerminated() && c.getState().getTerminated().getExitCode() == 0) {
        continue;
      }
      if (c.getState().hasTerminated()) {
        var t = c.getState().getTerminated();
        reason = t.getReason().isEmpty()
            ? (t.getSignal() != 0 ? "Init:Signal:" + t.getSignal() : "Init:ExitCode:" + t.getExitCode())
            : "Init:" + t.getReason();
      } else if (c.getState().hasWaiting()
          && !c.getState().getWaiting().getReason().isEmpty()
          && !c.getState().getWaiting().getReason().equals("PodInitializing")) {
        reason = "Init:" + c.getState().getWaiting().getReason();
      } else {
        reason = "Init:" + i + "/" + pod.getSpec().getInitContainersCount();
      }
      initializing = true;
      break;
    }
    if (!initializing) {
      restarts = 0;
      boolean hasRunning = false;
      List<ContainerStatus> statuses = pod.getStatus().getContainerStatusesList();
      for (int i = statuses.size() - 1; i >= 0; i--) {
        ContainerStatus c = statuses.get(i);
        restarts += c.getRestartCount();
        lastRestart = later(lastRestart, c);
        var state = c.getState();
        if (state.hasWaiting() && !state.getWaiting().getReason().isEmpty()) {
          reason = state.getWaiting().getReason();
        } else if (state.hasTerminated() && !state.getTerminated().getReason().isEmpty()) {
          reason = state.getTerminated().getReason();
        } else if (state.hasTerminated()) {
          var t = state.getTerminated();
          reason = t.getSignal() != 0 ? "Signal:" + t.getSignal() : "ExitCode:" + t.getExitCode();
        } else if (c.getReady() && state.hasRunning()) {
          hasRunning = true;
          ready++;
        }
      }
      if (reason.equals("Completed") && hasRunning) {
        reason = hasReadyCondition(pod) ? "Running" : "NotReady";
      }
    }
    if (pod.getMetadata().hasDeletionTimestamp()) {
      reason = pod.getStatus().getReason().equals("NodeLost") ? "Unknown" : "Terminating";
    }
    return new PodSummary(reason, ready, restarts, lastRestart);
  }

  private static Timestamp later(Timestamp current, ContainerStatus c) {
    if (!c.getLastState().hasTerminated() || !c.getLastState().getTerminated().hasFinishedAt()) {
      return current;
    }
    Timestamp t = c.getLastState().getTerminated().getFinishedAt();
    if (current == null || t.getSeconds() > current.getSeconds()) {
      return t;
    }
    return current;
  }

  private static boolean hasReadyCondition(Pod pod) {
    for (PodCondition c : pod.getStatus().getConditionsList()) {
      if (c.getType().equals("Ready") && c.getStatus().equals("True")) {
        return true;
      }
    }
    return false;
  }

  private static String readinessGates(Pod pod) {
    int total = pod.getSpec().getReadinessGatesCount();
    if (total == 0) {
      return Cells.NONE;
    }
    int ready = 0;
    for (var gate : pod.getSpec().getReadinessGatesList()) {
      for (PodCondition c : pod.getStatus().getConditionsList()) {
        if (c.getType().equals(gate.getConditionType()) && c.getStatus().equals("True")) {
          ready++;
        }
      }
    }
    return ready + "/" + total;
  }
}
