package dev.skiff.client.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One requirement of a label selector, e.g. {@code tier in (web,api)}.
 *
 * <p>As in Kubernetes, the negative operators also match objects that lack the label: {@code
 * tier!=db} and {@code tier notin (db)} match an object with no {@code tier} label.
 *
 * @param key the label key
 * @param operator how the label is compared
 * @param values the values: one for EQUALS, NOT_EQUALS, GREATER_THAN, LESS_THAN; at least one for
 *     IN and NOT_IN; none for EXISTS and DOES_NOT_EXIST
 */
public record LabelRequirement(String key, Operator operator, List<String> values) {

  /** The operators of the label selector syntax. */
  public enum Operator {
    EQUALS("="),
    NOT_EQUALS("!="),
    IN("in"),
    NOT_IN("notin"),
    EXISTS(""),
    DOES_NOT_EXIST("!"),
    /** The label's value is an integer greater than the value (node affinity's Gt). */
    GREATER_THAN(">"),
    /** The label's value is an integer less than the value (node affinity's Lt). */
    LESS_THAN("<");

    private final String symbol;

    Operator(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }
  }

  public LabelRequirement {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(operator, "operator");
    values = List.copyOf(values);
    int expected =
        switch (operator) {
          case EQUALS, NOT_EQUALS, GREATER_THAN, LESS_THAN -> 1;
          case EXISTS, DOES_NOT_EXIST -> 0;
          case IN, NOT_IN -> -1;
        };
    if (expected >= 0 && values.size() != expected) {
      throw new IllegalArgumentException(
          "operator " + operator + " on '" + key + "' takes " + expected + " value(s), got "
              + values);
    }
    if (expected < 0 && values.isEmpty()) {
      throw new IllegalArgumentException(
          "operator " + operator + " on '" + key + "' needs at least one value");
    }
    if (expected < 0) {
      values = List.copyOf(new java.util.TreeSet<>(values));
    }
    if ((operator == Operator.GREATER_THAN || operator == Operator.LESS_THAN)
        && parseInteger(values.get(0)).isEmpty()) {
      throw new IllegalArgumentException(
          "operator " + operator + " on '" + key + "' needs an integer value, got '"
              + values.get(0) + "'");
    }
  }

  /** Whether a set of labels satisfies this requirement. */
  public boolean matches(Map<String, String> labels) {
    String value = labels.get(key);
    return switch (operator) {
      case EQUALS -> values.get(0).equals(value);
      case NOT_EQUALS -> !values.get(0).equals(value);
      case IN -> value != null && values.contains(value);
      case NOT_IN -> value == null || !values.contains(value);
      case EXISTS -> value != null;
      case DOES_NOT_EXIST -> value == null;
      case GREATER_THAN, LESS_THAN -> compareAsIntegers(value);
    };
  }

  private boolean compareAsIntegers(String value) {
    if (value == null) {
      return false;
    }
    var actual = parseInteger(value);
    if (actual.isEmpty()) {
      return false;
    }
    long bound = parseInteger(values.get(0)).orElseThrow();
    return operator == Operator.GREATER_THAN
        ? actual.getAsLong() > bound
        : actual.getAsLong() < bound;
  }

  private static java.util.OptionalLong parseInteger(String s) {
    try {
      return java.util.OptionalLong.of(Long.parseLong(s));
    } catch (NumberFormatException e) {
      return java.util.OptionalLong.empty();
    }
  }

  /** The requirement in selector syntax: {@code a=b}, {@code a in (x,y)}, {@code !a}. */
  @Override
  public String toString() {
    return switch (operator) {
      case EXISTS -> key;
      case DOES_NOT_EXIST -> "!" + key;
      case IN, NOT_IN -> key + " " + operator.symbol() + " (" + String.join(",", values) + ")";
      default -> key + operator.symbol() + values.get(0);
    };
  }
}
