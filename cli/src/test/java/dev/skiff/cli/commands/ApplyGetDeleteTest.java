package dev.skiff.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import dev.skiff.api.v1.Deployment;
import dev.skiff.cli.CliRunner.Result;
import dev.skiff.cli.ClusterFixture;
import dev.skiff.cli.output.Cells;
import dev.skiff.client.api.Kinds;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** apply / get / scale / delete through picocli against an in-process cluster. */
class ApplyGetDeleteTest {
  @TempDir static Path dir;
  static ClusterFixture cluster;

  @BeforeAll
  static void start() throws IOException {
    cluster = new ClusterFixture(dir);
    for (String name : new String[] {"nginx-deployment.yaml", "my-service.yaml", "my-nginx.yaml"}) {
      try (InputStream in = ApplyGetDeleteTest.class.getResourceAsStream("/manifests/" + name)) {
        Files.write(dir.resolve(name), in.readAllBytes());
      }
    }
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void kubernetesDocsManifestsApplyThenApplyAgainIsUnchanged() {
    String ns = cluster.namespace("docs");

    Result first = cluster.cli().run("apply", "-n", ns, "-f", "nginx-deployment.yaml", "-f", "my-service.yaml");
    Result second = cluster.cli().run("apply", "-n", ns, "-f", "nginx-deployment.yaml", "-f", "my-service.yaml");

    assertThat(first.err()).isEmpty();
    assertThat(first.out()).isEqualTo("deployment.apps/nginx-deployment created\nservice/my-service created\n");
    assertThat(first.exitCode()).isZero();
    assertThat(second.out()).isEqualTo(
        "deployment.apps/nginx-deployment unchanged\nservice/my-service unchanged\n");
    assertThat(second.exitCode()).isZero();
  }

  @Test
  void changedManifestIsConfiguredAndKeepsFieldsSetByOthers() throws IOException {
    String ns = cluster.namespace("configure");
    Path file = dir.resolve("web.yaml");
    Files.writeString(file, deployment("web", "nginx:1.14.2", null));
    cluster.cli().run("apply", "-n", ns, "-f", "web.yaml");
    cluster.cli().run("scale", "-n", ns, "deployment/web", "--replicas=4");

    Files.writeString(file, deployment("web", "nginx:1.16.1", null));
    Result changed = cluster.cli().run("apply", "-n", ns, "-f", "web.yaml");
    Result again = cluster.cli().run("apply", "-n", ns, "-f", "web.yaml");

    assertThat(changed.out()).isEqualTo("deployment.apps/web configured\n");
    assertThat(again.out()).isEqualTo("deployment.apps/web unchanged\n");
    Deployment d = cluster.client().resource(Kinds.DEPLOYMENT).get(ns, "web");
    assertThat(d.getSpec().getTemplate().getSpec().getContainers(0).getImage()).isEqualTo("nginx:1.16.1");
    assertThat(d.getSpec().getReplicas()).as("scaled by someone else, not in the manifest").isEqualTo(4);
  }

  @Test
  void fieldRemovedFromTheManifestIsRemovedFromTheObject() throws IOException {
    String ns = cluster.namespace("prune");
    Files.writeString(dir.resolve("labelled.yaml"), deployment("labelled", "nginx", "tier: web"));
    cluster.cli().run("apply", "-n", ns, "-f", "labelled.yaml");
    Files.writeString(dir.resolve("labelled.yaml"), deployment("labelled", "nginx", null));

    Result r = cluster.cli().run("apply", "-n", ns, "-f", "labelled.yaml");

    assertThat(r.out()).isEqualTo("deployment.apps/labelled configured\n");
    assertThat(cluster.client().resource(Kinds.DEPLOYMENT).get(ns, "labelled").getMetadata().getLabelsMap())
        .doesNotContainKey("tier");
  }

  @Test
  void getPrintsKubectlTables() {
    String ns = cluster.namespace("tables");
    cluster.cli().run("apply", "-n", ns, "-f", "my-nginx.yaml");
    Deployment d = cluster.client().resource(Kinds.DEPLOYMENT).get(ns, "my-nginx");
    var created = Cells.toInstant(d.getMetadata().getCreationTimestamp());
    var service = cluster.client().resource(Kinds.SERVICE).get(ns, "my-nginx");
    String clusterIp = service.getSpec().getClusterIp();
    // apply creates the service after the deployment, possibly in the next second
    long serviceAge = 42 - Duration.between(created, Cells.toInstant(service.getMetadata().getCreationTimestamp())).toSeconds();

    Result deploy = cluster.cliAt(created.plusSeconds(42)).run("get", "deploy", "-n", ns);
    Result wide = cluster.cliAt(created.plus(Duration.ofMinutes(5))).run("get", "deployments", "-n", ns, "-o", "wide");
    Result both = cluster.cliAt(created.plusSeconds(42)).run("get", "deploy,svc", "-n", ns);
    Result names = cluster.cli().run("get", "deploy/my-nginx", "svc/my-nginx", "-n", ns, "-o", "name");

    assertThat(deploy.out()).isEqualTo("""
        NAME       READY   UP-TO-DATE   AVAILABLE   AGE
        my-nginx   0/2     0            0           42s
        """);
    assertThat(wide.out()).isEqualTo("""
        NAME       READY   UP-TO-DATE   AVAILABLE   AGE   CONTAINERS   IMAGES   SELECTOR
        my-nginx   0/2     0            0           5m    my-nginx     nginx    run=my-nginx
        """);
    String svcRow = new dev.skiff.cli.output.Table(java.util.List.of("NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"))
        .addRow("service/my-nginx", "ClusterIP", clusterIp.isEmpty() ? "<none>" : clusterIp, "<none>", "80/TCP", serviceAge + "s")
        .render(true);
    assertThat(both.out()).startsWith("""
        NAME                       READY   UP-TO-DATE   AVAILABLE   AGE
        deployment.apps/my-nginx   0/2     0            0           42s

        """).endsWith(svcRow);
    assertThat(names.out()).isEqualTo("deployment.apps/my-nginx\nservice/my-nginx\n");
  }

  @Test
  void getYamlAndJsonRoundTrip() {
    String ns = cluster.namespace("formats");
    cluster.cli().run("apply", "-n", ns, "-f", "nginx-deployment.yaml");

    Result yaml = cluster.cli().run("get", "deployment", "nginx-deployment", "-n", ns, "-o", "yaml");
    Result json = cluster.cli().run("get", "deploy", "-n", ns, "-o", "json");

    assertThat(yaml.out()).startsWith("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n")
        .contains("  name: nginx-deployment\n").contains("image: nginx:1.14.2");
    var list = JsonParser.parseString(json.out()).getAsJsonObject();
    assertThat(list.get("kind").getAsString()).isEqualTo("List");
    assertThat(list.getAsJsonArray("items").get(0).getAsJsonObject().get("kind").getAsString())
        .isEqualTo("Deployment");
    // what get -o yaml prints applies back (the server's defaults become part of the applied
    // configuration, as with kubectl), and then again unchanged
    Result reapplied = cluster.cli().runWithStdin(yaml.out(), "apply", "-n", ns, "-f", "-");
    Result again = cluster.cli().runWithStdin(yaml.out(), "apply", "-n", ns, "-f", "-");
    assertThat(reapplied.err()).isEmpty();
    assertThat(reapplied.out()).isEqualTo("deployment.apps/nginx-deployment configured\n");
    assertThat(again.out()).isEqualTo("deployment.apps/nginx-deployment unchanged\n");
  }

  @Test
  void emptyAndMissingResults() {
    String ns = cluster.namespace("empty");

    Result none = cluster.cli().run("get", "pods", "-n", ns);
    Result missing = cluster.cli().run("get", "deploy", "nope", "-n", ns);

    assertThat(none.exitCode()).isZero();
    assertThat(none.out()).isEmpty();
    assertThat(none.err()).isEqualTo("No resources found in empty namespace.\n");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).isEqualTo("error: deployments.apps \"nope\" not found\n");
  }

  @Test
  void serverValidationListsEveryBadField() throws IOException {
    String ns = cluster.namespace("invalid");
    Files.writeString(dir.resolve("noimage.yaml"), """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replicas: -1
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: web
        """);

    Result r = cluster.cli().run("apply", "-n", ns, "-f", "noimage.yaml");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("error: Deployment \"web\" is invalid:\n")
        .contains("\n  spec.template.spec.containers[0].image: Required value\n")
        .contains("\n  spec.replicas: ");
  }

  @Test
  void scaleThenDeleteByNameFileAndSelector() {
    String ns = cluster.namespace("lifecycle");
    cluster.cli().run("apply", "-n", ns, "-f", "my-nginx.yaml", "-f", "nginx-deployment.yaml");

    Result scaled = cluster.cli().run("scale", "deploy", "nginx-deployment", "--replicas", "5", "-n", ns);
    int replicas = cluster.client().resource(Kinds.DEPLOYMENT).get(ns, "nginx-deployment").getSpec().getReplicas();
    Result byName = cluster.cli().run("delete", "deployment", "nginx-deployment", "-n", ns);
    Result byFile = cluster.cli().run("delete", "-f", "my-nginx.yaml", "-n", ns, "--cascade=orphan");
    Result again = cluster.cli().run("delete", "deploy/nginx-deployment", "-n", ns);

    assertThat(scaled.out()).isEqualTo("deployment.apps/nginx-deployment scaled\n");
    assertThat(replicas).isEqualTo(5);
    assertThat(byName.out()).isEqualTo("deployment.apps \"nginx-deployment\" deleted\n");
    assertThat(byFile.out()).isEqualTo("deployment.apps \"my-nginx\" deleted\nservice \"my-nginx\" deleted\n");
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).isEqualTo("error: deployments.apps \"nginx-deployment\" not found\n");
  }

  @Test
  void deleteByFileUsesTheNamespaceWrittenInTheManifest() throws IOException {
    String ns = cluster.namespace("own-ns");
    Files.writeString(dir.resolve("own-ns.yaml"), """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings, namespace: %s}
        data: {k: v}
        """.formatted(ns));
    Result applied = cluster.cli().run("apply", "-f", "own-ns.yaml");
    Result deleted = cluster.cli().run("delete", "-f", "own-ns.yaml");

    assertThat(applied.exitCode()).isZero();
    assertThat(deleted.err()).isEmpty();
    assertThat(deleted.out()).isEqualTo("configmap \"settings\" deleted\n");
    assertThat(cluster.client().resource(Kinds.CONFIG_MAP).find(ns, "settings")).isEmpty();
  }

  @Test
  void deleteBySelectorAndAllNamespacesListing() throws IOException {
    String a = cluster.namespace("sel-a");
    String b = cluster.namespace("sel-b");
    Files.writeString(dir.resolve("cms.yaml"), """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: one, labels: {app: x}}
        data: {k: v}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: two, labels: {app: y}}
        """);
    cluster.cli().run("apply", "-n", a, "-f", "cms.yaml");
    cluster.cli().run("apply", "-n", b, "-f", "cms.yaml");

    Result all = cluster.cli().run("get", "cm", "-A", "-l", "app=x", "--no-headers");
    Result deleted = cluster.cli().run("delete", "configmaps", "-l", "app=x", "-n", a);
    Result left = cluster.cli().run("get", "cm", "-n", a, "-o", "name");

    assertThat(all.out()).contains("sel-a   one   1 ").contains("sel-b   one   1 ").doesNotContain("two");
    assertThat(deleted.out()).isEqualTo("configmap \"one\" deleted\n");
    assertThat(left.out()).isEqualTo("configmap/two\n");
  }

  private static String deployment(String name, String image, String extraLabel) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: %s
          labels:
            app: %s
        %s
        spec:
          selector:
            matchLabels:
              app: %s
          template:
            metadata:
              labels:
                app: %s
            spec:
              containers:
              - name: main
                image: %s
        """.formatted(name, name, extraLabel == null ? "" : "    " + extraLabel, name, name, image);
  }
}
