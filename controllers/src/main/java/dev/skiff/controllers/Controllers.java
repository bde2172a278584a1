package dev.skiff.controllers;

import dev.skiff.controllers.deployment.DeploymentController;
import dev.skiff.controllers.endpoints.EndpointsController;
import dev.skiff.controllers.gc.GarbageCollector;
import dev.skiff.controllers.namespace.NamespaceController;
import dev.skiff.controllers.nodelifecycle.NodeLifecycleController;
import dev.skiff.controllers.nodelifecycle.TaintEvictionController;
import dev.skiff.controllers.podgc.PodGarbageCollector;
import dev.skiff.controllers.replicaset.ReplicaSetController;
import dev.skiff.controllers.serviceaccount.ServiceAccountController;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The controllers the manager can run, by the names {@code --controllers} takes. */
public final class Controllers {
  public static final List<String> ALL = List.of("replicaset", "deployment", "nodelifecycle", "endpoints",
      "namespace", "garbagecollector", "serviceaccount", "podgc");

  private Controllers() {}

  /**
   * The enabled names for a Kubernetes-style list: names, {@code *} for all, {@code -name} to
   * leave one out; order as in {@link #ALL}.
   *
   * @throws IllegalArgumentException naming an unknown controller and the known ones
   */
  public static List<String> enabled(List<String> spec) {
    Set<String> on = new LinkedHashSet<>();
    Set<String> off = new LinkedHashSet<>();
    for (String raw : spec) {
      for (String item : raw.split(",")) {
        String s = item.trim();
        if (s.isEmpty()) {
          continue;
        }
        if (s.equals("*")) {
          on.addAll(ALL);
          continue;
        }
        boolean negated = s.startsWith("-");
        String name = negated ? s.substring(1) : s;
        if (!ALL.contains(name)) {
          throw new IllegalArgumentException("unknown controller '" + name + "'; known controllers: " + String.join(", ", ALL));
        }
        (negated ? off : on).add(name);
      }
    }
    on.removeAll(off);
    return ALL.stream().filter(on::contains).toList();
  }

  /** Builds one controller on {@code ctx} (registering its informer handlers) and returns its loops. */
  static List<WorkLoop> build(String name, ControllerContext ctx) {
    List<WorkLoop> loops = new ArrayList<>();
    switch (name) {
      case "replicaset" -> loops.add(new ReplicaSetController(ctx).loop());
      case "deployment" -> loops.add(new DeploymentController(ctx).loop());
      case "nodelifecycle" -> {
        loops.add(new NodeLifecycleController(ctx).loop());
        loops.add(new TaintEvictionController(ctx).loop());
      }
      case "endpoints" -> loops.add(new EndpointsController(ctx).loop());
      case "namespace" -> loops.add(new NamespaceController(ctx).loop());
      case "garbagecollector" -> loops.add(new GarbageCollector(ctx).loop());
      case "serviceaccount" -> loops.add(new ServiceAccountController(ctx).loop());
      case "podgc" -> loops.add(new PodGarbageCollector(ctx).loop());
      default -> throw new IllegalArgumentException("unknown controller '" + name + "'");
    }
    return loops;
  }
}
