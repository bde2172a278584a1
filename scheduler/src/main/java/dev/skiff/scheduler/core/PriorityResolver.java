package dev.skiff.scheduler.core;

import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PriorityClass;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A pod's priority: {@code spec.priority} when the apiserver set it; otherwise the value of its
 * {@code priorityClassName}'s PriorityClass; otherwise the global-default class's value; else 0.
 * Reads the PriorityClass cache, so it is as thread-safe as that cache.
 */
public final class PriorityResolver {
  private final Function<String, Optional<PriorityClass>> byName;
  private final Supplier<Collection<PriorityClass>> all;

  public PriorityResolver(Function<String, Optional<PriorityClass>> byName,
      Supplier<Collection<PriorityClass>> all) {
    this.byName = byName;
    this.all = all;
  }

  /** For tests and callers without PriorityClasses: {@code spec.priority} or 0. */
  public static PriorityResolver specOnly() {
    return new PriorityResolver(n -> Optional.empty(), java.util.List::of);
  }

  public int priority(Pod pod) {
    if (pod.getSpec().hasPriority()) {
      return pod.getSpec().getPriority();
    }
    String className = pod.getSpec().getPriorityClassName();
    if (!className.isEmpty()) {
      return byName.apply(className).map(PriorityClass::getValue).orElse(0);
    }
    for (PriorityClass pc : all.get()) {
      if (pc.getGlobalDefault()) {
        return pc.getValue();
      }
    }
    return 0;
  }
}
