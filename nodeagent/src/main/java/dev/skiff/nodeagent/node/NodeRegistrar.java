package dev.skiff.nodeagent.node;

import com.google.protobuf.Timestamp;
import dev.skiff.api.v1.Node;
import dev.skiff.api.v1.NodeCondition;
import dev.skiff.api.v1.NodeStatus;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.client.ApiException;
import dev.skiff.client.SkiffClient;
import dev.skiff.client.api.Kinds;
import dev.skiff.nodeagent.NodeAgentConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers this node's Node object and keeps its status current (kubelet's registerWithAPIServer
 * and updateNodeStatus): creates it (or adopts an existing one, refreshing labels), then on each
 * {@link #updateStatus()} writes the status when it changed or when the report period passed.
 * Not thread-safe: the agent's node loop (or a test) calls it.
 */
public final class NodeRegistrar {
  private static final Logger log = LoggerFactory.getLogger(NodeRegistrar.class);

  private final SkiffClient client;
  private final NodeAgentConfig config;
  private final NodeStatusBuilder builder;
  private final Clock clock;
  private NodeStatus lastWritten;
  private Instant lastWrittenAt = Instant.EPOCH;
  private boolean registered;

  public NodeRegistrar(SkiffClient client, NodeAgentConfig config, NodeStatusBuilder builder, Clock clock) {
    this.client = client;
    this.config = config;
    this.builder = builder;
    this.clock = clock;
  }

  public Map<String, String> labels() {
    java.util.Map<String, String> labels = new java.util.LinkedHashMap<>(config.labels());
    labels.put("kubernetes.io/hostname", config.hostname());
    labels.put("kubernetes.io/os", "linux");
    labels.put("kubernetes.io/arch", HostInfo.arch());
    labels.put("beta.kubernetes.io/os", "linux");
    labels.put("beta.kubernetes.io/arch", HostInfo.arch());
    return labels;
  }

  public boolean registered() {
    return registered;
  }

  /** Creates the Node, or updates an existing one's labels; then writes its status. */
  public void register() {
    var nodes = client.resource(Kinds.NODE);
    Optional<Node> existing = nodes.find("", config.nodeName());
    Node node;
    if (existing.isEmpty()) {
      try {
        node = nodes.create(Node.newBuilder()
            .setApiVersion("v1").setKind("Node")
            .setMetadata(ObjectMeta.newBuilder().setName(config.nodeName()).putAllLabels(labels()))
            .build());
        log.info("node {}: registered", config.nodeName());
      } catch (ApiException e) {
        if (!e.isAlreadyExists()) {
          throw e;
        }
        node = nodes.get("", config.nodeName());
      }
    } else {
      node = existing.get();
      Map<String, String> want = labels();
      boolean missing = want.entrySet().stream()
          .anyMatch(e -> !e.getValue().equals(existing.get().getMetadata().getLabelsMap().get(e.getKey())));
      if (missing) {
        node = nodes.update(node.toBuilder()
            .setMetadata(node.getMetadata().toBuilder().putAllLabels(want)).build());
      }
      log.info("node {}: already registered, adopted", config.nodeName());
    }
    registered = true;
    lastWritten = node.getStatus();
    lastWrittenAt = Instant.EPOCH;
    updateStatus();
  }

  /** Computes the status; writes it when changed or when the report period passed. */
  public boolean updateStatus() {
    if (!registered) {
      register();
      return true;
    }
    NodeStatus previous = lastWritten == null ? NodeStatus.getDefaultInstance() : lastWritten;
    NodeStatus status = builder.build(previous);
    Instant now = clock.instant();
    boolean due = Duration.between(lastWrittenAt, now).compareTo(config.periods().nodeStatusReport()) >= 0;
    if (status.equals(previous) && !due) {
      return false;
    }
    if (due) {
      status = withHeartbeat(status, now);
    }
    Node node = Node.newBuilder().setApiVersion("v1").setKind("Node")
        .setMetadata(ObjectMeta.newBuilder().setName(config.nodeName()))
        .setStatus(status).build();
    try {
      client.resource(Kinds.NODE).updateStatus(node);
    } catch (ApiException e) {
      if (e.isNotFound()) {
        log.warn("node {}: deleted from the API, registering again", config.nodeName());
        registered = false;
        register();
        return true;
      }
      throw e;
    }
    lastWritten = status;
    lastWrittenAt = now;
    return true;
  }

  private static NodeStatus withHeartbeat(NodeStatus status, Instant now) {
    NodeStatus.Builder b = status.toBuilder().clearConditions();
    Timestamp ts = Timestamp.newBuilder().setSeconds(now.getEpochSecond()).build();
    for (NodeCondition c : status.getConditionsList()) {
      b.addConditions(c.toBuilder().setLastHeartbeatTime(ts));
    }
    return b.build();
  }
}
