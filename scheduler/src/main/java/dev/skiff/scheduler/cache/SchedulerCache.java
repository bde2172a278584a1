package dev.skiff.scheduler.cache;

import dev.skiff.api.v1.Node;
import dev.skiff.scheduler.framework.NodeInfo;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.framework.Snapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Nodes and the pods on them, as the scheduler believes them to be: pods the informer reports
 * bound, plus pods the scheduler has <em>assumed</em> onto a node it chose, so that capacity is
 * never double-booked while binds are in flight.
 *
 * <p>Assumption lifecycle (Kubernetes' cache): {@link #assume} when a node is chosen;
 * {@link #finishBinding} when the bind call succeeded, which starts the TTL; {@link #addPod}
 * from the informer confirms it; {@link #forget} on a failed bind; {@link #cleanupExpired}
 * drops assumptions never confirmed within the TTL after binding.
 *
 * <p>Thread-safe: all methods synchronize on this cache. Informer threads, the scheduling thread
 * and binding threads call it.
 */
public final class SchedulerCache {
  private final Clock clock;
  private final Duration assumeTtl;

  // All guarded by this.
  private final Map<String, NodeInfo> nodes = new HashMap<>();
  /** Pod key → the node it is on (bound or assumed). */
  private final Map<String, String> podNodes = new HashMap<>();
  private final Map<String, PodInfo> assumed = new HashMap<>();
  /** Assumed pods whose bind finished: when their assumption expires. */
  private final Map<String, Instant> deadlines = new HashMap<>();
  private Set<String> dirty = new HashSet<>();
  private boolean nodeSetChanged = true;

  public SchedulerCache(Clock clock, Duration assumeTtl) {
    this.clock = clock;
    this.assumeTtl = assumeTtl;
  }

  public synchronized void addNode(Node node) {
    String name = node.getMetadata().getName();
    NodeInfo existing = nodes.get(name);
    nodes.put(name, existing == null ? NodeInfo.of(node) : existing.withNode(node));
    if (existing == null || existing.node() == null) {
      nodeSetChanged = true;
    }
    dirty.add(name);
  }

  public synchronized void updateNode(Node node) {
    addNode(node);
  }

  /** Removes the node; its pods stay accounted on a placeholder until they are deleted. */
  public synchronized void removeNode(String name) {
    NodeInfo existing = nodes.get(name);
    if (existing == null) {
      return;
    }
    if (existing.pods().isEmpty()) {
      nodes.remove(name);
    } else {
      NodeInfo placeholder = NodeInfo.placeholder(name);
      for (PodInfo p : existing.pods()) {
        placeholder = placeholder.withPod(p);
      }
      nodes.put(name, placeholder);
    }
    nodeSetChanged = true;
  }

  /** Assumes the pod on the node it was just assigned ({@code spec.nodeName} set in {@code pod}). */
  public synchronized void assume(PodInfo pod) {
    if (podNodes.containsKey(pod.key())) {
      throw new IllegalStateException("pod " + pod.key() + " is already in the cache");
    }
    place(pod);
    assumed.put(pod.key(), pod);
  }

  /** The bind call for an assumed pod returned: its assumption may now expire. */
  public synchronized void finishBinding(String podKey) {
    if (assumed.containsKey(podKey)) {
      deadlines.put(podKey, clock.instant().plus(assumeTtl));
    }
  }

  /** The bind failed: the assumed pod no longer takes room on its node. */
  public synchronized void forget(String podKey) {
    if (assumed.remove(podKey) != null) {
      deadlines.remove(podKey);
      unplace(podKey);
    }
  }

  public synchronized boolean isAssumed(String podKey) {
    return assumed.containsKey(podKey);
  }

  /** A bound pod from the informer; confirms an assumption (moving it if bound elsewhere). */
  public synchronized void addPod(PodInfo pod) {
    assumed.remove(pod.key());
    deadlines.remove(pod.key());
    unplace(pod.key());
    place(pod);
  }

  public synchronized void updatePod(PodInfo pod) {
    addPod(pod);
  }

  public synchronized void removePod(String podKey) {
    assumed.remove(podKey);
    deadlines.remove(podKey);
    unplace(podKey);
  }

  /** Drops assumptions whose bind finished more than the TTL ago without the informer confirming. */
  public synchronized List<String> cleanupExpired() {
    Instant now = clock.instant();
    List<String> expired = new ArrayList<>();
    for (Iterator<Map.Entry<String, Instant>> it = deadlines.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Instant> e = it.next();
      if (!e.getValue().isAfter(now)) {
        it.remove();
        assumed.remove(e.getKey());
        unplace(e.getKey());
        expired.add(e.getKey());
      }
    }
    return expired;
  }

  /** Brings the snapshot up to date with what changed since the last call (one consumer). */
  public synchronized void updateSnapshot(Snapshot snapshot) {
    if (nodeSetChanged) {
      snapshot.reset(nodes.values());
      nodeSetChanged = false;
    } else {
      for (String name : dirty) {
        NodeInfo info = nodes.get(name);
        if (info != null && info.node() != null) {
          snapshot.replace(info);
        }
      }
    }
    if (!dirty.isEmpty()) {
      dirty = new HashSet<>(); // clear() would walk the whole (once large) table every cycle
    }
  }

  public synchronized int nodeCount() {
    return (int) nodes.values().stream().filter(n -> n.node() != null).count();
  }

  public synchronized int podCount() {
    return podNodes.size();
  }

  public synchronized NodeInfo node(String name) {
    return nodes.get(name);
  }

  private void place(PodInfo pod) {
    String nodeName = pod.nodeName();
    NodeInfo info = nodes.get(nodeName);
    if (info == null) {
      info = NodeInfo.placeholder(nodeName);
    }
    nodes.put(nodeName, info.withPod(pod));
    podNodes.put(pod.key(), nodeName);
    dirty.add(nodeName);
  }

  private void unplace(String podKey) {
    String nodeName = podNodes.remove(podKey);
    if (nodeName == null) {
      return;
    }
    NodeInfo info = nodes.get(nodeName);
    if (info == null) {
      return;
    }
    NodeInfo next = info.withoutPod(podKey);
    if (next.node() == null && next.pods().isEmpty()) {
      nodes.remove(nodeName);
    } else {
      nodes.put(nodeName, next);
    }
    dirty.add(nodeName);
  }
}
