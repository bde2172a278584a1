package dev.skiff.controllers;

import dev.skiff.api.v1.Pod;
import dev.skiff.client.api.Kinds;
import dev.skiff.client.informer.InformerFactory;
import dev.skiff.client.informer.SharedInformer;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Indexes several controllers need on the shared informers, registered once per informer
 * factory whichever controller asks first (indexers must be added before the factory starts).
 */
public final class SharedIndexes {
  /** Pods by {@code spec.nodeName} (unassigned pods are not indexed). */
  public static final String POD_NODE = "spec.nodeName";

  private static final Map<InformerFactory, Set<String>> REGISTERED = new WeakHashMap<>();

  private SharedIndexes() {}

  /** The pod informer of {@code ctx}, with the {@link #POD_NODE} index. */
  public static SharedInformer<Pod> podsByNode(ControllerContext ctx) {
    SharedInformer<Pod> informer = ctx.informers().informerFor(Kinds.POD);
    synchronized (REGISTERED) {
      Set<String> done = REGISTERED.computeIfAbsent(ctx.informers(), f -> new java.util.HashSet<>());
      if (done.add(POD_NODE)) {
        informer.addIndexer(POD_NODE, p -> p.getSpec().getNodeName().isEmpty()
            ? Collections.emptyList() : List.of(p.getSpec().getNodeName()));
      }
    }
    return informer;
  }
}
