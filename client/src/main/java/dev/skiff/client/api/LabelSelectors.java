package dev.skiff.client.api;

import dev.skiff.api.v1.LabelSelector;
import dev.skiff.api.v1.LabelSelectorRequirement;
import dev.skiff.client.api.LabelRequirement.Operator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds {@link LabelMatcher}s from Kubernetes' selector string syntax and from {@link
 * LabelSelector} messages.
 *
 * <p>String syntax: comma-separated requirements, all of which must hold: {@code key=value},
 * {@code key==value}, {@code key!=value}, {@code key in (v1,v2)}, {@code key notin (v1,v2)},
 * {@code key} (exists), {@code !key} (does not exist), and {@code key>n}, {@code key<n} on integer
 * values. Whitespace around tokens is ignored. The empty string matches everything.
 */
public final class LabelSelectors {
  private LabelSelectors() {}

  /**
   * Parses a selector string.
   *
   * @throws IllegalArgumentException naming the position and what was expected
   */
  public static LabelMatcher parse(String selector) {
    return new Parser(selector).parse();
  }

  /** Equality on every entry: a Service's selector, a pod's nodeSelector, matchLabels. */
  public static LabelMatcher fromMap(Map<String, String> labels) {
    List<LabelRequirement> requirements = new ArrayList<>();
    labels.forEach((k, v) -> requirements.add(new LabelRequirement(k, Operator.EQUALS, List.of(v))));
    return new LabelMatcher(requirements);
  }

  /**
   * The matcher of a {@code LabelSelector} message: matchLabels and matchExpressions (In, NotIn,
   * Exists, DoesNotExist), all ANDed. An empty selector matches everything. (Kubernetes treats an
   * absent selector as matching nothing; callers check {@code hasSelector()} for that.)
   *
   * @throws IllegalArgumentException naming the bad field, e.g. {@code matchExpressions[0].values}
   */
  public static LabelMatcher fromMessage(LabelSelector selector) {
    List<LabelRequirement> requirements = new ArrayList<>();
    selector.getMatchLabelsMap().forEach((k, v) -> {
      check("matchLabels[" + k + "]", LabelSyntax.keyError(k).map(e -> "key " + e).orElse(null));
      check("matchLabels[" + k + "]", LabelSyntax.valueError(v).map(e -> "value " + e).orElse(null));
      requirements.add(new LabelRequirement(k, Operator.EQUALS, List.of(v)));
    });
    for (int i = 0; i < selector.getMatchExpressionsCount(); i++) {
      requirements.add(fromExpression("matchExpressions[" + i + "]", selector.getMatchExpressions(i)));
    }
    return new LabelMatcher(requirements);
  }

  private static LabelRequirement fromExpression(String path, LabelSelectorRequirement expression) {
    String key = expression.getKey();
    check(path + ".key", LabelSyntax.keyError(key).orElse(null));
    List<String> values = expression.getValuesList();
    Operator operator =
        switch (expression.getOperator()) {
          case "In" -> Operator.IN;
          case "NotIn" -> Operator.NOT_IN;
          case "Exists" -> Operator.EXISTS;
          case "DoesNotExist" -> Operator.DOES_NOT_EXIST;
          default -> throw new IllegalArgumentException(
              path + ".operator: unsupported value '" + expression.getOperator()
                  + "': supported values are In, NotIn, Exists, DoesNotExist");
        };
    if ((operator == Operator.IN || operator == Operator.NOT_IN) && values.isEmpty()) {
      throw new IllegalArgumentException(
          path + ".values: must be specified when operator is In or NotIn");
    }
    if ((operator == Operator.EXISTS || operator == Operator.DOES_NOT_EXIST) && !values.isEmpty()) {
      throw new IllegalArgumentException(
          path + ".values: may not be specified when operator is Exists or DoesNotExist");
    }
    for (int j = 0; j < values.size(); j++) {
      check(path + ".values[" + j + "]", LabelSyntax.valueError(values.get(j)).orElse(null));
    }
    return new LabelRequirement(key, operator, values);
  }

  private static void check(String path, String error) {
    if (error != null) {
      throw new IllegalArgumentException(path + ": " + error);
    }
  }

  /** A recursive-descent parser over the characters of one selector string. */
  private static final class Parser {
    private static final String SPECIAL = "=!(),<>";

    private final String text;
    private int pos;

    Parser(String text) {
      this.text = text;
    }

    LabelMatcher parse() {
      List<LabelRequirement> requirements = new ArrayList<>();
      skipSpaces();
      if (atEnd()) {
        return LabelMatcher.EVERYTHING;
      }
      while (true) {
        requirements.add(requirement());
        skipSpaces();
        if (atEnd()) {
          return new LabelMatcher(requirements);
        }
        if (!consume(",")) {
          throw error("expected ',' or the end of the selector");
        }
      }
    }

    private LabelRequirement requirement() {
      skipSpaces();
      if (consume("!")) {
        String key = key();
        skipSpaces();
        if (!atEnd() && peek() != ',') {
          throw error("'!" + key + "' (does not exist) takes no operator or value");
        }
        return new LabelRequirement(key, Operator.DOES_NOT_EXIST, List.of());
      }
      String key = key();
      skipSpaces();
      if (atEnd() || peek() == ',') {
        return new LabelRequirement(key, Operator.EXISTS, List.of());
      }
      if (consume("==") || consume("=")) {
        return new LabelRequirement(key, Operator.EQUALS, List.of(optionalValue()));
      }
      if (consume("!=")) {
        return new LabelRequirement(key, Operator.NOT_EQUALS, List.of(optionalValue()));
      }
      if (consume(">") || consume("<")) {
        Operator op = text.charAt(pos - 1) == '>' ? Operator.GREATER_THAN : Operator.LESS_THAN;
        int at = skipSpaces();
        String value = word();
        try {
          Long.parseLong(value);
        } catch (NumberFormatException e) {
          throw error(at, "'" + key + op.symbol() + "' needs an integer value");
        }
        return new LabelRequirement(key, op, List.of(value));
      }
      int at = pos;
      String word = word();
      Operator op =
          switch (word) {
            case "in" -> Operator.IN;
            case "notin" -> Operator.NOT_IN;
            default -> throw error(at,
                "expected an operator (=, ==, !=, in, notin) or ',' after key '" + key + "'");
          };
      return new LabelRequirement(key, op, valueSet(key, word));
    }

    private List<String> valueSet(String key, String opWord) {
      skipSpaces();
      if (!consume("(")) {
        throw error("expected '(' after '" + key + " " + opWord + "'");
      }
      List<String> values = new ArrayList<>();
      skipSpaces();
      if (consume(")")) {
        throw error(pos - 1, "'" + opWord + "' needs at least one value");
      }
      while (true) {
        values.add(optionalValue());
        skipSpaces();
        if (consume(")")) {
          return values;
        }
        if (!consume(",")) {
          throw error(atEnd() ? "missing ')'" : "expected ',' or ')' in the value list");
        }
      }
    }

    private String key() {
      int at = skipSpaces();
      String key = word();
      if (key.isEmpty()) {
        throw error(at, "expected a label key");
      }
      LabelSyntax.keyError(key).ifPresent(e -> {
        throw error(at, "invalid label key '" + key + "': " + e);
      });
      return key;
    }

    private String optionalValue() {
      int at = skipSpaces();
      String value = word();
      LabelSyntax.valueError(value).ifPresent(e -> {
        throw error(at, "invalid label value '" + value + "': " + e);
      });
      return value;
    }

    /** The run of characters up to whitespace, a special character or the end. */
    private String word() {
      int start = pos;
      while (!atEnd() && !Character.isWhitespace(peek()) && SPECIAL.indexOf(peek()) < 0) {
        pos++;
      }
      return text.substring(start, pos);
    }

    private int skipSpaces() {
      while (!atEnd() && Character.isWhitespace(peek())) {
        pos++;
      }
      return pos;
    }

    private boolean consume(String token) {
      if (text.startsWith(token, pos)) {
        pos += token.length();
        return true;
      }
      return false;
    }

    private boolean atEnd() {
      return pos >= text.length();
    }

    private char peek() {
      return text.charAt(pos);
    }

    private IllegalArgumentException error(String message) {
      return error(pos, message);
    }

    private IllegalArgumentException error(int at, String message) {
      return new IllegalArgumentException(
          "invalid label selector '" + text + "' at position " + at + ": " + message);
    }
  }
}
