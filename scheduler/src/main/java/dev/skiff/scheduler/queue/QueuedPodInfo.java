package dev.skiff.scheduler.queue;

import dev.skiff.scheduler.framework.PodInfo;
import java.time.Instant;
import java.util.Set;

/**
 * A pod waiting in (or popped from) the scheduling queue.
 *
 * @param enqueued when it last entered the queue: orders equal priorities, starts its backoff
 * @param initialAttempt when it was first queued (for latency metrics)
 * @param attempts how many scheduling attempts it has had
 * @param rejectingPlugins the plugins that rejected it last time (decide which events move it)
 */
public record QueuedPodInfo(PodInfo pod, Instant enqueued, Instant initialAttempt, int attempts,
    Set<String> rejectingPlugins) {

  public QueuedPodInfo {
    rejectingPlugins = Set.copyOf(rejectingPlugins);
  }

  public String key() {
    return pod.key();
  }

  QueuedPodInfo withPod(PodInfo updated) {
    return new QueuedPodInfo(updated, enqueued, initialAttempt, attempts, rejectingPlugins);
  }

  QueuedPodInfo requeued(Instant now, Set<String> plugins) {
    return new QueuedPodInfo(pod, now, initialAttempt, attempts, plugins);
  }

  QueuedPodInfo popped() {
    return new QueuedPodInfo(pod, enqueued, initialAttempt, attempts + 1, rejectingPlugins);
  }
}
