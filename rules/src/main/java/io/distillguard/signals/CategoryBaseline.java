package io.distillguard.signals;

import java.util.Arrays;

/**
 * What one account is expected to ask about: the category distribution of its stated use (and the
 * categories that distribution makes unexpected) and its own recent category mix (a decayed count
 * over the last ~{@link AccountSignals#RECENT_PROMPTS} prompts, from which a category is rare).
 * Mutable, not thread-safe; owned by {@link AccountSignals}, which also serializes it ({@link
 * AccountSignalsFormat}).
 */
final class CategoryBaseline {

  /** Decayed mass of recent prompts before a category can be called rare. */
  private static final double RARE_MIN_MASS = 10.0;

  private final int k;
  float[] statedShares;
  boolean[] unexpected;
  final float[] recentCats;
  float recentMass;

  /** No stated use and no recent prompts, over {@code k} categories (plus one for unknown ones). */
  CategoryBaseline(int k) {
    this.k = k;
    this.recentCats = new float[k + 1];
  }

  /** A deep copy. */
  CategoryBaseline copy() {
    CategoryBaseline c = new CategoryBaseline(k);
    c.statedShares = statedShares == null ? null : statedShares.clone();
    c.unexpected = unexpected == null ? null : unexpected.clone();
    System.arraycopy(recentCats, 0, c.recentCats, 0, recentCats.length);
    c.recentMass = recentMass;
    return c;
  }

  /** Takes the stated use's expected shares (K of them), when they differ from the current ones. */
  void statedUse(float[] shares) {
    if (!Arrays.equals(shares, statedShares)) {
      statedShares = shares.clone();
      unexpected =
          CategoryStats.unexpected(statedShares, k, AccountSignals.UNEXPECTED_BELOW_UNIFORM);
    }
  }

  /** Sets the stated use's shares read back from a serialized state (null: no profile). */
  void restoreStatedUse(float[] shares) {
    statedShares = shares;
    unexpected =
        shares == null
            ? null
            : CategoryStats.unexpected(shares, k, AccountSignals.UNEXPECTED_BELOW_UNIFORM);
  }

  /**
   * Whether category {@code cat} is rare among the recent prompts before this one; then counts this
   * prompt in the recent mix.
   */
  boolean rareThenCount(int cat) {
    boolean rare =
        recentMass >= RARE_MIN_MASS && recentCats[cat] < AccountSignals.RARE_SHARE * recentMass;
    float keep = 1f - 1f / AccountSignals.RECENT_PROMPTS;
    for (int i = 0; i <= k; i++) {
      recentCats[i] *= keep;
    }
    recentCats[cat] += 1f;
    recentMass = recentMass * keep + 1f;
    return rare;
  }

  /** Whether the stated use makes category {@code cat} unexpected (false without a profile). */
  boolean isUnexpected(int cat) {
    return unexpected != null && cat < k && unexpected[cat];
  }

  /** Unexpected categories with at least {@code minCount} in {@code counts} (K+1 counters). */
  int unexpectedWithAtLeast(long[] counts, int minCount) {
    int n = 0;
    if (unexpected != null) {
      for (int i = 0; i < k; i++) {
        if (unexpected[i] && counts[i] >= minCount) {
          n++;
        }
      }
    }
    return n;
  }
}
