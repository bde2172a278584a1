package dev.skiff.cri;

import java.time.Duration;
import java.util.Objects;

/**
 * Deadlines of CRI calls.
 *
 * @param call the deadline of an ordinary call (kubelet's runtime-request-timeout, 2 min)
 * @param pullImage the deadline of {@code PullImage}
 */
public record RuntimeTimeouts(Duration call, Duration pullImage) {
  public RuntimeTimeouts {
    Objects.requireNonNull(call, "call");
    Objects.requireNonNull(pullImage, "pullImage");
    if (call.isNegative() || call.isZero() || pullImage.isNegative() || pullImage.isZero()) {
      throw new IllegalArgumentException("CRI timeouts must be positive: " + call + ", " + pullImage);
    }
  }

  /** 2 minutes per call (as kubelet), 5 minutes per image pull. */
  public static RuntimeTimeouts defaults() {
    return new RuntimeTimeouts(Duration.ofMinutes(2), Duration.ofMinutes(5));
  }

  /** Same timeouts with {@code call} replaced. */
  public RuntimeTimeouts withCall(Duration newCall) {
    return new RuntimeTimeouts(newCall, pullImage);
  }
}
