package dev.skiff.scheduler.framework;

/** A scheduling plugin; it implements one or more extension-point interfaces beside this one. */
public interface Plugin {
  /** A unique name: the key of the plugin's {@link CycleState} data and of its failure reasons. */
  String name();
}
