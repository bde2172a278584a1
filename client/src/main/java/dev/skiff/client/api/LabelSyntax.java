package dev.skiff.client.api;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Kubernetes' syntax rules for label keys and values (also used for annotation keys).
 *
 * <p>A key is an optional DNS-1123 subdomain prefix and a slash, then a name of at most 63
 * characters: alphanumerics, '-', '_' and '.', starting and ending with an alphanumeric. A value
 * is empty or follows the name rule.
 */
public final class LabelSyntax {
  private static final Pattern NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private LabelSyntax() {}

  /** Why {@code key} is not a valid label key, or empty if it is. */
  public static Optional<String> keyError(String key) {
    String name = key;
    int slash = key.indexOf('/');
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      name = key.substring(slash + 1);
      if (prefix.isEmpty()) {
        return Optional.of("prefix part must be non-empty");
      }
      if (prefix.length() > 253) {
        return Optional.of("prefix part must be no more than 253 characters");
      }
      if (!DNS_SUBDOMAIN.matcher(prefix).matches()) {
        return Optional.of("prefix part must be a lowercase DNS subdomain, like 'example.com'");
      }
    }
    if (name.isEmpty()) {
      return Optional.of("name part must be non-empty");
    }
    if (name.length() > 63) {
      return Optional.of("name part must be no more than 63 characters");
    }
    if (!NAME.matcher(name).matches()) {
      return Optional.of(
          "name part must consist of alphanumeric characters, '-', '_' or '.', and must start"
              + " and end with an alphanumeric character");
    }
    return Optional.empty();
  }

  /** Why {@code value} is not a valid label value, or empty if it is. */
  public static Optional<String> valueError(String value) {
    if (value.isEmpty()) {
      return Optional.empty();
    }
    if (value.length() > 63) {
      return Optional.of("must be no more than 63 characters");
    }
    if (!NAME.matcher(value).matches()) {
      return Optional.of(
          "must be empty or consist of alphanumeric characters, '-', '_' or '.', and must start"
              + " and end with an alphanumeric character");
    }
    return Optional.empty();
  }
}
