package dev.skiff.cli;

import dev.skiff.client.SkiffClient;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Runs skiff command lines in this JVM, capturing what they print and their exit code. */
public final class CliRunner {
  private final Path home;
  private final Path workingDir;
  private final Clock clock;
  private final Function<List<String>, SkiffClient> connector;

  public CliRunner(Path home, Path workingDir, Clock clock, Function<List<String>, SkiffClient> connector) {
    this.home = home;
    this.workingDir = workingDir;
    this.clock = clock;
    this.connector = connector;
  }

  public record Result(int exitCode, String out, String err) {}

  public Result run(String... args) {
    return runWithStdin("", args);
  }

  /** A command running on its own thread; its output can be read while it runs. */
  public final class Running {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final Thread thread;
    private volatile Integer exitCode;

    private Running(String... args) {
      CliEnvironment env = new CliEnvironment(home, workingDir, new ByteArrayInputStream(new byte[0]),
          new PrintWriter(out, true), new PrintWriter(err, true), clock, Map.of(), connector);
      thread = Thread.ofVirtual().start(() -> exitCode = Main.run(env, args));
    }

    public String out() {
      return out.toString();
    }

    public String err() {
      return err.toString();
    }

    /** Waits for the command to end by itself; the exit code. */
    public Result await(java.time.Duration timeout) throws InterruptedException {
      if (!thread.join(timeout)) {
        throw new AssertionError("command still running after " + timeout + "; out so far: " + out());
      }
      return new Result(exitCode, out(), err());
    }

    /** Interrupts the command (what Ctrl-C means to a watch) and waits for it to end. */
    public Result stop() throws InterruptedException {
      thread.interrupt();
      return await(java.time.Duration.ofSeconds(10));
    }
  }

  public Running start(String... args) {
    return new Running(args);
  }

  public Result runWithStdin(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CliEnvironment env = new CliEnvironment(home, workingDir,
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintWriter(out, true), new PrintWriter(err, true), clock, Map.of(), connector);
    int code = Main.run(env, args);
    return new Result(code, out.toString(), err.toString());
  }
}
