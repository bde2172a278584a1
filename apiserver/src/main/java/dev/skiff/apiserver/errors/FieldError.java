package dev.skiff.apiserver.errors;

/**
 * One violation of one field, as Kubernetes words them: {@code path: description}, e.g.
 * {@code spec.template.spec.containers[0].image: Required value}.
 */
public record FieldError(String field, String description) {
  public static FieldError required(String field) {
    return new FieldError(field, "Required value");
  }

  public static FieldError invalid(String field, Object value, String detail) {
    return new FieldError(field, "Invalid value: \"" + value + "\": " + detail);
  }

  public static FieldError notSupported(String field, Object value, java.util.Collection<String> allowed) {
    return new FieldError(field, "Unsupported value: \"" + value + "\": supported values: "
        + String.join(", ", allowed.stream().map(s -> "\"" + s + "\"").toList()));
  }

  public static FieldError duplicate(String field, Object value) {
    return new FieldError(field, "Duplicate value: \"" + value + "\"");
  }

  public static FieldError forbidden(String field, String detail) {
    return new FieldError(field, "Forbidden: " + detail);
  }

  public static FieldError immutable(String field) {
    return new FieldError(field, "Invalid value: field is immutable");
  }

  @Override
  public String toString() {
    return field + ": " + description;
  }
}
