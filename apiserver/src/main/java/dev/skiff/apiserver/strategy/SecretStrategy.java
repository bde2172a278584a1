package dev.skiff.apiserver.strategy;

import com.google.protobuf.ByteString;
import dev.skiff.api.v1.Secret;
import dev.skiff.apiserver.errors.FieldError;
import dev.skiff.apiserver.errors.Violations;
import dev.skiff.client.api.Kinds;

/** Secrets: stringData merged into data (write-only), type Opaque by default, immutable secrets. */
public final class SecretStrategy extends BaseStrategy<Secret> {
  public SecretStrategy() {
    super(Kinds.SECRET);
  }

  @Override
  protected Secret applyDefaults(Secret s) {
    Secret.Builder b = s.toBuilder();
    s.getStringDataMap().forEach((k, v) -> b.putData(k, ByteString.copyFromUtf8(v)));
    b.clearStringData();
    if (b.getType().isEmpty()) {
      b.setType("Opaque");
    }
    return b.build();
  }

  @Override
  protected void validateObject(Secret s, Violations v) {
    long size = 0;
    for (var e : s.getDataMap().entrySet()) {
      if (!e.getKey().matches("[-._a-zA-Z0-9]+")) {
        v.invalid("data[" + e.getKey() + "]", e.getKey(),
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.'");
      }
      size += e.getValue().size();
    }
    if (size > 1024 * 1024) {
      v.add(new FieldError("data", "Too long: must have at most 1048576 bytes"));
    }
  }

  @Override
  public void validateUpdate(Secret s, Secret old, Violations v) {
    validate(s, v);
    if (old.hasImmutable() && old.getImmutable()) {
      if (!s.getDataMap().equals(old.getDataMap())) {
        v.add(FieldError.forbidden("data", "field is immutable when `immutable` is set"));
      }
      if (!s.hasImmutable() || !s.getImmutable()) {
        v.add(FieldError.forbidden("immutable", "field is immutable when `immutable` is set"));
      }
    }
    if (!s.getType().equals(old.getType())) {
      v.add(FieldError.immutable("type"));
    }
  }
}
