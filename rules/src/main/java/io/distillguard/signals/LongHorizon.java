package io.distillguard.signals;

/**
 * The account's last 30 days in 30 daily event-time buckets: queries, off-stated-use queries, first
 * visits to novelty cells (all and off-use), and bit masks of the categories seen (all and
 * off-use). A few hundred bytes: no per-category counters at this horizon, masks instead, so
 * "distinct categories over 7 / 30 days" is a population count of OR-ed masks.
 */
final class LongHorizon {
  static final long DAY = 24 * 3_600_000L;
  static final int DAYS = 30;
  static final int WEEK = 7;

  private static final int F_COUNT = 0;
  private static final int F_OFF = 1;
  private static final int F_NEW_CELL = 2;
  private static final int F_OFF_NEW_CELL = 3;
  private static final int F_CATS = 4;
  private static final int F_OFF_CATS = 5;
  private static final int STRIDE = 6;

  private final Window days;

  LongHorizon() {
    this(new Window(DAYS, DAY, STRIDE, 0));
  }

  private LongHorizon(Window days) {
    this.days = days;
  }

  /**
   * Counts one query at {@code t} (no-op when t is older than 30 days behind the newest); {@code
   * category} is the category index (K for unknown; at most 31).
   */
  void add(long t, int category, boolean off, boolean newCell) {
    int s = days.slotFor(t);
    if (s < 0) {
      return;
    }
    int bit = 1 << Math.min(category, 31);
    days.add(s, F_COUNT, 1);
    days.or(s, F_CATS, bit);
    if (newCell) {
      days.add(s, F_NEW_CELL, 1);
    }
    if (off) {
      days.add(s, F_OFF, 1);
      days.or(s, F_OFF_CATS, bit);
      if (newCell) {
        days.add(s, F_OFF_NEW_CELL, 1);
      }
    }
  }

  void advanceTo(long t) {
    days.advanceTo(t);
  }

  void rewindTo(long t) {
    days.rewindTo(t);
  }

  /** The horizon's sums over the newest {@code span} days. */
  Totals totals(int span) {
    long n = 0;
    long off = 0;
    long newCells = 0;
    long offNewCells = 0;
    int cats = 0;
    int offCats = 0;
    int activeDays = 0;
    for (int s = 0; s < days.buckets; s++) {
      if (!days.within(s, span)) {
        continue;
      }
      int c = days.get(s, F_COUNT);
      if (c > 0) {
        activeDays++;
      }
      n += c;
      off += days.get(s, F_OFF);
      newCells += days.get(s, F_NEW_CELL);
      offNewCells += days.get(s, F_OFF_NEW_CELL);
      cats |= days.get(s, F_CATS);
      offCats |= days.get(s, F_OFF_CATS);
    }
    return new Totals(
        n,
        off,
        newCells,
        offNewCells,
        Integer.bitCount(cats),
        Integer.bitCount(offCats),
        activeDays);
  }

  /** Sums over a span of days. */
  record Totals(
      long queries,
      long offQueries,
      long newCells,
      long offNewCells,
      int categories,
      int offCategories,
      int activeDays) {}

  LongHorizon copy() {
    return new LongHorizon(days.copy());
  }

  void write(StateIO.Out out) {
    days.write(out);
  }

  static LongHorizon read(StateIO.In in) {
    LongHorizon h = new LongHorizon();
    h.days.read(in);
    return h;
  }
}
