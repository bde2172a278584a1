package dev.skiff.client.api;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * An exact Kubernetes resource quantity: "500m", "1", "1.5", "1Gi", "129e6", "129M", "123Mi".
 *
 * <p>Grammar (as in Kubernetes): an optional sign, a decimal number ({@code 1}, {@code 1.5},
 * {@code 1.}, {@code .5}), then at most one suffix: a binary SI suffix (Ki Mi Gi Ti Pi Ei, powers
 * of 1024), a decimal SI suffix (n u m "" k M G T P E), or a decimal exponent ({@code e3},
 * {@code E-2}). No spaces. The value is kept exactly as a {@link BigDecimal}; {@link #value()}
 * and {@link #milliValue()} round up like Kubernetes' {@code Value()} and {@code MilliValue()}.
 *
 * <p>Equality and ordering are by value only ("1Gi" equals "1073741824"); the format only
 * decides how {@link #toString()} writes the quantity back. Immutable and thread-safe.
 */
public final class Quantity implements Comparable<Quantity> {

  /** How a quantity is written back; taken from the suffix it was parsed with. */
  public enum Format {
    /** Powers of 1024: Ki, Mi, Gi, ... */
    BINARY_SI,
    /** Powers of 1000: n, u, m, k, M, G, ... (also for no suffix). */
    DECIMAL_SI,
    /** e3, e-6, ... */
    DECIMAL_EXPONENT
  }

  public static final Quantity ZERO = new Quantity(BigDecimal.ZERO, Format.DECIMAL_SI);

  private static final String[] DECIMAL_SUFFIXES = {"n", "u", "m", "", "k", "M", "G", "T", "P", "E"};
  private static final String BINARY_LETTERS = "KMGTPE";
  private static final BigInteger K1024 = BigInteger.valueOf(1024);
  private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
  private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);

  private final BigDecimal amount;
  private final Format format;

  private Quantity(BigDecimal amount, Format format) {
    this.amount = amount.signum() == 0 ? BigDecimal.ZERO : amount.stripTrailingZeros();
    this.format = Objects.requireNonNull(format, "format");
  }

  /** A quantity of {@code amount} written in {@code format}. */
  public static Quantity of(BigDecimal amount, Format format) {
    return new Quantity(Objects.requireNonNull(amount, "amount"), format);
  }

  /** A whole number (bytes, pods, ...), written in decimal SI. */
  public static Quantity of(long value) {
    return new Quantity(BigDecimal.valueOf(value), Format.DECIMAL_SI);
  }

  /** A number of thousandths (CPU millicores), written in decimal SI ("500m"). */
  public static Quantity ofMillis(long millis) {
    return new Quantity(BigDecimal.valueOf(millis, 3), Format.DECIMAL_SI);
  }

  /** A number of bytes written in binary SI ("1Gi"). */
  public static Quantity ofBytes(long bytes) {
    return new Quantity(BigDecimal.valueOf(bytes), Format.BINARY_SI);
  }

  /**
   * Parses a quantity.
   *
   * @throws IllegalArgumentException with the reason when {@code text} is not a quantity
   */
  public static Quantity parse(String text) {
    Objects.requireNonNull(text, "text");
    if (text.isEmpty()) {
      throw invalid(text, "it is empty");
    }
    int i = 0;
    boolean negative = false;
    if (text.charAt(0) == '+' || text.charAt(0) == '-') {
      negative = text.charAt(0) == '-';
      i = 1;
    }
    int numberStart = i;
    int digits = 0;
    boolean dot = false;
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
      } else if (c == '.' && !dot) {
        dot = true;
      } else {
        break;
      }
    }
    if (digits == 0) {
      throw invalid(text, "it must start with a number");
    }
    BigDecimal number = new BigDecimal(text.substring(numberStart, i));
    if (negative) {
      number = number.negate();
    }
    String suffix = text.substring(i);
    return applySuffix(text, number, suffix);
  }

  private static Quantity applySuffix(String text, BigDecimal number, String suffix) {
    if (suffix.length() == 2 && suffix.charAt(1) == 'i') {
      int power = BINARY_LETTERS.indexOf(suffix.charAt(0)) + 1;
      if (power > 0) {
        return new Quantity(
            number.multiply(new BigDecimal(K1024.pow(power))), Format.BINARY_SI);
      }
    }
    if (suffix.length() <= 1) {
      for (int k = 0; k < DECIMAL_SUFFIXES.length; k++) {
        if (DECIMAL_SUFFIXES[k].equals(suffix)) {
          return new Quantity(number.scaleByPowerOfTen(3 * k - 9), Format.DECIMAL_SI);
        }
      }
    }
    if (suffix.length() >= 2 && (suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E')) {
      String exponent = suffix.substring(1);
      if (exponent.matches("[+-]?[0-9]{1,9}")) {
        int e = Integer.parseInt(exponent);
        if (Math.abs(e) > 1000) {
          throw invalid(text, "the exponent " + e + " is out of range");
        }
        return new Quantity(number.scaleByPowerOfTen(e), Format.DECIMAL_EXPONENT);
      }
    }
    throw invalid(text, "unknown suffix '" + suffix
        + "' (use one of Ki Mi Gi Ti Pi Ei, n u m k M G T P E, or an exponent like e3)");
  }

  private static IllegalArgumentException invalid(String text, String reason) {
    return new IllegalArgumentException("invalid quantity '" + text + "': " + reason);
  }

  /** The exact value (in cores for CPU, in bytes for memory and storage). */
  public BigDecimal amount() {
    return amount;
  }

  public Format format() {
    return format;
  }

  /** The value rounded up to a whole number, saturated to the range of {@code long}. */
  public long value() {
    return saturate(amount.setScale(0, RoundingMode.CEILING));
  }

  /** The value in thousandths rounded up ("500m" → 500, "1" → 1000, "0.1m" → 1), saturated. */
  public long milliValue() {
    return saturate(amount.scaleByPowerOfTen(3).setScale(0, RoundingMode.CEILING));
  }

  public int signum() {
    return amount.signum();
  }

  public boolean isZero() {
    return amount.signum() == 0;
  }

  /** The sum, written in this quantity's format. */
  public Quantity add(Quantity other) {
    return new Quantity(amount.add(other.amount), format);
  }

  /** The difference, written in this quantity's format. */
  public Quantity subtract(Quantity other) {
    return new Quantity(amount.subtract(other.amount), format);
  }

  @Override
  public int compareTo(Quantity other) {
    return amount.compareTo(other.amount);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Quantity q && amount.compareTo(q.amount) == 0;
  }

  @Override
  public int hashCode() {
    return amount.hashCode();
  }

  /**
   * The canonical form, as Kubernetes writes it: the largest suffix of the quantity's format that
   * leaves a whole mantissa ("1.5" → "1500m", "1024Mi" → "1Gi", "1000" → "1k"); values finer than
   * a nano are rounded up to nanos. Binary quantities that are not whole numbers of at least 1024
   * are written in decimal SI.
   */
  @Override
  public String toString() {
    if (amount.signum() == 0) {
      return "0";
    }
    BigDecimal value = amount;
    if (value.scale() > 9) {
      value = value.setScale(9, RoundingMode.CEILING).stripTrailingZeros();
    }
    if (format == Format.BINARY_SI
        && value.abs().compareTo(BigDecimal.valueOf(1024)) >= 0
        && value.scale() <= 0) {
      return binary(value.toBigIntegerExact());
    }
    return decimal(value, format == Format.DECIMAL_EXPONENT);
  }

  private static String binary(BigInteger value) {
    int power = 0;
    while (power < BINARY_LETTERS.length()
        && value.mod(K1024).signum() == 0
        && value.signum() != 0) {
      value = value.divide(K1024);
      power++;
    }
    return value + (power == 0 ? "" : BINARY_LETTERS.charAt(power - 1) + "i");
  }

  private static String decimal(BigDecimal value, boolean exponentForm) {
    // The largest multiple of 3 in [-9, 18] that leaves a whole mantissa.
    int exponent = -9;
    for (int e = 18; e >= -9; e -= 3) {
      BigDecimal mantissa = value.scaleByPowerOfTen(-e);
      if (mantissa.stripTrailingZeros().scale() <= 0) {
        exponent = e;
        break;
      }
    }
    BigInteger mantissa = value.scaleByPowerOfTen(-exponent).toBigIntegerExact();
    if (exponentForm) {
      return mantissa + (exponent == 0 ? "" : "e" + exponent);
    }
    return mantissa + DECIMAL_SUFFIXES[exponent / 3 + 3];
  }

  private static long saturate(BigDecimal whole) {
    if (whole.compareTo(LONG_MAX) > 0) {
      return Long.MAX_VALUE;
    }
    if (whole.compareTo(LONG_MIN) < 0) {
      return Long.MIN_VALUE;
    }
    return whole.longValueExact();
  }
}
