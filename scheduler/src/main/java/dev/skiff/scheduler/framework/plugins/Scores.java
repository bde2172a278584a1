package dev.skiff.scheduler.framework.plugins;

import dev.skiff.scheduler.framework.ScorePlugin;

/** Score normalization helpers. */
final class Scores {
  private Scores() {}

  /**
   * Kubernetes' DefaultNormalizeScore: scales so the highest score becomes MAX_SCORE; with
   * {@code reverse}, the highest becomes 0 and 0 becomes MAX_SCORE. All zero stays zero (or all
   * MAX_SCORE when reversed).
   */
  static void normalize(long[] scores, boolean reverse) {
    long max = 0;
    for (long s : scores) {
      max = Math.max(max, s);
    }
    if (max == 0) {
      if (reverse) {
        java.util.Arrays.fill(scores, ScorePlugin.MAX_SCORE);
      }
      return;
    }
    for (int i = 0; i < scores.length; i++) {
      long s = ScorePlugin.MAX_SCORE * scores[i] / max;
      scores[i] = reverse ? ScorePlugin.MAX_SCORE - s : s;
    }
  }

  /** Min-max scaling into [0, MAX_SCORE] (scores may be negative). */
  static void minMax(long[] scores) {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (long s : scores) {
      min = Math.min(min, s);
      max = Math.max(max, s);
    }
    long range = max - min;
    for (int i = 0; i < scores.length; i++) {
      scores[i] = range == 0 ? 0 : ScorePlugin.MAX_SCORE * (scores[i] - min) / range;
    }
  }
}
