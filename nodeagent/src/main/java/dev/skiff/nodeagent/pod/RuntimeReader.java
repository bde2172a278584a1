package dev.skiff.nodeagent.pod;

import dev.skiff.cri.ContainerRuntime;
import dev.skiff.cri.CriException;
import dev.skiff.cri.v1.Container;
import dev.skiff.cri.v1.ContainerFilter;
import dev.skiff.cri.v1.ContainerStatus;
import dev.skiff.cri.v1.PodSandbox;
import dev.skiff.cri.v1.PodSandboxFilter;
import dev.skiff.cri.v1.PodSandboxState;
import dev.skiff.cri.v1.PodSandboxStatus;
import dev.skiff.nodeagent.runtime.RuntimeLabels;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads a {@link RuntimePod} from the runtime: sandboxes and containers by the pod-uid label, the
 * full status of each container (exit code, times), and the ready sandbox's IP (cached per
 * sandbox id: it never changes); or, after the agent's own creations, the previous read plus just
 * what was created. Thread-safe.
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

  /**
   * {@code rt} with the sandbox {@code sandboxId} that was just created added, from one
   * PodSandboxStatus call instead of a full read: the caller changed nothing else since it read
   * {@code rt}. (Whatever else changed meanwhile, the next relist sees.)
   */
  public RuntimePod withNewSandbox(RuntimePod rt, String sandboxId) {
    PodSandboxStatus st = runtime.podSandboxStatus(sandboxId);
    PodSandbox created = PodSandbox.newBuilder().setId(sandboxId).setMetadata(st.getMetadata())
        .setState(st.getState()).setCreatedAt(st.getCreatedAt()).putAllLabels(st.getLabelsMap())
        .putAllAnnotations(st.getAnnotationsMap()).setRuntimeHandler(st.getRuntimeHandler()).build();
    List<PodSandbox> sandboxes = new ArrayList<>(rt.sandboxes());
    sandboxes.add(created);
    RuntimePod pod = new RuntimePod(rt.uid(), sandboxes, rt.containers(), "");
    String ip = pod.readySandbox().map(s -> sandboxIps.computeIfAbsent(s.getId(),
        id -> id.equals(sandboxId) ? st.getNetwork().getIp() : runtime.podSandboxStatus(id).getNetwork().getIp()))
        .orElse("");
    return new RuntimePod(rt.uid(), sandboxes, rt.containers(), ip);
  }

  /**
   * {@code rt} with the containers {@code startedIds} (just created and started in the pod's
   * sandbox {@code sandboxId}) added, from one ContainerStatus call each instead of a full read.
   */
  public RuntimePod withStarted(RuntimePod rt, String sandboxId, List<String> startedIds) {
    List<ContainerStatus> containers = new ArrayList<>(rt.containers());
    for (String id : startedIds) {
      try {
        containers.add(runtime.containerStatus(id).toBuilder().putLabels(SANDBOX_ID_KEY, sandboxId).build());
      } catch (CriException e) {
        if (!e.isNotFound()) {
          throw e;
        }
      }
    }
    return new RuntimePod(rt.uid(), rt.sandboxes(), containers, rt.sandboxIp());
  }

  /** Forgets cached IPs of sandboxes that are gone or not ready. */
  public void forgetSandbox(String sandboxId) {
    sandboxIps.remove(sandboxId);
  }

  static boolean ready(PodSandbox s) {
    return s.getState() == PodSandboxState.SANDBOX_READY;
  }
}
