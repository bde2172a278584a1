package dev.skiff.nodeagent.runtime;

import dev.skiff.cri.v1.Container;
import dev.skiff.cri.v1.ContainerStatus;
import java.util.Map;

/**
 * The labels and annotations the agent puts on sandboxes and containers so that it (or a restarted
 * agent) finds them again: kubelet's keys, so {@code crictl} shows familiar names.
 */
public final class RuntimeLabels {
  public static final String POD_NAME = "io.kubernetes.pod.name";
  public static final String POD_NAMESPACE = "io.kubernetes.pod.namespace";
  public static final String POD_UID = "io.kubernetes.pod.uid";
  public static final String CONTAINER_NAME = "io.kubernetes.container.name";
  /** Which node agent manages the object (several hollow nodes may share one runtime). */
  public static final String NODE = "dev.skiff.node";
  /** Annotation: "true" on init containers. */
  public static final String INIT_CONTAINER = "dev.skiff.container.init";
  /** Annotation: the restart count (= attempt) of this instance. */
  public static final String RESTART_COUNT = "io.kubernetes.container.restartCount";
  /** Annotation: the pod's termination grace period in seconds. */
  public static final String GRACE_PERIOD = "io.kubernetes.pod.terminationGracePeriod";
  /** Annotation: hash of the container spec the instance was created from. */
  public static final String CONTAINER_HASH = "io.kubernetes.container.hash";

  private RuntimeLabels() {}

  public static String podUid(Map<String, String> labels) {
    return labels.getOrDefault(POD_UID, "");
  }

  public static String containerName(Container c) {
    return c.getLabelsOrDefault(CONTAINER_NAME, c.getMetadata().getName());
  }

  public static String containerName(ContainerStatus c) {
    return c.getLabelsOrDefault(CONTAINER_NAME, c.getMetadata().getName());
  }

  public static boolean isInit(ContainerStatus c) {
    return "true".equals(c.getAnnotationsOrDefault(INIT_CONTAINER, ""));
  }
}
