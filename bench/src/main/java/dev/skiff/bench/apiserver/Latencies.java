package dev.skiff.bench.apiserver;

import java.util.Arrays;

/** Records latencies (nanoseconds) from many threads; summarises count, p50, p99, max. */
final class Latencies {
  private long[] values = new long[1024];
  private int size;

  synchronized void add(long nanos) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = nanos;
  }

  synchronized int count() {
    return size;
  }

  synchronized String summary(String name, double seconds) {
    long[] sorted = Arrays.copyOf(values, size);
    Arrays.sort(sorted);
    return String.format("%-34s n=%6d  %8.0f/s  p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms",
        name, size, size / seconds, ms(pct(sorted, 0.50)), ms(pct(sorted, 0.99)),
        ms(size == 0 ? 0 : sorted[size - 1]));
  }

  private static long pct(long[] sorted, double p) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
