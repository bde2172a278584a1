package dev.skiff.nodeagent.pod;

import dev.skiff.cri.ContainerRuntime;
import dev.skiff.cri.v1.Container;
import dev.skiff.cri.v1.ContainerFilter;
import dev.skiff.cri.v1.PodSandbox;
import dev.skiff.cri.v1.PodSandboxFilter;
import dev.skiff.nodeagent.runtime.RuntimeLabels;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The pod lifecycle event generator by relisting (kubelet's GenericPLEG): lists this node's
 * sandboxes and containers, and triggers a sync of every pod uid whose set of (id, state) changed
 * since the previous relist — a container that exited, a sandbox that died, objects of pods the
 * API no longer has. containerd 1.6 has no event stream, so this runs every second or so.
 *
 * <p>A pod's worker {@link #acknowledge}s the runtime state it has seen and acted on, e.g. right
 * after it started the pod's sandbox and containers: a relist that finds a pod in exactly that
 * state triggers nothing, so the agent's own changes do not cost each pod another sync.
 *
 * <p>Threading: {@link #relist()} is called by one thread at a time (the agent's relist loop or a
 * test); {@code previous} and {@code first} are confined to that caller. {@link #acknowledge} is
 * called by pod workers: the acknowledged states are a concurrent map.
 */
public final class Relister {
  private final ContainerRuntime runtime;
  private final String nodeName;
  private final Consumer<String> trigger;
  private static final String GONE = new TreeMap<String, String>().toString();

  private final ConcurrentHashMap<String, String> acknowledged = new ConcurrentHashMap<>();
  private Map<String, String> previous = Map.of();
  private boolean first = true;

  public Relister(ContainerRuntime runtime, String nodeName, Consumer<String> trigger) {
    this.runtime = runtime;
    this.nodeName = nodeName;
    this.trigger = trigger;
  }

  /**
   * The pod's worker has seen {@code rt} and acted on it: a relist that finds the pod's sandboxes
   * and containers in exactly these states need not sync it.
   */
  public void acknowledge(RuntimePod rt) {
    acknowledged.put(rt.uid(), fingerprint(rt));
  }

  /** The pod's worker removed everything of the pod: its disappearance needs no sync. */
  public void acknowledgeGone(String uid) {
    acknowledged.put(uid, GONE);
  }

  private static String fingerprint(RuntimePod rt) {
    TreeMap<String, String> m = new TreeMap<>();
    rt.sandboxes().forEach(s -> m.put("s/" + s.getId(), s.getState().name()));
    rt.containers().forEach(c -> m.put("c/" + c.getId(), c.getState().name()));
    return m.toString();
  }

  /** One relist; returns the uids it triggered. */
  public Set<String> relist() {
    Map<String, TreeMap<String, String>> byUid = new HashMap<>();
    for (PodSandbox s : runtime.listPodSandbox(PodSandboxFilter.newBuilder()
        .putLabelSelector(RuntimeLabels.NODE, nodeName).build())) {
      byUid.computeIfAbsent(RuntimeLabels.podUid(s.getLabelsMap()), k -> new TreeMap<>())
          .put("s/" + s.getId(), s.getState().name());
    }
    for (Container c : runtime.listContainers(ContainerFilter.newBuilder()
        .putLabelSelector(RuntimeLabels.NODE, nodeName).build())) {
      byUid.computeIfAbsent(RuntimeLabels.podUid(c.getLabelsMap()), k -> new TreeMap<>())
          .put("c/" + c.getId(), c.getState().name());
    }
    Map<String, String> now = new HashMap<>();
    byUid.forEach((uid, m) -> now.put(uid, m.toString()));
    Set<String> changed = new HashSet<>();
    for (Map.Entry<String, String> e : now.entrySet()) {
      if (first || (!e.getValue().equals(previous.get(e.getKey()))
          && !e.getValue().equals(acknowledged.get(e.getKey())))) {
        changed.add(e.getKey());
      }
    }
    for (String uid : previous.keySet()) {
      if (!now.containsKey(uid) && !GONE.equals(acknowledged.get(uid))) {
        changed.add(uid);
      }
    }
    acknowledged.entrySet().removeIf(e -> GONE.equals(e.getValue()) && !now.containsKey(e.getKey()));
    previous = now;
    first = false;
    changed.remove("");
    changed.forEach(trigger);
    return changed;
  }
}
