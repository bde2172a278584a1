package dev.skiff.apiserver.errors;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects every violation of one object, so that a client learns about all of them at once.
 * Not thread-safe: one per validation.
 */
public final class Violations {
  private final List<FieldError> errors = new ArrayList<>();

  public Violations add(FieldError error) {
    errors.add(error);
    return this;
  }

  public Violations required(String field) {
    return add(FieldError.required(field));
  }

  public Violations invalid(String field, Object value, String detail) {
    return add(FieldError.invalid(field, value, detail));
  }

  public List<FieldError> list() {
    return List.copyOf(errors);
  }

  public boolean isEmpty() {
    return errors.isEmpty();
  }

  /** Throws INVALID_ARGUMENT naming every violation, if there is any. */
  public void throwIfAny(String kind, String name) {
    if (!errors.isEmpty()) {
      throw ApiError.invalid(kind, name, errors);
    }
  }
}
