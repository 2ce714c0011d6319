package io.distillguard.detect;

import io.distillguard.signals.StateIO;

/**
 * The last {@link #CAPACITY} event ids of an account, as 48-bit hashes in a ring (the low 32 bits
 * and the high 16 kept apart: 3 KB instead of the 4 KB of whole longs). Membership is exact for
 * that many most recent distinct ids up to a hash collision: a new id is taken for a recent one
 * with a probability of at most 512 / 2^48 (~2 in a trillion events). An id replayed after more
 * than {@code CAPACITY} newer events has been evicted and would count again. That bound covers a
 * replay from the last checkpoint of a pipeline at ordinary per-account rates.
 */
final class RecentIds {
  static final int CAPACITY = 512;
  static final long HASH_MASK = (1L << 48) - 1;

  private final int[] low = new int[CAPACITY];
  private final char[] high = new char[CAPACITY];
  private int size;
  private int next;

  /** True when the id is among the recent ones; otherwise remembers it and returns false. */
  boolean seenOrAdd(long idHash) {
    int lo = (int) idHash;
    char hi = (char) (idHash >>> 32);
    // A linear scan of 512 ints is a few hundred nanoseconds and needs no second structure.
    for (int i = 0; i < size; i++) {
      if (low[i] == lo && high[i] == hi) {
        return true;
      }
    }
    low[next] = lo;
    high[next] = hi;
    next = (next + 1) % CAPACITY;
    if (size < CAPACITY) {
      size++;
    }
    return false;
  }

  int size() {
    return size;
  }

  RecentIds copy() {
    RecentIds c = new RecentIds();
    System.arraycopy(low, 0, c.low, 0, CAPACITY);
    System.arraycopy(high, 0, c.high, 0, CAPACITY);
    c.size = size;
    c.next = next;
    return c;
  }

  void write(StateIO.Out out) {
    out.varint(size);
    int oldest = size < CAPACITY ? 0 : next;
    for (int i = 0; i < size; i++) {
      int at = (oldest + i) % CAPACITY;
      out.i64(((long) high[at] << 32) | (low[at] & 0xFFFF_FFFFL));
    }
  }

  /** Reads the ring; hashes written whole (64 bits, by earlier versions) keep their low 48 bits. */
  static RecentIds read(StateIO.In in) {
    RecentIds r = new RecentIds();
    int size = in.varintInt();
    if (size > CAPACITY) {
      throw new IllegalArgumentException("too many recent ids: " + size);
    }
    for (int i = 0; i < size; i++) {
      long hash = in.i64() & HASH_MASK;
      r.low[i] = (int) hash;
      r.high[i] = (char) (hash >>> 32);
    }
    r.size = size;
    r.next = size % CAPACITY;
    return r;
  }
}
