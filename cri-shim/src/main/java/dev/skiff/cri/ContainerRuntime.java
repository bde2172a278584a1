package dev.skiff.cri;

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
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the node agent needs from a container runtime: the CRI's RuntimeService and ImageService as
 * blocking Java calls (kubelet's internal runtime/image service shape).
 *
 * <p>Values are the generated {@code runtime.v1} messages ({@code dev.skiff.cri.v1}); ids are
 * plain strings.
 *
 * <p><b>Deadlines.</b> Every call carries its own deadline (see {@link RuntimeTimeouts}): calls
 * that wait on the container itself ({@link #stopContainer}, {@link #execSync}) get the caller's
 * timeout plus the ordinary call deadline; {@link #pullImage} gets the pull deadline.
 *
 * <p><b>Errors.</b> Every failure is a {@link CriException} (unchecked) carrying the CRI
 * operation and the gRPC status code the runtime answered: {@code NOT_FOUND} for an absent
 * sandbox or container in the status calls, {@code DEADLINE_EXCEEDED} for a call or exec that
 * timed out, {@code UNAVAILABLE} when the runtime socket does not answer. A response that breaks
 * the CRI contract (a RunPodSandbox answer with an empty id, a status answer with no status) is
 * also a {@code CriException}, with code {@code INTERNAL}.
 *
 * <p><b>Idempotence</b> (as the CRI specifies): stop and remove of sandboxes and containers
 * succeed when the object is already stopped or gone (a runtime's {@code NOT_FOUND} is taken as
 * done); {@link #removeImage} succeeds when the image is absent.
 *
 * <p><b>Threading.</b> Implementations are thread-safe; calls block the calling thread (use
 * virtual threads) and may run concurrently.
 */
public interface ContainerRuntime extends AutoCloseable {

  // ------------------------------------------------------------------ runtime

  /** Runtime name and versions; a cheap liveness check of the runtime endpoint. */
  VersionResponse version();

  /**
   * The runtime's conditions ({@code RuntimeReady}, {@code NetworkReady}); see {@link
   * RuntimeConditions} to read them.
   */
  RuntimeStatus status();

  // ------------------------------------------------------------------ pod sandboxes

  /**
   * Creates and starts a pod sandbox (pause container + network namespace with a pod IP).
   *
   * @param runtimeHandler the RuntimeClass handler, empty for the default
   * @return the new sandbox id, never empty
   */
  String runPodSandbox(PodSandboxConfig config, String runtimeHandler);

  /** Stops every container of the sandbox and releases its network. Idempotent. */
  void stopPodSandbox(String sandboxId);

  /** Removes the sandbox and its containers (killing any still running). Idempotent. */
  void removePodSandbox(String sandboxId);

  /** Status of one sandbox, including its IP; {@code NOT_FOUND} when absent. */
  PodSandboxStatus podSandboxStatus(String sandboxId);

  /** Sandboxes matching every set field of {@code filter}. */
  List<PodSandbox> listPodSandbox(PodSandboxFilter filter);

  /** Every sandbox. */
  default List<PodSandbox> listPodSandbox() {
    return listPodSandbox(PodSandboxFilter.getDefaultInstance());
  }

  // ------------------------------------------------------------------ containers

  /**
   * Creates a container in a ready sandbox; the image must already be present ({@code
   * NOT_FOUND} otherwise).
   *
   * @param sandboxConfig the config the sandbox was run with (the CRI passes it again)
   * @return the new container id, never empty
   */
  String createContainer(String sandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig);

  void startContainer(String containerId);

  /**
   * Sends TERM, waits up to {@code gracePeriod}, then KILL. Idempotent. The call's deadline is
   * {@code gracePeriod} plus the ordinary call deadline.
   */
  void stopContainer(String containerId, Duration gracePeriod);

  /** Removes the container, killing it if it runs. Idempotent. */
  void removeContainer(String containerId);

  /** Containers matching every set field of {@code filter}. */
  List<Container> listContainers(ContainerFilter filter);

  /** Every container. */
  default List<Container> listContainers() {
    return listContainers(ContainerFilter.getDefaultInstance());
  }

  /**
   * State, exit code, reason ({@code Completed}, {@code Error}, {@code OOMKilled}), times and
   * absolute log path of one container; {@code NOT_FOUND} when absent.
   */
  ContainerStatus containerStatus(String containerId);

  void updateContainerResources(String containerId, LinuxContainerResources resources);

  /** Asks the runtime to reopen the container's log file (after rotation). */
  void reopenContainerLog(String containerId);

  /**
   * Runs {@code command} in the container and waits for it. A command that outlives {@code
   * timeout} fails with {@code DEADLINE_EXCEEDED}; a container that is not running fails (CRI:
   * {@code UNKNOWN}). A non-zero exit code is a normal result, not an exception.
   *
   * @param timeout how long the command may run; {@link Duration#ZERO} means no limit of its own
   */
  ExecSyncResponse execSync(String containerId, List<String> command, Duration timeout);

  /** CPU, memory and writable-layer usage of one container. */
  ContainerStats containerStats(String containerId);

  List<ContainerStats> listContainerStats(ContainerStatsFilter filter);

  // ------------------------------------------------------------------ images

  /** Every image the runtime holds. */
  List<Image> listImages();

  /** The image known under {@code image} (a reference or id), or empty when absent. */
  Optional<Image> imageStatus(String image);

  /**
   * Pulls an image (e.g. {@code localhost:5000/busybox:1.35}).
   *
   * @param auth registry credentials, or {@code null}
   * @param sandboxConfig the sandbox the image is pulled for, or {@code null}
   * @return the image reference the runtime resolved (an image id or digest), never empty
   */
  String pullImage(String image, AuthConfig auth, PodSandboxConfig sandboxConfig);

  /** Removes an image. Idempotent. */
  void removeImage(String image);

  /** Usage of the filesystem(s) holding images. */
  List<FilesystemUsage> imageFsInfo();

  /** Releases the connection (a channel the implementation created itself). */
  @Override
  void close();
}
