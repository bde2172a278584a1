package dev.skiff.nodeagent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.api.v1.ResourceRequirements;
import dev.skiff.client.time.ManualClock;
import dev.skiff.nodeagent.pod.CrashLoopBackoff;
import dev.skiff.nodeagent.pod.ImagePuller;
import dev.skiff.nodeagent.runtime.EnvResolver;
import dev.skiff.nodeagent.runtime.PodConfigs;
import dev.skiff.nodeagent.server.CriLogReader;
import dev.skiff.nodeagent.volume.AtomicWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's pure pieces: back-off, CRI log lines, env expansion, resources, atomic volume writes. */
class PureLogicTest {
  @Test
  void crashLoopBackOffDoublesToFiveMinutesAndResetsAfterTenMinutes() {
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    CrashLoopBackoff b = CrashLoopBackoff.kubelet(clock);
    Instant finished = clock.instant();
    assertThat(b.remaining("p/c", finished)).isEmpty(); // first restart: at once
    b.next("p/c", finished);
    assertThat(b.remaining("p/c", finished)).contains(Duration.ofSeconds(10));
    clock.advance(Duration.ofSeconds(10));
    assertThat(b.remaining("p/c", finished)).isEmpty();
    for (int i = 0; i < 10; i++) {
      b.next("p/c", clock.instant());
    }
    assertThat(b.current("p/c")).isEqualTo(Duration.ofMinutes(5));
    clock.advance(Duration.ofMinutes(11));
    assertThat(b.remaining("p/c", clock.instant())).isEmpty();
    b.next("p/c", clock.instant());
    assertThat(b.current("p/c")).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void parsesCriLogLines() {
    var e = CriLogReader.parse("2026-11-22T00:49:35.123456789Z stdout F hello world").orElseThrow();
    assertThat(e.stream()).isEqualTo("stdout");
    assertThat(e.partial()).isFalse();
    assertThat(new String(e.render(false, true), StandardCharsets.UTF_8)).isEqualTo("hello world\n");
    assertThat(new String(e.render(true, true), StandardCharsets.UTF_8))
        .isEqualTo("2026-11-22T00:49:35.123456789Z hello world\n");
    var p = CriLogReader.parse("2026-11-22T00:49:35Z stderr P part").orElseThrow();
    assertThat(p.partial()).isTrue();
    assertThat(new String(p.render(false, true), StandardCharsets.UTF_8)).isEqualTo("part");
    assertThat(CriLogReader.parse("garbage")).isEmpty();
  }

  @Test
  void expandsEnvReferencesLikeKubernetes() {
    Map<String, String> env = Map.of("A", "1", "B", "two");
    assertThat(EnvResolver.expand("$(A)-$(B)", env)).isEqualTo("1-two");
    assertThat(EnvResolver.expand("$(MISSING)", env)).isEqualTo("$(MISSING)");
    assertThat(EnvResolver.expand("$$(A)", env)).isEqualTo("$(A)");
    assertThat(EnvResolver.expand("plain", env)).isEqualTo("plain");
  }

  @Test
  void mapsResourcesToLinuxCgroupSettings() {
    var r = PodConfigs.resources(ResourceRequirements.newBuilder()
        .putRequests("cpu", "250m").putLimits("cpu", "500m").putLimits("memory", "64Mi").build());
    assertThat(r.getCpuShares()).isEqualTo(256);
    assertThat(r.getCpuPeriod()).isEqualTo(100_000);
    assertThat(r.getCpuQuota()).isEqualTo(50_000);
    assertThat(r.getMemoryLimitInBytes()).isEqualTo(64L << 20);
    assertThat(PodConfigs.resources(ResourceRequirements.getDefaultInstance()).getCpuShares()).isEqualTo(2);
  }

  @Test
  void defaultsThePullPolicyFromTheTag() {
    assertThat(ImagePuller.effectivePolicy("busybox", "")).isEqualTo("Always");
    assertThat(ImagePuller.effectivePolicy("localhost:5000/busybox:latest", "")).isEqualTo("Always");
    assertThat(ImagePuller.effectivePolicy("localhost:5000/busybox:1.35", "")).isEqualTo("IfNotPresent");
    assertThat(ImagePuller.effectivePolicy("localhost:5000/busybox", "")).isEqualTo("Always");
    assertThat(ImagePuller.effectivePolicy("busybox", "Never")).isEqualTo("Never");
  }

  @Test
  void atomicWriterSwapsTheDataLinkAndRemovesStaleFiles(@TempDir Path dir) throws Exception {
    Path vol = dir.resolve("vol");
    assertThat(AtomicWriter.write(vol, Map.of("a", b("1"), "b", b("2")), 0644)).isTrue();
    assertThat(Files.readString(vol.resolve("a"))).isEqualTo("1");
    assertThat(Files.isSymbolicLink(vol.resolve("..data"))).isTrue();
    assertThat(AtomicWriter.write(vol, Map.of("a", b("1"), "b", b("2")), 0644)).isFalse(); // unchanged
    Path before = Files.readSymbolicLink(vol.resolve("..data"));
    assertThat(AtomicWriter.write(vol, Map.of("a", b("changed")), 0644)).isTrue();
    assertThat(Files.readString(vol.resolve("a"))).isEqualTo("changed");
    assertThat(Files.exists(vol.resolve("b"), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(Files.exists(vol.resolve(before))).isFalse(); // the old payload is gone
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
