package io.distillguard.campaign;

import io.distillguard.signals.Hashing;
import java.util.Arrays;

/**
 * The link keys only one account has been seen on, in a table of bounded size: most keys are such
 * (each novel prompt's payload bands, a residential proxy's addresses), and a key needs a member
 * table of its own ({@link KeyMembers}) only once a second account arrives on it. Each entry is the
 * key's 64-bit hash, the account and when it was first and last seen on the key (36 to 44 bytes
 * with the index); the table grows as it fills, up to {@code capacity} entries, and then the entry
 * recorded longest ago makes room for the new one. So the memory of keys seen by one account is
 * bounded however much novel content arrives, and a key evicted before a second account reached it
 * is one that second account starts again.
 *
 * <p>Keys are identified by a 64-bit hash of their type and value: two keys are mistaken for one
 * with probability about n²/2⁶⁵ for n entries. Not thread-safe.
 */
final class SingleMemberKeys {

  private static final int FIRST_LENGTH = 1024;

  /** The other account found on a key, with when it was first and last seen there. */
  record Sighting(String accountId, long firstSeenMillis, long lastSeenMillis) {}

  private final int capacity;
  // A ring in the order entries were recorded; a null account is a free slot.
  private long[] hashes;
  private String[] accounts;
  private long[] firstSeen;
  private long[] lastSeen;
  private int next;
  private int size;
  // Open addressing with linear probing: slot + 1 of the entry, 0 for none.
  private int[] table;

  SingleMemberKeys(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive, got " + capacity);
    }
    this.capacity = capacity;
    int length = Math.min(capacity, FIRST_LENGTH);
    hashes = new long[length];
    accounts = new String[length];
    firstSeen = new long[length];
    lastSeen = new long[length];
    table = new int[tableLength(length)];
  }

  /** The 64-bit identity of a key: its type and value, mixed. */
  static long hash(LinkKey key) {
    return Hashing.mix64(
        Hashing.hash(key.value()) ^ (key.type().ordinal() + 1L) * 0x9E3779B97F4A7C15L);
  }

  /**
   * Records that {@code accountId} was seen on the key of {@code keyHash} at {@code atMillis}.
   *
   * @return null when the key had no other account within {@code ttlMillis} (the account is now its
   *     one member, or already was); else the other account, whose entry leaves this table (the key
   *     now has two members and needs a table of its own)
   */
  Sighting see(long keyHash, String accountId, long atMillis, long ttlMillis) {
    int slot = find(keyHash);
    if (slot >= 0) {
      if (lastSeen[slot] < atMillis - ttlMillis) {
        remove(slot); // expired: the key starts again with this account
      } else if (accounts[slot].equals(accountId)) {
        lastSeen[slot] = Math.max(lastSeen[slot], atMillis);
        return null;
      } else {
        Sighting other = new Sighting(accounts[slot], firstSeen[slot], lastSeen[slot]);
        remove(slot);
        return other;
      }
    }
    add(keyHash, accountId, atMillis);
    return null;
  }

  /** Whether the key of {@code keyHash} is held (its one account may have expired since). */
  boolean holds(long keyHash) {
    return find(keyHash) >= 0;
  }

  /** Forgets every entry last seen before {@code cutoffMillis}; O(entries), for a sweep. */
  void expire(long cutoffMillis) {
    for (int slot = 0; slot < accounts.length; slot++) {
      if (accounts[slot] != null && lastSeen[slot] < cutoffMillis) {
        remove(slot);
      }
    }
  }

  /** Entries held (some of which may have expired since the last {@link #expire}). */
  int size() {
    return size;
  }

  int capacity() {
    return capacity;
  }

  /** Heap bytes of the arrays as they are now (the account ids are the accounts' own). */
  long approxBytes() {
    return 64L + hashes.length * (8L + 4 + 8 + 8) + table.length * 4L;
  }

  private void add(long keyHash, String accountId, long atMillis) {
    if (next == hashes.length) {
      if (hashes.length < capacity) {
        grow(Math.min(capacity, hashes.length * 2));
      } else {
        next = 0;
      }
    }
    if (accounts[next] != null) {
      remove(next); // the entry recorded longest ago makes room
    }
    hashes[next] = keyHash;
    accounts[next] = accountId;
    firstSeen[next] = atMillis;
    lastSeen[next] = atMillis;
    insert(keyHash, next);
    size++;
    next++;
  }

  private void grow(int length) {
    hashes = Arrays.copyOf(hashes, length);
    accounts = Arrays.copyOf(accounts, length);
    firstSeen = Arrays.copyOf(firstSeen, length);
    lastSeen = Arrays.copyOf(lastSeen, length);
    if (tableLength(length) > table.length) {
      table = new int[tableLength(length)];
      for (int s = 0; s < next; s++) {
        if (accounts[s] != null) {
          insert(hashes[s], s);
        }
      }
    }
  }

  /** A power of two at least twice {@code entries}: probes stay short. */
  private static int tableLength(int entries) {
    return Integer.highestOneBit(Math.max(2, entries) - 1) << 2;
  }

  private int home(long keyHash) {
    return (int) (keyHash ^ (keyHash >>> 32)) & (table.length - 1);
  }

  private int find(long keyHash) {
    int mask = table.length - 1;
    for (int i = home(keyHash); table[i] != 0; i = (i + 1) & mask) {
      int slot = table[i] - 1;
      if (hashes[slot] == keyHash) {
        return slot;
      }
    }
    return -1;
  }

  private void insert(long keyHash, int slot) {
    int mask = table.length - 1;
    int i = home(keyHash);
    while (table[i] != 0) {
      i = (i + 1) & mask;
    }
    table[i] = slot + 1;
  }

  private void remove(int slot) {
    int mask = table.length - 1;
    int i = home(hashes[slot]);
    while (table[i] != slot + 1) {
      i = (i + 1) & mask;
    }
    // Backward-shift deletion: move up every later entry of the run that may not skip the hole.
    table[i] = 0;
    for (int j = (i + 1) & mask; table[j] != 0; j = (j + 1) & mask) {
      int h = home(hashes[table[j] - 1]);
      boolean stays = i <= j ? i < h && h <= j : i < h || h <= j;
      if (!stays) {
        table[i] = table[j];
        table[j] = 0;
        i = j;
      }
    }
    accounts[slot] = null;
    size--;
  }
}
