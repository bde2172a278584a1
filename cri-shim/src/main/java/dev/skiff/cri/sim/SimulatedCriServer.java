package dev.skiff.cri.sim;

import dev.skiff.cri.ContainerRuntime;
import dev.skiff.cri.RemoteRuntime;
import dev.skiff.cri.RuntimeTimeouts;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A simulated CRI server: containerd's RuntimeService and ImageService answered from memory by
 * a {@link SimulatedRuntime} (containers run without processes; behaviour scriptable). One
 * server is one node; thousands fit in a JVM (measured: about 19 KiB of heap per node running
 * one pod, 1000 nodes in 18 MiB; see {@code HollowNodesMemoryTest}).
 *
 * <pre>{@code
 * try (SimulatedCriServer sim = new SimulatedCriServer(SimulatedCriConfig.defaults()).start();
 *      ContainerRuntime runtime = sim.newClient(RuntimeTimeouts.defaults())) {
 *   sim.runtime().addRule(ContainerMatch.containerName("job"), ContainerBehavior.exitAfter(Duration.ofSeconds(1), 0));
 *   ... the agent uses `runtime` exactly as a containerd one ...
 * }
 * }</pre>
 *
 * <p>Serving: {@link #start()} serves on an in-process transport named {@link #name()} with a
 * direct executor (every call is a short, non-blocking critical section); {@link #services()}
 * gives the service definitions to add to any other server (a TCP port, a Unix socket).
 *
 * <p>Ownership: this object owns its in-process server and the channels from {@link #channel()}
 * and closes them in {@link #close()}; clients from {@link #newClient} are the caller's.
 * Thread-safe. The constructor starts nothing.
 */
public final class SimulatedCriServer implements AutoCloseable {
  private static final AtomicLong SEQ = new AtomicLong();

  private final SimulatedRuntime runtime;
  private final String name;
  private Server server;
  private ManagedChannel channel;

  public SimulatedCriServer(SimulatedCriConfig config) {
    this.runtime = new SimulatedRuntime(config);
    this.name = "skiff-sim-cri-" + SEQ.incrementAndGet();
  }

  /** The simulation state: script behaviours, images, crashes. */
  public SimulatedRuntime runtime() {
    return runtime;
  }

  /** The in-process server name (an endpoint for {@code InProcessChannelBuilder.forName}). */
  public String name() {
    return name;
  }

  /** RuntimeService and ImageService, to add to any gRPC server. */
  public List<ServerServiceDefinition> services() {
    return List.of(
        new SimRuntimeService(runtime).bindService(),
        new SimImageService(runtime.images(), runtime::nowNanos).bindService());
  }

  /** Starts the in-process server. */
  public synchronized SimulatedCriServer start() {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    InProcessServerBuilder b = InProcessServerBuilder.forName(name).directExecutor();
    services().forEach(b::addService);
    try {
      server = b.build().start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start in-process CRI server " + name, e);
    }
    return this;
  }

  /** A channel to the in-process server, owned by this object (one per server, shared). */
  public synchronized ManagedChannel channel() {
    if (server == null) {
      throw new IllegalStateException("start() the simulated CRI server first");
    }
    if (channel == null) {
      channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }
    return channel;
  }

  /** A {@link ContainerRuntime} over {@link #channel()}; closing it leaves the channel open. */
  public ContainerRuntime newClient(RuntimeTimeouts timeouts) {
    return new RemoteRuntime(channel(), timeouts);
  }

  @Override
  public synchronized void close() {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (server != null) {
      server.shutdownNow();
      try {
        server.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
