package dev.skiff.cri.sim;

import java.time.Clock;
import java.util.Objects;

/**
 * Settings of one simulated runtime (one hollow node).
 *
 * @param podCidr the range pod sandbox IPs are allocated from, e.g. {@code 10.88.0.0/16}
 * @param nodeIp the IP host-network sandboxes report
 * @param clock the time containers are created, started and exit by (inject a manual clock to
 *     step time in tests)
 * @param anyImagePullable when true every well-formed reference pulls; when false only images
 *     added with {@link SimImages#addPullable}
 * @param writeLogs when true a started container writes its log lines to its CRI log file
 *     ({@code log_directory/log_path}); hollow nodes at scale turn this off
 */
public record SimulatedCriConfig(
    String podCidr, String nodeIp, Clock clock, boolean anyImagePullable, boolean writeLogs) {

  public SimulatedCriConfig {
    Objects.requireNonNull(podCidr, "podCidr");
    Objects.requireNonNull(nodeIp, "nodeIp");
    Objects.requireNonNull(clock, "clock");
  }

  /** 10.88.0.0/16, node IP 127.0.0.1, the system clock, any image pullable, logs written. */
  public static SimulatedCriConfig defaults() {
    return new SimulatedCriConfig("10.88.0.0/16", "127.0.0.1", Clock.systemUTC(), true, true);
  }

  public SimulatedCriConfig withClock(Clock newClock) {
    return new SimulatedCriConfig(podCidr, nodeIp, newClock, anyImagePullable, writeLogs);
  }

  public SimulatedCriConfig withPodCidr(String cidr) {
    return new SimulatedCriConfig(cidr, nodeIp, clock, anyImagePullable, writeLogs);
  }

  public SimulatedCriConfig withNodeIp(String ip) {
    return new SimulatedCriConfig(podCidr, ip, clock, anyImagePullable, writeLogs);
  }

  public SimulatedCriConfig withAnyImagePullable(boolean any) {
    return new SimulatedCriConfig(podCidr, nodeIp, clock, any, writeLogs);
  }

  public SimulatedCriConfig withWriteLogs(boolean write) {
    return new SimulatedCriConfig(podCidr, nodeIp, clock, anyImagePullable, write);
  }
}
