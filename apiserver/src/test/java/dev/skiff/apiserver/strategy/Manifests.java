package dev.skiff.apiserver.strategy;

import com.google.gson.Gson;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.skiff.client.api.ResourceKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** Reads a Kubernetes YAML manifest from the test resources into a kind's message (YAML → JSON → proto3 JSON mapping). */
final class Manifests {
  private Manifests() {}

  @SuppressWarnings("unchecked")
  static <T extends Message> T read(String resource, ResourceKind<T, ?> kind) {
    try (InputStream in = Manifests.class.getResourceAsStream("/manifests/" + resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no test manifest " + resource);
      }
      Object yaml = new Load(LoadSettings.builder().build()).loadFromInputStream(in);
      String json = new Gson().toJson(yaml);
      Message.Builder b = kind.defaultInstance().newBuilderForType();
      JsonFormat.parser().merge(json, b);
      return (T) b.build();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(resource + " does not map onto " + kind.kind() + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
