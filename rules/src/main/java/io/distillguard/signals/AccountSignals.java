package io.distillguard.signals;

import io.distillguard.observe.AccountObservation;
import java.util.Arrays;
import java.util.List;

/**
 * The rolling detection signals of one account (see {@link Signals} for every definition). Mutable,
 * not thread-safe (one owner: the account's actor), deterministic (same observations in the same
 * order give the same state and the same bytes), and compact: fixed-size event-time bucket rings,
 * HyperLogLog sketches, Bloom filters and one bitset of visited cells ({@link PromptSketches}), 30
 * daily buckets ({@link LongHorizon}), never a list of prompts.
 *
 * <p>Windows: 10 min in 1-minute buckets, 1 h in 5-minute buckets, 24 h in 30-minute buckets (and
 * the off-stated-use category histogram in 1-hour buckets), 7 and 30 days in daily buckets, all
 * ending at the newest event time seen. Late events land in the buckets of their own time up to
 * {@link EventTimeSettings#allowedLatenessMillis()} (and the span of each window); a single event
 * dated far in the future cannot hold the windows ahead of the account's real traffic ({@link
 * EventTimeSettings#maxJumpMillis()}). Wall-clock time is never read.
 *
 * <p>Duplicate event ids are not this class's concern: the caller drops them first.
 */
public final class AccountSignals {

  /** Minimum share of the window's queries for a category to count as supported. */
  public static final double MIN_CATEGORY_SHARE = 0.02;

  /** Minimum queries for a category to count as supported. */
  public static final int MIN_CATEGORY_COUNT = 2;

  /** Prompts with a stated-use similarity below this count as off the stated use. */
  public static final float OFF_STATED_USE_SIMILARITY = 0.20f;

  /**
   * A category is unexpected for the stated use when its expected share is below this fraction of
   * the uniform share 1/K.
   */
  public static final double UNEXPECTED_BELOW_UNIFORM = 0.5;

  /** Coarse LSH cell: this many top bits of the signature. */
  public static final int CELL_BITS = 18;

  /** Near-duplicate key: this many top bits of the signature. */
  public static final int NEAR_REPEAT_BITS = 40;

  /** Prompts per near-repeat (and distinct-cell / template) sketch generation. */
  public static final int NEAR_REPEAT_GENERATION = 1024;

  /** Floor of the baseline hourly rate used by {@link Signals#ACCELERATION}. */
  public static final double BASELINE_FLOOR_PER_HOUR = 10.0;

  /**
   * Minimum inter-arrival gaps in the window before {@link Signals#INTERARRIVAL_CV} is computed.
   */
  public static final int MIN_GAPS = 20;

  /** A category below this decayed share of the account's recent prompts is rare for it. */
  public static final double RARE_SHARE = 0.08;

  /** Prompts the decayed category counts remember (their half-life is ~0.7 of it). */
  public static final int RECENT_PROMPTS = 100;

  private final CategoryIndex index;
  private final int k;

  final PromptSketches sketches;
  final SignalWindows windows;
  final CategoryBaseline baseline;
  final VerificationRate verification;

  long queries;
  double evidence;

  AccountSignals(List<String> categories, PromptSketches sketches, LongHorizon days) {
    int n = categories.size();
    if (n < 2 || n > 31) {
      throw new IllegalArgumentException("need 2 to 31 categories, got " + n);
    }
    this.index = CategoryIndex.of(categories);
    this.k = n;
    this.sketches = sketches;
    this.windows = new SignalWindows(k, days);
    this.baseline = new CategoryBaseline(k);
    this.verification = new VerificationRate();
  }

  private AccountSignals(AccountSignals o) {
    this.index = o.index;
    this.k = o.k;
    this.sketches = o.sketches.copy();
    this.windows = o.windows.copy(o.k);
    this.baseline = o.baseline.copy();
    this.verification = o.verification.copy();
    this.queries = o.queries;
    this.evidence = o.evidence;
  }

  /** Empty signals over these category names (the taxonomy's order). */
  public static AccountSignals create(List<String> categories) {
    return new AccountSignals(categories, new PromptSketches(), new LongHorizon());
  }

  /** The category names this state counts, in order. */
  public List<String> categories() {
    return index.names();
  }

  /** Events folded in so far. */
  public long queriesObserved() {
    return queries;
  }

  /** Newest event time the windows end at, or {@code Long.MIN_VALUE} before the first event. */
  public long newestEventMillis() {
    return windows.newestEventMillis;
  }

  /** The category distribution expected from the stated use (a copy), or null without a profile. */
  public float[] statedUseShares() {
    return baseline.statedShares == null ? null : baseline.statedShares.clone();
  }

  /** Events counted but left out of the windows for being later than the allowed lateness. */
  public long lateEvents() {
    return windows.lateEvents;
  }

  /** Adds one query's weight of evidence to the sequential score (a CUSUM: never below zero). */
  public void addEvidence(double llr) {
    evidence = Math.max(0.0, evidence + llr);
  }

  /** Sets the sequential score to a value it reached before (an event-sourced replay). */
  public void restoreEvidence(double score) {
    evidence = Math.max(0.0, score);
  }

  /** The sequential score now. */
  public double evidence() {
    return evidence;
  }

  /** Folds one observation in with the default event-time settings. */
  public int record(AccountObservation o) {
    return record(o, EventTimeSettings.DEFAULT);
  }

  /**
   * Folds one observation in.
   *
   * @return the query's {@link QueryFeatures} mask, against the state before the query
   */
  public int record(AccountObservation o, EventTimeSettings time) {
    queries++;
    long t = windows.enter(o.eventTimeMillis(), time);
    boolean inWindows = t != Long.MIN_VALUE;
    Long gapMillis = windows.advanceEndTo(t);
    float[] shares = o.statedUseCategoryShares();
    boolean profiled = shares != null && shares.length == k;
    if (profiled) {
      baseline.statedUse(shares);
    }
    verification.record(o.eventTimeMillis(), o.verifiedAtMillis());

    int cat = index.positionOf(o.category(), k);
    long lsh = o.lshSignature();
    boolean repeat = sketches.nearRepeat(lsh);
    boolean newCell = sketches.newCell(lsh);
    sketches.add(lsh, o.templateFingerprint());
    boolean off = profiled && o.statedUseSimilarity() < OFF_STATED_USE_SIMILARITY;

    int features = 0;
    if (off) {
      features |= QueryFeatures.OFF_STATED_USE;
    }
    if (baseline.rareThenCount(cat)) {
      features |= QueryFeatures.RARE_CATEGORY;
    }
    if (baseline.isUnexpected(cat)) {
      features |= QueryFeatures.UNEXPECTED_CATEGORY;
    }
    if (newCell) {
      features |= QueryFeatures.NEW_CELL;
    }
    if (repeat) {
      features |= QueryFeatures.NEAR_REPEAT;
    }
    if (!inWindows) {
      return features;
    }

    int fitMillis =
        off && cat < k
            ? Math.round(1000f * Math.max(0f, Math.min(1f, o.categorySimilarity())))
            : -1;
    windows.add(t, cat, profiled, off, repeat, newCell, gapMillis, o.responseEntropy(), fitMillis);
    return features;
  }

  /** Every signal at the newest event time. */
  public SignalSnapshot snapshot() {
    double[] v = new double[Signals.LAYOUT.size()];
    Arrays.fill(v, Double.NaN); // a signal this method forgets to write shows as NaN
    // One pass per window: every 24 h counter at once.
    SignalWindows w = windows;
    long[] day = w.w24h.totals();
    double[] dayD = w.w24h.totalsD();
    long[] cats24 = Arrays.copyOfRange(day, SignalWindows.F_CATS, SignalWindows.F_CATS + k + 1);
    long n24 = day[SignalWindows.F_COUNT];
    long[] hour = w.w1h.totals();
    long[] cats1h = Arrays.copyOfRange(hour, 1, 1 + k + 1);
    long n1h = hour[0];
    long[] off24 = w.w24hOff.totals();
    long nOff = 0;
    for (long c : off24) {
      nOff += c;
    }

    put(v, Signals.COVERAGE_ENTROPY, CategoryStats.normalisedEntropy(cats24, n24, k));
    put(v, Signals.COVERAGE_ENTROPY_1H, CategoryStats.normalisedEntropy(cats1h, n1h, k));
    put(
        v,
        Signals.DISTINCT_CATEGORIES,
        (double) CategoryStats.supported(cats24, n24, k, MIN_CATEGORY_COUNT, MIN_CATEGORY_SHARE));
    long generationQueries = sketches.generationQueries();
    put(v, Signals.DISTINCT_CELLS_PER_QUERY, ratio(sketches.distinctCells(), generationQueries));
    put(v, Signals.LSH_DISPERSION, sketches.dispersion());
    put(
        v,
        Signals.STATED_USE_DIVERGENCE,
        CategoryStats.divergence(baseline.statedShares, cats24, n24, k));
    put(
        v,
        Signals.UNEXPECTED_CATEGORY_SHARE,
        CategoryStats.unexpectedShare(baseline.unexpected, cats24, n24));
    long profiled = day[SignalWindows.F_PROFILED];
    put(
        v,
        Signals.OFF_STATED_USE_SHARE,
        profiled == 0 ? 0.0 : day[SignalWindows.F_OFF] / (double) profiled);
    put(v, Signals.OFF_USE_QUERIES_24H, (double) nOff);
    put(v, Signals.OFF_USE_ENTROPY, CategoryStats.normalisedEntropy(off24, nOff, k));
    put(
        v,
        Signals.OFF_USE_DISTINCT_CATEGORIES,
        (double) CategoryStats.supported(off24, nOff, k, MIN_CATEGORY_COUNT, 0.0));
    int offUnexpected = baseline.unexpectedWithAtLeast(off24, MIN_CATEGORY_COUNT);
    put(v, Signals.OFF_USE_UNEXPECTED_CATEGORIES, (double) offUnexpected);
    put(v, Signals.NEW_CELL_SHARE, n24 == 0 ? 0.0 : day[SignalWindows.F_NEW_CELL] / (double) n24);
    int fit = SignalWindows.fitField(k);
    put(v, Signals.OFF_USE_CATEGORY_FIT, day[fit] == 0 ? 1.0 : day[fit + 1] / (1000.0 * day[fit]));
    LongHorizon.Totals week = w.days.totals(LongHorizon.WEEK);
    LongHorizon.Totals month = w.days.totals(LongHorizon.DAYS);
    put(v, Signals.QUERIES_7D, (double) week.queries());
    put(v, Signals.OFF_USE_QUERIES_7D, (double) week.offQueries());
    put(v, Signals.OFF_USE_CATEGORIES_7D, (double) week.offCategoriesTwice());
    put(v, Signals.NEW_CELL_SHARE_7D, share(week.newCells(), week.queries()));
    put(v, Signals.OFF_USE_NEW_CELL_SHARE_7D, share(week.offNewCells(), week.offQueries()));
    put(v, Signals.ACTIVE_DAYS_7D, (double) week.activeDays());
    put(v, Signals.CATEGORIES_30D, (double) month.categories());
    put(v, Signals.NEW_CELLS_30D, (double) month.newCells());
    put(v, Signals.RATE_PER_MIN, w.w10m.sum(0) / 10.0);
    put(v, Signals.RATE_PER_HOUR, (double) n1h);
    put(v, Signals.ACCELERATION, w.acceleration(n1h, n24));
    put(
        v,
        Signals.POST_VERIFICATION_JUMP,
        verification.jump(w.firstEventMillis, w.newestEventMillis));
    put(
        v,
        Signals.INTERARRIVAL_CV,
        SignalWindows.interarrivalCv(
            day[SignalWindows.F_GAPS], dayD[SignalWindows.D_GAP], dayD[SignalWindows.D_GAP2]));
    put(v, Signals.ACTIVE_HOURS_24H, (double) w.activeHours());
    double templateReuse =
        generationQueries == 0 ? 0.0 : 1.0 - ratio(sketches.distinctTemplates(), generationQueries);
    put(v, Signals.TEMPLATE_REUSE, templateReuse);
    put(v, Signals.NEAR_REPEAT_SHARE, n24 == 0 ? 0.0 : day[SignalWindows.F_REPEAT] / (double) n24);
    long entropyN = day[SignalWindows.F_ENTROPY_N];
    put(
        v,
        Signals.RESPONSE_ENTROPY_MEAN,
        entropyN == 0 ? 0.0 : dayD[SignalWindows.D_ENTROPY] / entropyN);
    put(v, Signals.LATE_EVENTS, (double) w.lateEvents);
    put(v, Signals.FUTURE_DATED_EVENTS, (double) w.futureDatedEvents);
    put(v, Signals.EVIDENCE_SCORE, evidence);
    return SignalSnapshot.wrap(
        queries,
        w.newestEventMillis == Long.MIN_VALUE ? 0 : w.newestEventMillis,
        Signals.LAYOUT,
        v);
  }

  private static void put(double[] values, String signal, double value) {
    values[Signals.LAYOUT.position(signal)] = value;
  }

  private static double ratio(double a, long b) {
    return b == 0 ? 0.0 : Math.min(1.0, a / b);
  }

  private static double share(long a, long b) {
    return b == 0 ? 0.0 : a / (double) b;
  }

  /** A deep copy. */
  public AccountSignals copy() {
    return new AccountSignals(this);
  }

  /**
   * Writes the state in a compact binary form (deterministic: equal states, equal bytes; see {@link
   * AccountSignalsFormat}).
   */
  public void writeTo(StateIO.Out out) {
    AccountSignalsFormat.write(this, out);
  }

  /** Reads a state written by {@link #writeTo}. */
  public static AccountSignals readFrom(StateIO.In in) {
    return AccountSignalsFormat.read(in);
  }

  /** Serialized form (see {@link #writeTo}). */
  public byte[] toBytes() {
    StateIO.Out out = new StateIO.Out();
    writeTo(out);
    return out.toByteArray();
  }

  /** Restores a state from {@link #toBytes()}. */
  public static AccountSignals fromBytes(byte[] bytes) {
    return readFrom(new StateIO.In(bytes));
  }
}
