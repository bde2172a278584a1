package dev.skiff.scheduler;

import dev.skiff.api.v1.Node;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PriorityClass;
import dev.skiff.client.SkiffClient;
import dev.skiff.client.api.Kinds;
import dev.skiff.client.events.EventRecorder;
import dev.skiff.client.informer.InformerFactory;
import dev.skiff.client.informer.ResourceEventHandler;
import dev.skiff.client.informer.SharedInformer;
import dev.skiff.client.leader.LeaderCallbacks;
import dev.skiff.client.leader.LeaderElectionConfig;
import dev.skiff.client.leader.LeaderElector;
import dev.skiff.scheduler.binder.ApiBinder;
import dev.skiff.scheduler.binder.ApiEvictor;
import dev.skiff.scheduler.binder.ApiReporter;
import dev.skiff.scheduler.cache.SchedulerCache;
import dev.skiff.scheduler.core.ClusterEventRouter;
import dev.skiff.scheduler.core.PriorityResolver;
import dev.skiff.scheduler.core.SchedulingAlgorithm;
import dev.skiff.scheduler.core.SchedulingLoop;
import dev.skiff.scheduler.framework.Framework;
import dev.skiff.scheduler.framework.Nominator;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.framework.plugins.DefaultPlugins;
import dev.skiff.scheduler.framework.plugins.DefaultPreemption;
import dev.skiff.scheduler.queue.SchedulingQueue;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler: watches pods without a node, picks the best node for each and binds it through
 * the API server. With leader election, only the instance holding the Lease schedules; a standby
 * keeps its informers and queue warm and takes over when the Lease expires.
 *
 * <p>Threads, all started by {@link #start} and stopped by {@link #close}: the informers' threads
 * (cache and queue updates), one scheduling thread (only while leading), {@code parallelism - 1}
 * filter threads, a ticker (backoff flush, assumption expiry), virtual threads for binds, status
 * writes and evictions, and the leader elector's thread.
 */
public final class Scheduler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Scheduler.class);
  private static final Duration SYNC_TIMEOUT = Duration.ofMinutes(2);

  private final SchedulerConfig config;
  private final InformerFactory informers;
  private final SharedInformer<Pod> podInformer;
  private final SharedInformer<Node> nodeInformer;
  private final SharedInformer<PriorityClass> priorityInformer;
  private final SchedulerCache cache;
  private final SchedulingQueue queue;
  private final SchedulingAlgorithm algorithm;
  private final SchedulingLoop loop;
  private final ClusterEventRouter router;
  private final EventRecorder events;
  private final ExecutorService apiCalls = Executors.newVirtualThreadPerTaskExecutor();
  private final ScheduledExecutorService ticker;
  private final LeaderElector elector;

  // Guarded by this.
  private Thread loopThread;
  private boolean started;
  private boolean closed;

  public Scheduler(SkiffClient client, SchedulerConfig config, Clock clock) {
    this.config = config;
    this.informers = new InformerFactory(client, Duration.ZERO);
    this.podInformer = informers.informerFor(Kinds.POD);
    this.nodeInformer = informers.informerFor(Kinds.NODE);
    this.priorityInformer = informers.informerFor(Kinds.PRIORITY_CLASS);
    this.events = new EventRecorder(client, "default-scheduler", config.identity(), clock);
    Nominator nominator = new Nominator();
    this.cache = new SchedulerCache(clock, config.assumeTtl());
    Map<String, Framework> frameworks = new HashMap<>();
    ApiBinder binder = new ApiBinder(client, config.apiTimeout());
    ApiEvictor evictor = new ApiEvictor(client.resource(Kinds.POD), events, apiCalls);
    for (String name : config.schedulerNames()) {
      DefaultPreemption preemption = new DefaultPreemption(evictor, nominator, 100);
      frameworks.put(name, new Framework(DefaultPlugins.profile(name, preemption, binder)));
    }
    this.queue = new SchedulingQueue(clock, config.initialBackoff(), config.maxBackoff(),
        config.maxUnschedulable(), (pod, event) -> {
          String name = pod.pod().pod().getSpec().getSchedulerName();
          Framework fw = frameworks.get(name.isEmpty() ? SchedulerConfig.DEFAULT_SCHEDULER_NAME : name);
          return fw == null || fw.isWorthRequeuing(pod.rejectingPlugins(), pod.pod(), event);
        });
    this.algorithm = new SchedulingAlgorithm(config.parallelism(),
        config.percentageOfNodesToScore(), RandomGenerator.getDefault(), nominator);
    ApiReporter reporter = new ApiReporter(client.resource(Kinds.POD), events, clock, apiCalls);
    this.loop = new SchedulingLoop(queue, cache, frameworks, algorithm, nominator, reporter,
        apiCalls, config.maxBindsInFlight());
    PriorityResolver priorities = new PriorityResolver(
        name -> priorityInformer.lister().get(name), () -> priorityInformer.lister().list());
    this.router = new ClusterEventRouter(cache, queue, nominator, priorities,
        new HashSet<>(config.schedulerNames()));
    this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "scheduler-ticker");
      t.setDaemon(true);
      return t;
    });
    this.elector = config.leaderElect()
        ? new LeaderElector(client, new LeaderElectionConfig(config.leaseNamespace(),
            config.leaseName(), config.identity(), config.leaseDuration(), config.renewDeadline(),
            config.retryPeriod()), clock, new Callbacks())
        : null;
  }

  /** Starts the informers, then schedules (at once, or when this instance becomes leader). */
  public synchronized void start() {
    if (started || closed) {
      throw new IllegalStateException("a scheduler starts once");
    }
    started = true;
    podInformer.addEventHandler(new ResourceEventHandler<>() {
      @Override public void onAdd(Pod o) { router.onPodAdd(o); }
      @Override public void onUpdate(Pod o, Pod n) { router.onPodUpdate(o, n); }
      @Override public void onDelete(Pod o) { router.onPodDelete(o); }
    });
    nodeInformer.addEventHandler(new ResourceEventHandler<>() {
      @Override public void onAdd(Node o) { router.onNodeAdd(o); }
      @Override public void onUpdate(Node o, Node n) { router.onNodeUpdate(o, n); }
      @Override public void onDelete(Node o) { router.onNodeDelete(o); }
    });
    informers.start();
    ticker.scheduleWithFixedDelay(queue::flush, 100, 100, TimeUnit.MILLISECONDS);
    ticker.scheduleWithFixedDelay(this::expireAssumed, 1, 1, TimeUnit.SECONDS);
    log.info("scheduler {} starting for {}{}", config.identity(), config.schedulerNames(),
        elector != null ? " with leader election on lease " + config.leaseNamespace() + "/"
            + config.leaseName() : "");
    if (elector != null) {
      elector.start();
    } else {
      startScheduling();
    }
  }

  private void expireAssumed() {
    for (String key : cache.cleanupExpired()) {
      log.warn("assumed pod {} expired: its binding was never observed", key);
    }
  }

  private synchronized void startScheduling() {
    if (closed || loopThread != null) {
      return;
    }
    loopThread = Thread.ofPlatform().name("scheduler-loop").daemon().start(() -> {
      if (!informers.waitForSync(SYNC_TIMEOUT)) {
        log.warn("informers did not sync within {}; scheduling anyway", SYNC_TIMEOUT);
      }
      requeuePending();
      loop.run();
    });
  }

  private synchronized void stopScheduling() {
    if (loopThread != null) {
      loopThread.interrupt();
      loopThread = null;
    }
  }

  /** Queues every pending pod of ours from the informer cache (a new leadership term). */
  private void requeuePending() {
    for (Pod pod : podInformer.lister().list()) {
      if (pod.getSpec().getNodeName().isEmpty() && !cache.isAssumed(PodInfo.keyOf(pod))) {
        router.onPodAdd(pod);
      }
    }
  }

  /** Whether this instance schedules now (always, without leader election, once started). */
  public boolean isLeader() {
    return elector == null ? started && !closed : elector.isLeader();
  }

  /** Counters for tests, logs and benchmarks. */
  public Stats stats() {
    SchedulingQueue.QueueSizes sizes = queue.sizes();
    return new Stats(loop.attemptCount(), loop.boundCount(), loop.unschedulableCount(),
        loop.bindsInFlight(), sizes.active(), sizes.backoff(), sizes.unschedulable(),
        cache.podCount());
  }

  /**
   * Scheduler counters: attempts, pods bound, unschedulable outcomes, binds now, queue sizes, and
   * the pods the cache holds on nodes (bound or assumed).
   */
  public record Stats(long attempts, long bound, long unschedulable, int bindsInFlight,
      int active, int backoff, int pendingUnschedulable, int cachedPods) {}

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    if (elector != null) {
      elector.close();
    }
    stopScheduling();
    queue.close();
    ticker.shutdownNow();
    informers.close();
    algorithm.close();
    events.close();
    apiCalls.shutdown();
    try {
      apiCalls.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.info("scheduler {} stopped", config.identity());
  }

  /** Leadership changes, on the elector's thread. */
  private final class Callbacks implements LeaderCallbacks {
    @Override
    public void onStartedLeading() {
      log.info("scheduler {} became leader of {}", config.identity(), config.leaseName());
      startScheduling();
    }

    @Override
    public void onStoppedLeading() {
      log.info("scheduler {} lost leadership of {}", config.identity(), config.leaseName());
      stopScheduling();
    }
  }
}
