package dev.skiff.nodeagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skiff.api.v1.Container;
import dev.skiff.api.v1.DeleteRequest;
import dev.skiff.api.v1.Namespace;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodExecRequest;
import dev.skiff.api.v1.PodLogChunk;
import dev.skiff.api.v1.PodLogRequest;
import dev.skiff.api.v1.PodSpec;
import dev.skiff.apiserver.testing.InProcessCluster;
import dev.skiff.client.SkiffClient;
import dev.skiff.client.api.Kinds;
import dev.skiff.cri.RemoteRuntime;
import dev.skiff.cri.RuntimeTimeouts;
import dev.skiff.cri.v1.ContainerFilter;
import dev.skiff.cri.v1.PodSandboxFilter;
import dev.skiff.node.v1.NodeAgentGrpc;
import dev.skiff.nodeagent.runtime.RuntimeLabels;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import org.junit.jupiter.api.Test;

/**
 * The agent on the real containerd set up by scripts/setup-runtime.sh (skipped when its socket is
 * absent): a busybox httpd pod runs, answers HTTP on its pod IP, logs and exec work through the
 * agent's gRPC service, and deletion removes its containers and sandbox.
 */
class ContainerdAgentTest {
  static final Path SOCKET = Path.of("/var/lib/skiff/containerd/containerd.sock");

  @Test
  void runsABusyboxPodOnContainerd() throws Exception {
    assumeTrue(Files.exists(SOCKET), "no containerd at " + SOCKET + ": run scripts/setup-runtime.sh (as root) first");
    Path dir = Files.createTempDirectory("skiff-agent-ctrd");
    String node = "ctrd-test-node";
    try (InProcessCluster cluster = InProcessCluster.start();
        RemoteRuntime runtime = RemoteRuntime.connect("unix://" + SOCKET, RuntimeTimeouts.defaults())) {
      SkiffClient client = cluster.client();
      try {
        client.resource(Kinds.NAMESPACE).create(Namespace.newBuilder()
            .setMetadata(ObjectMeta.newBuilder().setName("default")).build());
      } catch (RuntimeException e) {
        // present
      }
      NodeAgentConfig config = NodeAgentConfig.forHost(node, "127.0.0.1", 0)
          .withDirs(dir.resolve("root"), dir.resolve("logs"));
      NodeAgent agent = new NodeAgent(client, config, runtime, Clock.systemUTC());
      agent.start();
      String uid = "";
      try {
        long t0 = System.nanoTime();
        Pod created = client.resource(Kinds.POD).create(Pod.newBuilder()
            .setMetadata(ObjectMeta.newBuilder().setName("web").setNamespace("default"))
            .setSpec(PodSpec.newBuilder().setNodeName(node).setTerminationGracePeriodSeconds(2)
                .addContainers(Container.newBuilder().setName("web").setImage("localhost:5000/busybox:1.35")
                    .addCommand("sh").addCommand("-c")
                    .addCommand("mkdir -p /www && echo hello-skiff > /www/index.html && echo started && exec httpd -f -p 80 -h /www")))
            .build());
        uid = created.getMetadata().getUid();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
          Pod p = client.resource(Kinds.POD).get("default", "web");
          return p.getStatus().getConditionsList().stream()
              .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
        });
        System.out.printf("containerd pod ready after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        Pod p = client.resource(Kinds.POD).get("default", "web");
        assertThat(p.getStatus().getPodIp()).isNotEmpty();
        assertThat(p.getStatus().getContainerStatuses(0).getContainerId()).startsWith("containerd://");
        String ip = p.getStatus().getPodIp();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
          HttpURLConnection c = (HttpURLConnection) URI.create("http://" + ip + "/").toURL()
              .openConnection(java.net.Proxy.NO_PROXY);
          c.setConnectTimeout(1000);
          return new String(c.getInputStream().readAllBytes()).contains("hello-skiff");
        });

        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", agent.port()).usePlaintext().build();
        try {
          var stub = NodeAgentGrpc.newBlockingStub(ch);
          var r = stub.exec(PodExecRequest.newBuilder().setNamespace("default").setName("web")
              .addCommand("cat").addCommand("/www/index.html").build());
          assertThat(r.getStdout().toStringUtf8()).isEqualTo("hello-skiff\n");
          Iterator<PodLogChunk> logs = stub.getLogs(PodLogRequest.newBuilder().setNamespace("default").setName("web").build());
          StringBuilder sb = new StringBuilder();
          logs.forEachRemaining(c -> sb.append(c.getData().toStringUtf8()));
          assertThat(sb.toString()).contains("started\n");
        } finally {
          ch.shutdownNow();
        }

        client.resource(Kinds.POD).delete(DeleteRequest.newBuilder().setNamespace("default").setName("web")
            .setGracePeriodSeconds(2).build());
        await().atMost(Duration.ofSeconds(60)).until(() -> client.resource(Kinds.POD).find("default", "web").isEmpty());
        String u = uid;
        assertThat(runtime.listContainers(ContainerFilter.newBuilder().putLabelSelector(RuntimeLabels.POD_UID, u).build())).isEmpty();
        assertThat(runtime.listPodSandbox(PodSandboxFilter.newBuilder().putLabelSelector(RuntimeLabels.POD_UID, u).build())).isEmpty();
      } finally {
        agent.close();
        // Whatever is left of this test's pods.
        for (var s : runtime.listPodSandbox(PodSandboxFilter.newBuilder().putLabelSelector(RuntimeLabels.NODE, node).build())) {
          runtime.stopPodSandbox(s.getId());
          runtime.removePodSandbox(s.getId());
        }
        dev.skiff.nodeagent.volume.AtomicWriter.deleteTree(dir);
      }
    }
  }
}
