package io.distillguard.signals;

/**
 * The account's last 30 days in 30 daily event-time buckets: queries, off-stated-use queries, first
 * visits to novelty cells (all and off-use), and bit masks of the categories seen (all and off-use,
 * and off-use categories seen at least twice that day). A few hundred bytes: no per-category
 * counters at this horizon, masks instead, so "distinct categories over 7 / 30 days" is a
 * population count of OR-ed masks, and "off-use categories with at least two prompts over 7 days"
 * combines the daily once- and twice-masks (a category seen twice in one day, or on two days).
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
  private static final int F_OFF_CATS_TWICE = 6;
  private static final int STRIDE = 7;

  /** The stride of format-2 states, written before the twice-mask existed. */
  static final int STRIDE_FORMAT_2 = 6;

  private final Window days;

  LongHorizon() {
    this(new Window(DAYS, DAY, STRIDE, 0, F_CATS, F_OFF_CATS, F_OFF_CATS_TWICE));
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
      if ((days.get(s, F_OFF_CATS) & bit) != 0) {
        days.or(s, F_OFF_CATS_TWICE, bit);
      }
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
    int offCatsTwice = 0;
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
      int dayOff = days.get(s, F_OFF_CATS);
      offCatsTwice |= days.get(s, F_OFF_CATS_TWICE) | (offCats & dayOff);
      offCats |= dayOff;
    }
    return new Totals(
        n,
        off,
        newCells,
        offNewCells,
        Integer.bitCount(cats),
        Integer.bitCount(offCats),
        Integer.bitCount(offCatsTwice),
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
      int offCategoriesTwice,
      int activeDays) {}

  LongHorizon copy() {
    return new LongHorizon(days.copy());
  }

  void write(StateIO.Out out) {
    days.write(out);
  }

  static LongHorizon read(StateIO.In in) {
    LongHorizon h = new LongHorizon();
    h.days.read(in, STRIDE);
    return h;
  }

  /** Reads a format-2 horizon (no twice-masks: they start empty, pairs across days still count). */
  static LongHorizon readFormat2(StateIO.In in) {
    LongHorizon h = new LongHorizon();
    h.days.read(in, STRIDE_FORMAT_2);
    return h;
  }
}
