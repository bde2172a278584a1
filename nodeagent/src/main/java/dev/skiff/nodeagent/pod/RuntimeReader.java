package dev.skiff.nodeagent.pod;

import dev.skiff.cri.ContainerRuntime;
import dev.skiff.cri.CriException;
import dev.skiff.cri.v1.Container;
import dev.skiff.cri.v1.ContainerFilter;
import dev.skiff.cri.v1.ContainerStatus;
import dev.skiff.cri.v1.PodSandbox;
import dev.skiff.cri.v1.PodSandboxFilter;
import dev.skiff.cri.v1.PodSandboxState;
import dev.skiff.nodeagent.runtime.RuntimeLabels;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads a {@link RuntimePod} from the runtime: sandboxes and containers by the pod-uid label, the
 * full status of each container (exit code, times), and the ready sandbox's IP (cached per
 * sandbox id: it never changes). Thread-safe.
 */
public final class RuntimeReader {
  /** Key under which the container's sandbox id is carried in {@link RuntimePod} statuses. */
  static final String SANDBOX_ID_KEY = "dev.skiff.sandbox.id";

  private final ContainerRuntime runtime;
  private final ConcurrentHashMap<String, String> sandboxIps = new ConcurrentHashMap<>();

  public RuntimeReader(ContainerRuntime runtime) {
    this.runtime = runtime;
  }

  public RuntimePod read(String uid) {
    List<PodSandbox> sandboxes = runtime.listPodSandbox(
        PodSandboxFilter.newBuilder().putLabelSelector(RuntimeLabels.POD_UID, uid).build());
    List<Container> summaries = runtime.listContainers(
        ContainerFilter.newBuilder().putLabelSelector(RuntimeLabels.POD_UID, uid).build());
    List<ContainerStatus> statuses = new ArrayList<>(summaries.size());
    for (Container c : summaries) {
      try {
        statuses.add(runtime.containerStatus(c.getId()).toBuilder()
            .putLabels(SANDBOX_ID_KEY, c.getPodSandboxId()).build());
      } catch (CriException e) {
        if (!e.isNotFound()) {
          throw e;
        }
      }
    }
    RuntimePod pod = new RuntimePod(uid, sandboxes, statuses, "");
    String ip = pod.readySandbox().map(s -> sandboxIps.computeIfAbsent(s.getId(),
        id -> runtime.podSandboxStatus(id).getNetwork().getIp())).orElse("");
    return new RuntimePod(uid, sandboxes, statuses, ip);
  }

  /** Forgets cached IPs of sandboxes that are gone or not ready. */
  public void forgetSandbox(String sandboxId) {
    sandboxIps.remove(sandboxId);
  }

  static boolean ready(PodSandbox s) {
    return s.getState() == PodSandboxState.SANDBOX_READY;
  }
}
