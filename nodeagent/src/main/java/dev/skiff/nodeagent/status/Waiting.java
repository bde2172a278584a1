package dev.skiff.nodeagent.status;

/**
 * Why a container is not running, as the pod worker last decided it (ContainerCreating,
 * CrashLoopBackOff, ErrImagePull, ImagePullBackOff, CreateContainerConfigError, PodInitializing...).
 */
public record Waiting(String reason, String message) {
  public static final Waiting CREATING = new Waiting("ContainerCreating", "");
  public static final Waiting POD_INITIALIZING = new Waiting("PodInitializing", "");
}
