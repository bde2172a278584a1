package dev.skiff.nodeagent.server;

import com.google.protobuf.ByteString;
import dev.skiff.api.v1.Container;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodExecRequest;
import dev.skiff.api.v1.PodExecResponse;
import dev.skiff.api.v1.PodLogChunk;
import dev.skiff.api.v1.PodLogRequest;
import dev.skiff.cri.ContainerRuntime;
import dev.skiff.cri.CriException;
import dev.skiff.cri.v1.ContainerState;
import dev.skiff.cri.v1.ContainerStatus;
import dev.skiff.cri.v1.ExecSyncResponse;
import dev.skiff.nodeagent.pod.RuntimePod;
import dev.skiff.nodeagent.pod.RuntimeReader;
import dev.skiff.nodeagent.runtime.PodConfigs;
import dev.skiff.node.v1.NodeAgentGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The agent's own gRPC service (skiff.node.v1.NodeAgent), which the API server routes Pods/GetLogs
 * and Pods/Exec to. GetLogs reads the container's CRI log file (tail, since, previous instance,
 * timestamps) and, with follow, keeps reading it until the container stops or the caller cancels.
 * Exec runs the command with ExecSync. Each call runs on its own virtual thread.
 */
public final class NodeAgentService extends NodeAgentGrpc.NodeAgentImplBase {
  private static final Duration FOLLOW_POLL = Duration.ofMillis(200);
  private static final Duration DEFAULT_EXEC_TIMEOUT = Duration.ofMinutes(1);

  private final BiFunction<String, String, Optional<Pod>> pods;
  private final RuntimeReader reader;
  private final ContainerRuntime runtime;
  private final Clock clock;

  public NodeAgentService(BiFunction<String, String, Optional<Pod>> pods, RuntimeReader reader,
      ContainerRuntime runtime, Clock clock) {
    this.pods = pods;
    this.reader = reader;
    this.runtime = runtime;
    this.clock = clock;
  }

  private record Target(Pod pod, String container, RuntimePod rt) {}

  private Target target(String namespace, String name, String container) {
    Pod pod = pods.apply(namespace, name).orElseThrow(() -> Status.NOT_FOUND
        .withDescription("pod " + namespace + "/" + name + " is not on this node").asRuntimeException());
    List<Container> all = PodConfigs.allContainers(pod);
    String c = container;
    if (c.isEmpty()) {
      if (pod.getSpec().getContainersCount() != 1) {
        throw Status.INVALID_ARGUMENT.withDescription("a container name must be given for pod " + name
            + ", choose one of: " + pod.getSpec().getContainersList().stream().map(Container::getName).toList())
            .asRuntimeException();
      }
      c = pod.getSpec().getContainers(0).getName();
    }
    String chosen = c;
    if (all.stream().noneMatch(x -> x.getName().equals(chosen))) {
      throw Status.INVALID_ARGUMENT.withDescription("container " + chosen + " is not valid for pod " + name
          + ", choose one of: " + all.stream().map(Container::getName).toList()).asRuntimeException();
    }
    return new Target(pod, c, reader.read(pod.getMetadata().getUid()));
  }

  @Override
  public void exec(PodExecRequest request, StreamObserver<PodExecResponse> out) {
    try {
      Target t = target(request.getNamespace(), request.getName(), request.getContainer());
      if (request.getCommandCount() == 0) {
        throw Status.INVALID_ARGUMENT.withDescription("command: a command to run is required").asRuntimeException();
      }
      ContainerStatus c = t.rt().latest(t.container())
          .filter(x -> x.getState() == ContainerState.CONTAINER_RUNNING)
          .orElseThrow(() -> Status.FAILED_PRECONDITION.withDescription("container " + t.container()
              + " of pod " + request.getName() + " is not running").asRuntimeException());
      Duration timeout = request.getTimeoutSeconds() > 0
          ? Duration.ofSeconds(request.getTimeoutSeconds()) : DEFAULT_EXEC_TIMEOUT;
      ExecSyncResponse r = runtime.execSync(c.getId(), request.getCommandList(), timeout);
      out.onNext(PodExecResponse.newBuilder().setStdout(r.getStdout()).setStderr(r.getStderr())
          .setExitCode(r.getExitCode()).build());
      out.onCompleted();
    } catch (StatusRuntimeException e) {
      out.onError(e);
    } catch (CriException e) {
      out.onError(Status.fromCode(e.code()).withDescription(e.getMessage()).asRuntimeException());
    }
  }

  @Override
  public void getLogs(PodLogRequest request, StreamObserver<PodLogChunk> out) {
    ServerCallStreamObserver<PodLogChunk> call = (ServerCallStreamObserver<PodLogChunk>) out;
    Thread.ofVirtual().name("logs-" + request.getName()).start(() -> {
      try {
        streamLogs(request, call);
      } catch (StatusRuntimeException e) {
        call.onError(e);
      } catch (CriException e) {
        call.onError(Status.fromCode(e.code()).withDescription(e.getMessage()).asRuntimeException());
      } catch (IOException e) {
        call.onError(Status.INTERNAL.withDescription("reading the log: " + e.getMessage()).asRuntimeException());
      } catch (InterruptedException e) {
        call.onError(Status.CANCELLED.asRuntimeException());
      }
    });
  }

  private void streamLogs(PodLogRequest request, ServerCallStreamObserver<PodLogChunk> call)
      throws IOException, InterruptedException {
    Target t = target(request.getNamespace(), request.getName(), request.getContainer());
    List<ContainerStatus> instances = t.rt().instances(t.container());
    ContainerStatus c;
    if (request.getPrevious()) {
      c = instances.stream().skip(1).filter(x -> x.getState() == ContainerState.CONTAINER_EXITED).findFirst()
          .orElseThrow(() -> Status.INVALID_ARGUMENT.withDescription("previous terminated container "
              + t.container() + " in pod " + request.getName() + " not found").asRuntimeException());
    } else {
      c = instances.stream().findFirst().orElseThrow(() -> Status.INVALID_ARGUMENT.withDescription(
          "container " + t.container() + " in pod " + request.getName() + " is waiting to start")
          .asRuntimeException());
    }
    Path file = Path.of(c.getLogPath());
    Instant since = request.hasSinceSeconds() ? clock.instant().minusSeconds(request.getSinceSeconds()) : null;
    long offset;
    // Initial part: the whole file (or its last N lines).
    ArrayDeque<CriLogReader.Entry> tail = new ArrayDeque<>();
    boolean limit = request.hasTailLines();
    if (Files.exists(file)) {
      try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
        BufferedReader br = new BufferedReader(new InputStreamReader(Channels.newInputStream(raf.getChannel()),
            StandardCharsets.UTF_8));
        String line;
        while ((line = br.readLine()) != null) {
          Optional<CriLogReader.Entry> e = CriLogReader.parse(line);
          if (e.isEmpty() || (since != null && e.get().time().isBefore(since))) {
            continue;
          }
          tail.add(e.get());
          if (limit && countLines(tail) > request.getTailLines()) {
            dropFirstLine(tail);
          }
        }
        offset = raf.length();
      }
    } else {
      offset = 0;
    }
    boolean[] lineStart = {true};
    StringBuilder batch = new StringBuilder();
    for (CriLogReader.Entry e : tail) {
      batch.append(new String(e.render(request.getTimestamps(), lineStart[0]), StandardCharsets.UTF_8));
      lineStart[0] = !e.partial();
    }
    if (batch.length() > 0) {
      call.onNext(PodLogChunk.newBuilder().setData(ByteString.copyFromUtf8(batch.toString())).build());
    }
    if (!request.getFollow() || request.getPrevious()) {
      call.onCompleted();
      return;
    }
    String carry = "";
    while (!call.isCancelled()) {
      long size = Files.exists(file) ? Files.size(file) : 0;
      if (size > offset) {
        byte[] bytes;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
          raf.seek(offset);
          bytes = new byte[(int) Math.min(size - offset, 1 << 20)];
          raf.readFully(bytes);
        }
        offset += bytes.length;
        String text = carry + new String(bytes, StandardCharsets.UTF_8);
        int lastNl = text.lastIndexOf('\n');
        carry = lastNl < 0 ? text : text.substring(lastNl + 1);
        StringBuilder sb = new StringBuilder();
        if (lastNl >= 0) {
          for (String line : text.substring(0, lastNl).split("\n")) {
            CriLogReader.parse(line).ifPresent(e -> {
              sb.append(new String(e.render(request.getTimestamps(), lineStart[0]), StandardCharsets.UTF_8));
              lineStart[0] = !e.partial();
            });
          }
        }
        if (sb.length() > 0) {
          call.onNext(PodLogChunk.newBuilder().setData(ByteString.copyFromUtf8(sb.toString())).build());
        }
        continue;
      }
      if (!running(c.getId())) {
        break;
      }
      Thread.sleep(FOLLOW_POLL.toMillis());
    }
    if (!call.isCancelled()) {
      call.onCompleted();
    }
  }

  private boolean running(String containerId) {
    try {
      return runtime.containerStatus(containerId).getState() == ContainerState.CONTAINER_RUNNING;
    } catch (CriException e) {
      return !e.isNotFound();
    }
  }

  private static long countLines(ArrayDeque<CriLogReader.Entry> entries) {
    return entries.stream().filter(e -> !e.partial()).count();
  }

  private static void dropFirstLine(ArrayDeque<CriLogReader.Entry> entries) {
    while (!entries.isEmpty()) {
      CriLogReader.Entry e = entries.pollFirst();
      if (!e.partial()) {
        return;
      }
    }
  }
}
