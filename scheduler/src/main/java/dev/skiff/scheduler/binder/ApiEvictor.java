package dev.skiff.scheduler.binder;

import dev.skiff.api.v1.DeleteRequest;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodList;
import dev.skiff.api.v1.Preconditions;
import dev.skiff.client.ApiException;
import dev.skiff.client.ResourceClient;
import dev.skiff.client.events.EventRecorder;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.framework.plugins.DefaultPreemption;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evicts preemption victims: graceful deletion (the pod's own grace period), guarded by the
 * victim's uid, and a Normal event "Preempted" on the victim. Asynchronous on {@code executor}.
 */
public final class ApiEvictor implements DefaultPreemption.Evictor {
  private static final Logger log = LoggerFactory.getLogger(ApiEvictor.class);

  private final ResourceClient<Pod, PodList> pods;
  private final EventRecorder events;
  private final Executor executor;

  public ApiEvictor(ResourceClient<Pod, PodList> pods, EventRecorder events, Executor executor) {
    this.pods = pods;
    this.events = events;
    this.executor = executor;
  }

  @Override
  public void evict(PodInfo victim, PodInfo preemptor, String nodeName) {
    log.info("preempting pod {} on node {} for pod {}", victim.key(), nodeName, preemptor.key());
    events.event(victim.pod(), "Normal", "Preempted",
        "Preempted by pod " + preemptor.key() + " on node " + nodeName);
    executor.execute(() -> {
      try {
        pods.delete(DeleteRequest.newBuilder()
            .setNamespace(victim.namespace()).setName(victim.name())
            .setPreconditions(Preconditions.newBuilder().setUid(victim.uid()))
            .build());
      } catch (ApiException e) {
        if (!e.isNotFound()) {
          log.warn("deleting preemption victim {} failed: {}", victim.key(), e.getMessage());
        }
      }
    });
  }
}
