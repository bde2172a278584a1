package dev.skiff.apiserver.registry;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.apiserver.errors.ApiError;
import dev.skiff.client.api.ResourceKind;
import dev.skiff.proto.etcd.mvcc.KeyValue;

/**
 * How objects of one kind are laid out in the store: key {@code /registry/<plural>/<ns>/<name>}
 * (cluster-scoped: {@code /registry/<plural>/<name>}), value = the serialized message without
 * {@code metadata.resourceVersion}, which is the key's mod revision when read back.
 * Immutable and thread-safe.
 */
public final class ObjectCodec<T extends Message> {
  private final ResourceKind<T, ?> kind;
  private final ByteString prefix;

  public ObjectCodec(ResourceKind<T, ?> kind) {
    this.kind = kind;
    this.prefix = ByteString.copyFromUtf8(kind.storagePrefix());
  }

  public ResourceKind<T, ?> kind() {
    return kind;
  }

  /** {@code /registry/<plural>/}. */
  public ByteString prefix() {
    return prefix;
  }

  /** The directory of one namespace, or the whole kind when {@code namespace} is empty. */
  public ByteString prefix(String namespace) {
    if (!kind.namespaced() || namespace.isEmpty()) {
      return prefix;
    }
    return prefix.concat(ByteString.copyFromUtf8(namespace + "/"));
  }

  public ByteString key(String namespace, String name) {
    return prefix.concat(ByteString.copyFromUtf8(kind.key(namespace, name)));
  }

  public ByteString key(T obj) {
    return key(kind.meta(obj).getNamespace(), kind.meta(obj).getName());
  }

  public ByteString encode(T obj) {
    ObjectMeta meta = kind.meta(obj);
    if (meta.getResourceVersion().isEmpty() && meta.getSelfLink().isEmpty()) {
      return obj.toByteString();
    }
    return kind.withMeta(obj, meta.toBuilder().clearResourceVersion().clearSelfLink().build()).toByteString();
  }

  @SuppressWarnings("unchecked")
  public T decode(KeyValue kv) {
    try {
      T obj = (T) kind.defaultInstance().getParserForType().parseFrom(kv.getValue());
      return withResourceVersion(obj, kv.getModRevision());
    } catch (InvalidProtocolBufferException e) {
      throw ApiError.internal("stored object " + kv.getKey().toStringUtf8() + " does not parse as "
          + kind.kind() + ": " + e.getMessage());
    }
  }

  /**
   * The wire form of a stored object with its resourceVersion, built from the stored bytes
   * without serializing the object again: the stored encoding followed by the encoding of an
   * object that has only {@code metadata.resourceVersion}. Protobuf parsers merge a repeated
   * singular message field into the first one, so this parses to
   * {@code withResourceVersion(decoded value, revision)}.
   */
  public byte[] encodeWithResourceVersion(ByteString value, long revision) {
    ByteString suffix = kind.withMeta(kind.defaultInstance(),
        ObjectMeta.newBuilder().setResourceVersion(Long.toString(revision)).build()).toByteString();
    byte[] out = new byte[value.size() + suffix.size()];
    value.copyTo(out, 0);
    suffix.copyTo(out, value.size());
    return out;
  }

  public T withResourceVersion(T obj, long revision) {
    ObjectMeta meta = kind.meta(obj);
    return kind.withMeta(obj, meta.toBuilder().setResourceVersion(Long.toString(revision)).build());
  }

  /** The resource version of an object as a number; 0 when unset. */
  public static long revisionOf(ObjectMeta meta, String plural) {
    return parseResourceVersion(meta.getResourceVersion(), "metadata.resourceVersion");
  }

  public static long parseResourceVersion(String rv, String field) {
    if (rv.isEmpty()) {
      return 0;
    }
    try {
      long v = Long.parseLong(rv);
      if (v < 0) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw ApiError.badRequest(field, "Invalid value: \"" + rv + "\": must be a resource version "
          + "returned by the server (a non-negative integer)");
    }
  }
}
