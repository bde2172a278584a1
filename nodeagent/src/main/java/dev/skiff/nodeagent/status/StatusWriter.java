package dev.skiff.nodeagent.status;

import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodStatus;
import dev.skiff.client.ApiException;
import dev.skiff.client.SkiffClient;
import dev.skiff.client.api.Kinds;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a pod's status with Pods/UpdateStatus only when it changed: against the status the
 * informer holds and against the last status this agent sent (the informer may lag behind our own
 * write). Thread-safe; each pod is written only by its worker.
 */
public final class StatusWriter {
  private static final Logger log = LoggerFactory.getLogger(StatusWriter.class);

  private final SkiffClient client;
  private final ConcurrentHashMap<String, PodStatus> lastSent = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong writes = new java.util.concurrent.atomic.AtomicLong();

  public StatusWriter(SkiffClient client) {
    this.client = client;
  }

  /** @return true when a write happened */
  public boolean writeIfChanged(Pod pod, PodStatus status) {
    String uid = pod.getMetadata().getUid();
    if (status.equals(pod.getStatus()) || status.equals(lastSent.get(uid))) {
      return false;
    }
    Pod update = pod.toBuilder()
        .setMetadata(pod.getMetadata().toBuilder().clearResourceVersion())
        .setStatus(status).build();
    // Recorded before the call: the informer's echo of this write may arrive before its answer.
    PodStatus before = lastSent.put(uid, status);
    try {
      client.resource(Kinds.POD).updateStatus(update);
    } catch (ApiException e) {
      if (before == null) {
        lastSent.remove(uid, status);
      } else {
        lastSent.replace(uid, status, before);
      }
      if (e.isNotFound()) {
        return false; // deleted meanwhile: the informer will tell
      }
      throw e;
    }
    writes.incrementAndGet();
    if (!status.getPhase().equals(pod.getStatus().getPhase())) {
      log.info("pod {}/{}: phase {} -> {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
          pod.getStatus().getPhase().isEmpty() ? "-" : pod.getStatus().getPhase(), status.getPhase());
    }
    return true;
  }

  /**
   * The pod with the status this agent last sent, when the informer has not caught up with it yet
   * (so condition transition times computed from it do not move), else the pod as given.
   */
  public Pod withLatestStatus(Pod pod) {
    PodStatus sent = lastSent.get(pod.getMetadata().getUid());
    return sent == null || sent.equals(pod.getStatus()) ? pod : pod.toBuilder().setStatus(sent).build();
  }

  /** The pod carries exactly the status this agent last wrote for it. */
  public boolean isLastSent(Pod pod) {
    return pod.getStatus().equals(lastSent.get(pod.getMetadata().getUid()));
  }

  public long writes() {
    return writes.get();
  }

  public void forget(String uid) {
    lastSent.remove(uid);
  }
}
