package io.distillguard.signals;

import java.util.ArrayList;
import java.util.List;

/**
 * What one query said about its account, as a bit mask: the per-query evidence the sequential score
 * weighs (see {@code io.distillguard.detect.EvidenceScore}). Computed by {@link
 * AccountSignals#record} against the account's state before the query.
 */
public final class QueryFeatures {

  /** The prompt is far from the stated use (similarity below the off-use cut-off). */
  public static final int OFF_STATED_USE = 1;

  /** The prompt's category is one the stated use makes unlikely. */
  public static final int UNEXPECTED_CATEGORY = 2;

  /** The prompt lands in a novelty cell the account never visited. */
  public static final int NEW_CELL = 4;

  /** The prompt near-repeats a recent prompt of the account. */
  public static final int NEAR_REPEAT = 8;

  /**
   * The prompt's category is a rare one for the account: below {@link AccountSignals#RARE_SHARE} of
   * its recent prompts (a decayed count over the last ~{@link AccountSignals#RECENT_PROMPTS}), once
   * it has some history. A sweep's prompts keep landing in rare categories, so do the off-use
   * prompts of a diluted sweep; an app's prompts land in its habitual ones.
   */
  public static final int RARE_CATEGORY = 16;

  /** Number of feature bits; masks are 0 .. 2^COUNT - 1. */
  public static final int COUNT = 5;

  /** Feature names, by bit position, as the policy file writes them. */
  public static final List<String> NAMES =
      List.of("off_stated_use", "unexpected_category", "new_cell", "near_repeat", "rare_category");

  private QueryFeatures() {}

  /** The mask's feature names joined by '+', or "none" for 0. */
  public static String name(int mask) {
    List<String> parts = new ArrayList<>();
    for (int b = 0; b < COUNT; b++) {
      if ((mask & (1 << b)) != 0) {
        parts.add(NAMES.get(b));
      }
    }
    return parts.isEmpty() ? "none" : String.join("+", parts);
  }

  /**
   * The mask named by {@code name} (feature names joined by '+', any order, or "none").
   *
   * @throws IllegalArgumentException for an unknown feature name
   */
  public static int parse(String name) {
    if (name.equals("none")) {
      return 0;
    }
    int mask = 0;
    for (String part : name.split("\\+")) {
      int b = NAMES.indexOf(part.trim());
      if (b < 0) {
        throw new IllegalArgumentException("unknown query feature: " + part);
      }
      mask |= 1 << b;
    }
    return mask;
  }
}
