package dev.skiff.apiserver.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.skiff.api.v1.Binding;
import dev.skiff.api.v1.DaemonEndpoint;
import dev.skiff.api.v1.Namespace;
import dev.skiff.api.v1.NamespacesGrpc;
import dev.skiff.api.v1.Node;
import dev.skiff.api.v1.NodeAddress;
import dev.skiff.api.v1.NodeDaemonEndpoints;
import dev.skiff.api.v1.NodeStatus;
import dev.skiff.api.v1.NodesGrpc;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.ObjectReference;
import dev.skiff.api.v1.PodExecRequest;
import dev.skiff.api.v1.PodExecResponse;
import dev.skiff.api.v1.PodLogChunk;
import dev.skiff.api.v1.PodLogRequest;
import dev.skiff.api.v1.PodsGrpc;
import dev.skiff.apiserver.ApiServerConfig;
import dev.skiff.apiserver.node.NodeDialer;
import dev.skiff.apiserver.registry.RegistryContractTestSupport;
import dev.skiff.apiserver.testing.InProcessCluster;
import dev.skiff.node.v1.NodeAgentGrpc;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Pods/Exec and Pods/GetLogs reach the agent of the pod's node, found from the Node's status. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PodRoutingTest {
  /** A node agent that answers from memory and records what it was asked. */
  static final class RecordingAgent extends NodeAgentGrpc.NodeAgentImplBase {
    final List<Object> requests = new CopyOnWriteArrayList<>();

    @Override
    public void exec(PodExecRequest request, StreamObserver<PodExecResponse> out) {
      requests.add(request);
      out.onNext(PodExecResponse.newBuilder().setStdout(ByteString.copyFromUtf8("hello\n")).setExitCode(3).build());
      out.onCompleted();
    }

    @Override
    public void getLogs(PodLogRequest request, StreamObserver<PodLogChunk> out) {
      requests.add(request);
      out.onNext(PodLogChunk.newBuilder().setData(ByteString.copyFromUtf8("line 1\n")).build());
      out.onNext(PodLogChunk.newBuilder().setData(ByteString.copyFromUtf8("line 2\n")).build());
      out.onCompleted();
    }
  }

  /** Routes to in-process agents by "host:port" and records each dial. */
  static final class InProcessDialer implements NodeDialer {
    final List<String> dialed = new CopyOnWriteArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();

    @Override
    public synchronized Channel dial(String nodeName, String host, int port) {
      dialed.add(nodeName + "@" + host + ":" + port);
      ManagedChannel ch = InProcessChannelBuilder.forName("agent-" + host + ":" + port).build();
      channels.add(ch);
      return ch;
    }

    @Override
    public synchronized void close() {
      channels.forEach(ManagedChannel::shutdownNow);
    }
  }

  private final RecordingAgent agent = new RecordingAgent();
  private final InProcessDialer dialer = new InProcessDialer();
  private InProcessCluster cluster;
  private Server agentServer;
  private PodsGrpc.PodsBlockingStub pods;

  @BeforeAll
  void start() throws Exception {
    agentServer = InProcessServerBuilder.forName("agent-10.0.0.7:10250").addService(agent).build().start();
    cluster = new InProcessCluster(ApiServerConfig.defaults().withNodeDialer(dialer), List.of()).startCluster();
    pods = PodsGrpc.newBlockingStub(cluster.channel());
    NamespacesGrpc.newBlockingStub(cluster.channel())
        .create(Namespace.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("apps")).build());
    NodesGrpc.newBlockingStub(cluster.channel()).create(Node.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setName("n1"))
        .setStatus(NodeStatus.newBuilder()
            .addAddresses(NodeAddress.newBuilder().setType("Hostname").setAddress("n1"))
            .addAddresses(NodeAddress.newBuilder().setType("InternalIP").setAddress("10.0.0.7"))
            .setDaemonEndpoints(NodeDaemonEndpoints.newBuilder()
                .setKubeletEndpoint(DaemonEndpoint.newBuilder().setPort(10250))))
        .build());
    pods.create(RegistryContractTestSupport.pod("apps", "bound"));
    pods.bind(Binding.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace("apps").setName("bound"))
        .setTarget(ObjectReference.newBuilder().setName("n1")).build());
    pods.create(RegistryContractTestSupport.pod("apps", "pending"));
  }

  @AfterAll
  void stop() {
    cluster.close();
    agentServer.shutdownNow();
  }

  @Test
  void execAndLogsGoToTheNodesAgent() {
    PodExecResponse r = pods.exec(PodExecRequest.newBuilder().setNamespace("apps").setName("bound")
        .addCommand("echo").addCommand("hello").build());
    assertThat(r.getStdout().toStringUtf8()).isEqualTo("hello\n");
    assertThat(r.getExitCode()).isEqualTo(3);
    StringBuilder logs = new StringBuilder();
    Iterator<PodLogChunk> it = pods.getLogs(PodLogRequest.newBuilder().setNamespace("apps").setName("bound").build());
    it.forEachRemaining(c -> logs.append(c.getData().toStringUtf8()));
    assertThat(logs.toString()).isEqualTo("line 1\nline 2\n");
    assertThat(dialer.dialed).allMatch(d -> d.equals("n1@10.0.0.7:10250"));
    assertThat(agent.requests).hasSize(2);
  }

  @Test
  void unboundPodsHaveNoAgentToAsk() {
    assertThatThrownBy(() -> pods.exec(PodExecRequest.newBuilder().setNamespace("apps").setName("pending")
        .addCommand("true").build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
          assertThat(e.getStatus().getDescription()).contains("does not have a host assigned");
        });
  }
}
