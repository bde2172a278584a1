package dev.skiff.cri.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.cri.ContainerRuntime;
import dev.skiff.cri.CriConfigs;
import dev.skiff.cri.RuntimeTimeouts;
import dev.skiff.cri.v1.ContainerState;
import dev.skiff.cri.v1.PodSandboxConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One simulated CRI server per hollow node: 1000 of them, each running a pod, fit in one JVM. */
class HollowNodesMemoryTest {
  private static final Logger LOG = LoggerFactory.getLogger(HollowNodesMemoryTest.class);
  private static final int NODES = 1000;
  private static final String IMAGE = "localhost:5000/busybox:1.35";

  @Test
  void aThousandNodesWithAPodEachStayCheap() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long before = usedHeapAfterGc(memory);
    long t0 = System.nanoTime();
    List<SimulatedCriServer> servers = new ArrayList<>(NODES);
    List<ContainerRuntime> clients = new ArrayList<>(NODES);
    try {
      for (int i = 0; i < NODES; i++) {
        SimulatedCriServer sim = new SimulatedCriServer(SimulatedCriConfig.defaults()
            .withPodCidr("10." + (i / 256) + "." + (i % 256) + ".0/24").withWriteLogs(false)).start();
        servers.add(sim);
        ContainerRuntime runtime = sim.newClient(RuntimeTimeouts.defaults());
        clients.add(runtime);
        runtime.pullImage(IMAGE, null, null);
        PodSandboxConfig pod = CriConfigs.sandbox("default", "pod-" + i, "");
        String sb = runtime.runPodSandbox(pod, "");
        String c = runtime.createContainer(sb, CriConfigs.container("app", IMAGE, List.of("sh"), List.of()), pod);
        runtime.startContainer(c);
      }
      long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
      long after = usedHeapAfterGc(memory);
      long perNode = (after - before) / NODES;
      LOG.info("{} simulated CRI servers with one running pod each: {} KiB heap per node ({} MiB total), set up in {} ms",
          NODES, perNode / 1024, (after - before) >> 20, elapsedMs);
      assertThat(clients.get(NODES - 1).listContainers()).singleElement()
          .satisfies(c -> assertThat(c.getState()).isEqualTo(ContainerState.CONTAINER_RUNNING));
      assertThat(perNode).as("heap bytes per hollow node").isLessThan(64 * 1024);
    } finally {
      clients.forEach(ContainerRuntime::close);
      servers.forEach(SimulatedCriServer::close);
    }
  }

  private static long usedHeapAfterGc(MemoryMXBean memory) {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
