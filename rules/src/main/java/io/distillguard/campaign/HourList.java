package io.distillguard.campaign;

import java.util.AbstractList;
import java.util.Collection;
import java.util.List;
import java.util.RandomAccess;

/**
 * An immutable list of epoch hours held as one {@code long[]}: a member's 256 active hours in 2
 * KiB, where a list of boxed numbers takes ~5 KiB and a sorted set ~14 KiB, in every summary a
 * campaign entity or the grouping holds. Equal to any list of the same hours ({@link
 * AbstractList#equals}).
 */
final class HourList extends AbstractList<Long> implements RandomAccess {

  private static final HourList EMPTY = new HourList(new long[0]);

  private final long[] hours;

  private HourList(long[] hours) {
    this.hours = hours;
  }

  /** {@code hours} as an hour list (the same object when it is one). */
  static List<Long> copyOf(Collection<Long> hours) {
    if (hours instanceof HourList h) {
      return h;
    }
    if (hours.isEmpty()) {
      return EMPTY;
    }
    long[] out = new long[hours.size()];
    int i = 0;
    for (Long h : hours) {
      out[i++] = h; // unboxing: a null hour fails here, as List.copyOf would
    }
    return new HourList(out);
  }

  /** An hour list that takes {@code hours} as it is (the caller gives it up). */
  static HourList wrap(long[] hours) {
    return hours.length == 0 ? EMPTY : new HourList(hours);
  }

  /** The hours of {@code list} as an array: the list's own for an hour list (read only). */
  static long[] hours(List<Long> list) {
    if (list instanceof HourList h) {
      return h.hours;
    }
    long[] out = new long[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i);
    }
    return out;
  }

  @Override
  public Long get(int index) {
    return hours[index];
  }

  @Override
  public int size() {
    return hours.length;
  }
}
