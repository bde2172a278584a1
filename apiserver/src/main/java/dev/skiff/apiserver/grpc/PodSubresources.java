package dev.skiff.apiserver.grpc;

import com.google.protobuf.Timestamp;
import dev.skiff.api.v1.Binding;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodCondition;
import dev.skiff.api.v1.PodExecRequest;
import dev.skiff.api.v1.PodExecResponse;
import dev.skiff.api.v1.PodList;
import dev.skiff.api.v1.PodLogChunk;
import dev.skiff.api.v1.PodLogRequest;
import dev.skiff.apiserver.errors.ApiError;
import dev.skiff.apiserver.node.NodeRouter;
import dev.skiff.apiserver.registry.ObjectCodec;
import dev.skiff.apiserver.registry.Registry;
import dev.skiff.node.v1.NodeAgentGrpc;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/** Pods/Bind, Pods/GetLogs and Pods/Exec. Stateless; calls block (virtual threads). */
final class PodSubresources {
  private final Registry<Pod, PodList> pods;
  private final NodeRouter router;
  private final Clock clock;

  PodSubresources(Registry<Pod, PodList> pods, NodeRouter router, Clock clock) {
    this.pods = pods;
    this.router = router;
    this.clock = clock;
  }

  /** Sets spec.nodeName once and marks the pod PodScheduled=True. */
  Pod bind(Binding binding) {
    String ns = binding.getMetadata().getNamespace().isEmpty() ? "default" : binding.getMetadata().getNamespace();
    String name = binding.getMetadata().getName();
    String node = binding.getTarget().getName();
    if (node.isEmpty()) {
      throw ApiError.badRequest("target.name", "Required value: the node to bind to");
    }
    if (!binding.getTarget().getKind().isEmpty() && !binding.getTarget().getKind().equals("Node")) {
      throw ApiError.badRequest("target.kind", "Unsupported value: \"" + binding.getTarget().getKind()
          + "\": supported values: \"Node\"");
    }
    long expected = ObjectCodec.parseResourceVersion(binding.getMetadata().getResourceVersion(), "metadata.resourceVersion");
    return pods.guaranteedUpdate(ns, name, expected, pod -> {
      if (!binding.getMetadata().getUid().isEmpty() && !binding.getMetadata().getUid().equals(pod.getMetadata().getUid())) {
        throw ApiError.conflict("pods", name, "the pod's UID is " + pod.getMetadata().getUid()
            + ", not " + binding.getMetadata().getUid());
      }
      if (pod.getMetadata().hasDeletionTimestamp()) {
        throw ApiError.failedPrecondition("pod " + name + " is being deleted, cannot be assigned to a host");
      }
      if (!pod.getSpec().getNodeName().isEmpty()) {
        throw ApiError.failedPrecondition("pod " + name + " is already assigned to node \""
            + pod.getSpec().getNodeName() + "\"");
      }
      Pod.Builder b = pod.toBuilder();
      b.getSpecBuilder().setNodeName(node);
      var status = b.getStatusBuilder();
      boolean found = false;
      Timestamp now = Timestamp.newBuilder().setSeconds(clock.instant().getEpochSecond()).build();
      for (int i = 0; i < status.getConditionsCount(); i++) {
        if (status.getConditions(i).getType().equals("PodScheduled")) {
          status.setConditions(i, status.getConditions(i).toBuilder().setStatus("True").setLastTransitionTime(now)
              .clearReason().clearMessage());
          found = true;
        }
      }
      if (!found) {
        status.addConditions(PodCondition.newBuilder().setType("PodScheduled").setStatus("True").setLastTransitionTime(now));
      }
      return b.build();
    }, false);
  }

  void getLogs(PodLogRequest request, StreamObserver<PodLogChunk> out) {
    Pod pod = pods.get(namespace(request.getNamespace()), request.getName());
    Iterator<PodLogChunk> chunks = NodeAgentGrpc.newBlockingStub(router.channelFor(pod))
        .getLogs(request.toBuilder().setNamespace(pod.getMetadata().getNamespace()).build());
    try {
      while (chunks.hasNext()) {
        out.onNext(chunks.next());
      }
      out.onCompleted();
    } catch (StatusRuntimeException e) {
      out.onError(e);
    }
  }

  PodExecResponse exec(PodExecRequest request) {
    Pod pod = pods.get(namespace(request.getNamespace()), request.getName());
    long timeout = request.getTimeoutSeconds() > 0 ? request.getTimeoutSeconds() + 5L : 300;
    return NodeAgentGrpc.newBlockingStub(router.channelFor(pod)).withDeadlineAfter(timeout, TimeUnit.SECONDS)
        .exec(request.toBuilder().setNamespace(pod.getMetadata().getNamespace()).build());
  }

  private static String namespace(String ns) {
    return ns.isEmpty() ? "default" : ns;
  }
}
