package dev.skiff.nodeagent.status;

import dev.skiff.api.v1.ContainerStatus;
import dev.skiff.api.v1.Pod;
import java.util.List;

/** A pod's phase from its container statuses (kubelet's getPhase). Pure. */
public final class Phases {
  public static final String PENDING = "Pending";
  public static final String RUNNING = "Running";
  public static final String SUCCEEDED = "Succeeded";
  public static final String FAILED = "Failed";

  private Phases() {}

  public static boolean terminal(String phase) {
    return SUCCEEDED.equals(phase) || FAILED.equals(phase);
  }

  public static String restartPolicy(Pod pod) {
    String p = pod.getSpec().getRestartPolicy();
    return p.isEmpty() ? "Always" : p;
  }

  public static String phase(Pod pod, List<ContainerStatus> init, List<ContainerStatus> containers) {
    String policy = restartPolicy(pod);
    int pendingInit = 0;
    boolean initFailed = false;
    for (ContainerStatus s : init) {
      if (s.getState().hasTerminated() && s.getState().getTerminated().getExitCode() == 0) {
        continue;
      }
      pendingInit++;
      boolean failedNow = s.getState().hasTerminated() && s.getState().getTerminated().getExitCode() != 0;
      boolean failedBefore = s.getState().hasWaiting() && s.getLastState().hasTerminated()
          && s.getLastState().getTerminated().getExitCode() != 0;
      if (failedNow || failedBefore) {
        initFailed = true;
      }
    }
    if (pendingInit > 0) {
      return initFailed && "Never".equals(policy) ? FAILED : PENDING;
    }
    int running = 0;
    int waiting = 0;
    int stopped = 0;
    int succeeded = 0;
    for (ContainerStatus s : containers) {
      if (s.getState().hasRunning()) {
        running++;
      } else if (s.getState().hasTerminated()) {
        stopped++;
        if (s.getState().getTerminated().getExitCode() == 0) {
          succeeded++;
        }
      } else if (s.getLastState().hasTerminated()) {
        stopped++;
        if (s.getLastState().getTerminated().getExitCode() == 0) {
          succeeded++;
        }
      } else {
        waiting++;
      }
    }
    if (waiting > 0) {
      return PENDING;
    }
    if (running > 0) {
      return RUNNING;
    }
    if (stopped > 0) {
      return switch (policy) {
        case "Always" -> RUNNING;
        case "OnFailure" -> stopped == succeeded ? SUCCEEDED : RUNNING;
        default -> stopped == succeeded ? SUCCEEDED : FAILED;
      };
    }
    return PENDING;
  }
}
