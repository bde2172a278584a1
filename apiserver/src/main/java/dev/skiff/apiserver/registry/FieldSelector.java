package dev.skiff.apiserver.registry;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.skiff.apiserver.errors.ApiError;
import dev.skiff.client.api.ResourceKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A parsed field selector ({@code metadata.name=web,spec.nodeName!=n1}); the supported fields
 * are metadata.name, metadata.namespace, spec.nodeName and status.phase (where the kind has
 * them). Immutable and thread-safe.
 */
public final class FieldSelector {
  public static final FieldSelector EVERYTHING = new FieldSelector(List.of());
  private static final Set<String> SUPPORTED =
      Set.of("metadata.name", "metadata.namespace", "spec.nodeName", "status.phase");

  /** One {@code field=value} or {@code field!=value} term. */
  public record Term(String field, boolean equals, String value) {}

  private final List<Term> terms;

  private FieldSelector(List<Term> terms) {
    this.terms = List.copyOf(terms);
  }

  public List<Term> terms() {
    return terms;
  }

  public boolean isEverything() {
    return terms.isEmpty();
  }

  /** The value an equality term requires of {@code field}, or null. */
  public String requiredValue(String field) {
    for (Term t : terms) {
      if (t.equals() && t.field().equals(field)) {
        return t.value();
      }
    }
    return null;
  }

  /** Parses a selector for {@code kind}; INVALID_ARGUMENT for anything it cannot serve. */
  public static FieldSelector parse(String selector, ResourceKind<?, ?> kind) {
    if (selector == null || selector.isBlank()) {
      return EVERYTHING;
    }
    List<Term> terms = new ArrayList<>();
    for (String raw : selector.split(",")) {
      String part = raw.trim();
      if (part.isEmpty()) {
        continue;
      }
      int ne = part.indexOf("!=");
      int eq = part.indexOf('=');
      Term term;
      if (ne > 0) {
        term = new Term(part.substring(0, ne).trim(), false, part.substring(ne + 2).trim());
      } else if (eq > 0) {
        String value = part.substring(part.startsWith("==", eq) ? eq + 2 : eq + 1).trim();
        term = new Term(part.substring(0, eq).trim(), true, value);
      } else {
        throw ApiError.badRequest("fieldSelector", "invalid selector term \"" + part
            + "\": expected field=value, field==value or field!=value");
      }
      if (!SUPPORTED.contains(term.field()) || valueField(kind, term.field()) == null) {
        throw ApiError.badRequest("fieldSelector", "field label not supported for " + kind.plural()
            + ": \"" + term.field() + "\" (supported: metadata.name, metadata.namespace"
            + (valueField(kind, "spec.nodeName") != null ? ", spec.nodeName" : "")
            + (valueField(kind, "status.phase") != null ? ", status.phase" : "") + ")");
      }
      terms.add(term);
    }
    return new FieldSelector(terms);
  }

  public <T extends Message> boolean matches(ResourceKind<T, ?> kind, T obj) {
    for (Term t : terms) {
      String actual = value(kind, obj, t.field());
      if (actual.equals(t.value()) != t.equals()) {
        return false;
      }
    }
    return true;
  }

  private static <T extends Message> String value(ResourceKind<T, ?> kind, T obj, String field) {
    return switch (field) {
      case "metadata.name" -> kind.meta(obj).getName();
      case "metadata.namespace" -> kind.meta(obj).getNamespace();
      default -> {
        FieldDescriptor[] path = valueField(kind, field);
        Message m = (Message) obj.getField(path[0]);
        yield (String) m.getField(path[1]);
      }
    };
  }

  /** The descriptors of a two-level field path by JSON names, or null when the kind lacks it. */
  private static FieldDescriptor[] valueField(ResourceKind<?, ?> kind, String field) {
    if (field.startsWith("metadata.")) {
      return new FieldDescriptor[0];
    }
    String[] parts = field.split("\\.");
    FieldDescriptor outer = kind.defaultInstance().getDescriptorForType().findFieldByName(parts[0]);
    if (outer == null || outer.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
      return null;
    }
    for (FieldDescriptor inner : outer.getMessageType().getFields()) {
      if (inner.getJsonName().equals(parts[1]) && inner.getJavaType() == FieldDescriptor.JavaType.STRING
          && !inner.isRepeated()) {
        return new FieldDescriptor[] {outer, inner};
      }
    }
    return null;
  }
}
