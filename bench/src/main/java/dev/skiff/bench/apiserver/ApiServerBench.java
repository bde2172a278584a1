package dev.skiff.bench.apiserver;

import dev.skiff.api.v1.Container;
import dev.skiff.api.v1.GetRequest;
import dev.skiff.api.v1.ListRequest;
import dev.skiff.api.v1.Namespace;
import dev.skiff.api.v1.NamespacesGrpc;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodList;
import dev.skiff.api.v1.PodSpec;
import dev.skiff.api.v1.PodWatchEvent;
import dev.skiff.api.v1.PodsGrpc;
import dev.skiff.api.v1.WatchRequest;
import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.ApiServerConfig;
import dev.skiff.client.etcd.EtcdClient;
import dev.skiff.client.etcd.EtcdEndpoints;
import dev.skiff.client.etcd.EtcdException;
import dev.skiff.store.StoreConfig;
import dev.skiff.store.StoreNode;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import com.google.common.io.MoreFiles;
import com.google.common.io.RecursiveDeleteOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * The apiserver benchmark: N pod creates at a fixed offered rate (open loop: latency counts from
 * the scheduled send time), gets, lists of all N pods (store and cache), and one write fanned
 * out to W watchers. Store: Skiff's 1-member Raft store with fsync ("skiff") or a running etcd
 * ("etcd:host:port"). The apiserver and the clients talk over loopback TCP (Netty).
 *
 * <p>Usage: ApiServerBench STORE PODS RATE WATCHERS DATA_DIR [WARMUP]
 *
 * <p>WARMUP (default 0): extra pod creates (and gets) before the measured phases, closed loop with
 * 64 concurrent clients in their own namespace, so the measured phases run on a JIT-compiled JVM;
 * the measured workload is the same with or without it.
 */
public final class ApiServerBench {
  private ApiServerBench() {}

  public static void main(String[] args) throws Exception {
    String storeArg = args.length > 0 ? args[0] : "skiff";
    int pods = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int rate = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
    int watchers = args.length > 3 ? Integer.parseInt(args[3]) : 1_000;
    Path dataRoot = Path.of(args.length > 4 ? args[4] : "/var/tmp");
    int extraWarmUp = args.length > 5 ? Integer.parseInt(args[5]) : 0;

    StoreNode store = null;
    Path storeDir = null;
    List<String> endpoints;
    if (storeArg.startsWith("etcd:")) {
      endpoints = List.of(storeArg.substring("etcd:".length()));
    } else {
      storeDir = Files.createTempDirectory(dataRoot, "skiff-bench-store-");
      store = new StoreNode(StoreConfig.singleNode(storeDir), Clock.systemUTC());
      store.start();
      endpoints = List.of(store.clientEndpoint());
    }
    ManagedChannel storeChannel = EtcdEndpoints.channel(endpoints);
    awaitStore(storeChannel, Duration.ofSeconds(120));
    ApiServer api = new ApiServer(ApiServerConfig.defaults(), storeChannel);
    api.start();
    NettyServerBuilder sb = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0),
        InsecureServerCredentials.create());
    sb.executor(Executors.newVirtualThreadPerTaskExecutor());
    api.services().forEach(sb::addService);
    Server server = sb.build().start();
    int port = ((InetSocketAddress) server.getListenSockets().getFirst()).getPort();
    ManagedChannel ch = Grpc.newChannelBuilder("127.0.0.1:" + port, InsecureChannelCredentials.create())
        .maxInboundMessageSize(256 * 1024 * 1024).build();
    System.out.printf("apiserver bench: store=%s pods=%d rate=%d/s watchers=%d warm-up=%d cores=%d%n",
        storeArg.startsWith("etcd:") ? "etcd " + endpoints : "skiff (1 member, fsync)", pods, rate, watchers,
        extraWarmUp, Runtime.getRuntime().availableProcessors());
    String ns = "bench";
    NamespacesGrpc.newBlockingStub(ch).create(Namespace.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(ns)).build());
    try {
      warmUp(ch, ns);
      if (extraWarmUp > 0) {
        warmUpConcurrently(ch, "warmup", extraWarmUp);
      }
      List<String> created = profiled(() -> creates(ch, ns, pods, rate));
      gets(ch, ns, created, Duration.ofSeconds(5));
      lists(ch, ns);
      fanOut(ch, ns, watchers, 20);
    } finally {
      ch.shutdownNow();
      server.shutdownNow();
      api.close();
      storeChannel.shutdownNow();
      if (store != null) {
        store.close();
        MoreFiles.deleteRecursively(storeDir, RecursiveDeleteOption.ALLOW_INSECURE);
      }
    }
  }

  /** Waits until the store answers a linearizable read (a leader is elected and serving). */
  private static void awaitStore(ManagedChannel channel, Duration limit) throws InterruptedException {
    EtcdClient client = EtcdClient.forChannel(channel).withTimeout(Duration.ofSeconds(5));
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      try {
        client.currentRevision();
        return;
      } catch (EtcdException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        TimeUnit.MILLISECONDS.sleep(200);
      }
    }
  }

  /** A phase whose CPU profile is recorded when -Dskiff.bench.profile=FILE.jfr names a file. */
  private interface Phase<R> {
    R run() throws InterruptedException;
  }

  private static <R> R profiled(Phase<R> phase) throws Exception {
    String file = System.getProperty("skiff.bench.profile", "");
    if (file.isEmpty()) {
      return phase.run();
    }
    try (Recording rec = new Recording(Configuration.getConfiguration("profile"))) {
      rec.start();
      R result = phase.run();
      rec.stop();
      rec.dump(Path.of(file));
      return result;
    }
  }

  /** CPU time this whole JVM (store, apiserver and clients) has used so far, in nanoseconds. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static String cpuPerOp(long cpuNanos, int ops) {
    return String.format("  cpu %.2f ms/op", ops == 0 ? 0 : cpuNanos / 1e6 / ops);
  }

  static Pod pod(String ns, String name) {
    return Pod.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace(ns).setName(name).putLabels("app", "bench"))
        .setSpec(PodSpec.newBuilder().addContainers(Container.newBuilder().setName("c").setImage("busybox:1.36"))).build();
  }

  private static void warmUp(ManagedChannel ch, String ns) {
    PodsGrpc.PodsBlockingStub stub = PodsGrpc.newBlockingStub(ch);
    for (int i = 0; i < 300; i++) {
      stub.create(pod(ns, "warm-" + i));
      stub.get(GetRequest.newBuilder().setNamespace(ns).setName("warm-" + i).build());
    }
  }

  /** Closed loop, 64 clients: n creates and gets in namespace {@code ns}, never queueing on the server. */
  private static void warmUpConcurrently(ManagedChannel ch, String ns, int n) throws InterruptedException {
    NamespacesGrpc.newBlockingStub(ch).create(Namespace.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(ns)).build());
    PodsGrpc.PodsBlockingStub stub = PodsGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.MINUTES);
    AtomicLong next = new AtomicLong();
    long start = System.nanoTime();
    List<Thread> clients = new ArrayList<>();
    for (int t = 0; t < 64; t++) {
      clients.add(Thread.ofVirtual().start(() -> {
        for (long i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
          stub.create(pod(ns, "warm-" + i));
          stub.get(GetRequest.newBuilder().setNamespace(ns).setName("warm-" + i).build());
        }
      }));
    }
    for (Thread t : clients) {
      t.join();
    }
    System.out.printf("warm-up: %d creates and gets in %.1f s (not measured)%n", n, (System.nanoTime() - start) / 1e9);
  }

  /** Open loop: create i is due at start + i/rate; its latency runs from then to the answer. */
  private static List<String> creates(ManagedChannel ch, String ns, int n, int rate) throws InterruptedException {
    List<String> created = java.util.Collections.synchronizedList(new ArrayList<>());
    PodsGrpc.PodsStub stub = PodsGrpc.newStub(ch);
    Latencies lat = new Latencies();
    AtomicLong errors = new AtomicLong();
    CountDownLatch done = new CountDownLatch(n);
    long cpu0 = processCpuNanos();
    long start = System.nanoTime();
    long intervalNanos = 1_000_000_000L / rate;
    for (int i = 0; i < n; i++) {
      long due = start + i * intervalNanos;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      stub.withDeadlineAfter(60, TimeUnit.SECONDS).create(pod(ns, "p-" + i), new StreamObserver<>() {
        @Override
        public void onNext(Pod value) {
          lat.add(System.nanoTime() - due);
          created.add(value.getMetadata().getName());
        }

        @Override
        public void onError(Throwable t) {
          errors.incrementAndGet();
          done.countDown();
        }

        @Override
        public void onCompleted() {
          done.countDown();
        }
      });
    }
    done.await(180, TimeUnit.SECONDS);
    double secs = (System.nanoTime() - start) / 1e9;
    long cpu = processCpuNanos() - cpu0;
    System.out.println(lat.summary("create (offered " + rate + "/s)", secs) + "  errors " + errors.get()
        + cpuPerOp(cpu, n));
    return List.copyOf(created);
  }

  private static void gets(ManagedChannel ch, String ns, List<String> names, Duration length) throws InterruptedException {
    PodsGrpc.PodsBlockingStub stub = PodsGrpc.newBlockingStub(ch);
    Latencies lat = new Latencies();
    long cpu0 = processCpuNanos();
    long end = System.nanoTime() + length.toNanos();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 32; t++) {
      threads.add(Thread.ofVirtual().start(() -> {
        while (System.nanoTime() < end) {
          long s = System.nanoTime();
          stub.get(GetRequest.newBuilder().setNamespace(ns).setName(names.get(ThreadLocalRandom.current().nextInt(names.size()))).build());
          lat.add(System.nanoTime() - s);
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    System.out.println(lat.summary("get (32 concurrent)", length.toNanos() / 1e9)
        + cpuPerOp(processCpuNanos() - cpu0, lat.count()));
  }

  private static void lists(ManagedChannel ch, String ns) {
    PodsGrpc.PodsBlockingStub stub = PodsGrpc.newBlockingStub(ch).withDeadlineAfter(120, TimeUnit.SECONDS);
    for (String rv : new String[] {"", "0"}) {
      Latencies lat = new Latencies();
      long t0 = System.nanoTime();
      int items = 0;
      for (int i = 0; i < 5; i++) {
        long s = System.nanoTime();
        PodList l = stub.list(ListRequest.newBuilder().setNamespace(ns).setResourceVersion(rv).build());
        lat.add(System.nanoTime() - s);
        items = l.getItemsCount();
      }
      System.out.println(lat.summary("list " + items + " pods rv=\"" + rv + "\"", (System.nanoTime() - t0) / 1e9));
    }
    Latencies paged = new Latencies();
    long t0 = System.nanoTime();
    String cont = "";
    int total = 0;
    do {
      long s = System.nanoTime();
      PodList l = stub.list(ListRequest.newBuilder().setNamespace(ns).setLimit(500).setContinue(cont).build());
      paged.add(System.nanoTime() - s);
      total += l.getItemsCount();
      cont = l.getMetadata().getContinue();
    } while (!cont.isEmpty());
    System.out.println(paged.summary("list pages of 500 (" + total + " pods)", (System.nanoTime() - t0) / 1e9));
  }

  /** W watchers; M creates; latency from each create's send to each watcher's receipt. */
  private static void fanOut(ManagedChannel ch, String ns, int watchers, int writes) throws InterruptedException {
    Map<String, Long> sent = new ConcurrentHashMap<>();
    Latencies lat = new Latencies();
    CountDownLatch delivered = new CountDownLatch(watchers * writes);
    PodsGrpc.PodsStub async = PodsGrpc.newStub(ch);
    String rv = PodsGrpc.newBlockingStub(ch).list(ListRequest.newBuilder().setNamespace(ns).setLimit(1).build())
        .getMetadata().getResourceVersion();
    for (int w = 0; w < watchers; w++) {
      async.watch(WatchRequest.newBuilder().setNamespace(ns).setResourceVersion(rv).setLabelSelector("fan=out").build(),
          new StreamObserver<>() {
            @Override
            public void onNext(PodWatchEvent e) {
              Long s = sent.get(e.getObject().getMetadata().getName());
              if (s != null) {
                lat.add(System.nanoTime() - s);
              }
              delivered.countDown();
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {}
          });
    }
    TimeUnit.SECONDS.sleep(3); // let every watch register
    PodsGrpc.PodsBlockingStub stub = PodsGrpc.newBlockingStub(ch);
    long t0 = System.nanoTime();
    for (int i = 0; i < writes; i++) {
      String name = "fan-" + i;
      Pod p = pod(ns, name);
      p = p.toBuilder().setMetadata(p.getMetadata().toBuilder().putLabels("fan", "out")).build();
      sent.put(name, System.nanoTime());
      stub.create(p);
      TimeUnit.MILLISECONDS.sleep(50);
    }
    boolean all = delivered.await(60, TimeUnit.SECONDS);
    System.out.println(lat.summary("watch delivery to " + watchers + " watchers", (System.nanoTime() - t0) / 1e9)
        + (all ? "" : "  INCOMPLETE: " + delivered.getCount() + " missing"));
  }
}
