package io.distillguard.signals;

import java.util.BitSet;

/**
 * The event-time windows of one account and the clock they share: 10 min in 1-minute buckets, 1 h
 * in 5-minute buckets, 24 h in 30-minute buckets (and the off-stated-use category histogram in
 * 1-hour buckets), 7 and 30 days in daily buckets ({@link LongHorizon}), all ending at the newest
 * event time seen. Also the rate and timing signals read straight off those buckets. Mutable, not
 * thread-safe; owned by {@link AccountSignals}, which also serializes it ({@link
 * AccountSignalsFormat}).
 */
final class SignalWindows {

  static final long MINUTE = 60_000L;
  static final long HOUR = 3_600_000L;

  // 24 h ring fields (ints): count, profiled, off-stated-use, near-repeats, gaps, entropy samples,
  // first visits to novelty cells, then K+1 category counters (the last one for categories the
  // taxonomy does not know), then the off-use category-fit samples and their sum in thousandths
  // (last, so a state written before them reads with the shorter stride: see fitField).
  static final int F_COUNT = 0;
  static final int F_PROFILED = 1;
  static final int F_OFF = 2;
  static final int F_REPEAT = 3;
  static final int F_GAPS = 4;
  static final int F_ENTROPY_N = 5;
  static final int F_NEW_CELL = 6;
  static final int F_CATS = 7;
  // doubles: gap sum (s), gap square sum (s^2), response entropy sum
  static final int D_GAP = 0;
  static final int D_GAP2 = 1;
  static final int D_ENTROPY = 2;

  final Window w10m;
  final Window w1h;
  final Window w24h;
  final Window w24hOff;
  final LongHorizon days;

  long firstEventMillis = Long.MIN_VALUE;
  long newestEventMillis = Long.MIN_VALUE;
  long lateEvents;
  long futureDatedEvents;
  long endBeforeJump = Long.MIN_VALUE;

  /** Empty windows for {@code k} categories (plus one for unknown categories). */
  SignalWindows(int k, LongHorizon days) {
    this.w10m = new Window(10, MINUTE, 1, 0);
    this.w1h = new Window(12, 5 * MINUTE, 1 + k + 1, 0);
    // The fit sum in thousandths outgrows 16 bits within a busy half hour: wide from the start.
    this.w24h = new Window(48, 30 * MINUTE, F_CATS + k + 3, 3, fitField(k) + 1);
    this.w24hOff = new Window(24, HOUR, k + 1, 0);
    this.days = days;
  }

  /**
   * The 24 h ring's field holding the category-fit samples ({@code +1}: their similarity sum in
   * thousandths) for {@code k} categories; also the ring's stride before the fields existed.
   */
  static int fitField(int k) {
    return F_CATS + k + 1;
  }

  /** A deep copy. */
  SignalWindows copy(int k) {
    SignalWindows c = new SignalWindows(k, days.copy());
    c.w10m.copyFrom(w10m);
    c.w1h.copyFrom(w1h);
    c.w24h.copyFrom(w24h);
    c.w24hOff.copyFrom(w24hOff);
    c.firstEventMillis = firstEventMillis;
    c.newestEventMillis = newestEventMillis;
    c.lateEvents = lateEvents;
    c.futureDatedEvents = futureDatedEvents;
    c.endBeforeJump = endBeforeJump;
    return c;
  }

  /**
   * Moves the clock for an event at {@code eventMillis}: returns the time at which it enters the
   * windows ({@link #windowTime}), or {@code Long.MIN_VALUE} when it is too late for them.
   */
  long enter(long eventMillis, EventTimeSettings time) {
    long t = windowTime(eventMillis, time);
    if (t != Long.MIN_VALUE && (firstEventMillis == Long.MIN_VALUE || t < firstEventMillis)) {
      firstEventMillis = t;
    }
    return t;
  }

  /**
   * Moves the windows' end to {@code t} (from {@link #enter}) if it is newer. Returns the gap since
   * the previous newest event (capped at an hour), or null for the first event, an out-of-order one
   * or one left out of the windows.
   */
  Long advanceEndTo(long t) {
    if (t == Long.MIN_VALUE) {
      return null;
    }
    Long gapMillis = null;
    if (newestEventMillis != Long.MIN_VALUE && t >= newestEventMillis) {
      gapMillis = Math.min(t - newestEventMillis, HOUR);
    }
    if (t > newestEventMillis) {
      newestEventMillis = t;
    }
    return gapMillis;
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

  /**
   * Counts one prompt at window time {@code t} (from {@link #enter}) in every window it reaches.
   */
  void add(
      long t,
      int cat,
      boolean profiled,
      boolean off,
      boolean repeat,
      boolean newCell,
      Long gapMillis,
      Double entropy,
      int fitMillis) {
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
      if (fitMillis >= 0) {
        int fit = w24h.stride - 2;
        w24h.add(s24, fit, 1);
        w24h.add(s24, fit + 1, fitMillis);
      }
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
  }

  /** {@link Signals#ACCELERATION} from the last hour's and the last day's counts. */
  double acceleration(long n1h, long n24) {
    if (newestEventMillis == Long.MIN_VALUE) {
      return 1.0;
    }
    long historyBeforeLastHour = newestEventMillis - HOUR - firstEventMillis;
    if (historyBeforeLastHour < HOUR) {
      return 1.0; // no baseline yet: a new account's first hour is not an acceleration
    }
    double baselineHours = Math.min(23.0, historyBeforeLastHour / (double) HOUR);
    double baseline = Math.max(0, n24 - n1h) / baselineHours;
    return n1h / Math.max(baseline, AccountSignals.BASELINE_FLOOR_PER_HOUR);
  }

  /** {@link Signals#INTERARRIVAL_CV} from the 24 h gap count, sum and sum of squares. */
  static double interarrivalCv(long gaps, double gapSum, double gapSquares) {
    if (gaps < AccountSignals.MIN_GAPS) {
      return 1.0;
    }
    double mean = gapSum / gaps;
    if (mean <= 0) {
      return 0.0;
    }
    double var = Math.max(0.0, gapSquares / gaps - mean * mean);
    return Math.sqrt(var) / mean;
  }

  /** {@link Signals#ACTIVE_HOURS_24H}: hours of the last 24 with at least one prompt. */
  int activeHours() {
    BitSet hours = new BitSet(64);
    long newestHour = Math.floorDiv(w24h.newestEpoch, 2);
    for (int s = 0; s < w24h.buckets; s++) {
      if (w24h.live(s) && w24h.get(s, F_COUNT) > 0) {
        long hoursAgo = newestHour - Math.floorDiv(w24h.epoch(s), 2);
        if (hoursAgo >= 0 && hoursAgo < 24) {
          hours.set((int) hoursAgo);
        }
      }
    }
    return hours.cardinality();
  }
}
