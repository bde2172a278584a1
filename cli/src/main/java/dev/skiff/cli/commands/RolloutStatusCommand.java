package dev.skiff.cli.commands;

import dev.skiff.api.v1.Deployment;
import dev.skiff.api.v1.DeploymentCondition;
import dev.skiff.api.v1.WatchEventType;
import dev.skiff.api.v1.WatchRequest;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.GlobalOptions;
import dev.skiff.cli.CliException;
import dev.skiff.client.ApiException;
import dev.skiff.client.Watch;
import dev.skiff.client.WatchListener;
import dev.skiff.client.api.Kinds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code skiff rollout status deployment/web}: watches the Deployment and prints kubectl's progress
 * lines until it has rolled out (or {@code --timeout} passes).
 */
@Command(name = "status", description = "Wait for a rollout to finish, showing its progress.",
    mixinStandardHelpOptions = true)
public final class RolloutStatusCommand implements Callable<Integer> {

  @Mixin GlobalOptions global;
  private final CliContext ctx;

  @Parameters(arity = "1..2", paramLabel = "deployment/NAME")
  List<String> args = new ArrayList<>();

  @Option(names = "--timeout", paramLabel = "DURATION",
      description = "Give up after this long, e.g. 90s or 5m (default 0: wait forever).")
  String timeout = "0";

  @Option(names = {"-w", "--watch"}, negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Wait for the rollout (default); --no-watch prints the status once.")
  boolean watch;

  public RolloutStatusCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  /** A progress line, and whether the rollout is complete. */
  record Progress(String message, boolean done) {}

  @Override
  public Integer call() throws InterruptedException {
    String name = RolloutCommand.deploymentName(args);
    Duration limit = Durations.parse(timeout, "--timeout");
    Instant deadline = limit.isZero() ? Instant.MAX : ctx.clock().instant().plus(limit);
    Deployment d = RolloutCommand.getDeployment(ctx, name);
    BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    Watch w = null;
    try {
      String last = null;
      while (true) {
        Progress p = progress(d);
        if (!p.message().equals(last)) {
          ctx.out().println(p.message());
          ctx.out().flush();
          last = p.message();
        }
        if (p.done() || !watch) {
          return 0;
        }
        if (w == null) {
          w = watch(d, events);
        }
        Object next = nextEvent(events, deadline);
        if (next == null) {
          throw new CliException("timed out waiting for the condition");
        }
        if (next instanceof ApiException e) {
          throw e;
        }
        if (next instanceof String closed) {
          throw new CliException("watch of deployment \"" + name + "\" ended: " + closed);
        }
        d = (Deployment) next;
      }
    } finally {
      if (w != null) {
        w.close();
      }
    }
  }

  private Object nextEvent(BlockingQueue<Object> events, Instant deadline) throws InterruptedException {
    if (deadline.equals(Instant.MAX)) {
      return events.take();
    }
    long millis = Duration.between(ctx.clock().instant(), deadline).toMillis();
    return millis <= 0 ? null : events.poll(millis, TimeUnit.MILLISECONDS);
  }

  private Watch watch(Deployment d, BlockingQueue<Object> events) {
    WatchRequest request = WatchRequest.newBuilder()
        .setNamespace(d.getMetadata().getNamespace())
        .setFieldSelector("metadata.name=" + d.getMetadata().getName())
        .setResourceVersion(d.getMetadata().getResourceVersion())
        .build();
    return ctx.client().resource(Kinds.DEPLOYMENT).watch(request, new WatchListener<>() {
      @Override
      public void onEvent(WatchEventType type, Deployment object) {
        if (type == WatchEventType.DELETED) {
          events.add("the deployment was deleted");
        } else if (type != WatchEventType.BOOKMARK) {
          events.add(object);
        }
      }

      @Override
      public void onError(Throwable t) {
        events.add(ApiException.from(t));
      }

      @Override
      public void onClosed() {
        events.add("the server closed the stream");
      }
    });
  }

  /** kubectl's DeploymentStatusViewer, message for message. */
  static Progress progress(Deployment d) {
    String name = d.getMetadata().getName();
    var status = d.getStatus();
    if (d.getMetadata().getGeneration() > status.getObservedGeneration()) {
      return new Progress("Waiting for deployment spec update to be observed...", false);
    }
    for (DeploymentCondition c : status.getConditionsList()) {
      if (c.getType().equals("Progressing") && c.getReason().equals("ProgressDeadlineExceeded")) {
        throw new CliException("deployment \"" + name + "\" exceeded its progress deadline");
      }
    }
    int desired = d.getSpec().hasReplicas() ? d.getSpec().getReplicas() : 1;
    String waiting = "Waiting for deployment \"" + name + "\" rollout to finish: ";
    if (status.getUpdatedReplicas() < desired) {
      return new Progress(waiting + status.getUpdatedReplicas() + " out of " + desired
          + " new replicas have been updated...", false);
    }
    if (status.getReplicas() > status.getUpdatedReplicas()) {
      return new Progress(waiting + (status.getReplicas() - status.getUpdatedReplicas())
          + " old replicas are pending termination...", false);
    }
    if (status.getAvailableReplicas() < status.getUpdatedReplicas()) {
      return new Progress(waiting + status.getAvailableReplicas() + " of " + status.getUpdatedReplicas()
          + " updated replicas are available...", false);
    }
    return new Progress("deployment \"" + name + "\" successfully rolled out", true);
  }
}
