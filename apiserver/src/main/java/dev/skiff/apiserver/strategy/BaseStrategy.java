package dev.skiff.apiserver.strategy;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.OwnerReference;
import dev.skiff.apiserver.errors.Violations;
import dev.skiff.client.api.ResourceKind;

/**
 * The strategy every kind starts from, working on any kind by protobuf reflection: status is
 * the field named {@code status} (if any); metadata is validated with Kubernetes' rules.
 * Kinds override {@link #applyDefaults} and {@link #validateObject}. Stateless.
 */
public class BaseStrategy<T extends Message> implements Strategy<T> {
  /** How a kind's object names are checked. */
  public enum NameRule { DNS_SUBDOMAIN, DNS_LABEL, ANY_PATH_SEGMENT }

  protected final ResourceKind<T, ?> kind;
  private final NameRule nameRule;
  private final FieldDescriptor statusField;
  private final FieldDescriptor apiVersionField;
  private final FieldDescriptor kindField;
  private final boolean clearStatusOnCreate;

  public BaseStrategy(ResourceKind<T, ?> kind, NameRule nameRule, boolean clearStatusOnCreate) {
    this.kind = kind;
    this.nameRule = nameRule;
    this.statusField = kind.defaultInstance().getDescriptorForType().findFieldByName("status");
    this.apiVersionField = kind.defaultInstance().getDescriptorForType().findFieldByName("api_version");
    this.kindField = kind.defaultInstance().getDescriptorForType().findFieldByName("kind");
    this.clearStatusOnCreate = clearStatusOnCreate;
  }

  public BaseStrategy(ResourceKind<T, ?> kind) {
    this(kind, NameRule.DNS_SUBDOMAIN, true);
  }

  @Override
  public boolean hasStatus() {
    return statusField != null && statusField.getJavaType() == FieldDescriptor.JavaType.MESSAGE;
  }

  /** Kind-specific defaults (Kubernetes' SetDefaults_*); the default adds none. */
  protected T applyDefaults(T obj) {
    return obj;
  }

  /** Kind-specific validation of everything but metadata; the default checks nothing. */
  protected void validateObject(T obj, Violations v) {}

  /** The status a new object starts with; the default clears it. */
  protected T initialStatus(T obj) {
    return obj;
  }

  @Override
  @SuppressWarnings("unchecked")
  public T prepareForCreate(T obj) {
    Message.Builder b = obj.toBuilder().setField(apiVersionField, kind.apiVersion()).setField(kindField, kind.kind());
    if (hasStatus() && clearStatusOnCreate) {
      b.clearField(statusField);
    }
    return applyDefaults(initialStatus((T) b.build()));
  }

  @Override
  @SuppressWarnings("unchecked")
  public T prepareForUpdate(T obj, T old) {
    T out = obj;
    if (hasStatus()) {
      Message.Builder b = out.toBuilder();
      if (old.hasField(statusField)) {
        b.setField(statusField, old.getField(statusField));
      } else {
        b.clearField(statusField);
      }
      out = (T) b.build();
    }
    return applyDefaults(kind.withTypeMeta(out));
  }

  @Override
  @SuppressWarnings("unchecked")
  public T prepareForUpdateStatus(T obj, T old) {
    Message.Builder b = old.toBuilder();
    if (obj.hasField(statusField)) {
      b.setField(statusField, obj.getField(statusField));
    } else {
      b.clearField(statusField);
    }
    return (T) b.build(); // metadata stays the stored one
  }

  @Override
  public void validate(T obj, Violations v) {
    validateMeta(kind.meta(obj), v);
    validateObject(obj, v);
  }

  private void validateMeta(ObjectMeta meta, Violations v) {
    String name = meta.getName();
    if (name.isEmpty()) {
      v.add(new dev.skiff.apiserver.errors.FieldError("metadata.name",
          "Required value: name or generateName is required"));
    } else {
      switch (nameRule) {
        case DNS_SUBDOMAIN -> Names.dnsSubdomain("metadata.name", name, v);
        case DNS_LABEL -> Names.dnsLabel("metadata.name", name, v);
        case ANY_PATH_SEGMENT -> {
          if (name.equals(".") || name.equals("..") || name.contains("/") || name.contains("%")) {
            v.invalid("metadata.name", name, "may not be '.' or '..' and may not contain '/' or '%'");
          }
        }
      }
    }
    if (kind.namespaced()) {
      Names.dnsLabel("metadata.namespace", meta.getNamespace(), v);
    } else if (!meta.getNamespace().isEmpty()) {
      v.add(dev.skiff.apiserver.errors.FieldError.forbidden("metadata.namespace",
          "not allowed on this type (" + kind.plural() + " are cluster-scoped)"));
    }
    Names.labels("metadata.labels", meta.getLabelsMap(), v);
    Names.annotations("metadata.annotations", meta.getAnnotationsMap(), v);
    for (int i = 0; i < meta.getOwnerReferencesCount(); i++) {
      OwnerReference ref = meta.getOwnerReferences(i);
      String p = "metadata.ownerReferences[" + i + "]";
      if (ref.getApiVersion().isEmpty()) {
        v.add(new dev.skiff.apiserver.errors.FieldError(p + ".apiVersion", "Invalid value: \"\": version must not be empty"));
      }
      if (ref.getKind().isEmpty()) {
        v.add(new dev.skiff.apiserver.errors.FieldError(p + ".kind", "Invalid value: \"\": kind must not be empty"));
      }
      if (ref.getName().isEmpty()) {
        v.add(new dev.skiff.apiserver.errors.FieldError(p + ".name", "Invalid value: \"\": name must not be empty"));
      }
      if (ref.getUid().isEmpty()) {
        v.add(new dev.skiff.apiserver.errors.FieldError(p + ".uid", "Invalid value: \"\": uid must not be empty"));
      }
    }
    for (int i = 0; i < meta.getFinalizersCount(); i++) {
      String f = meta.getFinalizers(i);
      if (f.isEmpty() || f.length() > 316) {
        v.invalid("metadata.finalizers[" + i + "]", f, "must be a qualified name");
      }
    }
  }
}
