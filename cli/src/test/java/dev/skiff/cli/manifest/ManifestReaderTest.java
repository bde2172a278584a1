package dev.skiff.cli.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.api.v1.ConfigMap;
import dev.skiff.api.v1.Deployment;
import dev.skiff.api.v1.Service;
import dev.skiff.client.api.Kinds;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestReaderTest {
  @TempDir Path dir;

  private List<Manifest> readResource(String name) throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/manifests/" + name)) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return ManifestReader.read(List.of(new ManifestSource(name, text)));
    }
  }

  private static List<Manifest> readText(String text) {
    return ManifestReader.read(List.of(new ManifestSource("test.yaml", text)));
  }

  @Test
  void kubernetesDocsNginxDeploymentParsesUnchanged() throws IOException {
    List<Manifest> manifests = readResource("nginx-deployment.yaml");

    assertThat(manifests).hasSize(1);
    assertThat(manifests.get(0).kind()).isEqualTo(Kinds.DEPLOYMENT);
    Deployment d = (Deployment) manifests.get(0).object();
    assertThat(d.getMetadata().getName()).isEqualTo("nginx-deployment");
    assertThat(d.getMetadata().getLabelsMap()).containsEntry("app", "nginx");
    assertThat(d.getSpec().getReplicas()).isEqualTo(3);
    assertThat(d.getSpec().getSelector().getMatchLabelsMap()).containsEntry("app", "nginx");
    var container = d.getSpec().getTemplate().getSpec().getContainers(0);
    assertThat(container.getImage()).isEqualTo("nginx:1.14.2");
    assertThat(container.getPorts(0).getContainerPort()).isEqualTo(80);
  }

  @Test
  void kubernetesDocsServiceNumericTargetPortBecomesString() throws IOException {
    Service svc = (Service) readResource("my-service.yaml").get(0).object();

    assertThat(svc.getSpec().getPorts(0).getPort()).isEqualTo(80);
    assertThat(svc.getSpec().getPorts(0).getTargetPort()).isEqualTo("9376");
    assertThat(svc.getSpec().getSelectorMap()).containsEntry("app.kubernetes.io/name", "MyApp");
  }

  @Test
  void multiDocumentFileKeepsOrder() throws IOException {
    List<Manifest> manifests = readResource("my-nginx.yaml");

    assertThat(manifests).extracting(m -> m.kind().kind()).containsExactly("Deployment", "Service");
    assertThat(manifests).extracting(Manifest::index).containsExactly(1, 2);
  }

  @Test
  void everyBadFieldIsListedWithItsPath() throws IOException {
    assertThatThrownBy(() -> readResource("bad-fields.yaml"))
        .isInstanceOfSatisfying(ManifestException.class, e -> {
          assertThat(e.getMessage())
              .isEqualTo("bad-fields.yaml (document 2): Deployment \"web\" has 4 invalid fields:");
          assertThat(e.details()).containsExactly(
              "metadata.lables: unknown field \"lables\" (line 12)",
              "spec.replicas: expected an integer, got \"three\" (line 15)",
              "spec.template.spec.containers[0].imagePullPolcy: unknown field \"imagePullPolcy\" (line 27)",
              "spec.template.spec.containers[0].ports: expected a list, got \"80\" (line 28)");
        });
  }

  @Test
  void scalarsOfStringFieldsKeepTheirText() {
    ConfigMap cm = (ConfigMap) readText("""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: c
          labels: {version: 1.10, enabled: true}
        data:
          port: 08080
          ratio: 1e3
          empty: ""
        """).get(0).object();

    assertThat(cm.getMetadata().getLabelsMap())
        .containsEntry("version", "1.10").containsEntry("enabled", "true");
    assertThat(cm.getDataMap())
        .containsEntry("port", "08080").containsEntry("ratio", "1e3").containsEntry("empty", "");
  }

  @Test
  void nullValuesAndEmptyDocumentsAreSkipped() {
    List<Manifest> manifests = readText("""
        ---
        # nothing here
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: c
          creationTimestamp: null
        ---
        """);

    assertThat(manifests).hasSize(1);
    assertThat(manifests.get(0).index()).isEqualTo(2);
  }

  @Test
  void unknownKindAndWrongVersionAreNamed() {
    assertThatThrownBy(() -> readText("apiVersion: v1\nkind: Gizmo\nmetadata: {name: g}\n"))
        .hasMessage("test.yaml (document 1): no kind \"Gizmo\" is registered for version \"v1\"");
    assertThatThrownBy(() -> readText("apiVersion: v1\nkind: Deployment\nmetadata: {name: g}\n"))
        .hasMessage("test.yaml (document 1): no matches for kind \"Deployment\" in version \"v1\""
            + " (Deployment is apps/v1)");
    assertThatThrownBy(() -> readText("metadata: {name: g}\n"))
        .hasMessage("test.yaml (document 1): apiVersion not set, kind not set");
  }

  @Test
  void invalidYamlNamesThePosition() {
    assertThatThrownBy(() -> readText("apiVersion: v1\nkind: [ConfigMap\n"))
        .isInstanceOf(ManifestException.class)
        .hasMessageStartingWith("test.yaml (document 1): invalid YAML at line ");
  }

  @Test
  void listKindExpandsItems() {
    List<Manifest> manifests = readText("""
        apiVersion: v1
        kind: List
        items:
        - {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}
        - {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}
        """);

    assertThat(manifests).extracting(m -> m.meta().getName()).containsExactly("a", "b");
  }

  @Test
  void directoriesAndStdinAreSources() throws IOException {
    Files.writeString(dir.resolve("b.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n");
    Files.writeString(dir.resolve("a.json"), "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\"}}");
    Files.writeString(dir.resolve("notes.txt"), "not a manifest");
    InputStream stdin = new ByteArrayInputStream(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: s}\n".getBytes(StandardCharsets.UTF_8));

    List<ManifestSource> sources =
        new ManifestSources(dir, stdin).read(List.of(dir.toString(), "-"), false);

    assertThat(sources).extracting(ManifestSource::name)
        .containsExactly(dir + "/a.json", dir + "/b.yaml", "-");
    assertThat(ManifestReader.read(sources)).extracting(m -> m.meta().getName())
        .containsExactly("a", "b", "s");
  }

  @Test
  void missingPathIsAClearError() {
    assertThatThrownBy(() -> new ManifestSources(dir, InputStream.nullInputStream())
            .read(List.of("nope.yaml"), false))
        .hasMessage("the path \"nope.yaml\" does not exist");
  }
}
