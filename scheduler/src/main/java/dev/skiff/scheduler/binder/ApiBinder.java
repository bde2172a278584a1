package dev.skiff.scheduler.binder;

import dev.skiff.api.v1.Binding;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.ObjectReference;
import dev.skiff.api.v1.PodsGrpc;
import dev.skiff.client.SkiffClient;
import dev.skiff.client.api.TooManyRequests;
import dev.skiff.scheduler.framework.BindPlugin;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.framework.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Kubernetes' DefaultBinder: {@code Pods/Bind} with a Binding whose target is the node. The pod
 * uid is sent so a pod re-created under the same name is never bound by mistake. A bind the API
 * server refused as too many requests is retried after the wait it asks, within the timeout.
 * Blocking; runs on a binding thread. Thread-safe (gRPC stubs are).
 */
public final class ApiBinder implements BindPlugin {
  public static final String NAME = "DefaultBinder";

  private final PodsGrpc.PodsBlockingStub stub;
  private final Duration timeout;

  public ApiBinder(SkiffClient client, Duration timeout) {
    this.stub = PodsGrpc.newBlockingStub(client.channel());
    this.timeout = timeout;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status bind(CycleState state, PodInfo pod, String nodeName) {
    Binding binding = Binding.newBuilder()
        .setApiVersion("v1")
        .setKind("Binding")
        .setMetadata(ObjectMeta.newBuilder()
            .setNamespace(pod.namespace()).setName(pod.name()).setUid(pod.uid()))
        .setTarget(ObjectReference.newBuilder().setKind("Node").setApiVersion("v1").setName(nodeName))
        .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        stub.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS).bind(binding);
        return Status.success();
      } catch (StatusRuntimeException e) {
        // refused unstarted by the API server's in-flight limit: wait as asked, within the timeout
        Optional<Duration> wait = TooManyRequests.retryAfter(e);
        if (wait.isEmpty() || System.nanoTime() + wait.get().toNanos() >= deadline) {
          return Status.error(e.getStatus().getCode() + ": " + e.getStatus().getDescription());
        }
        try {
          Thread.sleep(wait.get());
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return Status.error("interrupted while waiting to retry the bind");
        }
      }
    }
  }
}
