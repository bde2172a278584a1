package dev.skiff.nodeagent.pod;

import dev.skiff.cri.ContainerRuntime;
import dev.skiff.cri.CriException;
import dev.skiff.cri.v1.PodSandboxConfig;
import dev.skiff.nodeagent.status.Waiting;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Makes a container's image present per its imagePullPolicy (kubelet's image manager): Always
 * pulls, IfNotPresent pulls when absent, Never fails when absent. A failed pull backs off per image
 * (10 s doubling to 5 min): during the back-off the container waits with ImagePullBackOff.
 *
 * <p>An image found present is taken as present for {@link #PRESENT_TTL} without asking the runtime
 * again: pods started together (a ReplicaSet's, a burst) cost one ImageStatus, not one each. A
 * CreateContainer that does not find the image {@link #forget}s it, so the retry asks again.
 *
 * <p>Thread-safe: concurrent maps; two workers may check the same image at once, harmlessly.
 */
public final class ImagePuller {
  /** A pull that failed or is backing off: the container waits with {@link #waiting()}. */
  public static final class PullException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Waiting waiting;
    private final Duration retryAfter;

    PullException(Waiting waiting, Duration retryAfter) {
      super(waiting.reason() + ": " + waiting.message());
      this.waiting = waiting;
      this.retryAfter = retryAfter;
    }

    public Waiting waiting() {
      return waiting;
    }

    public Duration retryAfter() {
      return retryAfter;
    }
  }

  /** How long an image seen present is taken as present. */
  static final Duration PRESENT_TTL = Duration.ofSeconds(10);

  private final ContainerRuntime runtime;
  private final Clock clock;
  private final java.util.concurrent.ConcurrentHashMap<String, Instant> seenPresent =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final CrashLoopBackoff backoff;
  private final java.util.concurrent.ConcurrentHashMap<String, Instant> lastFailure =
      new java.util.concurrent.ConcurrentHashMap<>();

  public ImagePuller(ContainerRuntime runtime, Clock clock) {
    this.runtime = runtime;
    this.clock = clock;
    this.backoff = CrashLoopBackoff.kubelet(clock);
  }

  /** The runtime no longer has {@code image}: the next {@link #ensure} asks it again. */
  public void forget(String image) {
    seenPresent.remove(image);
  }

  /** Kubernetes' default: Always for {@code :latest} or no tag, IfNotPresent otherwise. */
  public static String effectivePolicy(String image, String policy) {
    if (!policy.isEmpty()) {
      return policy;
    }
    String last = image.substring(image.lastIndexOf('/') + 1);
    if (image.contains("@")) {
      return "IfNotPresent";
    }
    return !last.contains(":") || last.endsWith(":latest") ? "Always" : "IfNotPresent";
  }

  /** Ensures the image is present; returns the image reference the runtime knows. */
  public void ensure(String image, String policy, PodSandboxConfig sandbox) throws PullException {
    String effective = effectivePolicy(image, policy);
    if (!effective.equals("Always")) {
      Instant seen = seenPresent.get(image);
      if (seen != null && clock.instant().isBefore(seen.plus(PRESENT_TTL))) {
        return;
      }
      Optional<dev.skiff.cri.v1.Image> present = runtime.imageStatus(image);
      if (present.isPresent()) {
        seenPresent.put(image, clock.instant());
        return;
      }
      if (effective.equals("Never")) {
        throw new PullException(new Waiting("ErrImageNeverPull",
            "Container image \"" + image + "\" is not present with pull policy of Never"), Duration.ofSeconds(10));
      }
    }
    Instant failedAt = lastFailure.get(image);
    if (failedAt != null) {
      Optional<Duration> left = backoff.remaining(image, failedAt);
      if (left.isPresent()) {
        throw new PullException(new Waiting("ImagePullBackOff",
            "Back-off pulling image \"" + image + "\""), left.get());
      }
    }
    try {
      runtime.pullImage(image, null, sandbox);
      lastFailure.remove(image);
      seenPresent.put(image, clock.instant());
    } catch (CriException e) {
      if (e.isUnavailable()) {
        throw e;
      }
      Instant now = clock.instant();
      backoff.next(image, now);
      lastFailure.put(image, now);
      throw new PullException(new Waiting("ErrImagePull",
          "failed to pull image \"" + image + "\": " + e.getMessage()), backoff.current(image));
    }
  }
}
