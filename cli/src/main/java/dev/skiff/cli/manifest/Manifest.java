package dev.skiff.cli.manifest;

import com.google.protobuf.Message;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.client.api.ResourceKind;

/** One object read from a manifest, with where it came from (for messages). */
public record Manifest(String source, int index, ResourceKind<?, ?> kind, Message object) {
  public ObjectMeta meta() {
    return (ObjectMeta) object.getField(object.getDescriptorForType().findFieldByName("metadata"));
  }

  public String describe() {
    return source + " (document " + index + ")";
  }
}
