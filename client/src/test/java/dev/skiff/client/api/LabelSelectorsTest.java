package dev.skiff.client.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.api.v1.LabelSelector;
import dev.skiff.api.v1.LabelSelectorRequirement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LabelSelectorsTest {

  /** "k=v;k2=v2" → a label map ("" → no labels). */
  private static Map<String, String> labels(String spec) {
    Map<String, String> labels = new HashMap<>();
    if (spec != null && !spec.isEmpty()) {
      Arrays.stream(spec.split(";")).forEach(kv -> {
        String[] parts = kv.split("=", 2);
        labels.put(parts[0], parts.length > 1 ? parts[1] : "");
      });
    }
    return labels;
  }

  @ParameterizedTest(name = "''{0}'' on {1} -> {2}")
  @CsvSource(delimiter = '|', value = {
    // selector                           | labels                   | matches
    "''                                   | ''                       | true",
    "''                                   | app=web                  | true",
    "app=web                              | app=web                  | true",
    "app=web                              | app=db                   | false",
    "app=web                              | ''                       | false",
    "app==web                             | app=web                  | true",
    "app!=web                             | app=db                   | true",
    "app!=web                             | ''                       | true",
    "app!=web                             | app=web                  | false",
    "app in (web,db)                      | app=db                   | true",
    "app in (web,db)                      | app=cache                | false",
    "app in (web,db)                      | ''                       | false",
    "app notin (web,db)                   | app=cache                | true",
    "app notin (web,db)                   | ''                       | true",
    "app notin (web,db)                   | app=web                  | false",
    "app                                  | app=x                    | true",
    "app                                  | app=                     | true",
    "app                                  | tier=x                   | false",
    "!app                                 | tier=x                   | true",
    "!app                                 | app=x                    | false",
    "app=web,tier=front                   | app=web;tier=front       | true",
    "app=web,tier=front                   | app=web;tier=back        | false",
    "  app = web ,  tier in ( a , b ) ,!x | app=web;tier=b           | true",
    "app in(web)                          | app=web                  | true",
    "app=                                 | app=                     | true",
    "app=                                 | app=x                    | false",
    "example.com/role=db                  | example.com/role=db      | true",
    "gpu>4                                | gpu=8                    | true",
    "gpu>4                                | gpu=2                    | false",
    "gpu>4                                | gpu=many                 | false",
    "gpu<4                                | gpu=2                    | true",
    "gpu<4                                | ''                       | false",
    "in in (notin)                        | in=notin                 | true",
  })
  void matchesLikeKubernetes(String selector, String labelSpec, boolean expected) {
    LabelMatcher matcher = LabelSelectors.parse(selector);
    assertThat(matcher.matches(labels(labelSpec))).isEqualTo(expected);
    assertThat(matcher.test(labels(labelSpec))).isEqualTo(expected);
    // The canonical string parses back to the same matcher.
    assertThat(LabelSelectors.parse(matcher.toString())).isEqualTo(matcher);
  }

  @Test
  void canonicalStringSortsByKeyAndValues() {
    assertThat(LabelSelectors.parse("z=1, a notin (y,x), !m, k").toString())
        .isEqualTo("a notin (x,y),k,!m,z=1");
    assertThat(LabelSelectors.parse("").isEverything()).isTrue();
    assertThat(LabelSelectors.parse("   ")).isEqualTo(LabelMatcher.EVERYTHING);
  }

  @ParameterizedTest(name = "''{0}'' -> {1}")
  @CsvSource(delimiter = '|', value = {
    "app=web,                | expected a label key",
    ",app=web                | expected a label key",
    "app in web              | expected '(' after 'app in'",
    "app in ()               | 'in' needs at least one value",
    "app in (a,b             | missing ')'",
    "app in (a b)            | expected ',' or ')'",
    "app = web extra         | expected ',' or the end of the selector",
    "app ~ web               | expected an operator (=, ==, !=, in, notin) or ',' after key 'app'",
    "app within (a)          | expected an operator",
    "!app=web                | '!app' (does not exist) takes no operator or value",
    "-app=web                | invalid label key '-app'",
    "Example.com/app=web     | prefix part must be a lowercase DNS subdomain",
    "app=-web                | invalid label value '-web'",
    "gpu>many                | 'gpu>' needs an integer value",
    "a=b=c                   | expected ',' or the end of the selector",
  })
  void rejectsBadSyntaxWithAClearMessage(String selector, String message) {
    assertThatThrownBy(() -> LabelSelectors.parse(selector))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid label selector '" + selector + "' at position ")
        .hasMessageContaining(message);
  }

  @Test
  void errorGivesThePosition() {
    assertThatThrownBy(() -> LabelSelectors.parse("app=web,tier in x"))
        .hasMessage("invalid label selector 'app=web,tier in x' at position 16:"
            + " expected '(' after 'tier in'");
  }

  @Test
  void keyAndValueLengthLimits() {
    String name63 = "a".repeat(63);
    assertThat(LabelSelectors.parse(name63 + "=" + name63).matches(Map.of(name63, name63))).isTrue();
    assertThatThrownBy(() -> LabelSelectors.parse("a".repeat(64)))
        .hasMessageContaining("no more than 63 characters");
    assertThatThrownBy(() -> LabelSelectors.parse("a=" + "b".repeat(64)))
        .hasMessageContaining("no more than 63 characters");
  }

  @Test
  void fromMessageAndsLabelsAndExpressions() {
    LabelSelector selector = LabelSelector.newBuilder()
        .putMatchLabels("app", "web")
        .addMatchExpressions(expr("tier", "In", "front", "edge"))
        .addMatchExpressions(expr("env", "NotIn", "prod"))
        .addMatchExpressions(expr("canary", "DoesNotExist"))
        .addMatchExpressions(expr("team", "Exists"))
        .build();
    LabelMatcher matcher = LabelSelectors.fromMessage(selector);

    assertThat(matcher.matches(labels("app=web;tier=edge;env=dev;team=a"))).isTrue();
    assertThat(matcher.matches(labels("app=web;tier=edge;team=a"))).isTrue();
    assertThat(matcher.matches(labels("app=web;tier=back;team=a"))).isFalse();
    assertThat(matcher.matches(labels("app=web;tier=edge;env=prod;team=a"))).isFalse();
    assertThat(matcher.matches(labels("app=web;tier=edge;team=a;canary=1"))).isFalse();
    assertThat(matcher.matches(labels("app=web;tier=edge"))).isFalse();
    assertThat(matcher.matches(labels("app=db;tier=edge;team=a"))).isFalse();
    assertThat(matcher.toString())
        .isEqualTo("app=web,!canary,env notin (prod),team,tier in (edge,front)");
  }

  @Test
  void emptyMessageMatchesEverything() {
    assertThat(LabelSelectors.fromMessage(LabelSelector.getDefaultInstance()).isEverything())
        .isTrue();
  }

  @Test
  void fromMessageNamesTheBadField() {
    assertThatThrownBy(() -> LabelSelectors.fromMessage(
            LabelSelector.newBuilder().addMatchExpressions(expr("a", "in", "x")).build()))
        .hasMessage("matchExpressions[0].operator: unsupported value 'in':"
            + " supported values are In, NotIn, Exists, DoesNotExist");
    assertThatThrownBy(() -> LabelSelectors.fromMessage(
            LabelSelector.newBuilder().addMatchExpressions(expr("a", "In")).build()))
        .hasMessage("matchExpressions[0].values: must be specified when operator is In or NotIn");
    assertThatThrownBy(() -> LabelSelectors.fromMessage(LabelSelector.newBuilder()
            .addMatchExpressions(expr("a", "Exists"))
            .addMatchExpressions(expr("b", "Exists", "x"))
            .build()))
        .hasMessage(
            "matchExpressions[1].values: may not be specified when operator is Exists or DoesNotExist");
    assertThatThrownBy(() -> LabelSelectors.fromMessage(
            LabelSelector.newBuilder().putMatchLabels("app", "bad value").build()))
        .hasMessageStartingWith("matchLabels[app]: value must be empty or consist of");
    assertThatThrownBy(() -> LabelSelectors.fromMessage(
            LabelSelector.newBuilder().addMatchExpressions(expr("/x", "Exists")).build()))
        .hasMessage("matchExpressions[0].key: prefix part must be non-empty");
  }

  @Test
  void fromMapIsEquality() {
    LabelMatcher matcher = LabelSelectors.fromMap(Map.of("app", "web", "tier", "front"));
    assertThat(matcher.matches(labels("app=web;tier=front;x=y"))).isTrue();
    assertThat(matcher.matches(labels("app=web"))).isFalse();
    assertThat(LabelSelectors.fromMap(Map.of()).isEverything()).isTrue();
  }

  private static LabelSelectorRequirement expr(String key, String op, String... values) {
    return LabelSelectorRequirement.newBuilder()
        .setKey(key).setOperator(op).addAllValues(Arrays.asList(values)).build();
  }
}
