package io.distillguard.signals;

import java.util.Arrays;

/**
 * The int counters of a {@link Window}: {@code rows} rows of {@code stride} fields. Most fields
 * hold small counts (one half-hour's prompts in one category), so they are kept 16 bits wide until
 * one of them leaves {@code [0, 65535]}; then all of them become 32 bits wide, for good. Fields
 * named wide at construction (a sum of thousandths, a bit mask) are 32 bits from the start. Values
 * read back are the same either way: only the heap differs (half for the narrow fields).
 */
final class Counters {
  private static final int NARROW_MAX = 0xFFFF;

  private final int rows;
  private final int stride;
  // Field -> its column: >= 0 among the narrow fields, ~column among the wide ones.
  private final int[] column;
  private final int narrowStride;
  private final int wideStride;
  private char[] narrow;
  private int[] widened; // the narrow fields once one of them outgrew 16 bits; then narrow is null
  private final int[] wide;

  /** {@code rows x stride} zero counters; the fields in {@code wideFields} are always 32 bits. */
  Counters(int rows, int stride, int... wideFields) {
    this.rows = rows;
    this.stride = stride;
    this.column = new int[stride];
    boolean[] isWide = new boolean[stride];
    for (int f : wideFields) {
      isWide[f] = true;
    }
    int n = 0;
    int w = 0;
    for (int f = 0; f < stride; f++) {
      column[f] = isWide[f] ? ~w++ : n++;
    }
    this.narrowStride = n;
    this.wideStride = w;
    this.narrow = new char[rows * n];
    this.wide = new int[rows * w];
  }

  private Counters(Counters o) {
    this.rows = o.rows;
    this.stride = o.stride;
    this.column = o.column; // never written after construction
    this.narrowStride = o.narrowStride;
    this.wideStride = o.wideStride;
    this.narrow = o.narrow == null ? null : o.narrow.clone();
    this.widened = o.widened == null ? null : o.widened.clone();
    this.wide = o.wide.clone();
  }

  Counters copy() {
    return new Counters(this);
  }

  /** Makes these counters (of the same shape) equal to {@code o}. */
  void copyFrom(Counters o) {
    if (o.rows != rows || o.stride != stride || o.wideStride != wideStride) {
      throw new IllegalArgumentException("counters of different shapes");
    }
    if (o.widened != null) {
      widened = o.widened.clone();
      narrow = null;
    } else if (narrow != null) {
      System.arraycopy(o.narrow, 0, narrow, 0, narrow.length);
    } else {
      for (int i = 0; i < widened.length; i++) {
        widened[i] = o.narrow[i];
      }
    }
    System.arraycopy(o.wide, 0, wide, 0, wide.length);
  }

  int get(int row, int field) {
    int c = column[field];
    if (c < 0) {
      return wide[row * wideStride + ~c];
    }
    int i = row * narrowStride + c;
    return narrow != null ? narrow[i] : widened[i];
  }

  void set(int row, int field, int value) {
    int c = column[field];
    if (c < 0) {
      wide[row * wideStride + ~c] = value;
      return;
    }
    int i = row * narrowStride + c;
    if (narrow != null) {
      if (value >= 0 && value <= NARROW_MAX) {
        narrow[i] = (char) value;
        return;
      }
      widen();
    }
    widened[i] = value;
  }

  void add(int row, int field, int delta) {
    int c = column[field];
    if (c < 0) {
      wide[row * wideStride + ~c] += delta;
      return;
    }
    int i = row * narrowStride + c;
    if (narrow != null) {
      int value = narrow[i] + delta;
      if (value >= 0 && value <= NARROW_MAX) {
        narrow[i] = (char) value;
        return;
      }
      widen();
    }
    widened[i] += delta;
  }

  /** Sets every field of {@code row} to zero. */
  void clearRow(int row) {
    if (narrow != null) {
      Arrays.fill(narrow, row * narrowStride, (row + 1) * narrowStride, (char) 0);
    } else {
      Arrays.fill(widened, row * narrowStride, (row + 1) * narrowStride, 0);
    }
    Arrays.fill(wide, row * wideStride, (row + 1) * wideStride, 0);
  }

  /** True once the narrow fields are 32 bits wide. */
  boolean widened() {
    return narrow == null;
  }

  private void widen() {
    int[] w = new int[narrow.length];
    for (int i = 0; i < w.length; i++) {
      w[i] = narrow[i];
    }
    widened = w;
    narrow = null;
  }
}
