package dev.skiff.nodeagent.pod;

import dev.skiff.api.v1.Container;
import dev.skiff.api.v1.Pod;
import dev.skiff.cri.ContainerRuntime;
import dev.skiff.cri.CriException;
import dev.skiff.cri.v1.ContainerConfig;
import dev.skiff.cri.v1.PodSandboxConfig;
import dev.skiff.nodeagent.runtime.ContainerConfigException;
import dev.skiff.nodeagent.runtime.EnvResolver;
import dev.skiff.nodeagent.runtime.PodConfigs;
import dev.skiff.nodeagent.status.Waiting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Starts one container instance (kubelet's startContainer): image per pull policy, environment,
 * CRI config, its log directory, CreateContainer, StartContainer. A failure that the user must fix
 * is returned as a {@link Waiting} reason with a retry delay rather than thrown; runtime outages
 * (UNAVAILABLE) are thrown so the whole sync is retried.
 */
public final class ContainerStarter {
  /** Why a start did not happen, and when to try again. */
  public record Failure(Waiting waiting, Duration retryAfter) {}

  /**
   * What a start did: the id of the container it created and started, or the failure (with the
   * id of a container it created but could not start, empty if it created none).
   */
  public record Result(String containerId, Optional<Failure> failure) {
    static Result started(String id) {
      return new Result(id, Optional.empty());
    }

    static Result failed(String createdId, Waiting waiting, Duration retryAfter) {
      return new Result(createdId, Optional.of(new Failure(waiting, retryAfter)));
    }
  }

  private final ContainerRuntime runtime;
  private final PodConfigs configs;
  private final EnvResolver env;
  private final ImagePuller images;
  private final String hostIp;

  public ContainerStarter(ContainerRuntime runtime, PodConfigs configs, EnvResolver env,
      ImagePuller images, String hostIp) {
    this.runtime = runtime;
    this.configs = configs;
    this.env = env;
    this.images = images;
    this.hostIp = hostIp;
  }

  public Result start(Pod pod, Container c, boolean init, int attempt, String sandboxId,
      PodSandboxConfig sandboxConfig, String podIp, Map<String, Path> volumes) {
    try {
      images.ensure(c.getImage(), c.getImagePullPolicy(), sandboxConfig);
    } catch (ImagePuller.PullException e) {
      return Result.failed("", e.waiting(), e.retryAfter());
    }
    ContainerConfig config;
    try {
      config = configs.container(pod, c, init, attempt, env.resolve(pod, c, podIp, hostIp), volumes);
    } catch (ContainerConfigException e) {
      return Result.failed("", new Waiting("CreateContainerConfigError", e.getMessage()), Duration.ofSeconds(5));
    }
    try {
      Files.createDirectories(Path.of(sandboxConfig.getLogDirectory()).resolve(c.getName()));
    } catch (IOException e) {
      return Result.failed("", new Waiting("CreateContainerError",
          "cannot create log directory: " + e.getMessage()), Duration.ofSeconds(5));
    }
    String id;
    try {
      id = runtime.createContainer(sandboxId, config, sandboxConfig);
    } catch (CriException e) {
      if (e.isUnavailable()) {
        throw e;
      }
      if (e.isNotFound()) {
        images.forget(c.getImage()); // removed since it was seen: the retry checks again
      }
      return Result.failed("", new Waiting("CreateContainerError", e.getMessage()), Duration.ofSeconds(5));
    }
    try {
      runtime.startContainer(id);
    } catch (CriException e) {
      if (e.isUnavailable()) {
        throw e;
      }
      return Result.failed(id, new Waiting("RunContainerError", e.getMessage()), Duration.ofSeconds(5));
    }
    return Result.started(id);
  }
}
