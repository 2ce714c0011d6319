package io.distillguard.campaign;

import java.util.List;
import java.util.function.ToDoubleBiFunction;

/**
 * The member pairs the campaign's pair signals read: a deterministic sample, so a campaign of
 * 25,000 members (312 million pairs) costs what one of a few dozen does.
 */
final class MemberPairs {

  /** Member pairs sampled at most. */
  static final int MAX = 400;

  private MemberPairs() {}

  /**
   * Mean of {@code measure} over the pairs of {@code items} that {@link #sampled} gives; {@code
   * none} when there is no pair.
   */
  static <T> double mean(List<T> items, ToDoubleBiFunction<T, T> measure, double none) {
    int[][] pairs = sampled(items.size());
    if (pairs.length == 0) {
      return none;
    }
    double sum = 0;
    for (int[] p : pairs) {
      sum += measure.applyAsDouble(items.get(p[0]), items.get(p[1]));
    }
    return sum / pairs.length;
  }

  /**
   * The pairs {@code (i, j)}, {@code i < j}, of {@code n} items that the pair signals measure: a
   * deterministic sample of at most {@value #MAX}, every step-th pair in the order (0,1), (0,2),
   * ..., (0,n-1), (1,2), ..., with {@code step = max(1, pairs / MAX)}. Each is found from its index
   * by walking the rows once, so the cost is O(n + MAX) however many pairs there are.
   */
  static int[][] sampled(int n) {
    if (n < 2) {
      return new int[0][];
    }
    long pairs = (long) n * (n - 1) / 2;
    long step = Math.max(1, pairs / MAX);
    int count = (int) Math.min(MAX, (pairs + step - 1) / step);
    int[][] out = new int[count][];
    int i = 0;
    long rowStart = 0; // the index of the pair (i, i + 1)
    for (int k = 0; k < count; k++) {
      long index = k * step;
      while (index >= rowStart + (n - 1 - i)) {
        rowStart += n - 1 - i;
        i++;
      }
      out[k] = new int[] {i, (int) (i + 1 + (index - rowStart))};
    }
    return out;
  }
}
