package dev.skiff.nodeagent;

import dev.skiff.api.v1.Pod;
import dev.skiff.client.SkiffClient;
import dev.skiff.client.api.Kinds;
import dev.skiff.client.informer.InformerFactory;
import dev.skiff.client.informer.ResourceEventHandler;
import dev.skiff.client.informer.SharedInformer;
import dev.skiff.cri.ContainerRuntime;
import dev.skiff.cri.CriException;
import dev.skiff.nodeagent.node.LeaseRenewer;
import dev.skiff.nodeagent.node.NodeRegistrar;
import dev.skiff.nodeagent.node.NodeStatusBuilder;
import dev.skiff.nodeagent.pod.ContainerStarter;
import dev.skiff.nodeagent.pod.CrashLoopBackoff;
import dev.skiff.nodeagent.pod.ImagePuller;
import dev.skiff.nodeagent.pod.PodKiller;
import dev.skiff.nodeagent.pod.PodSyncer;
import dev.skiff.nodeagent.pod.PodWorkers;
import dev.skiff.nodeagent.pod.Relister;
import dev.skiff.nodeagent.pod.RuntimeReader;
import dev.skiff.nodeagent.probe.ProbeManager;
import dev.skiff.nodeagent.probe.Prober;
import dev.skiff.nodeagent.runtime.EnvResolver;
import dev.skiff.nodeagent.runtime.PodConfigs;
import dev.skiff.nodeagent.server.NodeAgentService;
import dev.skiff.nodeagent.status.PodStatusBuilder;
import dev.skiff.nodeagent.status.StatusWriter;
import dev.skiff.nodeagent.volume.ObjectSource;
import dev.skiff.nodeagent.volume.VolumeManager;
import io.grpc.BindableService;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Skiff's kubelet: registers the node, renews its Lease, keeps its status, and runs the pods bound
 * to it on a container runtime through the CRI.
 *
 * <p>Pieces: an informer on pods with {@code spec.nodeName=<node>} and a {@link Relister} of the
 * runtime both trigger {@link PodWorkers} (but not the informer's echo of a status this agent wrote,
 * nor a relist that finds what the pod's last sync acknowledged) (one serial sync per pod uid on a shared executor);
 * {@link PodSyncer} does each sync. Node registration and status ({@link NodeRegistrar}) and the
 * Lease ({@link LeaseRenewer}) run on their own loops. {@link #nodeAgentService()} serves logs and
 * exec; with {@code listenPort >= 0} the agent also serves it on its own gRPC server, whose port is
 * the node's daemon endpoint.
 *
 * <p>Threads: the constructor starts nothing. {@link #start()} starts the informer thread, three
 * virtual-thread loops (node status, lease, relist), the worker timer, and the gRPC server; pod
 * syncs run on virtual threads. {@link #close()} stops them (containers keep running: a new agent
 * adopts them).
 */
public final class NodeAgent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeAgent.class);
  static final String UID_INDEX = "uid";

  private final SkiffClient client;
  private final NodeAgentConfig config;
  private final ContainerRuntime runtime;
  private final Clock clock;
  private final InformerFactory informers;
  private final SharedInformer<Pod> pods;
  private final RuntimeReader reader;
  private final PodWorkers workers;
  private final PodSyncer syncer;
  private final Relister relister;
  private final LeaseRenewer lease;
  private final ProbeManager probes;
  private final StatusWriter statusWriter;
  private final NodeAgentService service;
  private final ExecutorService ownedExecutor;
  private final Object lifecycle = new Object();
  // Guarded by lifecycle.
  private final List<Thread> loops = new ArrayList<>();
  private Server server;
  private NodeRegistrar registrar;
  private volatile boolean closed;
  private final java.util.concurrent.atomic.AtomicLong syncs = new java.util.concurrent.atomic.AtomicLong();

  public NodeAgent(SkiffClient client, NodeAgentConfig config, ContainerRuntime runtime, Clock clock) {
    this(client, config, runtime, clock, null);
  }

  /** With a given executor for pod syncs (steppable tests); null = a virtual thread per sync. */
  NodeAgent(SkiffClient client, NodeAgentConfig config, ContainerRuntime runtime, Clock clock,
      Executor syncExecutor) {
    this.client = client;
    this.config = config;
    this.runtime = runtime;
    this.clock = clock;
    this.informers = new InformerFactory(client, Duration.ZERO);
    this.pods = informers.informerFor(Kinds.POD, "spec.nodeName=" + config.nodeName());
    pods.addIndexer(UID_INDEX, p -> List.of(p.getMetadata().getUid()));
    this.reader = new RuntimeReader(runtime);
    this.ownedExecutor = syncExecutor == null ? Executors.newVirtualThreadPerTaskExecutor() : null;
    ObjectSource objects = new ObjectSource(client, clock, Duration.ofSeconds(2));
    PodConfigs configs = new PodConfigs(config);
    this.probes = new ProbeManager(clock, new Prober(runtime));
    this.statusWriter = new StatusWriter(client);
    PodKiller killer = new PodKiller(runtime, reader);
    ImagePuller images = new ImagePuller(runtime, clock);
    ContainerStarter starter = new ContainerStarter(runtime, configs, new EnvResolver(objects), images, config.nodeIp());
    PodStatusBuilder statusBuilder = new PodStatusBuilder(clock, probes, config.nodeIp(), "containerd");
    this.syncer = new PodSyncer(new PodSyncer.Deps(client, runtime, reader, configs,
        new VolumeManager(config, objects), probes, CrashLoopBackoff.kubelet(clock), starter, killer,
        statusBuilder, statusWriter, clock, config.periods().podResync()), this::podByUid);
    this.workers = new PodWorkers(clock, syncExecutor != null ? syncExecutor : ownedExecutor, this::sync);
    this.relister = new Relister(runtime, config.nodeName(), workers::enqueue);
    syncer.bind(workers, relister);
    this.lease = new LeaseRenewer(client, config.nodeName(), config.periods().leaseDuration(), clock);
    this.service = new NodeAgentService(this::podByName, reader, runtime, clock);
    pods.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod o) {
        workers.enqueue(o.getMetadata().getUid());
      }

      @Override
      public void onUpdate(Pod oldO, Pod newO) {
        if (!ownStatusEcho(oldO, newO)) {
          workers.enqueue(newO.getMetadata().getUid());
        }
      }

      @Override
      public void onDelete(Pod o) {
        workers.enqueue(o.getMetadata().getUid());
      }
    });
  }

  /** The NodeAgent gRPC service (logs, exec), for an in-process server of the all-in-one. */
  public BindableService nodeAgentService() {
    return service;
  }

  public NodeAgentConfig config() {
    return config;
  }

  /** The port of the agent's own gRPC server, or the advertised one when it serves none. */
  public int port() {
    synchronized (lifecycle) {
      return server != null ? server.getPort() : Math.max(config.advertisedPort(), 0);
    }
  }

  /** Starts serving, registers the node, and starts the loops. */
  public void start() {
    synchronized (lifecycle) {
      if (closed) {
        throw new IllegalStateException("node agent " + config.nodeName() + " is closed");
      }
      if (registrar != null) {
        return;
      }
      if (config.listenPort() >= 0) {
        try {
          server = Grpc.newServerBuilderForPort(config.listenPort(), InsecureServerCredentials.create())
              .addService(service).build().start();
        } catch (IOException e) {
          throw new UncheckedIOException("node agent: cannot listen on port " + config.listenPort(), e);
        }
      }
      registrar = new NodeRegistrar(client, config,
          new NodeStatusBuilder(config, runtime, clock, port()), clock);
      informers.start();
      workers.start("agent-" + config.nodeName());
      loops.add(loop("node-status", config.periods().nodeStatus(), registrar::updateStatus));
      loops.add(loop("lease", config.periods().leaseRenew(), lease::renew));
      loops.add(loop("relist", config.periods().relist(), this::relistWhenSynced));
    }
    log.info("node agent {}: started (ip {}, agent port {})", config.nodeName(), config.nodeIp(), port());
  }

  /** The update only brings back the status this agent wrote: nothing for a sync to act on. */
  private boolean ownStatusEcho(Pod oldO, Pod newO) {
    return statusWriter.isLastSent(newO) && withoutStatus(oldO).equals(withoutStatus(newO));
  }

  private static Pod withoutStatus(Pod p) {
    return p.toBuilder().clearStatus().setMetadata(p.getMetadata().toBuilder().clearResourceVersion()).build();
  }

  private Thread loop(String name, Duration period, Runnable step) {
    return Thread.ofVirtual().name("agent-" + config.nodeName() + "-" + name).start(() -> {
      String lastError = null;
      while (!closed) {
        try {
          step.run();
          if (lastError != null) {
            log.info("node agent {}: {} recovered", config.nodeName(), name);
          }
          lastError = null;
        } catch (RuntimeException e) {
          String msg = e.getMessage();
          if (!java.util.Objects.equals(msg, lastError)) {
            log.warn("node agent {}: {} failed (retrying every {}): {}", config.nodeName(), name, period, msg);
          }
          lastError = msg;
        }
        try {
          Thread.sleep(period.toMillis());
        } catch (InterruptedException e) {
          return;
        }
      }
    });
  }

  private void relistWhenSynced() {
    if (pods.hasSynced()) {
      relister.relist();
    }
  }

  private void sync(String uid) {
    syncs.incrementAndGet();
    if (!pods.hasSynced()) {
      workers.enqueueAfter(uid, Duration.ofSeconds(1)); // do not take adopted pods for orphans
      return;
    }
    try {
      syncer.sync(uid);
    } catch (CriException e) {
      log.warn("pod {}: runtime call failed, retrying: {}", uid, e.getMessage());
      workers.enqueueAfter(uid, Duration.ofSeconds(e.isUnavailable() ? 1 : 2));
    }
  }

  Optional<Pod> podByUid(String uid) {
    List<Pod> found = pods.lister().byIndex(UID_INDEX, uid);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  Optional<Pod> podByName(String namespace, String name) {
    return pods.lister().get(namespace, name);
  }

  // ------------------------------------------------------------------ steps for tests

  /** Registers the node and starts only the pod informer: the test steps everything else. */
  void startSteppable() {
    synchronized (lifecycle) {
      registrar = new NodeRegistrar(client, config, new NodeStatusBuilder(config, runtime, clock, port()), clock);
    }
    registrar.register();
    informers.start();
  }

  boolean updateNodeStatusOnce() {
    return registrar.updateStatus();
  }

  SharedInformer<Pod> podInformer() {
    return pods;
  }

  PodWorkers workers() {
    return workers;
  }

  void relistOnce() {
    relister.relist();
  }

  void renewLeaseOnce() {
    lease.renew();
  }

  /** Pod syncs run so far (tests: what triggered work). */
  long syncs() {
    return syncs.get();
  }

  long statusWrites() {
    return statusWriter.writes();
  }

  ProbeManager probes() {
    return probes;
  }

  /** Stops the loops, the informer and the server; containers keep running. */
  @Override
  public void close() {
    List<Thread> toStop;
    Server s;
    synchronized (lifecycle) {
      closed = true;
      toStop = List.copyOf(loops);
      s = server;
    }
    toStop.forEach(Thread::interrupt);
    workers.close();
    informers.close();
    if (s != null) {
      s.shutdownNow();
      try {
        s.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (ownedExecutor != null) {
      ownedExecutor.shutdownNow();
    }
    log.info("node agent {}: stopped", config.nodeName());
  }
}
