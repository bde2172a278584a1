package dev.skiff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.BadRequest.FieldViolation;
import dev.skiff.client.ApiException;
import dev.skiff.client.SkiffClient;
import dev.skiff.client.api.Kinds;
import io.grpc.Status;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI without a cluster: config, usage errors, error formatting, an unreachable server. */
class CliBasicsTest {
  @TempDir Path home;

  private final List<List<String>> connects = new ArrayList<>();

  private CliRunner runner() {
    return new CliRunner(home, home, Clock.systemUTC(), servers -> {
      connects.add(servers);
      return SkiffClient.connect(servers, CliEnvironment.CLI_CLIENT_OPTIONS);
    });
  }

  @Test
  void configSetNamespaceIsUsedByLaterCommands() throws IOException {
    CliRunner.Result set = runner().run("config", "set-namespace", "team-a");
    CliRunner.Result view = runner().run("config", "view");

    assertThat(set.exitCode()).isZero();
    assertThat(Files.readString(home.resolve(".skiff/config"))).contains("currentNamespace: team-a");
    assertThat(view.out()).contains("- 127.0.0.1:6443\n").contains("currentNamespace: team-a\n");
  }

  @Test
  void globalOptionsWorkBeforeAndAfterTheCommand() {
    runner().run("config", "set-server", "10.0.0.1:6443,10.0.0.2:6443");

    assertThat(runner().run("config", "view").out()).contains("- 10.0.0.1:6443\n- 10.0.0.2:6443\n");
    assertThat(runner().run("--server", "h:1", "config", "view", "-n", "x").out())
        .contains("- h:1\n").contains("currentNamespace: x\n");
    assertThat(runner().run("config", "view", "--server=h:2", "--namespace", "y").out())
        .contains("- h:2\n").contains("currentNamespace: y\n");
  }

  @Test
  void unreachableServerIsOneClearLine() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }

    CliRunner.Result r = runner().run("--server", "127.0.0.1:" + port, "get", "pods");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo(
        "error: cannot reach the API server at 127.0.0.1:" + port + " — is `skiff server` running?\n");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void unknownResourceTypeAndBadFlagsAreUsageErrors() {
    CliRunner.Result unknown = runner().run("get", "gizmos");
    CliRunner.Result badFlag = runner().run("get", "pods", "--frobnicate");
    CliRunner.Result badOutput = runner().run("get", "pods", "-o", "xml");

    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.err()).isEqualTo("error: the server doesn't have a resource type \"gizmos\"\n");
    assertThat(badFlag.exitCode()).isEqualTo(2);
    assertThat(badFlag.err()).startsWith("error: Unknown option: '--frobnicate'\nSee 'skiff get --help'");
    assertThat(badOutput.err()).startsWith("error: unable to match a printer suitable for the output format \"xml\"");
    assertThat(connects).isEmpty();
  }

  @Test
  void badManifestListsEveryFieldAndTouchesNoServer() throws IOException {
    Files.writeString(home.resolve("web.yaml"), """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replica: 2
          template:
            spec:
              containers:
              - name: web
                imagee: nginx
        """);

    CliRunner.Result r = runner().run("apply", "-f", "web.yaml");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("""
        error: web.yaml (document 1): Deployment "web" has 2 invalid fields:
          spec.replica: unknown field "replica" (line 6)
          spec.template.spec.containers[0].imagee: unknown field "imagee" (line 11)
        """);
    assertThat(connects).isEmpty();
  }

  @Test
  void validationErrorsListEveryFieldPath() {
    ApiException invalid = new ApiException(Status.Code.INVALID_ARGUMENT, "Deployment is invalid", List.of(
        FieldViolation.newBuilder().setField("spec.template.spec.containers[0].image").setDescription("Required value").build(),
        FieldViolation.newBuilder().setField("spec.replicas").setDescription("must be greater than or equal to 0").build()),
        null);

    List<String> lines = new ErrorReporter(() -> List.of("127.0.0.1:6443"))
        .lines(new ObjectCallException(Kinds.DEPLOYMENT, "web", invalid));

    assertThat(lines).containsExactly(
        "error: Deployment \"web\" is invalid:",
        "  spec.template.spec.containers[0].image: Required value",
        "  spec.replicas: must be greater than or equal to 0");
  }

  @Test
  void apiErrorsNameTheObjectLikeKubectl() {
    ErrorReporter reporter = new ErrorReporter(() -> List.of("127.0.0.1:6443"));

    assertThat(reporter.lines(new ObjectCallException(Kinds.DEPLOYMENT, "web",
            new ApiException(Status.Code.NOT_FOUND, "deployment default/web not found", List.of(), null))))
        .containsExactly("error: deployments.apps \"web\" not found");
    assertThat(reporter.lines(new ObjectCallException(Kinds.POD, "p",
            new ApiException(Status.Code.ALREADY_EXISTS, "exists", List.of(), null))))
        .containsExactly("error: pods \"p\" already exists");
    assertThat(reporter.lines(new RuntimeException("boom"))).containsExactly("error: boom");
  }

  @Test
  void completionScriptNamesTheCommands() {
    CliRunner.Result r = runner().run("completion", "bash");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("complete -F _complete_skiff").contains("rollout").contains("apply");
  }
}
