package dev.skiff.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code skiff agent} as its own OS process, launched as the {@code ./skiff} launcher does: the
 * JDK running the tests, the launcher's JVM flags for cluster processes, the built CLI
 * ({@code cli/target/skiff.jar} and {@code cli/target/lib}). Its stdout and stderr are appended
 * to a log file (one per node, every start of the agent in it) for diagnosis.
 *
 * <p>Not thread-safe: one test thread starts, kills and closes it.
 */
final class AgentProcess implements AutoCloseable {
  /** The repository root (tests run in the e2e module's directory). */
  private static final Path HOME = Path.of("..").toAbsolutePath().normalize();
  private static final Path JAR = HOME.resolve("cli/target/skiff.jar");
  /** The exit value the JDK reports for a process killed by SIGKILL (128 + 9). */
  static final int KILLED = 137;

  private final Process process;
  private final Path log;

  private AgentProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** The CLI is built (the launcher's classpath exists), or why not. */
  static String missingCli() {
    return Files.isRegularFile(JAR) && Files.isDirectory(HOME.resolve("cli/target/lib")) ? null
        : JAR + " is missing: build it with `mvn -pl cli -am install -DskipTests` (or run ./skiff once)";
  }

  /**
   * Starts {@code skiff agent} for node {@code node} against the API server at {@code apiAddress}
   * and containerd's CRI socket, with its state under {@code dir} (the same for every start of the
   * node, as on a real machine).
   */
  static AgentProcess start(String node, String apiAddress, Path criSocket, Path dir, Path log) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
        "-Dio.grpc.netty.shaded.io.netty.leakDetection.level=disabled",
        "-Dskiff.home=" + HOME,
        "-cp", JAR + ":" + HOME.resolve("cli/target/lib") + "/*",
        "dev.skiff.cli.Main", "agent",
        "--server", apiAddress,
        "--node-name", node,
        "--node-ip", "127.0.0.1",
        "--listen", "0",
        "--runtime-endpoint", "unix://" + criSocket,
        "--root-dir", dir.resolve("root").toString(),
        "--pod-log-dir", dir.resolve("pod-logs").toString()));
    Files.createDirectories(log.getParent());
    Files.writeString(log, "---- " + String.join(" ", cmd) + "\n", java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    return new AgentProcess(p, log);
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Kills the agent with SIGKILL ({@link Process#destroyForcibly()} on Linux: no shutdown hook
   * runs) and returns its exit value once it is gone.
   */
  int kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("agent process " + process.pid() + " still alive 30 s after SIGKILL");
    }
    return process.exitValue();
  }

  Path log() {
    return log;
  }

  /** Kills the process if it still runs. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
