package dev.skiff.scheduler.framework;

/**
 * The numbers the common filters and scores read of every node, copied out of the snapshot's
 * {@link NodeInfo}s into one array, one 64-byte row per node in snapshot order. A filter pass
 * walks hundreds of nodes per pod; reading a row here instead of a {@code NodeInfo} (objects
 * scattered over the heap, each a new allocation after every pod placed) turns a cache miss per
 * field into a sequential scan the CPU prefetches.
 *
 * <p>Thread ownership: written only by the {@link Snapshot} that owns it, on the scheduling
 * thread between cycles; read by the filter workers during a cycle (the hand-off of the filter
 * tasks orders the writes before the reads).
 */
public final class NodeColumns {
  private static final int STRIDE = 8;
  private static final int ALLOC_CPU = 0;
  private static final int REQ_CPU = 1;
  private static final int ALLOC_MEM = 2;
  private static final int REQ_MEM = 3;
  private static final int NON_ZERO_CPU = 4;
  private static final int NON_ZERO_MEM = 5;
  private static final int ALLOC_PODS = 6;
  /** Pod count in the low 32 bits, flags above. */
  private static final int PODS_AND_FLAGS = 7;
  private static final long UNSCHEDULABLE = 1L << 32;
  private static final long HAS_TAINTS = 1L << 33;

  private final long[] rows;

  private NodeColumns(long[] rows) {
    this.rows = rows;
  }

  /** Rows for {@code nodes}, in that order. */
  static NodeColumns of(NodeInfo[] nodes) {
    NodeColumns c = new NodeColumns(new long[nodes.length * STRIDE]);
    for (int i = 0; i < nodes.length; i++) {
      c.set(i, nodes[i]);
    }
    return c;
  }

  NodeColumns copy() {
    return new NodeColumns(rows.clone());
  }

  void set(int i, NodeInfo n) {
    int r = i * STRIDE;
    rows[r + ALLOC_CPU] = n.allocatableMilliCpu();
    rows[r + REQ_CPU] = n.requestedMilliCpu();
    rows[r + ALLOC_MEM] = n.allocatableMemory();
    rows[r + REQ_MEM] = n.requestedMemory();
    rows[r + NON_ZERO_CPU] = n.nonZeroRequestedMilliCpu();
    rows[r + NON_ZERO_MEM] = n.nonZeroRequestedMemory();
    rows[r + ALLOC_PODS] = n.allocatablePods();
    rows[r + PODS_AND_FLAGS] = (n.podCount() & 0xffff_ffffL)
        | (n.unschedulable() ? UNSCHEDULABLE : 0)
        | (n.taints().isEmpty() ? 0 : HAS_TAINTS);
  }

  /** The same as {@link NodeInfo#allocatableMilliCpu()} of node {@code i}; likewise below. */
  public long allocatableMilliCpu(int i) {
    return rows[i * STRIDE + ALLOC_CPU];
  }

  public long requestedMilliCpu(int i) {
    return rows[i * STRIDE + REQ_CPU];
  }

  public long allocatableMemory(int i) {
    return rows[i * STRIDE + ALLOC_MEM];
  }

  public long requestedMemory(int i) {
    return rows[i * STRIDE + REQ_MEM];
  }

  public long nonZeroRequestedMilliCpu(int i) {
    return rows[i * STRIDE + NON_ZERO_CPU];
  }

  public long nonZeroRequestedMemory(int i) {
    return rows[i * STRIDE + NON_ZERO_MEM];
  }

  public long allocatablePods(int i) {
    return rows[i * STRIDE + ALLOC_PODS];
  }

  public int podCount(int i) {
    return (int) rows[i * STRIDE + PODS_AND_FLAGS];
  }

  public boolean unschedulable(int i) {
    return (rows[i * STRIDE + PODS_AND_FLAGS] & UNSCHEDULABLE) != 0;
  }

  /** Whether the node has any taint (of any effect). */
  public boolean hasTaints(int i) {
    return (rows[i * STRIDE + PODS_AND_FLAGS] & HAS_TAINTS) != 0;
  }
}
