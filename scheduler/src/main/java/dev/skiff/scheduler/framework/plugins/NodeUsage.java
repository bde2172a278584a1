package dev.skiff.scheduler.framework.plugins;

import dev.skiff.scheduler.framework.NodeColumns;
import dev.skiff.scheduler.framework.NodeInfo;

/**
 * What the resource scores read of a node: cpu and memory requested (non-zero defaults for
 * requests left unset) and allocatable, from its {@link NodeInfo} or its {@link NodeColumns} row.
 */
record NodeUsage(long milliCpu, long allocatableMilliCpu, long memory, long allocatableMemory) {
  static NodeUsage of(NodeInfo node) {
    return new NodeUsage(node.nonZeroRequestedMilliCpu(), node.allocatableMilliCpu(),
        node.nonZeroRequestedMemory(), node.allocatableMemory());
  }

  static NodeUsage of(NodeColumns c, int i) {
    return new NodeUsage(c.nonZeroRequestedMilliCpu(i), c.allocatableMilliCpu(i),
        c.nonZeroRequestedMemory(i), c.allocatableMemory(i));
  }
}
