package io.distillguard.signals;

import io.distillguard.observe.AccountObservation;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

  /** Decayed mass of recent prompts before a category can be called rare. */
  private static final double RARE_MIN_MASS = 10.0;

  static final long MINUTE = 60_000L;
  static final long HOUR = 3_600_000L;
  private static final int FORMAT = 2;

  // 24 h ring fields (ints): count, profiled, off-stated-use, near-repeats, gaps, entropy samples,
  // first visits to novelty cells, then K+1 category counters (the last one for categories the
  // taxonomy does not know).
  private static final int F_COUNT = 0;
  private static final int F_PROFILED = 1;
  private static final int F_OFF = 2;
  private static final int F_REPEAT = 3;
  private static final int F_GAPS = 4;
  private static final int F_ENTROPY_N = 5;
  private static final int F_NEW_CELL = 6;
  private static final int F_CATS = 7;
  // doubles: gap sum (s), gap square sum (s^2), response entropy sum
  private static final int D_GAP = 0;
  private static final int D_GAP2 = 1;
  private static final int D_ENTROPY = 2;

  private final List<String> categories;
  private final Map<String, Integer> index;
  private final int k;

  private final Window w10m;
  private final Window w1h;
  private final Window w24h;
  private final Window w24hOff;
  private final LongHorizon days;
  private final PromptSketches sketches;

  private long queries;
  private long firstEventMillis = Long.MIN_VALUE;
  private long newestEventMillis = Long.MIN_VALUE;
  private long lastVerifiedAtMillis = Long.MIN_VALUE;
  private long preVerification;
  private long postVerification;
  private float[] statedShares;
  private boolean[] unexpected;
  private long lateEvents;
  private long futureDatedEvents;
  private long endBeforeJump = Long.MIN_VALUE;
  private double evidence;
  private final float[] recentCats;
  private float recentMass;

  private AccountSignals(List<String> categories, PromptSketches sketches, LongHorizon days) {
    this.categories = List.copyOf(categories);
    this.k = this.categories.size();
    if (k < 2 || k > 31) {
      throw new IllegalArgumentException("need 2 to 31 categories, got " + k);
    }
    this.index = new HashMap<>();
    for (int i = 0; i < k; i++) {
      if (index.put(this.categories.get(i), i) != null) {
        throw new IllegalArgumentException("duplicate category: " + this.categories.get(i));
      }
    }
    this.w10m = new Window(10, MINUTE, 1, 0);
    this.w1h = new Window(12, 5 * MINUTE, 1 + k + 1, 0);
    this.w24h = new Window(48, 30 * MINUTE, F_CATS + k + 1, 3);
    this.w24hOff = new Window(24, HOUR, k + 1, 0);
    this.sketches = sketches;
    this.days = days;
    this.recentCats = new float[k + 1];
  }

  /** Empty signals over these category names (the taxonomy's order). */
  public static AccountSignals create(List<String> categories) {
    return new AccountSignals(categories, new PromptSketches(), new LongHorizon());
  }

  /** The category names this state counts, in order. */
  public List<String> categories() {
    return categories;
  }

  /** Events folded in so far. */
  public long queriesObserved() {
    return queries;
  }

  /** Newest event time the windows end at, or {@code Long.MIN_VALUE} before the first event. */
  public long newestEventMillis() {
    return newestEventMillis;
  }

  /** The category distribution expected from the stated use (a copy), or null without a profile. */
  public float[] statedUseShares() {
    return statedShares == null ? null : statedShares.clone();
  }

  /** Events counted but left out of the windows for being later than the allowed lateness. */
  public long lateEvents() {
    return lateEvents;
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
    long t = windowTime(o.eventTimeMillis(), time);
    boolean inWindows = t != Long.MIN_VALUE;
    if (inWindows && (firstEventMillis == Long.MIN_VALUE || t < firstEventMillis)) {
      firstEventMillis = t;
    }
    Long gapMillis = null;
    if (inWindows && newestEventMillis != Long.MIN_VALUE && t >= newestEventMillis) {
      gapMillis = Math.min(t - newestEventMillis, HOUR);
    }
    if (inWindows && t > newestEventMillis) {
      newestEventMillis = t;
    }
    float[] shares = o.statedUseCategoryShares();
    boolean profiled = shares != null && shares.length == k;
    if (profiled && !Arrays.equals(shares, statedShares)) {
      statedShares = shares.clone();
      unexpected = CategoryStats.unexpected(statedShares, k, UNEXPECTED_BELOW_UNIFORM);
    }
    if (o.verifiedAtMillis() != null) {
      lastVerifiedAtMillis = o.verifiedAtMillis();
    }
    if (lastVerifiedAtMillis != Long.MIN_VALUE && o.eventTimeMillis() >= lastVerifiedAtMillis) {
      postVerification++;
    } else {
      preVerification++;
    }

    int cat = index.getOrDefault(o.category() == null ? "" : o.category(), k);
    long lsh = o.lshSignature();
    boolean repeat = sketches.nearRepeat(lsh);
    boolean newCell = sketches.newCell(lsh);
    sketches.add(lsh, o.templateFingerprint());
    boolean off = profiled && o.statedUseSimilarity() < OFF_STATED_USE_SIMILARITY;

    int features = 0;
    if (off) {
      features |= QueryFeatures.OFF_STATED_USE;
    }
    if (recentMass >= RARE_MIN_MASS && recentCats[cat] < RARE_SHARE * recentMass) {
      features |= QueryFeatures.RARE_CATEGORY;
    }
    float keep = 1f - 1f / RECENT_PROMPTS;
    for (int i = 0; i <= k; i++) {
      recentCats[i] *= keep;
    }
    recentCats[cat] += 1f;
    recentMass = recentMass * keep + 1f;
    if (unexpected != null && cat < k && unexpected[cat]) {
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

    days.add(t, cat, off, newCell);
    int s10 = w10m.slotFor(t);
    if (s10 >= 0) {
      w10m.add(s10, 0, 1);
    }
    int s1 = w1h.slotFor(t);
    if (s1 >= 0) {
      w1h.add(s1, 0, 1);
      w1h.add(s1, 1 + cat, 1);
    }
    if (off) {
      int so = w24hOff.slotFor(t);
      if (so >= 0) {
        w24hOff.add(so, cat, 1);
      }
    }
    int s24 = w24h.slotFor(t);
    if (s24 >= 0) {
      w24h.add(s24, F_COUNT, 1);
      w24h.add(s24, F_CATS + cat, 1);
      if (profiled) {
        w24h.add(s24, F_PROFILED, 1);
        if (off) {
          w24h.add(s24, F_OFF, 1);
        }
      }
      if (repeat) {
        w24h.add(s24, F_REPEAT, 1);
      }
      if (newCell) {
        w24h.add(s24, F_NEW_CELL, 1);
      }
      if (gapMillis != null) {
        double g = gapMillis / 1000.0;
        w24h.add(s24, F_GAPS, 1);
        w24h.addD(s24, D_GAP, g);
        w24h.addD(s24, D_GAP2, g * g);
      }
      Double entropy = o.responseEntropy();
      if (entropy != null && Double.isFinite(entropy)) {
        w24h.add(s24, F_ENTROPY_N, 1);
        w24h.addD(s24, D_ENTROPY, entropy);
      }
    }
    // Keep every window's end at the newest event time even when this event was too old for it.
    w10m.advanceTo(newestEventMillis);
    w1h.advanceTo(newestEventMillis);
    w24h.advanceTo(newestEventMillis);
    w24hOff.advanceTo(newestEventMillis);
    days.advanceTo(newestEventMillis);
    return features;
  }

  /**
   * The time at which an event enters the windows (its own), or {@code Long.MIN_VALUE} when it is
   * later than the allowed lateness. An event more than the maximum jump ahead moves the windows at
   * once; if the very next event is back on the old timeline (more than the maximum jump behind the
   * new end, within the lateness of the old one), that single event was dated in the future: the
   * windows go back to where they were (its counts stay in a bucket of its own time, which counts
   * only once event time really gets there).
   */
  private long windowTime(long t, EventTimeSettings time) {
    if (newestEventMillis == Long.MIN_VALUE) {
      return t;
    }
    if (t > newestEventMillis + time.maxJumpMillis()) {
      endBeforeJump = newestEventMillis;
      return t;
    }
    if (endBeforeJump != Long.MIN_VALUE) {
      if (t < newestEventMillis - time.maxJumpMillis()
          && t >= endBeforeJump - time.allowedLatenessMillis()) {
        futureDatedEvents++;
        rewindTo(endBeforeJump);
      }
      endBeforeJump = Long.MIN_VALUE;
    }
    if (t < newestEventMillis - time.allowedLatenessMillis()) {
      lateEvents++;
      return Long.MIN_VALUE;
    }
    return t;
  }

  private void rewindTo(long t) {
    newestEventMillis = t;
    w10m.rewindTo(t);
    w1h.rewindTo(t);
    w24h.rewindTo(t);
    w24hOff.rewindTo(t);
    days.rewindTo(t);
  }

  /** Every signal at the newest event time. */
  public SignalSnapshot snapshot() {
    Map<String, Double> v = new LinkedHashMap<>(64);
    // One pass per window: every 24 h counter at once.
    long[] day = w24h.totals();
    double[] dayD = w24h.totalsD();
    long[] cats24 = Arrays.copyOfRange(day, F_CATS, F_CATS + k + 1);
    long n24 = day[F_COUNT];
    long[] hour = w1h.totals();
    long[] cats1h = Arrays.copyOfRange(hour, 1, 1 + k + 1);
    long n1h = hour[0];
    long[] off24 = w24hOff.totals();
    long nOff = 0;
    for (long c : off24) {
      nOff += c;
    }

    v.put(Signals.COVERAGE_ENTROPY, CategoryStats.normalisedEntropy(cats24, n24, k));
    v.put(Signals.COVERAGE_ENTROPY_1H, CategoryStats.normalisedEntropy(cats1h, n1h, k));
    v.put(
        Signals.DISTINCT_CATEGORIES,
        (double) CategoryStats.supported(cats24, n24, k, MIN_CATEGORY_COUNT, MIN_CATEGORY_SHARE));
    long generationQueries = sketches.generationQueries();
    v.put(Signals.DISTINCT_CELLS_PER_QUERY, ratio(sketches.distinctCells(), generationQueries));
    v.put(Signals.LSH_DISPERSION, sketches.dispersion());
    v.put(Signals.STATED_USE_DIVERGENCE, CategoryStats.divergence(statedShares, cats24, n24, k));
    v.put(
        Signals.UNEXPECTED_CATEGORY_SHARE, CategoryStats.unexpectedShare(unexpected, cats24, n24));
    long profiled = day[F_PROFILED];
    v.put(Signals.OFF_STATED_USE_SHARE, profiled == 0 ? 0.0 : day[F_OFF] / (double) profiled);
    v.put(Signals.OFF_USE_QUERIES_24H, (double) nOff);
    v.put(Signals.OFF_USE_ENTROPY, CategoryStats.normalisedEntropy(off24, nOff, k));
    v.put(
        Signals.OFF_USE_DISTINCT_CATEGORIES,
        (double) CategoryStats.supported(off24, nOff, k, MIN_CATEGORY_COUNT, 0.0));
    int offUnexpected = 0;
    if (unexpected != null) {
      for (int i = 0; i < k; i++) {
        if (unexpected[i] && off24[i] >= MIN_CATEGORY_COUNT) {
          offUnexpected++;
        }
      }
    }
    v.put(Signals.OFF_USE_UNEXPECTED_CATEGORIES, (double) offUnexpected);
    v.put(Signals.NEW_CELL_SHARE, n24 == 0 ? 0.0 : day[F_NEW_CELL] / (double) n24);
    LongHorizon.Totals week = days.totals(LongHorizon.WEEK);
    LongHorizon.Totals month = days.totals(LongHorizon.DAYS);
    v.put(Signals.QUERIES_7D, (double) week.queries());
    v.put(Signals.OFF_USE_QUERIES_7D, (double) week.offQueries());
    v.put(Signals.OFF_USE_CATEGORIES_7D, (double) week.offCategories());
    v.put(Signals.NEW_CELL_SHARE_7D, share(week.newCells(), week.queries()));
    v.put(Signals.OFF_USE_NEW_CELL_SHARE_7D, share(week.offNewCells(), week.offQueries()));
    v.put(Signals.ACTIVE_DAYS_7D, (double) week.activeDays());
    v.put(Signals.CATEGORIES_30D, (double) month.categories());
    v.put(Signals.NEW_CELLS_30D, (double) month.newCells());
    v.put(Signals.RATE_PER_MIN, w10m.sum(0) / 10.0);
    v.put(Signals.RATE_PER_HOUR, (double) n1h);
    v.put(Signals.ACCELERATION, acceleration(n1h, n24));
    v.put(Signals.POST_VERIFICATION_JUMP, postVerificationJump());
    v.put(Signals.INTERARRIVAL_CV, interarrivalCv(day[F_GAPS], dayD[D_GAP], dayD[D_GAP2]));
    v.put(Signals.ACTIVE_HOURS_24H, (double) activeHours());
    double templateReuse =
        generationQueries == 0 ? 0.0 : 1.0 - ratio(sketches.distinctTemplates(), generationQueries);
    v.put(Signals.TEMPLATE_REUSE, templateReuse);
    v.put(Signals.NEAR_REPEAT_SHARE, n24 == 0 ? 0.0 : day[F_REPEAT] / (double) n24);
    long entropyN = day[F_ENTROPY_N];
    v.put(Signals.RESPONSE_ENTROPY_MEAN, entropyN == 0 ? 0.0 : dayD[D_ENTROPY] / entropyN);
    v.put(Signals.LATE_EVENTS, (double) lateEvents);
    v.put(Signals.FUTURE_DATED_EVENTS, (double) futureDatedEvents);
    v.put(Signals.EVIDENCE_SCORE, evidence);
    return new SignalSnapshot(
        queries, newestEventMillis == Long.MIN_VALUE ? 0 : newestEventMillis, v);
  }

  private static double ratio(double a, long b) {
    return b == 0 ? 0.0 : Math.min(1.0, a / b);
  }

  private static double share(long a, long b) {
    return b == 0 ? 0.0 : a / (double) b;
  }

  private double acceleration(long n1h, long n24) {
    if (newestEventMillis == Long.MIN_VALUE) {
      return 1.0;
    }
    long historyBeforeLastHour = newestEventMillis - HOUR - firstEventMillis;
    if (historyBeforeLastHour < HOUR) {
      return 1.0; // no baseline yet: a new account's first hour is not an acceleration
    }
    double baselineHours = Math.min(23.0, historyBeforeLastHour / (double) HOUR);
    double baseline = Math.max(0, n24 - n1h) / baselineHours;
    return n1h / Math.max(baseline, BASELINE_FLOOR_PER_HOUR);
  }

  private double postVerificationJump() {
    if (lastVerifiedAtMillis == Long.MIN_VALUE
        || preVerification == 0
        || postVerification == 0
        || firstEventMillis >= lastVerifiedAtMillis) {
      return 0.0;
    }
    double preHours = Math.max(1.0, (lastVerifiedAtMillis - firstEventMillis) / (double) HOUR);
    double postHours = Math.max(1.0, (newestEventMillis - lastVerifiedAtMillis) / (double) HOUR);
    double preRate = Math.max(1.0, preVerification / preHours);
    return (postVerification / postHours) / preRate;
  }

  private static double interarrivalCv(long gaps, double gapSum, double gapSquares) {
    if (gaps < MIN_GAPS) {
      return 1.0;
    }
    double mean = gapSum / gaps;
    if (mean <= 0) {
      return 0.0;
    }
    double var = Math.max(0.0, gapSquares / gaps - mean * mean);
    return Math.sqrt(var) / mean;
  }

  private int activeHours() {
    BitSet hours = new BitSet(64);
    long newestHour = Math.floorDiv(w24h.newestEpoch, 2);
    for (int s = 0; s < w24h.buckets; s++) {
      if (w24h.live(s) && w24h.get(s, F_COUNT) > 0) {
        long hoursAgo = newestHour - Math.floorDiv(w24h.epochs[s], 2);
        if (hoursAgo >= 0 && hoursAgo < 24) {
          hours.set((int) hoursAgo);
        }
      }
    }
    return hours.cardinality();
  }

  /** A deep copy. */
  public AccountSignals copy() {
    AccountSignals c = new AccountSignals(categories, sketches.copy(), days.copy());
    c.w10m.copyFrom(w10m);
    c.w1h.copyFrom(w1h);
    c.w24h.copyFrom(w24h);
    c.w24hOff.copyFrom(w24hOff);
    c.queries = queries;
    c.firstEventMillis = firstEventMillis;
    c.newestEventMillis = newestEventMillis;
    c.lastVerifiedAtMillis = lastVerifiedAtMillis;
    c.preVerification = preVerification;
    c.postVerification = postVerification;
    c.statedShares = statedShares == null ? null : statedShares.clone();
    c.unexpected = unexpected == null ? null : unexpected.clone();
    c.lateEvents = lateEvents;
    c.futureDatedEvents = futureDatedEvents;
    c.endBeforeJump = endBeforeJump;
    c.evidence = evidence;
    System.arraycopy(recentCats, 0, c.recentCats, 0, recentCats.length);
    c.recentMass = recentMass;
    return c;
  }

  /** Writes the state in a compact binary form (deterministic: equal states, equal bytes). */
  public void writeTo(StateIO.Out out) {
    out.varint(FORMAT).varint(k);
    for (String c : categories) {
      out.string(c);
    }
    out.varint(queries)
        .signed(firstEventMillis)
        .signed(newestEventMillis)
        .signed(lastVerifiedAtMillis)
        .varint(preVerification)
        .varint(postVerification)
        .varint(lateEvents)
        .signed(futureDatedEvents)
        .signed(endBeforeJump)
        .f64(evidence)
        .f32(recentMass);
    for (float f : recentCats) {
      out.f32(f);
    }
    out.varint(statedShares == null ? 0 : 1);
    if (statedShares != null) {
      for (float s : statedShares) {
        out.f32(s);
      }
    }
    sketches.write(out);
    days.write(out);
    w10m.write(out);
    w1h.write(out);
    w24h.write(out);
    w24hOff.write(out);
  }

  /** Reads a state written by {@link #writeTo}. */
  public static AccountSignals readFrom(StateIO.In in) {
    int format = in.varintInt();
    if (format != FORMAT) {
      throw new IllegalArgumentException("unsupported signals format " + format);
    }
    int k = in.varintInt();
    if (k > 31) {
      throw new IllegalArgumentException("too many categories: " + k);
    }
    String[] names = new String[k];
    for (int i = 0; i < k; i++) {
      names[i] = in.string();
    }
    long queries = in.varint();
    long first = in.signed();
    long newest = in.signed();
    long verified = in.signed();
    long pre = in.varint();
    long post = in.varint();
    long late = in.varint();
    long future = in.signed();
    long beforeJump = in.signed();
    double evidence = in.f64();
    float recentMass = in.f32();
    float[] recentCats = new float[k + 1];
    for (int i = 0; i <= k; i++) {
      recentCats[i] = in.f32();
    }
    float[] shares = null;
    if (in.varint() == 1) {
      shares = new float[k];
      for (int i = 0; i < k; i++) {
        shares[i] = in.f32();
      }
    }
    PromptSketches sketches = PromptSketches.read(in);
    LongHorizon days = LongHorizon.read(in);
    AccountSignals s = new AccountSignals(List.of(names), sketches, days);
    s.queries = queries;
    s.firstEventMillis = first;
    s.newestEventMillis = newest;
    s.lastVerifiedAtMillis = verified;
    s.preVerification = pre;
    s.postVerification = post;
    s.lateEvents = late;
    s.futureDatedEvents = future;
    s.endBeforeJump = beforeJump;
    s.evidence = evidence;
    s.recentMass = recentMass;
    System.arraycopy(recentCats, 0, s.recentCats, 0, k + 1);
    s.statedShares = shares;
    s.unexpected =
        shares == null ? null : CategoryStats.unexpected(shares, k, UNEXPECTED_BELOW_UNIFORM);
    s.w10m.read(in);
    s.w1h.read(in);
    s.w24h.read(in);
    s.w24hOff.read(in);
    return s;
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
