package io.distillguard.actors.console;

import io.distillguard.actors.account.AccountEntity;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Level;
import io.distillguard.policy.Reason;
import io.distillguard.signals.AccountSignals;
import io.distillguard.signals.CategoryStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an account's journal says, folded for a reviewer: traffic per capability category (all of
 * it, and the part far from the stated use), the distribution the stated use expects, hourly
 * volume, every level change with its reasons, every review (the audit trail) and the verification
 * time. Built from the journal's events in order ({@link #add}); pure, no I/O. Not thread-safe.
 */
public final class AccountHistory {

  /** One level change: when (event time), from and to, the reasons, the policy that decided. */
  public record LevelChange(
      long atMillis,
      Level from,
      Level to,
      String eventId,
      boolean escalation,
      List<Reason> reasons,
      Map<String, Double> signals,
      String policyVersion) {}

  /** One reviewer decision: wall-clock time, verdict, who, the note, the volume it was made on. */
  public record Review(
      long atMillis, Level verdict, String reviewer, String note, long queriesObserved) {}

  private static final long MINUTE = 60_000L;
  private static final long DAY = 86_400_000L;

  /** Bucket widths a volume series may use, narrowest first. */
  private static final long[] BUCKETS = {
    MINUTE, 5 * MINUTE, 15 * MINUTE, 60 * MINUTE, 360 * MINUTE, 1440 * MINUTE
  };

  private final List<String> categories;
  private final long[] observed;
  private final long[] offUse;
  private long otherCategories;
  private float[] expected;
  private Long verifiedAtMillis;
  private long firstEventMillis = Long.MAX_VALUE;
  private long lastEventMillis = Long.MIN_VALUE;
  private long observations;
  private final TreeMap<Long, Long> perMinute = new TreeMap<>();
  private final TreeMap<Long, long[]> perDay = new TreeMap<>();
  private final List<LevelChange> changes = new ArrayList<>();
  private final List<Review> reviews = new ArrayList<>();
  private boolean cleared;
  private boolean regressed;

  /** An empty history over the node's capability categories (the taxonomy's order). */
  public AccountHistory(List<String> categories) {
    this.categories = List.copyOf(categories);
    this.observed = new long[categories.size()];
    this.offUse = new long[categories.size()];
  }

  /** Folds one journal event in. */
  public void add(AccountEntity.Event event) {
    if (event instanceof AccountEntity.ObservationsRecorded chunk) {
      chunk.facts().forEach(this::add);
    } else if (event instanceof AccountEntity.ObservationRecorded e) {
      observe(e.observation());
    } else if (event instanceof AccountEntity.LevelChanged e) {
      regressed |= cleared && e.escalation();
      changes.add(
          new LevelChange(
              e.signals().eventTimeMillis(),
              e.from(),
              e.to(),
              e.eventId(),
              e.escalation(),
              e.decision().reasons(),
              e.signals().values(),
              e.policyVersion()));
    } else if (event instanceof AccountEntity.Reviewed e) {
      cleared = e.verdict() == io.distillguard.policy.Level.CLEARED;
      regressed = false;
      reviews.add(
          new Review(e.atMillis(), e.verdict(), e.reviewer(), e.note(), e.queriesObserved()));
    }
  }

  private void observe(AccountObservation o) {
    observations++;
    firstEventMillis = Math.min(firstEventMillis, o.eventTimeMillis());
    lastEventMillis = Math.max(lastEventMillis, o.eventTimeMillis());
    perMinute.merge(Math.floorDiv(o.eventTimeMillis(), MINUTE) * MINUTE, 1L, Long::sum);
    if (o.statedUseCategoryShares() != null
        && o.statedUseCategoryShares().length == categories.size()) {
      expected = o.statedUseCategoryShares();
    }
    if (o.verifiedAtMillis() != null) {
      verifiedAtMillis = o.verifiedAtMillis();
    }
    int i = categories.indexOf(o.category());
    if (i < 0) {
      otherCategories++;
      return;
    }
    observed[i]++;
    perDay
        .computeIfAbsent(
            Math.floorDiv(o.eventTimeMillis(), DAY) * DAY, d -> new long[categories.size()])[i]++;
    if (o.statedUseCategoryShares() != null
        && o.statedUseSimilarity() < AccountSignals.OFF_STATED_USE_SIMILARITY) {
      offUse[i]++;
    }
  }

  public List<String> categories() {
    return categories;
  }

  /** Observations per category, in {@link #categories()} order. */
  public long[] observed() {
    return observed.clone();
  }

  /** Observations per category that were far from the stated use. */
  public long[] offUse() {
    return offUse.clone();
  }

  /** Observations whose category this node's taxonomy does not know. */
  public long otherCategories() {
    return otherCategories;
  }

  /** The category shares the stated use expects (normalised), or null without a profile. */
  public double[] expectedShares() {
    if (expected == null) {
      return null;
    }
    double total = 0;
    for (float f : expected) {
      total += Math.max(0f, f);
    }
    double[] out = new double[expected.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = total <= 0 ? 0 : Math.max(0f, expected[i]) / total;
    }
    return out;
  }

  /**
   * Per category, whether the stated use makes it unlikely (the same test the detector's off-use
   * signals use); null without a profile.
   */
  public boolean[] unexpected() {
    return CategoryStats.unexpected(
        expected, categories.size(), AccountSignals.UNEXPECTED_BELOW_UNIFORM);
  }

  /** The category the stated use expects most, or null without a profile. */
  public String statedUseCategory() {
    double[] e = expectedShares();
    return e == null ? null : categories.get(argMax(e));
  }

  /** The category observed most, or null before any observation in a known category. */
  public String topObservedCategory() {
    double[] d = new double[observed.length];
    long sum = 0;
    for (int i = 0; i < d.length; i++) {
      d[i] = observed[i];
      sum += observed[i];
    }
    return sum == 0 ? null : categories.get(argMax(d));
  }

  private static int argMax(double[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  /** The latest {@code verified_at} of the account's profile, or null. */
  public Long verifiedAtMillis() {
    return verifiedAtMillis;
  }

  /** Observations folded in. */
  public long observations() {
    return observations;
  }

  /** Event time of the earliest observation, or null before any. */
  public Long firstEventMillis() {
    return observations == 0 ? null : firstEventMillis;
  }

  /** Event time of the latest observation, or null before any. */
  public Long lastEventMillis() {
    return observations == 0 ? null : lastEventMillis;
  }

  /**
   * The narrowest bucket width (1 min, 5 min, 15 min, 1 h, 6 h, 1 day) that spans the account's
   * traffic in at most {@code maxBuckets} buckets.
   */
  public long bucketMillis(int maxBuckets) {
    if (perMinute.isEmpty()) {
      return BUCKETS[0];
    }
    long span = perMinute.lastKey() - perMinute.firstKey() + MINUTE;
    for (long b : BUCKETS) {
      if (span / b <= maxBuckets) {
        return b;
      }
    }
    return BUCKETS[BUCKETS.length - 1];
  }

  /**
   * Observations per bucket of event time (bucket start to count, empty buckets included between
   * the first and the last), in order.
   */
  public Map<Long, Long> volume(long bucketMillis) {
    TreeMap<Long, Long> out = new TreeMap<>();
    perMinute.forEach(
        (minute, n) -> out.merge(Math.floorDiv(minute, bucketMillis) * bucketMillis, n, Long::sum));
    if (!out.isEmpty()) {
      for (long t = out.firstKey(); t < out.lastKey(); t += bucketMillis) {
        out.putIfAbsent(t, 0L);
      }
    }
    return out;
  }

  /**
   * Observations per category and day of event time (day start, UTC, to counts in {@link
   * #categories()} order), the latest {@code maxDays} days with traffic, in order.
   */
  public Map<Long, long[]> perDay(int maxDays) {
    TreeMap<Long, long[]> out = new TreeMap<>();
    for (Map.Entry<Long, long[]> e : perDay.descendingMap().entrySet()) {
      if (out.size() >= maxDays) {
        break;
      }
      out.put(e.getKey(), e.getValue().clone());
    }
    return out;
  }

  /** Every level change, in journal order. */
  public List<LevelChange> levelChanges() {
    return List.copyOf(changes);
  }

  /**
   * True when a reviewer cleared the account and the rules escalated it again since: a case that
   * came back deserves a second look at why it was cleared.
   */
  public boolean regressed() {
    return regressed;
  }

  /** Every review, in journal order: the audit trail. */
  public List<Review> reviews() {
    return List.copyOf(reviews);
  }
}
