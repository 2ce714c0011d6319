package io.distillguard.signals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The names of every detection signal (snake_case, as they appear in webhooks, the HTTP API and the
 * policy file) with their definitions. {@link AccountSignals} computes all of them; a snapshot
 * always carries every name below.
 *
 * <p>Horizons are event-time windows ending at the newest event time the account has seen: 10 min,
 * 1 h and 24 h. Signals without a horizon suffix use the 24 h window unless stated otherwise.
 */
public final class Signals {

  /** Normalised Shannon entropy (0..1, log base K) of the category histogram over 24 h. */
  public static final String COVERAGE_ENTROPY = "coverage_entropy";

  /** Normalised category entropy over the last hour. */
  public static final String COVERAGE_ENTROPY_1H = "coverage_entropy_1h";

  /**
   * Categories with support over 24 h: at least {@link AccountSignals#MIN_CATEGORY_SHARE} of the
   * window's queries and at least {@link AccountSignals#MIN_CATEGORY_COUNT} queries.
   */
  public static final String DISTINCT_CATEGORIES = "distinct_categories";

  /**
   * Distinct coarse LSH cells (top {@link AccountSignals#CELL_BITS} bits of the signature; a
   * HyperLogLog estimate over the account's lifetime) divided by the queries observed. Near 1 for a
   * sweep of the embedding space, low for an app whose prompts cluster.
   */
  public static final String DISTINCT_CELLS_PER_QUERY = "distinct_cells_per_query";

  /**
   * Spread of the account's prompts in the embedding space, estimated from the LSH bits: mean over
   * the 64 hyperplanes of {@code 4 p (1 - p)}, where p is the (exponentially decayed) share of
   * prompts on the positive side. 0 = every prompt on the same side of every hyperplane, 1 =
   * maximal spread.
   */
  public static final String LSH_DISPERSION = "lsh_dispersion";

  /**
   * Jensen-Shannon divergence (log base 2, so 0..1) between the observed category distribution over
   * 24 h and the distribution expected from the stated use; 0 when the account has no profile.
   */
  public static final String STATED_USE_DIVERGENCE = "stated_use_divergence";

  /**
   * Share of the 24 h window's prompts whose similarity to the stated use is below {@link
   * AccountSignals#OFF_STATED_USE_SIMILARITY}; 0 when the account has no profile.
   */
  public static final String OFF_STATED_USE_SHARE = "off_stated_use_share";

  /**
   * Share of the 24 h window's prompts that fall in categories the stated use makes unlikely: those
   * whose expected share is below half the uniform share (0.5 / K). Unlike {@link
   * #STATED_USE_DIVERGENCE}, a broad stated use ("general assistant") expects most categories, so
   * its ordinary traffic scores low however broad it is, while a narrow stated use swept across the
   * capability space scores high. 0 when the account has no profile.
   */
  public static final String UNEXPECTED_CATEGORY_SHARE = "unexpected_category_share";

  /** Queries per minute over the last 10 minutes. */
  public static final String RATE_PER_MIN = "rate_per_min";

  /** Queries in the last hour. */
  public static final String RATE_PER_HOUR = "rate_per_hour";

  /**
   * The last hour's rate against the account's own baseline hourly rate over the 23 hours before it
   * (only the part of that span the account was active, at least one hour), with a floor of {@link
   * AccountSignals#BASELINE_FLOOR_PER_HOUR} queries per hour on the baseline.
   */
  public static final String ACCELERATION = "acceleration";

  /**
   * Hourly rate since {@code verified_at} divided by the hourly rate before it (the span from the
   * first observed event to verification, at least one hour; floor one query per hour). 0 when the
   * account has no verification time or no event before it.
   */
  public static final String POST_VERIFICATION_JUMP = "post_verification_jump";

  /**
   * Coefficient of variation (stddev / mean) of inter-arrival gaps over 24 h, gaps capped at one
   * hour; out-of-order events add no gap. Machine timing gives ~0, Poisson arrivals ~1, bursty
   * human use above 1. 1 (neutral) with fewer than {@link AccountSignals#MIN_GAPS} gaps.
   */
  public static final String INTERARRIVAL_CV = "interarrival_cv";

  /**
   * Distinct clock hours (of the last 24) with at least one query; 24 = round-the-clock activity.
   */
  public static final String ACTIVE_HOURS_24H = "active_hours_24h";

  /**
   * Share of prompts that reused a template already seen: {@code 1 - distinct templates / queries}
   * over the account's lifetime (HyperLogLog estimate), 0..1.
   */
  public static final String TEMPLATE_REUSE = "template_reuse";

  /**
   * Share of the 24 h window's prompts whose near-duplicate key (top {@link
   * AccountSignals#NEAR_REPEAT_BITS} bits of the LSH signature) was seen among the account's recent
   * prompts (the last ~{@link AccountSignals#NEAR_REPEAT_GENERATION}..2x that many). Real users
   * repeat themselves; campaigns seek novelty.
   */
  public static final String NEAR_REPEAT_SHARE = "near_repeat_share";

  /** Mean response entropy (nats per token) over 24 h among events that carry it; 0 when none. */
  public static final String RESPONSE_ENTROPY_MEAN = "response_entropy_mean";

  /** Every signal name with a one-line definition, in a stable order. */
  public static final Map<String, String> DEFINITIONS = definitions();

  /** Every signal name. */
  public static final Set<String> ALL = DEFINITIONS.keySet();

  private Signals() {}

  /** True when {@code name} is a known signal. */
  public static boolean isKnown(String name) {
    return DEFINITIONS.containsKey(name);
  }

  private static Map<String, String> definitions() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put(COVERAGE_ENTROPY, "normalised category entropy over 24 h (0..1)");
    d.put(COVERAGE_ENTROPY_1H, "normalised category entropy over 1 h (0..1)");
    d.put(DISTINCT_CATEGORIES, "categories with support over 24 h");
    d.put(DISTINCT_CELLS_PER_QUERY, "distinct coarse LSH cells per query (lifetime)");
    d.put(LSH_DISPERSION, "spread of prompts across LSH hyperplanes (0..1)");
    d.put(STATED_USE_DIVERGENCE, "Jensen-Shannon divergence from the stated use (0..1)");
    d.put(OFF_STATED_USE_SHARE, "share of prompts far from the stated use over 24 h");
    d.put(
        UNEXPECTED_CATEGORY_SHARE, "share of prompts in categories the stated use makes unlikely");
    d.put(RATE_PER_MIN, "queries per minute over 10 min");
    d.put(RATE_PER_HOUR, "queries in the last hour");
    d.put(ACCELERATION, "last hour's rate vs the account's own 24 h baseline");
    d.put(POST_VERIFICATION_JUMP, "rate after verified_at vs before");
    d.put(INTERARRIVAL_CV, "coefficient of variation of inter-arrival gaps over 24 h");
    d.put(ACTIVE_HOURS_24H, "distinct active clock hours in the last 24");
    d.put(TEMPLATE_REUSE, "share of prompts reusing a seen template (lifetime)");
    d.put(NEAR_REPEAT_SHARE, "share of prompts near-repeating a recent prompt over 24 h");
    d.put(RESPONSE_ENTROPY_MEAN, "mean response entropy over 24 h (nats per token)");
    return java.util.Collections.unmodifiableMap(d);
  }
}
