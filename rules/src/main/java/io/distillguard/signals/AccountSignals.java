package io.distillguard.signals;

import io.distillguard.observe.AccountObservation;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rolling detection signals of one account (see {@link Signals} for every definition). Mutable,
 * not thread-safe (one owner: the account's actor), deterministic (same observations in the same
 * order give the same state and the same bytes), and compact: fixed-size event-time bucket rings,
 * HyperLogLog sketches and Bloom filters, never a list of prompts. With K categories the state is
 * about {@code 48 * (K + 8) * 4} bytes of window counters plus ~2.5 KB of sketches in memory, and
 * less serialized (only live buckets, varint encoded).
 *
 * <p>Windows: 10 min in 1-minute buckets, 1 h in 5-minute buckets, 24 h in 30-minute buckets, all
 * ending at the newest event time seen. Events a few seconds (indeed up to a bucket ring) out of
 * order land in their own bucket; events older than a window's span are left out of that window
 * only. Wall-clock time is never read.
 *
 * <p>Duplicate event ids are not this class's concern: the caller (the detector) drops them first.
 */
public final class AccountSignals {

  /** Minimum share of the window's queries for a category to count as supported. */
  public static final double MIN_CATEGORY_SHARE = 0.02;

  /** Minimum queries for a category to count as supported. */
  public static final int MIN_CATEGORY_COUNT = 2;

  /** Prompts with a stated-use similarity below this count as off the stated use. */
  public static final float OFF_STATED_USE_SIMILARITY = 0.20f;

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

  static final long MINUTE = 60_000L;
  static final long HOUR = 3_600_000L;
  private static final int HLL_P = 8;
  private static final int BLOOM_WORDS = 128; // 8192 bits per generation
  private static final int BLOOM_HASHES = 4;
  private static final double DISPERSION_ALPHA = 1.0 / 256;
  private static final int FORMAT = 1;

  // 24 h ring fields (ints): count, profiled, off-stated-use, near-repeats, gaps, entropy samples,
  // then K+1 category counters (the last one for categories the taxonomy does not know).
  private static final int F_COUNT = 0;
  private static final int F_PROFILED = 1;
  private static final int F_OFF = 2;
  private static final int F_REPEAT = 3;
  private static final int F_GAPS = 4;
  private static final int F_ENTROPY_N = 5;
  private static final int F_CATS = 6;
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

  private long queries;
  private long firstEventMillis = Long.MIN_VALUE;
  private long newestEventMillis = Long.MIN_VALUE;
  private long lastVerifiedAtMillis = Long.MIN_VALUE;
  private long preVerification;
  private long postVerification;
  private float[] statedShares;

  // Sketch generations: "current" fills up to NEAR_REPEAT_GENERATION prompts, then becomes
  // "previous" and a fresh one starts, so every sketch covers the last 1..2 generations of prompts
  // and their ratios do not drift with the account's lifetime volume.
  private int generationFill;
  private long previousGenerationSize;
  private HyperLogLog cellsCurrent;
  private HyperLogLog cellsPrevious;
  private HyperLogLog templatesCurrent;
  private HyperLogLog templatesPrevious;
  private long[] bloomCurrent;
  private long[] bloomPrevious;

  private final float[] bitOnes;
  private float bitTotal;

  private AccountSignals(List<String> categories) {
    this.categories = List.copyOf(categories);
    this.k = this.categories.size();
    if (k < 2) {
      throw new IllegalArgumentException("need at least two categories, got " + k);
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
    this.cellsCurrent = new HyperLogLog(HLL_P);
    this.cellsPrevious = new HyperLogLog(HLL_P);
    this.templatesCurrent = new HyperLogLog(HLL_P);
    this.templatesPrevious = new HyperLogLog(HLL_P);
    this.bloomCurrent = new long[BLOOM_WORDS];
    this.bloomPrevious = new long[BLOOM_WORDS];
    this.bitOnes = new float[64];
  }

  /** Empty signals over these category names (the taxonomy's order). */
  public static AccountSignals create(List<String> categories) {
    return new AccountSignals(categories);
  }

  /** The category names this state counts, in order. */
  public List<String> categories() {
    return categories;
  }

  /** Events folded in so far. */
  public long queriesObserved() {
    return queries;
  }

  /** Newest event time seen, or {@code Long.MIN_VALUE} before the first event. */
  public long newestEventMillis() {
    return newestEventMillis;
  }

  /** The category distribution expected from the stated use (a copy), or null without a profile. */
  public float[] statedUseShares() {
    return statedShares == null ? null : statedShares.clone();
  }

  /** Folds one observation in. */
  public void record(AccountObservation o) {
    long t = o.eventTimeMillis();
    queries++;
    if (firstEventMillis == Long.MIN_VALUE || t < firstEventMillis) {
      firstEventMillis = t;
    }
    Long gapMillis = null;
    if (newestEventMillis != Long.MIN_VALUE && t >= newestEventMillis) {
      gapMillis = Math.min(t - newestEventMillis, HOUR);
    }
    if (t > newestEventMillis) {
      newestEventMillis = t;
    }
    float[] shares = o.statedUseCategoryShares();
    boolean profiled = shares != null && shares.length == k;
    if (profiled) {
      statedShares = shares.clone();
    }
    if (o.verifiedAtMillis() != null) {
      lastVerifiedAtMillis = o.verifiedAtMillis();
    }
    if (lastVerifiedAtMillis != Long.MIN_VALUE && t >= lastVerifiedAtMillis) {
      postVerification++;
    } else {
      preVerification++;
    }

    int cat = index.getOrDefault(o.category() == null ? "" : o.category(), k);
    boolean repeat = nearRepeat(o.lshSignature());
    recordSketches(o);

    int s10 = w10m.slotFor(t);
    if (s10 >= 0) {
      w10m.add(s10, 0, 1);
    }
    int s1 = w1h.slotFor(t);
    if (s1 >= 0) {
      w1h.add(s1, 0, 1);
      w1h.add(s1, 1 + cat, 1);
    }
    int s24 = w24h.slotFor(t);
    if (s24 >= 0) {
      w24h.add(s24, F_COUNT, 1);
      w24h.add(s24, F_CATS + cat, 1);
      if (profiled) {
        w24h.add(s24, F_PROFILED, 1);
        if (o.statedUseSimilarity() < OFF_STATED_USE_SIMILARITY) {
          w24h.add(s24, F_OFF, 1);
        }
      }
      if (repeat) {
        w24h.add(s24, F_REPEAT, 1);
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
  }

  private boolean nearRepeat(long lsh) {
    long key = Hashing.mix64(lsh >>> (64 - NEAR_REPEAT_BITS));
    boolean seen = bloomContains(bloomCurrent, key) || bloomContains(bloomPrevious, key);
    bloomAdd(bloomCurrent, key);
    return seen;
  }

  private void recordSketches(AccountObservation o) {
    if (generationFill >= NEAR_REPEAT_GENERATION) {
      long[] b = bloomPrevious;
      bloomPrevious = bloomCurrent;
      bloomCurrent = b;
      java.util.Arrays.fill(bloomCurrent, 0L);
      HyperLogLog c = cellsPrevious;
      cellsPrevious = cellsCurrent;
      cellsCurrent = c;
      cellsCurrent.clear();
      HyperLogLog tp = templatesPrevious;
      templatesPrevious = templatesCurrent;
      templatesCurrent = tp;
      templatesCurrent.clear();
      previousGenerationSize = generationFill;
      generationFill = 0;
    }
    generationFill++;
    long lsh = o.lshSignature();
    cellsCurrent.add(Hashing.mix64(lsh >>> (64 - CELL_BITS)));
    templatesCurrent.add(Hashing.mix64(o.templateFingerprint() ^ 0x5bd1e995L));
    bitTotal = bitTotal * (float) (1 - DISPERSION_ALPHA) + 1f;
    for (int b = 0; b < 64; b++) {
      bitOnes[b] = bitOnes[b] * (float) (1 - DISPERSION_ALPHA) + (float) ((lsh >>> b) & 1L);
    }
  }

  private static boolean bloomContains(long[] bloom, long h) {
    for (int i = 0; i < BLOOM_HASHES; i++) {
      int bit = bloomBit(h, i);
      if ((bloom[bit >>> 6] & (1L << (bit & 63))) == 0) {
        return false;
      }
    }
    return true;
  }

  private static void bloomAdd(long[] bloom, long h) {
    for (int i = 0; i < BLOOM_HASHES; i++) {
      int bit = bloomBit(h, i);
      bloom[bit >>> 6] |= 1L << (bit & 63);
    }
  }

  private static int bloomBit(long h, int i) {
    int h1 = (int) h;
    int h2 = (int) (h >>> 32);
    return Math.floorMod(h1 + i * h2, BLOOM_WORDS * 64);
  }

  /** Every signal at the newest event time. */
  public SignalSnapshot snapshot() {
    Map<String, Double> v = new LinkedHashMap<>(32);
    // One pass per window: every 24 h counter at once.
    long[] day = w24h.totals();
    double[] dayD = w24h.totalsD();
    long[] cats24 = java.util.Arrays.copyOfRange(day, F_CATS, F_CATS + k + 1);
    long n24 = day[F_COUNT];
    long[] hour = w1h.totals();
    long[] cats1h = java.util.Arrays.copyOfRange(hour, 1, 1 + k + 1);
    long n1h = hour[0];

    v.put(Signals.COVERAGE_ENTROPY, normalisedEntropy(cats24, n24));
    v.put(Signals.COVERAGE_ENTROPY_1H, normalisedEntropy(cats1h, n1h));
    v.put(Signals.DISTINCT_CATEGORIES, (double) supportedCategories(cats24, n24));
    long generationQueries = generationFill + previousGenerationSize;
    v.put(
        Signals.DISTINCT_CELLS_PER_QUERY,
        ratio(cellsCurrent.unionEstimate(cellsPrevious), generationQueries));
    v.put(Signals.LSH_DISPERSION, dispersion());
    v.put(Signals.STATED_USE_DIVERGENCE, divergence(cats24, n24));
    v.put(Signals.UNEXPECTED_CATEGORY_SHARE, unexpectedShare(cats24, n24));
    long profiled = day[F_PROFILED];
    v.put(Signals.OFF_STATED_USE_SHARE, profiled == 0 ? 0.0 : day[F_OFF] / (double) profiled);
    v.put(Signals.RATE_PER_MIN, w10m.sum(0) / 10.0);
    v.put(Signals.RATE_PER_HOUR, (double) n1h);
    v.put(Signals.ACCELERATION, acceleration(n1h, n24));
    v.put(Signals.POST_VERIFICATION_JUMP, postVerificationJump());
    v.put(Signals.INTERARRIVAL_CV, interarrivalCv(day[F_GAPS], dayD[D_GAP], dayD[D_GAP2]));
    v.put(Signals.ACTIVE_HOURS_24H, (double) activeHours());
    double templateReuse =
        generationQueries == 0
            ? 0.0
            : 1.0 - ratio(templatesCurrent.unionEstimate(templatesPrevious), generationQueries);
    v.put(Signals.TEMPLATE_REUSE, templateReuse);
    v.put(Signals.NEAR_REPEAT_SHARE, n24 == 0 ? 0.0 : day[F_REPEAT] / (double) n24);
    long entropyN = day[F_ENTROPY_N];
    v.put(Signals.RESPONSE_ENTROPY_MEAN, entropyN == 0 ? 0.0 : dayD[D_ENTROPY] / entropyN);
    return new SignalSnapshot(
        queries, newestEventMillis == Long.MIN_VALUE ? 0 : newestEventMillis, v);
  }

  private static double ratio(double a, long b) {
    return b == 0 ? 0.0 : Math.min(1.0, a / b);
  }

  private double normalisedEntropy(long[] counts, long n) {
    if (n == 0) {
      return 0.0;
    }
    double h = 0;
    for (long c : counts) {
      if (c > 0) {
        double p = c / (double) n;
        h -= p * Math.log(p);
      }
    }
    return Math.min(1.0, h / Math.log(k));
  }

  private int supportedCategories(long[] counts, long n) {
    int supported = 0;
    for (int i = 0; i < k; i++) {
      if (counts[i] >= MIN_CATEGORY_COUNT && counts[i] >= MIN_CATEGORY_SHARE * n) {
        supported++;
      }
    }
    return supported;
  }

  /**
   * A category is unexpected for the stated use when its expected share is below this fraction of
   * the uniform share 1/K.
   */
  public static final double UNEXPECTED_BELOW_UNIFORM = 0.5;

  private double unexpectedShare(long[] counts, long n) {
    if (statedShares == null || n == 0) {
      return 0.0;
    }
    double total = 0;
    for (float s : statedShares) {
      total += Math.max(0f, s);
    }
    if (total <= 0) {
      return 0.0;
    }
    double cutoff = UNEXPECTED_BELOW_UNIFORM / k;
    long unexpected = 0;
    for (int i = 0; i < k; i++) {
      if (Math.max(0f, statedShares[i]) / total < cutoff) {
        unexpected += counts[i];
      }
    }
    return unexpected / (double) n;
  }

  private double divergence(long[] counts, long n) {
    if (statedShares == null || n == 0) {
      return 0.0;
    }
    double qTotal = 0;
    for (float s : statedShares) {
      qTotal += Math.max(0f, s);
    }
    if (qTotal <= 0) {
      return 0.0;
    }
    double js = 0;
    for (int i = 0; i <= k; i++) {
      double p = counts[i] / (double) n;
      double q = i < k ? Math.max(0f, statedShares[i]) / qTotal : 0.0;
      double m = (p + q) / 2;
      if (p > 0) {
        js += 0.5 * p * Math.log(p / m);
      }
      if (q > 0) {
        js += 0.5 * q * Math.log(q / m);
      }
    }
    return Math.max(0.0, Math.min(1.0, js / Math.log(2)));
  }

  private double dispersion() {
    if (bitTotal <= 0) {
      return 0.0;
    }
    double sum = 0;
    for (float ones : bitOnes) {
      double p = ones / bitTotal;
      sum += 4 * p * (1 - p);
    }
    return Math.max(0.0, Math.min(1.0, sum / 64));
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
    java.util.BitSet hours = new java.util.BitSet(64);
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
    AccountSignals c = new AccountSignals(categories, this);
    return c;
  }

  private AccountSignals(List<String> categories, AccountSignals o) {
    this.categories = categories;
    this.index = o.index;
    this.k = o.k;
    this.w10m = o.w10m.copy();
    this.w1h = o.w1h.copy();
    this.w24h = o.w24h.copy();
    this.queries = o.queries;
    this.firstEventMillis = o.firstEventMillis;
    this.newestEventMillis = o.newestEventMillis;
    this.lastVerifiedAtMillis = o.lastVerifiedAtMillis;
    this.preVerification = o.preVerification;
    this.postVerification = o.postVerification;
    this.statedShares = o.statedShares == null ? null : o.statedShares.clone();
    this.generationFill = o.generationFill;
    this.previousGenerationSize = o.previousGenerationSize;
    this.cellsCurrent = o.cellsCurrent.copy();
    this.cellsPrevious = o.cellsPrevious.copy();
    this.templatesCurrent = o.templatesCurrent.copy();
    this.templatesPrevious = o.templatesPrevious.copy();
    this.bloomCurrent = o.bloomCurrent.clone();
    this.bloomPrevious = o.bloomPrevious.clone();
    this.bitOnes = o.bitOnes.clone();
    this.bitTotal = o.bitTotal;
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
        .varint(postVerification);
    out.varint(statedShares == null ? 0 : 1);
    if (statedShares != null) {
      for (float s : statedShares) {
        out.f32(s);
      }
    }
    out.varint(generationFill).varint(previousGenerationSize);
    out.raw(cellsCurrent.registers()).raw(cellsPrevious.registers());
    out.raw(templatesCurrent.registers()).raw(templatesPrevious.registers());
    writeBloom(out, bloomCurrent);
    writeBloom(out, bloomPrevious);
    out.f32(bitTotal);
    for (float f : bitOnes) {
      out.f32(f);
    }
    w10m.write(out);
    w1h.write(out);
    w24h.write(out);
  }

  private static void writeBloom(StateIO.Out out, long[] bloom) {
    // Sparse when mostly empty (a small account), dense otherwise.
    int nonZero = 0;
    for (long w : bloom) {
      if (w != 0) {
        nonZero++;
      }
    }
    if (nonZero * 2 < bloom.length) {
      out.varint(nonZero);
      for (int i = 0; i < bloom.length; i++) {
        if (bloom[i] != 0) {
          out.varint(i).signed(bloom[i]);
        }
      }
    } else {
      out.varint(bloom.length + 1L);
      for (long w : bloom) {
        out.signed(w);
      }
    }
  }

  private static long[] readBloom(StateIO.In in) {
    long[] bloom = new long[BLOOM_WORDS];
    int n = in.varintInt();
    if (n == BLOOM_WORDS + 1) {
      for (int i = 0; i < BLOOM_WORDS; i++) {
        bloom[i] = in.signed();
      }
    } else {
      for (int j = 0; j < n; j++) {
        int i = in.varintInt();
        if (i >= BLOOM_WORDS) {
          throw new IllegalArgumentException("bloom word out of range: " + i);
        }
        bloom[i] = in.signed();
      }
    }
    return bloom;
  }

  /** Reads a state written by {@link #writeTo}. */
  public static AccountSignals readFrom(StateIO.In in) {
    int format = in.varintInt();
    if (format != FORMAT) {
      throw new IllegalArgumentException("unsupported signals format " + format);
    }
    int k = in.varintInt();
    String[] names = new String[k];
    for (int i = 0; i < k; i++) {
      names[i] = in.string();
    }
    AccountSignals s = new AccountSignals(List.of(names));
    s.queries = in.varint();
    s.firstEventMillis = in.signed();
    s.newestEventMillis = in.signed();
    s.lastVerifiedAtMillis = in.signed();
    s.preVerification = in.varint();
    s.postVerification = in.varint();
    if (in.varint() == 1) {
      s.statedShares = new float[k];
      for (int i = 0; i < k; i++) {
        s.statedShares[i] = in.f32();
      }
    }
    s.generationFill = in.varintInt();
    s.previousGenerationSize = in.varint();
    int m = 1 << HLL_P;
    s.cellsCurrent = HyperLogLog.of(HLL_P, in.raw(m));
    s.cellsPrevious = HyperLogLog.of(HLL_P, in.raw(m));
    s.templatesCurrent = HyperLogLog.of(HLL_P, in.raw(m));
    s.templatesPrevious = HyperLogLog.of(HLL_P, in.raw(m));
    s.bloomCurrent = readBloom(in);
    s.bloomPrevious = readBloom(in);
    s.bitTotal = in.f32();
    for (int i = 0; i < 64; i++) {
      s.bitOnes[i] = in.f32();
    }
    s.w10m.read(in);
    s.w1h.read(in);
    s.w24h.read(in);
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
