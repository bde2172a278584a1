package dev.skiff.scheduler.framework.plugins;

import dev.skiff.api.v1.Container;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.NodeInfo;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.framework.ScorePlugin;
import dev.skiff.scheduler.framework.Snapshot;
import dev.skiff.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Favors nodes that already have the pod's images, weighted by image size and by how widely the
 * image is spread over the cluster (Kubernetes' ImageLocality: 23 MB .. 1000 MB per container).
 */
public final class ImageLocality implements ScorePlugin {
  public static final String NAME = "ImageLocality";
  static final long MIN_THRESHOLD = 23L * 1024 * 1024;
  static final long MAX_CONTAINER_THRESHOLD = 1000L * 1024 * 1024;

  /** The pod's images with the fraction of nodes having each. */
  record Spread(Map<String, Double> imageSpread, int containers) {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> nodes, Snapshot snapshot) {
    List<String> images = new ArrayList<>();
    for (Container c : pod.pod().getSpec().getContainersList()) {
      images.add(NodeInfo.normalizeImage(c.getImage()));
    }
    Map<String, Double> spread = new HashMap<>();
    for (String image : images) {
      int count = snapshot.imageNodeCount(image);
      if (count > 0) {
        spread.put(image, (double) count / Math.max(1, snapshot.size()));
      }
    }
    if (spread.isEmpty()) {
      return Status.skip();
    }
    state.write(NAME, new Spread(spread, images.size()));
    return Status.success();
  }

  @Override
  public long score(CycleState state, PodInfo pod, NodeInfo node) {
    Spread spread = state.read(NAME, Spread.class);
    double sum = 0;
    for (Map.Entry<String, Double> e : spread.imageSpread().entrySet()) {
      Long size = node.imageSizes().get(e.getKey());
      if (size != null) {
        sum += size * e.getValue();
      }
    }
    long max = MAX_CONTAINER_THRESHOLD * Math.max(1, spread.containers());
    long clamped = Math.max(MIN_THRESHOLD, Math.min(max, (long) sum));
    return MAX_SCORE * (clamped - MIN_THRESHOLD) / (max - MIN_THRESHOLD);
  }
}
