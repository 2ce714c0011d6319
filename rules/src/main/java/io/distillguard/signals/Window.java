package io.distillguard.signals;

import java.util.Arrays;

/**
 * A fixed-size ring of event-time buckets, each holding {@code stride} int counters ({@link
 * Counters}: 16 bits wide until one outgrows that, except the fields named wide) and {@code
 * dstride} double sums. The window ends at the newest bucket any event fell into; an event older
 * than the window (after the ring has moved on) is ignored by this window. Out-of-order events
 * inside the window land in their own bucket.
 */
final class Window {
  final int buckets;
  final long widthMillis;
  final int stride;
  final int dstride;
  // Each bucket's epoch (event time / width) as an offset from origin, the first epoch the window
  // saw: 4 bytes a bucket instead of 8. NO_EPOCH: empty, or an epoch more than 2^31 buckets away
  // from origin (4,000 years of minutes), whose counts the window does not keep.
  private static final int NO_EPOCH = Integer.MIN_VALUE;
  private final int[] epochs;
  private long origin = Long.MIN_VALUE;
  final Counters counts;
  final double[] doubles;
  long newestEpoch = Long.MIN_VALUE;
  // The live sums of the int fields, kept up to date by add() until the set of live buckets
  // changes (null: not known). Integer sums, so the order they are added in does not matter.
  private long[] liveTotals;

  Window(int buckets, long widthMillis, int stride, int dstride, int... wideFields) {
    this.buckets = buckets;
    this.widthMillis = widthMillis;
    this.stride = stride;
    this.dstride = dstride;
    this.epochs = new int[buckets];
    Arrays.fill(epochs, NO_EPOCH);
    this.counts = new Counters(buckets, stride, wideFields);
    this.doubles = new double[buckets * dstride];
  }

  private Window(Window o) {
    this.buckets = o.buckets;
    this.widthMillis = o.widthMillis;
    this.stride = o.stride;
    this.dstride = o.dstride;
    this.epochs = o.epochs.clone();
    this.origin = o.origin;
    this.counts = o.counts.copy();
    this.doubles = o.doubles.clone();
    this.newestEpoch = o.newestEpoch;
  }

  Window copy() {
    return new Window(this);
  }

  /** Makes this window (of the same shape) equal to {@code o}. */
  void copyFrom(Window o) {
    if (o.buckets != buckets || o.stride != stride || o.dstride != dstride) {
      throw new IllegalArgumentException("windows of different shapes");
    }
    System.arraycopy(o.epochs, 0, epochs, 0, buckets);
    origin = o.origin;
    counts.copyFrom(o.counts);
    System.arraycopy(o.doubles, 0, doubles, 0, doubles.length);
    newestEpoch = o.newestEpoch;
    liveTotals = null;
  }

  /** The slot for an event at {@code t} (clearing a reused slot), or -1 when t is too old. */
  int slotFor(long t) {
    long e = Math.floorDiv(t, widthMillis);
    if (newestEpoch != Long.MIN_VALUE && e <= newestEpoch - buckets) {
      return -1;
    }
    if (e > newestEpoch) {
      newestEpoch = e;
      liveTotals = null;
    }
    int s = (int) Math.floorMod(e, (long) buckets);
    if (epoch(s) != e) {
      setEpoch(s, e);
      liveTotals = null;
      counts.clearRow(s);
      Arrays.fill(doubles, s * dstride, (s + 1) * dstride, 0.0);
    }
    return s;
  }

  /** Advances the window end to {@code t} without adding anything. */
  void advanceTo(long t) {
    long e = Math.floorDiv(t, widthMillis);
    if (e > newestEpoch) {
      newestEpoch = e;
      liveTotals = null;
    }
  }

  /**
   * Moves the window end back to {@code t}: buckets after it stop counting (until event time really
   * reaches them); the buckets before it count again unless a newer one reused their slot.
   */
  void rewindTo(long t) {
    long e = Math.floorDiv(t, widthMillis);
    if (e < newestEpoch) {
      newestEpoch = e;
      liveTotals = null;
    }
  }

  /** The epoch of slot s (event time / width), or {@code Long.MIN_VALUE} when it has none. */
  long epoch(int s) {
    int offset = epochs[s];
    return offset == NO_EPOCH ? Long.MIN_VALUE : origin + offset;
  }

  /** Sets the epoch of slot s ({@code Long.MIN_VALUE}: none). */
  void setEpoch(int s, long e) {
    if (e == Long.MIN_VALUE) {
      epochs[s] = NO_EPOCH;
      return;
    }
    if (origin == Long.MIN_VALUE) {
      origin = e;
    }
    long offset = e - origin;
    boolean overflow = ((e ^ origin) & (e ^ offset)) < 0;
    epochs[s] =
        !overflow && offset > NO_EPOCH && offset <= Integer.MAX_VALUE ? (int) offset : NO_EPOCH;
  }

  boolean live(int s) {
    long e = epoch(s);
    return e != Long.MIN_VALUE && e > newestEpoch - buckets && e <= newestEpoch;
  }

  void add(int slot, int field, int delta) {
    counts.add(slot, field, delta);
    if (liveTotals != null && live(slot)) {
      liveTotals[field] += delta;
    }
  }

  /** Sets {@code bits} in an int field used as a bit mask. */
  void or(int slot, int field, int bits) {
    counts.set(slot, field, counts.get(slot, field) | bits);
    liveTotals = null;
  }

  /** True when slot s is live and among the newest {@code span} buckets. */
  boolean within(int s, int span) {
    return live(s) && epoch(s) > newestEpoch - span;
  }

  void addD(int slot, int field, double delta) {
    doubles[slot * dstride + field] += delta;
  }

  int get(int slot, int field) {
    return counts.get(slot, field);
  }

  long sum(int field) {
    long total = 0;
    for (int s = 0; s < buckets; s++) {
      if (live(s)) {
        total += counts.get(s, field);
      }
    }
    return total;
  }

  double sumD(int field) {
    double total = 0;
    for (int s = 0; s < buckets; s++) {
      if (live(s)) {
        total += doubles[s * dstride + field];
      }
    }
    return total;
  }

  /** The live sums of every int field (a copy the caller may keep). */
  long[] totals() {
    if (liveTotals == null) {
      long[] out = new long[stride];
      for (int s = 0; s < buckets; s++) {
        if (live(s)) {
          for (int i = 0; i < stride; i++) {
            out[i] += counts.get(s, i);
          }
        }
      }
      liveTotals = out;
    }
    return liveTotals.clone();
  }

  /** The live sums of every double field, in one pass. */
  double[] totalsD() {
    double[] out = new double[dstride];
    for (int s = 0; s < buckets; s++) {
      if (live(s)) {
        int base = s * dstride;
        for (int i = 0; i < dstride; i++) {
          out[i] += doubles[base + i];
        }
      }
    }
    return out;
  }

  /** Adds the live sums of fields {@code from .. from+out.length-1} into {@code out}. */
  void sumInto(int from, long[] out) {
    for (int s = 0; s < buckets; s++) {
      if (live(s)) {
        for (int i = 0; i < out.length; i++) {
          out[i] += counts.get(s, from + i);
        }
      }
    }
  }

  void write(StateIO.Out out) {
    out.signed(newestEpoch == Long.MIN_VALUE ? 0 : newestEpoch)
        .varint(newestEpoch == Long.MIN_VALUE ? 0 : 1);
    int liveCount = 0;
    for (int s = 0; s < buckets; s++) {
      if (live(s)) {
        liveCount++;
      }
    }
    out.varint(liveCount);
    for (int s = 0; s < buckets; s++) {
      if (!live(s)) {
        continue;
      }
      out.varint(newestEpoch - epoch(s));
      for (int i = 0; i < stride; i++) {
        out.signed(counts.get(s, i));
      }
      for (int i = 0; i < dstride; i++) {
        out.f64(doubles[s * dstride + i]);
      }
    }
  }

  void read(StateIO.In in) {
    read(in, stride);
  }

  /**
   * Reads a window written with {@code storedStride} int fields per bucket (at most this window's
   * stride; the fields it lacks start at zero).
   */
  void read(StateIO.In in, int storedStride) {
    if (storedStride > stride) {
      throw new IllegalArgumentException("stored stride " + storedStride + " > " + stride);
    }
    liveTotals = null;
    long newest = in.signed();
    boolean set = in.varint() == 1;
    newestEpoch = set ? newest : Long.MIN_VALUE;
    int liveCount = in.varintInt();
    if (liveCount > buckets) {
      throw new IllegalArgumentException("window has more buckets than " + buckets);
    }
    for (int n = 0; n < liveCount; n++) {
      long e = newestEpoch - in.varint();
      int s = (int) Math.floorMod(e, (long) buckets);
      setEpoch(s, e);
      for (int i = 0; i < storedStride; i++) {
        counts.set(s, i, (int) in.signed());
      }
      for (int i = 0; i < dstride; i++) {
        doubles[s * dstride + i] = in.f64();
      }
    }
  }
}
