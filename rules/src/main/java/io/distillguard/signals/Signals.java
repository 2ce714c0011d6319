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
 * 1 h, 24 h, 7 and 30 days. Signals without a horizon suffix use the 24 h window unless stated
 * otherwise.
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

  /**
   * Off-stated-use prompts (similarity to the stated use below {@link
   * AccountSignals#OFF_STATED_USE_SIMILARITY}) over 24 h: an absolute count, so in-domain traffic
   * mixed in does not dilute it.
   */
  public static final String OFF_USE_QUERIES_24H = "off_use_queries_24h";

  /**
   * Normalised category entropy (0..1) of the off-stated-use prompts alone over 24 h: a sweep's
   * off-use part is as broad however much in-domain traffic surrounds it; a domain app's few
   * off-use prompts cluster.
   */
  public static final String OFF_USE_ENTROPY = "off_use_entropy";

  /** Categories with at least {@link AccountSignals#MIN_CATEGORY_COUNT} off-use prompts in 24 h. */
  public static final String OFF_USE_DISTINCT_CATEGORIES = "off_use_distinct_categories";

  /**
   * Categories the stated use makes unlikely (see {@link #UNEXPECTED_CATEGORY_SHARE}) with at least
   * {@link AccountSignals#MIN_CATEGORY_COUNT} off-use prompts over 24 h: how much unexplained
   * ground the off-use part covers, as a count that dilution does not lower. A broad stated use
   * expects most categories, so a general assistant's off-use prompts rarely add to it.
   */
  public static final String OFF_USE_UNEXPECTED_CATEGORIES = "off_use_unexpected_categories";

  /**
   * Share of the 24 h window's prompts that landed in a novelty cell (top 12 bits of the LSH
   * signature) the account had never visited. A product's users repeat themselves and the share
   * falls as the account ages; a sweep keeps finding new ground.
   */
  public static final String NEW_CELL_SHARE = "new_cell_share";

  /**
   * Mean cosine similarity of the 24 h window's off-stated-use prompts to their nearest capability
   * category's centroid (1 when the window has no off-use prompt with a known category). The
   * centroids are built from each category's description and typical requests: ordinary requests of
   * any breadth sit close to one of them, while benchmark items (multiple-choice exam questions,
   * templated passages with a task, competition problems) sit further from every category. Read on
   * the off-use slice alone, so in-domain traffic mixed in does not raise it.
   */
  public static final String OFF_USE_CATEGORY_FIT = "off_use_category_fit";

  /** Queries over the last 7 days (daily buckets). */
  public static final String QUERIES_7D = "queries_7d";

  /** Off-stated-use queries over the last 7 days. */
  public static final String OFF_USE_QUERIES_7D = "off_use_queries_7d";

  /**
   * Distinct categories with at least {@link AccountSignals#MIN_CATEGORY_COUNT} off-stated-use
   * queries over the last 7 days (two in one day or on two days): a single stray prompt of a busy
   * domain app does not add a category, a sweep's off-use slice keeps adding them.
   */
  public static final String OFF_USE_CATEGORIES_7D = "off_use_categories_7d";

  /** Share of the last 7 days' queries that were a first visit to a novelty cell. */
  public static final String NEW_CELL_SHARE_7D = "new_cell_share_7d";

  /** Share of the last 7 days' off-stated-use queries that were a first visit to a novelty cell. */
  public static final String OFF_USE_NEW_CELL_SHARE_7D = "off_use_new_cell_share_7d";

  /** Days of the last 7 with at least one query. */
  public static final String ACTIVE_DAYS_7D = "active_days_7d";

  /** Distinct categories seen over the last 30 days. */
  public static final String CATEGORIES_30D = "categories_30d";

  /** First visits to novelty cells over the last 30 days (cumulative coverage growth). */
  public static final String NEW_CELLS_30D = "new_cells_30d";

  /**
   * Events (lifetime) later than the allowed lateness: counted in the totals and the sequential
   * score, left out of the windows.
   */
  public static final String LATE_EVENTS = "late_events";

  /**
   * Events (lifetime) dated more than the maximum jump ahead of the account's newest event and
   * contradicted by the next event (back on the old timeline): the windows went back to the real
   * traffic; the event counts at its own time only if event time ever gets there.
   */
  public static final String FUTURE_DATED_EVENTS = "future_dated_events";

  /**
   * The account's sequential evidence: a CUSUM of per-query log-likelihood ratios (campaign vs
   * legitimate) over the query's {@link QueryFeatures}, with the weights and thresholds the policy
   * file's {@code evidence} section calibrates. Never below 0; rises by a few units per strongly
   * campaign-like query and drains on ordinary ones.
   */
  public static final String EVIDENCE_SCORE = "evidence_score";

  /** Every signal name with a one-line definition, in a stable order. */
  public static final Map<String, String> DEFINITIONS = definitions();

  /** Every signal name. */
  public static final Set<String> ALL = DEFINITIONS.keySet();

  /** The layout of an account's {@link SignalSnapshot}: every signal, in definition order. */
  public static final SignalNames LAYOUT = SignalNames.of(ALL);

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
    d.put(OFF_USE_QUERIES_24H, "off-stated-use queries over 24 h");
    d.put(OFF_USE_ENTROPY, "normalised category entropy of the off-use queries over 24 h");
    d.put(OFF_USE_DISTINCT_CATEGORIES, "categories with >= 2 off-use queries over 24 h");
    d.put(
        OFF_USE_UNEXPECTED_CATEGORIES, "unexpected categories with >= 2 off-use queries over 24 h");
    d.put(NEW_CELL_SHARE, "share of queries in a never-visited cell over 24 h");
    d.put(
        OFF_USE_CATEGORY_FIT,
        "mean similarity of off-use prompts to their nearest category over 24 h");
    d.put(QUERIES_7D, "queries over 7 days");
    d.put(OFF_USE_QUERIES_7D, "off-stated-use queries over 7 days");
    d.put(OFF_USE_CATEGORIES_7D, "categories with >= 2 off-use queries over 7 days");
    d.put(NEW_CELL_SHARE_7D, "share of queries in a never-visited cell over 7 days");
    d.put(OFF_USE_NEW_CELL_SHARE_7D, "share of off-use queries in a never-visited cell, 7 days");
    d.put(ACTIVE_DAYS_7D, "active days of the last 7");
    d.put(CATEGORIES_30D, "distinct categories over 30 days");
    d.put(NEW_CELLS_30D, "first visits to novelty cells over 30 days");
    d.put(LATE_EVENTS, "events later than the allowed lateness (lifetime)");
    d.put(FUTURE_DATED_EVENTS, "single events dated in the future, undone (lifetime)");
    d.put(EVIDENCE_SCORE, "sequential evidence score (CUSUM of per-query log-likelihood ratios)");
    return java.util.Collections.unmodifiableMap(d);
  }
}
