package dev.skiff.cri.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class Ipv4PoolTest {
  @Test
  void allocatesHostsRoundRobinSkippingNetworkGatewayAndBroadcast() {
    Ipv4Pool pool = new Ipv4Pool("10.1.2.0/29"); // .0 network, .1 gateway, .7 broadcast
    Set<String> got = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      got.add(pool.allocate());
    }
    assertThat(got).containsExactlyInAnyOrder("10.1.2.2", "10.1.2.3", "10.1.2.4", "10.1.2.5", "10.1.2.6");
    assertThatThrownBy(pool::allocate).hasMessageContaining("no free address left in 10.1.2.0/29");
    pool.release("10.1.2.4");
    assertThat(pool.allocate()).isEqualTo("10.1.2.4");
  }

  @Test
  void aReleasedAddressIsNotReusedAtOnce() {
    Ipv4Pool pool = new Ipv4Pool("10.88.0.0/16");
    String first = pool.allocate();
    pool.release(first);
    assertThat(pool.allocate()).isEqualTo("10.88.0.3");
    assertThat(pool.allocatedCount()).isEqualTo(1);
  }

  @Test
  void rejectsBadRanges() {
    assertThatThrownBy(() -> new Ipv4Pool("10.88.0.0")).hasMessageContaining("CIDR");
    assertThatThrownBy(() -> new Ipv4Pool("10.88.0.0/31")).hasMessageContaining("/8../30");
    assertThatThrownBy(() -> new Ipv4Pool("10.300.0.0/16")).hasMessageContaining("IPv4");
  }
}
