package dev.skiff.cri;

import dev.skiff.cri.v1.RuntimeCondition;
import dev.skiff.cri.v1.RuntimeStatus;
import java.util.Optional;

/** Reads the CRI's runtime conditions. */
public final class RuntimeConditions {
  /** The runtime can run containers. */
  public static final String RUNTIME_READY = "RuntimeReady";
  /** The runtime's pod network (CNI) is ready. */
  public static final String NETWORK_READY = "NetworkReady";

  private RuntimeConditions() {}

  public static Optional<RuntimeCondition> find(RuntimeStatus status, String type) {
    return status.getConditionsList().stream().filter(c -> c.getType().equals(type)).findFirst();
  }

  /** True when the condition is present and true. */
  public static boolean isTrue(RuntimeStatus status, String type) {
    return find(status, type).map(RuntimeCondition::getStatus).orElse(false);
  }

  /** True when both required conditions hold. */
  public static boolean ready(RuntimeStatus status) {
    return isTrue(status, RUNTIME_READY) && isTrue(status, NETWORK_READY);
  }
}
