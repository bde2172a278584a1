package dev.skiff.cli;

import dev.skiff.client.ClientOptions;
import dev.skiff.client.RetryPolicy;
import dev.skiff.client.SkiffClient;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What one run of the CLI sees of the world: home and working directory, standard streams, the
 * clock, the environment variables, and how to reach the API servers. {@link #system()} is the
 * real one; tests pass streams they read and a connector to an in-process cluster.
 *
 * @param connector makes a client for the given servers; the CLI closes it when the command ends
 */
public record CliEnvironment(
    Path home,
    Path workingDir,
    InputStream stdin,
    PrintWriter out,
    PrintWriter err,
    Clock clock,
    Map<String, String> env,
    Function<List<String>, SkiffClient> connector) {

  /** Calls from the CLI fail fast: one retry at most, so "server down" is reported in about a second. */
  public static final ClientOptions CLI_CLIENT_OPTIONS = new ClientOptions(
      Duration.ofSeconds(15), new RetryPolicy(2, Duration.ofMillis(200), Duration.ofMillis(200), 1.0));

  public static CliEnvironment system() {
    return new CliEnvironment(
        Path.of(System.getProperty("user.home")),
        Path.of("").toAbsolutePath(),
        System.in,
        new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
        new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true),
        Clock.systemUTC(),
        System.getenv(),
        servers -> SkiffClient.connect(servers, CLI_CLIENT_OPTIONS));
  }
}
