package io.distillguard.actors.account;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * The event ids an account has counted within a horizon of event time, exactly: an observation
 * replayed from any Kafka offset (or any file) is either remembered here by its id, or older than
 * the horizon behind the account's newest event and refused by time, so it is never counted twice.
 *
 * <p>Ids are kept as 64-bit hashes (a false "seen" needs two distinct ids with one hash: about
 * n²/2⁶⁵, 10⁻⁸ for a million ids) in one sorted array per minute of event time; a replayed event
 * carries its own event time, so a lookup is one binary search in one minute's array. Minutes that
 * fall behind the horizon are dropped. Memory is therefore bounded by the horizon: 8 bytes per
 * event the account sent in the last {@link #HORIZON} of event time (an account at 1 event/s holds
 * 29 KB; at 10/s, 288 KB), plus a 12 KB table of minutes.
 *
 * <p>Immutable and cheap to change: {@link #with} copies the table of minutes and the one minute it
 * adds to, and shares the rest, so an entity's states never see each other's changes (a snapshot
 * may be serialized while the entity carries on).
 */
public final class SeenEventIds {

  /** How far behind the account's newest event an event is still deduplicated by id. */
  public static final Duration HORIZON = Duration.ofHours(1);

  private static final long MINUTE = 60_000L;
  private static final int SLOTS = (int) (HORIZON.toMillis() / MINUTE);
  private static final int FORMAT = 1;

  /** One minute of event time: its ids' hashes, sorted. */
  private record Minute(long minute, long[] hashes) {}

  private static final SeenEventIds EMPTY = new SeenEventIds(new Minute[SLOTS], Long.MIN_VALUE, 0);

  private final Minute[] slots;
  private final long newestMinute;
  private final long size;

  private SeenEventIds(Minute[] slots, long newestMinute, long size) {
    this.slots = slots;
    this.newestMinute = newestMinute;
    this.size = size;
  }

  /** No ids yet. */
  public static SeenEventIds empty() {
    return EMPTY;
  }

  /** True when an event at {@code eventTimeMillis} is older than the horizon allows. */
  public boolean beyondHorizon(long eventTimeMillis) {
    return newestMinute != Long.MIN_VALUE
        && Math.floorDiv(eventTimeMillis, MINUTE) <= newestMinute - SLOTS;
  }

  /** True when this event id, at this event time, was counted. */
  public boolean contains(String eventId, long eventTimeMillis) {
    Minute m = slots[slot(Math.floorDiv(eventTimeMillis, MINUTE))];
    return m != null
        && m.minute() == Math.floorDiv(eventTimeMillis, MINUTE)
        && Arrays.binarySearch(m.hashes(), hash(eventId)) >= 0;
  }

  /**
   * These ids plus {@code eventId} at {@code eventTimeMillis} (unchanged when it is there or beyond
   * the horizon); minutes that fall behind the horizon are dropped.
   */
  public SeenEventIds with(String eventId, long eventTimeMillis) {
    if (beyondHorizon(eventTimeMillis) || contains(eventId, eventTimeMillis)) {
      return this;
    }
    long minute = Math.floorDiv(eventTimeMillis, MINUTE);
    long newest = Math.max(newestMinute, minute);
    Minute[] next = slots.clone();
    long n = size;
    int slot = slot(minute);
    Minute current = next[slot];
    if (current != null && current.minute() != minute) {
      // The slot held a minute that has now fallen behind the horizon.
      n -= current.hashes().length;
      current = null;
    }
    long h = hash(eventId);
    long[] hashes;
    if (current == null) {
      hashes = new long[] {h};
    } else {
      long[] old = current.hashes();
      int at = -Arrays.binarySearch(old, h) - 1;
      hashes = new long[old.length + 1];
      System.arraycopy(old, 0, hashes, 0, at);
      hashes[at] = h;
      System.arraycopy(old, at, hashes, at + 1, old.length - at);
    }
    next[slot] = new Minute(minute, hashes);
    return new SeenEventIds(next, newest, n + 1);
  }

  /** Ids held (those of the minutes within the horizon, and some not yet dropped). */
  public long size() {
    return size;
  }

  private static int slot(long minute) {
    return (int) Math.floorMod(minute, (long) SLOTS);
  }

  /** 64-bit FNV-1a of the id's UTF-8 bytes, mixed (the hash the detector's id ring uses too). */
  static long hash(String eventId) {
    long h = 0xcbf29ce484222325L;
    for (byte b : eventId.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return h;
  }

  /** Compact binary form (for the entity's snapshots). */
  public byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeLong(newestMinute);
      int count = 0;
      for (Minute m : slots) {
        count += m != null && m.minute() > newestMinute - SLOTS ? 1 : 0;
      }
      out.writeInt(count);
      for (Minute m : slots) {
        if (m != null && m.minute() > newestMinute - SLOTS) {
          out.writeLong(m.minute());
          out.writeInt(m.hashes().length);
          for (long h : m.hashes()) {
            out.writeLong(h);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Reads {@link #toBytes()}; null or empty bytes give {@link #empty()}. */
  public static SeenEventIds fromBytes(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      return EMPTY;
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      int format = in.readByte();
      if (format != FORMAT) {
        throw new IllegalArgumentException("unsupported seen-ids format " + format);
      }
      long newest = in.readLong();
      int count = in.readInt();
      Minute[] slots = new Minute[SLOTS];
      long size = 0;
      for (int i = 0; i < count; i++) {
        long minute = in.readLong();
        long[] hashes = new long[in.readInt()];
        for (int j = 0; j < hashes.length; j++) {
          hashes[j] = in.readLong();
        }
        slots[slot(minute)] = new Minute(minute, hashes);
        size += hashes.length;
      }
      return new SeenEventIds(slots, newest, size);
    } catch (IOException e) {
      throw new IllegalArgumentException("corrupt seen-ids bytes", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SeenEventIds s && Arrays.equals(toBytes(), s.toBytes());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(toBytes());
  }

  @Override
  public String toString() {
    return "SeenEventIds[" + size + " ids, newest minute " + newestMinute + "]";
  }
}
