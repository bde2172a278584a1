package dev.skiff.cli;

import dev.skiff.api.v1.Namespace;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.apiserver.testing.InProcessCluster;
import dev.skiff.client.SkiffClient;
import dev.skiff.client.api.Kinds;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** An in-process cluster and CLI runners bound to it, shared by the tests of one class. */
public final class ClusterFixture implements AutoCloseable {
  private final InProcessCluster cluster = InProcessCluster.start();
  private final Path dir;

  public ClusterFixture(Path dir) {
    this.dir = dir;
  }

  public SkiffClient client() {
    return cluster.client();
  }

  /** A runner on the system clock. */
  public CliRunner cli() {
    return cli(Clock.systemUTC());
  }

  /** A runner whose clock reads {@code at}: AGE columns become exact. */
  public CliRunner cliAt(Instant at) {
    return cli(Clock.fixed(at, ZoneOffset.UTC));
  }

  private CliRunner cli(Clock clock) {
    return new CliRunner(dir, dir, clock, servers -> SkiffClient.forChannel(cluster.channel()));
  }

  /** Creates a namespace for one test, so tests do not see each other's objects. */
  public String namespace(String name) {
    client().resource(Kinds.NAMESPACE).create(
        Namespace.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(name)).build());
    return name;
  }

  public Path dir() {
    return dir;
  }

  @Override
  public void close() {
    cluster.close();
  }
}
