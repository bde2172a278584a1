package dev.skiff.client.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class QuantityTest {

  @ParameterizedTest(name = "{0} = {1} exactly, {2} millis, {3} whole, canonical {4}")
  @CsvSource({
    // text,        exact amount,      millis,        value,        canonical
    "500m,          0.5,               500,           1,            500m",
    "1,             1,                 1000,          1,            1",
    "1.5,           1.5,               1500,          2,            1500m",
    "0.1,           0.1,               100,           1,            100m",
    "100m,          0.1,               100,           1,            100m",
    "2000m,         2,                 2000,          2,            2",
    "1Gi,           1073741824,        1073741824000, 1073741824,   1Gi",
    "1024Mi,        1073741824,        1073741824000, 1073741824,   1Gi",
    "123Mi,         128974848,         128974848000,  128974848,    123Mi",
    "128974848,     128974848,         128974848000,  128974848,    128974848",
    "129e6,         129000000,         129000000000,  129000000,    129e6",
    "129M,          129000000,         129000000000,  129000000,    129M",
    "1000,          1000,              1000000,       1000,         1k",
    "1k,            1000,              1000000,       1000,         1k",
    "1Ki,           1024,              1024000,       1024,         1Ki",
    "1.5Gi,         1610612736,        1610612736000, 1610612736,   1536Mi",
    "0.5Ki,         512,               512000,        512,          512",
    "1E,            1000000000000000000, 9223372036854775807, 1000000000000000000, 1E",
    "1n,            0.000000001,       1,             1,            1n",
    "10u,           0.00001,           1,             1,            10u",
    "0.1m,          0.0001,            1,             1,            100u",
    "1e-3,          0.001,             1,             1,            1e-3",
    "1E3,           1000,              1000000,       1000,         1e3",
    "+5,            5,                 5000,          5,            5",
    "-1.5,          -1.5,              -1500,         -1,           -1500m",
    ".5,            0.5,               500,           1,            500m",
    "1.,            1,                 1000,          1,            1",
    "0,             0,                 0,             0,            0",
    "0Gi,           0,                 0,             0,            0",
  })
  void parsesExactly(String text, BigDecimal amount, long millis, long value, String canonical) {
    Quantity q = Quantity.parse(text);
    assertThat(q.amount()).isEqualByComparingTo(amount);
    assertThat(q.milliValue()).isEqualTo(millis);
    assertThat(q.value()).isEqualTo(value);
    assertThat(q.toString()).isEqualTo(canonical);
    assertThat(Quantity.parse(q.toString())).isEqualTo(q);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " 1", "1 ", "1 Gi", "Gi", "m", "1gi", "1K", "1KI", "1Gb", "1.5.5",
      "1e", "1e+", "1e1.5", "--1", "+", ".", "1Mi1", "0x10", "1,5", "1m3", "1ee3"})
  void rejectsMalformedText(String text) {
    assertThatThrownBy(() -> Quantity.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid quantity '" + text + "'");
  }

  @Test
  void errorNamesTheSuffix() {
    assertThatThrownBy(() -> Quantity.parse("1Gb"))
        .hasMessageContaining("unknown suffix 'Gb'")
        .hasMessageContaining("Ki Mi Gi");
  }

  @Test
  void comparesByValueAcrossFormats() {
    assertThat(Quantity.parse("1Gi")).isEqualTo(Quantity.parse("1073741824"));
    assertThat(Quantity.parse("1Gi").hashCode()).isEqualTo(Quantity.parse("1073741824").hashCode());
    assertThat(Quantity.parse("1")).isEqualTo(Quantity.parse("1000m"));
    assertThat(Quantity.parse("1G")).isLessThan(Quantity.parse("1Gi"));
    assertThat(Quantity.parse("999m")).isLessThan(Quantity.parse("1"));
    assertThat(Quantity.parse("129e6")).isEqualByComparingTo(Quantity.parse("129M"));
    assertThat(Quantity.parse("-1")).isLessThan(Quantity.ZERO);
  }

  @Test
  void arithmeticKeepsTheFirstFormat() {
    Quantity sum = Quantity.parse("1Gi").add(Quantity.parse("512Mi"));
    assertThat(sum.toString()).isEqualTo("1536Mi");
    assertThat(Quantity.parse("1").subtract(Quantity.parse("250m")).toString()).isEqualTo("750m");
    assertThat(Quantity.ofMillis(250).toString()).isEqualTo("250m");
    assertThat(Quantity.ofBytes(2048).toString()).isEqualTo("2Ki");
    assertThat(Quantity.of(3).toString()).isEqualTo("3");
    assertThat(Quantity.parse("1").subtract(Quantity.parse("1")).isZero()).isTrue();
  }

  @Test
  void subNanoValuesAreKeptExactButPrintedRoundedUp() {
    Quantity q = Quantity.parse("0.0000000001");
    assertThat(q.amount()).isEqualByComparingTo("0.0000000001");
    assertThat(q.toString()).isEqualTo("1n");
  }

  @Test
  void hugeValuesSaturate() {
    Quantity q = Quantity.parse("1e30");
    assertThat(q.value()).isEqualTo(Long.MAX_VALUE);
    assertThat(Quantity.parse("-1e30").milliValue()).isEqualTo(Long.MIN_VALUE);
    assertThatThrownBy(() -> Quantity.parse("1e99999"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("out of range");
  }
}
