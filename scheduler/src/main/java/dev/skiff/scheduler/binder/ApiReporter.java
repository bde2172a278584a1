package dev.skiff.scheduler.binder;

import com.google.protobuf.Timestamp;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodCondition;
import dev.skiff.api.v1.PodList;
import dev.skiff.api.v1.PodStatus;
import dev.skiff.client.ApiException;
import dev.skiff.client.ResourceClient;
import dev.skiff.client.events.EventRecorder;
import dev.skiff.scheduler.core.SchedulingReporter;
import dev.skiff.scheduler.framework.PodInfo;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports scheduling outcomes to the API server: events through the {@link EventRecorder}, and
 * the PodScheduled=False condition (plus {@code status.nominatedNodeName}) through
 * {@code Pods/UpdateStatus}, retried on a stale resourceVersion. Status writes run on
 * {@code executor}; a write that would change nothing is skipped.
 */
public final class ApiReporter implements SchedulingReporter {
  private static final Logger log = LoggerFactory.getLogger(ApiReporter.class);
  static final String POD_SCHEDULED = "PodScheduled";
  private static final int MAX_ATTEMPTS = 3;

  private final ResourceClient<Pod, PodList> pods;
  private final EventRecorder events;
  private final Clock clock;
  private final Executor executor;

  public ApiReporter(ResourceClient<Pod, PodList> pods, EventRecorder events, Clock clock,
      Executor executor) {
    this.pods = pods;
    this.events = events;
    this.clock = clock;
    this.executor = executor;
  }

  @Override
  public void scheduled(PodInfo pod, String nodeName) {
    events.event(pod.pod(), "Normal", "Scheduled",
        "Successfully assigned " + pod.key() + " to " + nodeName);
  }

  @Override
  public void unschedulable(PodInfo pod, String message, String nominatedNode) {
    events.event(pod.pod(), "Warning", "FailedScheduling", message);
    // An empty nominatedNode (no new nomination, e.g. victims still terminating) keeps the one
    // written before, as Kubernetes does for a PostFilter that nominates nothing.
    writeCondition(pod, "Unschedulable", message, nominatedNode.isEmpty() ? null : nominatedNode);
  }

  @Override
  public void error(PodInfo pod, String message) {
    events.event(pod.pod(), "Warning", "FailedScheduling", message);
    writeCondition(pod, "SchedulerError", message, null);
  }

  private void writeCondition(PodInfo pod, String reason, String message, String nominatedNode) {
    if (withCondition(pod.pod(), reason, message, nominatedNode).equals(pod.pod())) {
      return;
    }
    executor.execute(() -> {
      Pod current = pod.pod();
      for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        try {
          if (attempt > 1) {
            current = pods.get(pod.namespace(), pod.name());
          }
          if (!current.getMetadata().getUid().equals(pod.uid())
              || !current.getSpec().getNodeName().isEmpty()) {
            return;
          }
          Pod updated = withCondition(current, reason, message, nominatedNode);
          if (!updated.equals(current)) {
            pods.updateStatus(updated);
          }
          return;
        } catch (ApiException e) {
          if (e.isNotFound()) {
            return;
          }
          if (!e.isConflict() || attempt == MAX_ATTEMPTS) {
            log.warn("writing PodScheduled of {} failed: {}", pod.key(), e.getMessage());
            return;
          }
        }
      }
    });
  }

  /**
   * The pod with condition PodScheduled=False (reason, message) and, when {@code nominatedNode}
   * is non-null, that nominated node. The transition time moves only when the status changes.
   */
  Pod withCondition(Pod pod, String reason, String message, String nominatedNode) {
    PodStatus.Builder status = pod.getStatus().toBuilder();
    PodCondition existing = null;
    int index = -1;
    for (int i = 0; i < status.getConditionsCount(); i++) {
      if (POD_SCHEDULED.equals(status.getConditions(i).getType())) {
        existing = status.getConditions(i);
        index = i;
      }
    }
    PodCondition.Builder c = PodCondition.newBuilder()
        .setType(POD_SCHEDULED).setStatus("False").setReason(reason).setMessage(message);
    if (existing != null && "False".equals(existing.getStatus())) {
      c.setLastTransitionTime(existing.getLastTransitionTime());
    } else {
      Instant now = clock.instant();
      c.setLastTransitionTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond()));
    }
    if (existing != null && existing.equals(c.build())) {
      // unchanged
    } else if (index >= 0) {
      status.setConditions(index, c);
    } else {
      status.addConditions(c);
    }
    if (nominatedNode != null) {
      status.setNominatedNodeName(nominatedNode);
    }
    if (status.getPhase().isEmpty()) {
      status.setPhase("Pending");
    }
    return pod.toBuilder().setStatus(status).build();
  }
}
