package dev.skiff.bench.podstartup;

import dev.skiff.cri.ContainerRuntime;
import dev.skiff.cri.v1.AuthConfig;
import dev.skiff.cri.v1.Container;
import dev.skiff.cri.v1.ContainerConfig;
import dev.skiff.cri.v1.ContainerFilter;
import dev.skiff.cri.v1.ContainerStats;
import dev.skiff.cri.v1.ContainerStatsFilter;
import dev.skiff.cri.v1.ContainerStatus;
import dev.skiff.cri.v1.ExecSyncResponse;
import dev.skiff.cri.v1.FilesystemUsage;
import dev.skiff.cri.v1.Image;
import dev.skiff.cri.v1.LinuxContainerResources;
import dev.skiff.cri.v1.PodSandbox;
import dev.skiff.cri.v1.PodSandboxConfig;
import dev.skiff.cri.v1.PodSandboxFilter;
import dev.skiff.cri.v1.PodSandboxStatus;
import dev.skiff.cri.v1.RuntimeStatus;
import dev.skiff.cri.v1.VersionResponse;
import dev.skiff.nodeagent.runtime.RuntimeLabels;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A {@link ContainerRuntime} that forwards every call to the real one and records, per pod uid,
 * when the agent first touched the pod and when each startup call began and ended (nanoTime), and
 * how many CRI calls each pod cost. A call without a uid of its own (image status, start) is
 * charged to the pod whose sync runs on the calling thread: the agent syncs one pod per thread.
 *
 * <p>Thread-safe: every map is concurrent; {@link #currentUid} is per thread.
 */
final class TimedRuntime implements ContainerRuntime {
  /** Phases recorded per pod, in startup order; each has a begin and an end mark. */
  enum Phase { SEEN, SANDBOX, IMAGE, CREATE, START }

  /** Marks of one pod: begin/end nanoTime per phase (first occurrence), and calls by operation. */
  static final class Marks {
    final Map<Phase, long[]> at = new ConcurrentHashMap<>();
    final Map<String, Integer> calls = new ConcurrentHashMap<>();

    long begin(Phase p) {
      long[] v = at.get(p);
      return v == null ? -1 : v[0];
    }

    long end(Phase p) {
      long[] v = at.get(p);
      return v == null ? -1 : v[1];
    }
  }

  private final ContainerRuntime delegate;
  private final Map<String, Marks> byUid = new ConcurrentHashMap<>();
  private final ThreadLocal<String> currentUid = new ThreadLocal<>();

  TimedRuntime(ContainerRuntime delegate) {
    this.delegate = delegate;
  }

  Marks marks(String uid) {
    return byUid.get(uid);
  }

  void reset() {
    byUid.clear();
  }

  private <T> T timed(String uid, Phase phase, String op, Supplier<T> call) {
    if (uid == null || uid.isEmpty()) {
      return call.get();
    }
    Marks m = byUid.computeIfAbsent(uid, k -> new Marks());
    m.calls.merge(op, 1, Integer::sum);
    long t0 = System.nanoTime();
    T r = call.get();
    if (phase != null) {
      m.at.putIfAbsent(phase, new long[] {t0, System.nanoTime()});
    }
    return r;
  }

  private void timed(String uid, Phase phase, String op, Runnable call) {
    timed(uid, phase, op, () -> {
      call.run();
      return null;
    });
  }

  @Override
  public List<PodSandbox> listPodSandbox(PodSandboxFilter filter) {
    String uid = filter.getLabelSelectorOrDefault(RuntimeLabels.POD_UID, null);
    if (uid != null) {
      currentUid.set(uid);
    }
    return timed(uid, Phase.SEEN, "ListPodSandbox", () -> delegate.listPodSandbox(filter));
  }

  @Override
  public String runPodSandbox(PodSandboxConfig config, String runtimeHandler) {
    return timed(config.getMetadata().getUid(), Phase.SANDBOX, "RunPodSandbox",
        () -> delegate.runPodSandbox(config, runtimeHandler));
  }

  @Override
  public Optional<Image> imageStatus(String image) {
    return timed(currentUid.get(), Phase.IMAGE, "ImageStatus", () -> delegate.imageStatus(image));
  }

  @Override
  public String pullImage(String image, AuthConfig auth, PodSandboxConfig sandboxConfig) {
    return timed(sandboxConfig == null ? null : sandboxConfig.getMetadata().getUid(), Phase.IMAGE, "PullImage",
        () -> delegate.pullImage(image, auth, sandboxConfig));
  }

  @Override
  public String createContainer(String sandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig) {
    return timed(sandboxConfig.getMetadata().getUid(), Phase.CREATE, "CreateContainer",
        () -> delegate.createContainer(sandboxId, config, sandboxConfig));
  }

  @Override
  public void startContainer(String containerId) {
    timed(currentUid.get(), Phase.START, "StartContainer", () -> delegate.startContainer(containerId));
  }

  @Override
  public List<Container> listContainers(ContainerFilter filter) {
    return timed(filter.getLabelSelectorOrDefault(RuntimeLabels.POD_UID, null), null, "ListContainers",
        () -> delegate.listContainers(filter));
  }

  @Override
  public ContainerStatus containerStatus(String containerId) {
    return timed(currentUid.get(), null, "ContainerStatus", () -> delegate.containerStatus(containerId));
  }

  @Override
  public PodSandboxStatus podSandboxStatus(String sandboxId) {
    return timed(currentUid.get(), null, "PodSandboxStatus", () -> delegate.podSandboxStatus(sandboxId));
  }

  // ------------------------------------------------------------------ not timed

  @Override
  public VersionResponse version() {
    return delegate.version();
  }

  @Override
  public RuntimeStatus status() {
    return delegate.status();
  }

  @Override
  public void stopPodSandbox(String sandboxId) {
    delegate.stopPodSandbox(sandboxId);
  }

  @Override
  public void removePodSandbox(String sandboxId) {
    delegate.removePodSandbox(sandboxId);
  }

  @Override
  public void stopContainer(String containerId, Duration gracePeriod) {
    delegate.stopContainer(containerId, gracePeriod);
  }

  @Override
  public void removeContainer(String containerId) {
    delegate.removeContainer(containerId);
  }

  @Override
  public void updateContainerResources(String containerId, LinuxContainerResources resources) {
    delegate.updateContainerResources(containerId, resources);
  }

  @Override
  public void reopenContainerLog(String containerId) {
    delegate.reopenContainerLog(containerId);
  }

  @Override
  public ExecSyncResponse execSync(String containerId, List<String> command, Duration timeout) {
    return delegate.execSync(containerId, command, timeout);
  }

  @Override
  public ContainerStats containerStats(String containerId) {
    return delegate.containerStats(containerId);
  }

  @Override
  public List<ContainerStats> listContainerStats(ContainerStatsFilter filter) {
    return delegate.listContainerStats(filter);
  }

  @Override
  public List<Image> listImages() {
    return delegate.listImages();
  }

  @Override
  public void removeImage(String image) {
    delegate.removeImage(image);
  }

  @Override
  public List<FilesystemUsage> imageFsInfo() {
    return delegate.imageFsInfo();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
