package dev.skiff.scheduler.framework;

/** Binds a pod to its node; runs on a binding thread, off the scheduling loop, and may block. */
public interface BindPlugin extends Plugin {
  Status bind(CycleState state, PodInfo pod, String nodeName);
}
