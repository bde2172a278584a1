package dev.skiff.scheduler.framework;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A scheduler profile: the plugins (in extension-point order) that schedule pods whose
 * {@code spec.schedulerName} is {@code schedulerName}, and each score plugin's weight
 * (1 when absent).
 */
public record Profile(String schedulerName, List<Plugin> plugins, Map<String, Integer> scoreWeights) {
  public Profile {
    plugins = List.copyOf(plugins);
    scoreWeights = Map.copyOf(scoreWeights);
    Set<String> names = new HashSet<>();
    for (Plugin p : plugins) {
      if (!names.add(p.name())) {
        throw new IllegalArgumentException("plugin " + p.name() + " appears twice in profile "
            + schedulerName);
      }
    }
  }

  public int weight(String pluginName) {
    return scoreWeights.getOrDefault(pluginName, 1);
  }
}
