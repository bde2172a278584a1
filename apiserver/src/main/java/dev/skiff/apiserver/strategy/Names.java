package dev.skiff.apiserver.strategy;

import dev.skiff.apiserver.errors.Violations;
import dev.skiff.client.api.LabelSyntax;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

/** Kubernetes' name and label rules (apimachinery validation). Stateless. */
public final class Names {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern C_IDENTIFIER = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");
  static final int TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

  private Names() {}

  /** Null when valid, else Kubernetes' message. */
  public static String dnsLabelError(String value) {
    if (value.length() > 63) {
      return "must be no more than 63 characters";
    }
    if (!DNS_LABEL.matcher(value).matches()) {
      return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
          + "and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc')";
    }
    return null;
  }

  public static String dnsSubdomainError(String value) {
    if (value.length() > 253) {
      return "must be no more than 253 characters";
    }
    if (!DNS_SUBDOMAIN.matcher(value).matches()) {
      return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' "
          + "or '.', and must start and end with an alphanumeric character (e.g. 'example.com')";
    }
    return null;
  }

  public static void dnsLabel(String field, String value, Violations v) {
    if (value.isEmpty()) {
      v.required(field);
      return;
    }
    String err = dnsLabelError(value);
    if (err != null) {
      v.invalid(field, value, err);
    }
  }

  public static void dnsSubdomain(String field, String value, Violations v) {
    if (value.isEmpty()) {
      v.required(field);
      return;
    }
    String err = dnsSubdomainError(value);
    if (err != null) {
      v.invalid(field, value, err);
    }
  }

  public static void envVarName(String field, String value, Violations v) {
    if (value.isEmpty()) {
      v.required(field);
    } else if (!C_IDENTIFIER.matcher(value).matches()) {
      v.invalid(field, value, "a valid environment variable name must consist of alphabetic characters, "
          + "digits, '_', '-', or '.', and must not start with a digit");
    }
  }

  public static void labels(String field, Map<String, String> labels, Violations v) {
    labels.forEach((k, val) -> {
      LabelSyntax.keyError(k).ifPresent(e -> v.invalid(field, k, e));
      LabelSyntax.valueError(val).ifPresent(e -> v.invalid(field + "[" + k + "]", val, e));
    });
  }

  public static void annotations(String field, Map<String, String> annotations, Violations v) {
    long size = 0;
    for (Map.Entry<String, String> e : annotations.entrySet()) {
      LabelSyntax.keyError(e.getKey()).ifPresent(err -> v.invalid(field, e.getKey(), err));
      size += e.getKey().getBytes(StandardCharsets.UTF_8).length
          + e.getValue().getBytes(StandardCharsets.UTF_8).length;
    }
    if (size > TOTAL_ANNOTATION_SIZE_LIMIT) {
      v.add(new dev.skiff.apiserver.errors.FieldError(field,
          "Too long: must have at most " + TOTAL_ANNOTATION_SIZE_LIMIT + " bytes"));
    }
  }
}
