package dev.skiff.scheduler.framework.plugins;

import dev.skiff.scheduler.framework.BindPlugin;
import dev.skiff.scheduler.framework.Plugin;
import dev.skiff.scheduler.framework.PostFilterPlugin;
import dev.skiff.scheduler.framework.Profile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The default profile: Kubernetes' default plugin set, order and score weights. */
public final class DefaultPlugins {
  private DefaultPlugins() {}

  /** Score weights of Kubernetes' default profile. */
  public static final Map<String, Integer> WEIGHTS = Map.of(
      TaintToleration.NAME, 3,
      NodeAffinity.NAME, 2,
      PodTopologySpread.NAME, 2,
      InterPodAffinity.NAME, 2,
      NodeResourcesFit.NAME, 1,
      BalancedAllocation.NAME, 1,
      ImageLocality.NAME, 1);

  /** The filter and score plugins, cheapest and most selective filters first. */
  public static List<Plugin> filterAndScore() {
    return List.of(
        new NodeUnschedulable(),
        new NodeName(),
        new TaintToleration(),
        new NodeAffinity(),
        new NodePorts(),
        new NodeResourcesFit(),
        new PodTopologySpread(),
        new InterPodAffinity(),
        new BalancedAllocation(),
        new ImageLocality());
  }

  /**
   * @param preemption the PostFilter, or null for none
   */
  public static Profile profile(String schedulerName, PostFilterPlugin preemption, BindPlugin binder) {
    List<Plugin> plugins = new ArrayList<>(filterAndScore());
    if (preemption != null) {
      plugins.add(preemption);
    }
    plugins.add(binder);
    return new Profile(schedulerName, plugins, WEIGHTS);
  }
}
