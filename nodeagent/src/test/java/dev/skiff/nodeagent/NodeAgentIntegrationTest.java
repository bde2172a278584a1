package dev.skiff.nodeagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.api.v1.Container;
import dev.skiff.api.v1.Lease;
import dev.skiff.api.v1.Namespace;
import dev.skiff.api.v1.Node;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodExecRequest;
import dev.skiff.api.v1.PodExecResponse;
import dev.skiff.api.v1.PodSpec;
import dev.skiff.apiserver.testing.InProcessCluster;
import dev.skiff.client.SkiffClient;
import dev.skiff.client.api.Kinds;
import dev.skiff.cri.ContainerRuntime;
import dev.skiff.cri.RuntimeTimeouts;
import dev.skiff.cri.sim.SimulatedCriConfig;
import dev.skiff.cri.sim.SimulatedCriServer;
import dev.skiff.node.v1.NodeAgentGrpc;
import dev.skiff.nodeagent.sim.HollowNodes;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A started agent (real loops, real clock) on the simulated runtime against an in-process API server. */
class NodeAgentIntegrationTest {
  private InProcessCluster cluster;
  private SkiffClient client;
  private Path dir;

  @BeforeEach
  void setUp() throws Exception {
    cluster = InProcessCluster.start();
    client = cluster.client();
    dir = Files.createTempDirectory("skiff-agent-it");
    try {
      client.resource(Kinds.NAMESPACE).create(Namespace.newBuilder()
          .setMetadata(ObjectMeta.newBuilder().setName("default")).build());
    } catch (RuntimeException e) {
      // present
    }
  }

  @AfterEach
  void tearDown() throws Exception {
    cluster.close();
    dev.skiff.nodeagent.volume.AtomicWriter.deleteTree(dir);
  }

  @Test
  void registersTheNodeRenewsItsLeaseAndRunsABoundPod() throws Exception {
    try (SimulatedCriServer sim = new SimulatedCriServer(SimulatedCriConfig.defaults()).start();
        ContainerRuntime runtime = sim.newClient(RuntimeTimeouts.defaults())) {
      NodeAgentConfig config = NodeAgentConfig.forHost("it-node", "127.0.0.1", 0)
          .withReadHostStats(true).withDirs(dir.resolve("root"), dir.resolve("logs"));
      NodeAgent agent = new NodeAgent(client, config, runtime, Clock.systemUTC());
      try {
        agent.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> client.resource(Kinds.NODE).find("", "it-node")
            .filter(n -> n.getStatus().getConditionsList().stream()
                .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"))).isPresent());
        Node node = client.resource(Kinds.NODE).get("", "it-node");
        assertThat(node.getMetadata().getLabelsMap())
            .containsEntry("kubernetes.io/hostname", "it-node").containsEntry("kubernetes.io/os", "linux")
            .containsKey("kubernetes.io/arch");
        assertThat(node.getStatus().getCapacityMap()).containsKeys("cpu", "memory", "pods");
        assertThat(node.getStatus().getCapacityMap().get("pods")).isEqualTo("110");
        assertThat(node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort()).isEqualTo(agent.port());
        assertThat(node.getStatus().getAddressesList()).anyMatch(a -> a.getType().equals("InternalIP"));
        assertThat(node.getStatus().getNodeInfo().getContainerRuntimeVersion()).startsWith("skiff-simulated://");
        assertThat(node.getStatus().getConditionsList()).anyMatch(c -> c.getType().equals("MemoryPressure"));
        await().atMost(Duration.ofSeconds(10)).until(() ->
            client.resource(Kinds.LEASE).find("kube-node-lease", "it-node").isPresent());
        Lease lease = client.resource(Kinds.LEASE).get("kube-node-lease", "it-node");
        assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("it-node");

        client.resource(Kinds.POD).create(Pod.newBuilder()
            .setMetadata(ObjectMeta.newBuilder().setName("p").setNamespace("default"))
            .setSpec(PodSpec.newBuilder().setNodeName("it-node")
                .addContainers(Container.newBuilder().setName("c").setImage("localhost:5000/busybox:1.35")))
            .build());
        await().atMost(Duration.ofSeconds(15)).until(() -> {
          Pod p = client.resource(Kinds.POD).get("default", "p");
          return p.getStatus().getPhase().equals("Running") && p.getStatus().getConditionsList().stream()
              .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
        });

        // The agent's own gRPC service runs exec.
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", agent.port()).usePlaintext().build();
        try {
          PodExecResponse r = NodeAgentGrpc.newBlockingStub(ch).exec(PodExecRequest.newBuilder()
              .setNamespace("default").setName("p").addCommand("echo").addCommand("hi").build());
          assertThat(r.getStdout().toStringUtf8()).isEqualTo("hi\n");
        } finally {
          ch.shutdownNow();
        }
      } finally {
        agent.close();
      }
    }
  }

  @Test
  void hollowNodesRegister() {
    try (HollowNodes nodes = new HollowNodes(client, 3, "hollow-node-", dir, Clock.systemUTC())) {
      nodes.start();
      await().atMost(Duration.ofSeconds(15)).until(() ->
          client.resource(Kinds.NODE).list("").getItemsCount() == 3);
      assertThat(client.resource(Kinds.NODE).get("", "hollow-node-2").getMetadata().getLabelsMap())
          .containsEntry("skiff.dev/hollow", "true");
    }
  }
}
