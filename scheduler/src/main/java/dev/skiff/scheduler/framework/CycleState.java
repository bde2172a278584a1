package dev.skiff.scheduler.framework;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Per-cycle data of one scheduling attempt, each plugin's under its own name. Written by the
 * scheduling thread in PreFilter; read (never written) by the filter workers afterwards, so the
 * happens-before edge of submitting the filter tasks is enough.
 */
public final class CycleState {
  private final Map<String, Object> data;
  private final Set<String> skipFilter;
  private final Set<String> skipScore;
  private FilterPlugin[] activeFilters;

  public CycleState() {
    this(new HashMap<>(), new HashSet<>(), new HashSet<>());
  }

  private CycleState(Map<String, Object> data, Set<String> skipFilter, Set<String> skipScore) {
    this.data = data;
    this.skipFilter = skipFilter;
    this.skipScore = skipScore;
  }

  public void write(String pluginName, Object value) {
    data.put(pluginName, value);
  }

  /** The value a plugin wrote, or null when it wrote none. */
  public <T> T read(String pluginName, Class<T> type) {
    Object value = data.get(pluginName);
    return value == null ? null : type.cast(value);
  }

  public void skipFilter(String pluginName) {
    skipFilter.add(pluginName);
  }

  public boolean filterSkipped(String pluginName) {
    return skipFilter.contains(pluginName);
  }

  /** The Filter plugins not skipped, fixed by the framework after PreFilter. */
  void activeFilters(FilterPlugin[] filters) {
    activeFilters = filters;
  }

  FilterPlugin[] activeFilters() {
    return activeFilters;
  }

  public void skipScore(String pluginName) {
    skipScore.add(pluginName);
  }

  public boolean scoreSkipped(String pluginName) {
    return skipScore.contains(pluginName);
  }

  /** A shallow copy (plugin values are immutable once PreFilter wrote them). */
  public CycleState copy() {
    CycleState copy =
        new CycleState(new HashMap<>(data), new HashSet<>(skipFilter), new HashSet<>(skipScore));
    copy.activeFilters = activeFilters;
    return copy;
  }
}
