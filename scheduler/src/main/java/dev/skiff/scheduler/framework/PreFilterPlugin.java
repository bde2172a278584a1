package dev.skiff.scheduler.framework;

/** Runs once per scheduling cycle before filtering; computes the plugin's cycle state. */
public interface PreFilterPlugin extends Plugin {
  /**
   * Returns {@link Status#skip()} when the pod has nothing this plugin checks (its Filter is then
   * skipped), a rejection to fail the pod on every node, or a result narrowing the candidate nodes.
   */
  PreFilterResult preFilter(CycleState state, PodInfo pod, Snapshot snapshot);
}
