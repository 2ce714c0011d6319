package io.distillguard.detect;

import io.distillguard.signals.StateIO;

/**
 * The last {@link #CAPACITY} event ids of an account, as 64-bit hashes in a ring. Membership is
 * exact for that many most recent distinct ids (up to a 2^-64-scale hash collision); an id replayed
 * after more than {@code CAPACITY} newer events has been evicted and would count again. That bound
 * covers a replay from the last checkpoint of a pipeline at ordinary per-account rates; the state
 * stays at 4 KB.
 */
final class RecentIds {
  static final int CAPACITY = 512;

  private final long[] ring = new long[CAPACITY];
  private int size;
  private int next;

  /** True when the id is among the recent ones; otherwise remembers it and returns false. */
  boolean seenOrAdd(long idHash) {
    // A linear scan of 512 longs is a few hundred nanoseconds and needs no second structure.
    for (int i = 0; i < size; i++) {
      if (ring[i] == idHash) {
        return true;
      }
    }
    ring[next] = idHash;
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
    System.arraycopy(ring, 0, c.ring, 0, CAPACITY);
    c.size = size;
    c.next = next;
    return c;
  }

  void write(StateIO.Out out) {
    out.varint(size);
    int oldest = size < CAPACITY ? 0 : next;
    for (int i = 0; i < size; i++) {
      out.i64(ring[(oldest + i) % CAPACITY]);
    }
  }

  static RecentIds read(StateIO.In in) {
    RecentIds r = new RecentIds();
    int size = in.varintInt();
    if (size > CAPACITY) {
      throw new IllegalArgumentException("too many recent ids: " + size);
    }
    for (int i = 0; i < size; i++) {
      r.ring[i] = in.i64();
    }
    r.size = size;
    r.next = size % CAPACITY;
    return r;
  }
}
