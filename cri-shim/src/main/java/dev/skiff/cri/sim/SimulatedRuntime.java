package dev.skiff.cri.sim;

import dev.skiff.cri.v1.ContainerConfig;
import dev.skiff.cri.v1.ContainerFilter;
import dev.skiff.cri.v1.ContainerState;
import dev.skiff.cri.v1.ContainerStatus;
import dev.skiff.cri.v1.CreateContainerRequest;
import dev.skiff.cri.v1.ExecSyncRequest;
import dev.skiff.cri.v1.ExecSyncResponse;
import dev.skiff.cri.v1.LinuxContainerResources;
import dev.skiff.cri.v1.NamespaceMode;
import dev.skiff.cri.v1.PodSandboxConfig;
import dev.skiff.cri.v1.PodSandboxFilter;
import dev.skiff.cri.v1.PodSandboxMetadata;
import dev.skiff.cri.v1.PodSandboxState;
import dev.skiff.cri.v1.PodSandboxStatus;
import dev.skiff.cri.v1.RunPodSandboxRequest;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The in-memory state of one simulated container runtime (one node): sandboxes with IPs from a
 * range, containers that "run" without processes, and an image store. It answers like
 * containerd's CRI plugin (same codes and messages for the cases the agent handles).
 *
 * <p>Time: containers exit when the injected clock passes their behaviour's run time; the state is
 * brought up to date on every call, so no thread runs behind the simulation. Step a manual clock
 * and the next call sees the exits.
 *
 * <p>Threading: thread-safe; every method holds this object's monitor. Lock order: this runtime,
 * then its {@link SimImages}.
 */
public final class SimulatedRuntime {
  /** A rule picking the behaviour of new containers; the first matching rule wins. */
  private record Rule(ContainerMatch match, ContainerBehavior behavior) {}

  private final SimulatedCriConfig config;
  private final SimImages images;
  private final Ipv4Pool pool;
  private final Map<String, SimSandbox> sandboxes = new HashMap<>();
  private final Map<String, SimContainer> containers = new HashMap<>();
  private final List<Rule> rules = new ArrayList<>();
  private boolean networkReady = true;

  public SimulatedRuntime(SimulatedCriConfig config) {
    this.config = config;
    this.images = new SimImages(config.anyImagePullable());
    this.pool = new Ipv4Pool(config.podCidr());
  }

  public SimImages images() {
    return images;
  }

  SimulatedCriConfig config() {
    return config;
  }

  // ----------------------------------------------------------------------------- scripting

  /** New containers matching {@code match} get {@code behavior} (rules are tried in order). */
  public synchronized void addRule(ContainerMatch match, ContainerBehavior behavior) {
    rules.add(new Rule(match, behavior));
  }

  /** Overrides what ExecSync of {@code command} answers in one existing container. */
  public synchronized void scriptExec(String containerId, List<String> command, ExecOutcome outcome) {
    container(containerId).execOverrides.put(List.copyOf(command), outcome);
  }

  /** The container's process exits now with {@code exitCode} (a crash). */
  public synchronized void crash(String containerId, int exitCode) {
    SimContainer c = running(containerId, "crash");
    c.finish(nowNanos(), exitCode, null);
  }

  /** The container is OOM-killed now (exit 137, reason OOMKilled). */
  public synchronized void oomKill(String containerId) {
    SimContainer c = running(containerId, "oomKill");
    c.finish(nowNanos(), 137, "OOMKilled");
  }

  /** What Status reports for NetworkReady (true at start). */
  public synchronized void setNetworkReady(boolean ready) {
    networkReady = ready;
  }

  public synchronized boolean networkReady() {
    return networkReady;
  }

  public synchronized int sandboxCount() {
    return sandboxes.size();
  }

  public synchronized int containerCount() {
    return containers.size();
  }

  // ----------------------------------------------------------------------------- sandboxes

  public synchronized String runPodSandbox(RunPodSandboxRequest req) {
    PodSandboxConfig cfg = req.getConfig();
    PodSandboxMetadata md = cfg.getMetadata();
    if (md.getName().isEmpty() || md.getNamespace().isEmpty() || md.getUid().isEmpty()) {
      throw invalid("sandbox config must include metadata.name, metadata.namespace and metadata.uid");
    }
    String name = md.getName() + "_" + md.getNamespace() + "_" + md.getUid() + "_" + md.getAttempt();
    for (SimSandbox s : sandboxes.values()) {
      PodSandboxMetadata o = s.config.getMetadata();
      if (o.getName().equals(md.getName()) && o.getNamespace().equals(md.getNamespace())
          && o.getUid().equals(md.getUid()) && o.getAttempt() == md.getAttempt()) {
        throw unknown("failed to reserve sandbox name \"" + name + "\": name \"" + name
            + "\" is reserved for \"" + s.id + "\"");
      }
    }
    boolean hostNetwork =
        cfg.getLinux().getSecurityContext().getNamespaceOptions().getNetwork() == NamespaceMode.NODE;
    String ip;
    try {
      ip = hostNetwork ? config.nodeIp() : pool.allocate();
    } catch (IllegalStateException e) {
      throw unknown("failed to setup network for sandbox: " + e.getMessage());
    }
    SimSandbox s = new SimSandbox(SimLookup.newId(), cfg, req.getRuntimeHandler(), nowNanos(), ip, !hostNetwork);
    sandboxes.put(s.id, s);
    return s.id;
  }

  public synchronized void stopPodSandbox(String id) {
    SimSandbox s = sandbox(id);
    long now = nowNanos();
    for (SimContainer c : containers.values()) {
      if (c.sandboxId.equals(s.id)) {
        c.advance(now);
        if (c.state == ContainerState.CONTAINER_RUNNING) {
          c.finish(now, 137, null); // containerd stops them with timeout 0: SIGKILL
        }
      }
    }
    s.state = PodSandboxState.SANDBOX_NOTREADY;
    releaseIp(s);
  }

  public synchronized void removePodSandbox(String id) {
    SimSandbox s = findSandbox(id);
    if (s == null) {
      return; // idempotent, as containerd
    }
    containers.values().removeIf(c -> c.sandboxId.equals(s.id));
    releaseIp(s);
    sandboxes.remove(s.id);
  }

  public synchronized PodSandboxStatus podSandboxStatus(String id) {
    return sandbox(id).status();
  }

  public synchronized List<dev.skiff.cri.v1.PodSandbox> listPodSandbox(PodSandboxFilter f) {
    List<dev.skiff.cri.v1.PodSandbox> out = new ArrayList<>();
    for (SimSandbox s : sandboxes.values()) {
      if ((f.getId().isEmpty() || s.id.startsWith(f.getId()))
          && (!f.hasState() || f.getState().getState() == s.state)
          && SimLookup.labelsMatch(f.getLabelSelectorMap(), s.config.getLabelsMap())) {
        out.add(s.summary());
      }
    }
    return out;
  }

  // ----------------------------------------------------------------------------- containers

  public synchronized String createContainer(CreateContainerRequest req) {
    SimSandbox s = sandbox(req.getPodSandboxId());
    ContainerConfig cfg = req.getConfig();
    if (cfg.getMetadata().getName().isEmpty()) {
      throw invalid("container config must include metadata.name");
    }
    if (s.state != PodSandboxState.SANDBOX_READY) {
      throw unknown("failed to create containerd container: sandbox " + s.id + " is not ready");
    }
    String name = cfg.getMetadata().getName() + "_" + s.config.getMetadata().getName() + "_"
        + s.config.getMetadata().getNamespace() + "_" + s.config.getMetadata().getUid() + "_"
        + cfg.getMetadata().getAttempt();
    for (SimContainer c : containers.values()) {
      if (c.sandboxId.equals(s.id) && c.config.getMetadata().getName().equals(cfg.getMetadata().getName())
          && c.config.getMetadata().getAttempt() == cfg.getMetadata().getAttempt()) {
        throw unknown("failed to reserve container name \"" + name + "\": name \"" + name
            + "\" is reserved for \"" + c.id + "\"");
      }
    }
    String image = cfg.getImage().getImage();
    String imageRef = images.find(image)
        .orElseThrow(() -> Status.NOT_FOUND
            .withDescription("failed to resolve image \"" + image + "\": not found")
            .asRuntimeException())
        .getId();
    String logPath = s.config.getLogDirectory().isEmpty() || cfg.getLogPath().isEmpty()
        ? ""
        : Path.of(s.config.getLogDirectory(), cfg.getLogPath()).toString();
    SimContainer c = new SimContainer(SimLookup.newId(), s.id, cfg, imageRef, logPath, nowNanos(),
        behaviorFor(s.config.getMetadata(), cfg));
    containers.put(c.id, c);
    return c.id;
  }

  public synchronized void startContainer(String id) {
    SimContainer c = container(id);
    if (c.state != ContainerState.CONTAINER_CREATED) {
      throw unknown("container " + c.id + " is in " + c.state + " state, only a created container can start");
    }
    SimSandbox s = sandboxes.get(c.sandboxId);
    if (s == null || s.state != PodSandboxState.SANDBOX_READY) {
      throw unknown("sandbox container \"" + c.sandboxId + "\" is not running");
    }
    Instant now = config.clock().instant();
    if (config.writeLogs() && !c.logPath.isEmpty()) {
      try {
        CriLogWriter.create(Path.of(c.logPath));
        CriLogWriter.append(Path.of(c.logPath), now, "stdout", c.behavior.logLines());
      } catch (IOException e) {
        throw unknown("failed to create container log " + c.logPath + ": " + e.getMessage());
      }
    }
    c.state = ContainerState.CONTAINER_RUNNING;
    c.startedAtNanos = SimLookup.nanos(now);
    c.advance(SimLookup.nanos(now)); // a zero run time exits at once
  }

  public synchronized void stopContainer(String id, long timeoutSeconds) {
    SimContainer c = container(id);
    long now = nowNanos();
    c.advance(now);
    if (c.state == ContainerState.CONTAINER_CREATED) {
      return;
    }
    c.finish(now, c.behavior.termExitCode(), null);
  }

  public synchronized void removeContainer(String id) {
    SimContainer c = findContainer(id);
    if (c != null) {
      containers.remove(c.id); // a running container is killed and removed, as the CRI asks
    }
  }

  public synchronized ContainerStatus containerStatus(String id) {
    SimContainer c = container(id);
    c.advance(nowNanos());
    return c.status();
  }

  public synchronized List<dev.skiff.cri.v1.Container> listContainers(ContainerFilter f) {
    return matching(f.getId(), f.getPodSandboxId(), f.getLabelSelectorMap(),
        c -> !f.hasState() || f.getState().getState() == c.state).stream().map(SimContainer::summary).toList();
  }

  public synchronized void updateContainerResources(String id, LinuxContainerResources resources) {
    SimContainer c = container(id);
    c.advance(nowNanos());
    if (c.state == ContainerState.CONTAINER_EXITED) {
      throw unknown("container \"" + c.id + "\" is in CONTAINER_EXITED state");
    }
    c.resources = resources;
  }

  public synchronized void reopenContainerLog(String id) {
    SimContainer c = container(id);
    c.advance(nowNanos());
    if (c.state != ContainerState.CONTAINER_RUNNING) {
      throw Status.FAILED_PRECONDITION.withDescription("container is not running").asRuntimeException();
    }
  }

  /**
   * Answers an exec with the outcome {@link SimContainer#execOutcome} picks for its command.
   */
  public synchronized ExecSyncResponse execSync(ExecSyncRequest req) {
    SimContainer c = container(req.getContainerId());
    c.advance(nowNanos());
    if (c.state != ContainerState.CONTAINER_RUNNING) {
      throw unknown("container is in " + c.state + " state");
    }
    List<String> cmd = req.getCmdList();
    if (cmd.isEmpty()) {
      throw invalid("exec command must not be empty");
    }
    ExecOutcome o = c.execOutcome(cmd);
    if (o.timesOut()) {
      throw Status.DEADLINE_EXCEEDED
          .withDescription("failed to exec in container: timeout " + req.getTimeout() + "s exceeded: context deadline exceeded")
          .asRuntimeException();
    }
    return ExecSyncResponse.newBuilder()
        .setExitCode(o.exitCode())
        .setStdout(ByteString.copyFromUtf8(o.stdout()))
        .setStderr(ByteString.copyFromUtf8(o.stderr()))
        .build();
  }

  /** Containers matching a CRI filter, brought up to date. */
  synchronized List<SimContainer> matching(String idPrefix, String sandboxId, Map<String, String> labels,
      Predicate<SimContainer> extra) {
    long now = nowNanos();
    List<SimContainer> out = new ArrayList<>();
    for (SimContainer c : containers.values()) {
      c.advance(now);
      if ((idPrefix.isEmpty() || c.id.startsWith(idPrefix))
          && (sandboxId.isEmpty() || c.sandboxId.startsWith(sandboxId))
          && SimLookup.labelsMatch(labels, c.config.getLabelsMap())
          && extra.test(c)) {
        out.add(c);
      }
    }
    return out;
  }

  /** The container, brought up to date; NOT_FOUND when absent. */
  synchronized SimContainer containerForStats(String id) {
    SimContainer c = container(id);
    c.advance(nowNanos());
    return c;
  }

  long nowNanos() {
    return SimLookup.nanos(config.clock().instant());
  }

  // ----------------------------------------------------------------------------- internals

  private ContainerBehavior behaviorFor(PodSandboxMetadata pod, ContainerConfig cfg) {
    for (Rule r : rules) {
      if (r.match().matches(pod, cfg)) {
        return r.behavior();
      }
    }
    return ContainerBehavior.runForever();
  }

  private void releaseIp(SimSandbox s) {
    if (s.holdsPoolIp) {
      pool.release(s.ip);
      s.holdsPoolIp = false;
    }
  }

  private SimSandbox findSandbox(String id) {
    return SimLookup.byIdOrPrefix(sandboxes, id);
  }

  private SimSandbox sandbox(String id) {
    SimSandbox s = findSandbox(id);
    if (s == null) {
      throw Status.NOT_FOUND
          .withDescription("an error occurred when try to find sandbox \"" + id + "\": not found")
          .asRuntimeException();
    }
    return s;
  }

  private SimContainer findContainer(String id) {
    return SimLookup.byIdOrPrefix(containers, id);
  }

  private SimContainer container(String id) {
    SimContainer c = findContainer(id);
    if (c == null) {
      throw Status.NOT_FOUND
          .withDescription("an error occurred when try to find container \"" + id + "\": not found")
          .asRuntimeException();
    }
    return c;
  }

  private SimContainer running(String id, String what) {
    SimContainer c = container(id);
    c.advance(nowNanos());
    if (c.state != ContainerState.CONTAINER_RUNNING) {
      throw new IllegalStateException(what + ": container " + id + " is " + c.state + ", not running");
    }
    return c;
  }

  private static StatusRuntimeException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }

  private static StatusRuntimeException unknown(String message) {
    return Status.UNKNOWN.withDescription(message).asRuntimeException();
  }
}
