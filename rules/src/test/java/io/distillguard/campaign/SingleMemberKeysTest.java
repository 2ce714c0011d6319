package io.distillguard.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SingleMemberKeysTest {

  private static final long TTL = 3_600_000L;

  @Test
  void aSecondAccountTakesTheFirstOneOutWithWhenItWasSeen() {
    SingleMemberKeys keys = new SingleMemberKeys(16);
    assertThat(keys.see(7L, "a", 1_000, TTL)).isNull();
    assertThat(keys.see(7L, "a", 5_000, TTL)).isNull();
    assertThat(keys.see(7L, "a", 2_000, TTL)).isNull(); // late: the last sighting stays 5,000

    assertThat(keys.see(7L, "b", 9_000, TTL))
        .isEqualTo(new SingleMemberKeys.Sighting("a", 1_000, 5_000));
    assertThat(keys.holds(7L)).isFalse();
    assertThat(keys.size()).isZero();
  }

  @Test
  void anAccountBeyondTheTtlIsNoMemberAnyMore() {
    SingleMemberKeys keys = new SingleMemberKeys(16);
    keys.see(7L, "a", 0, TTL);

    assertThat(keys.see(7L, "b", TTL + 1, TTL)).isNull();
    assertThat(keys.see(7L, "c", TTL + 2, TTL))
        .isEqualTo(new SingleMemberKeys.Sighting("b", TTL + 1, TTL + 1));
  }

  @Test
  void aSweepForgetsExpiredEntries() {
    SingleMemberKeys keys = new SingleMemberKeys(16);
    keys.see(1L, "a", 0, TTL);
    keys.see(2L, "b", 10, TTL);

    keys.expire(5);

    assertThat(keys.holds(1L)).isFalse();
    assertThat(keys.holds(2L)).isTrue();
    assertThat(keys.size()).isOne();
  }

  @Test
  void atCapacityTheEntryRecordedLongestAgoMakesRoom() {
    SingleMemberKeys keys = new SingleMemberKeys(3);
    keys.see(1L, "a", 0, TTL);
    keys.see(2L, "a", 1, TTL);
    keys.see(3L, "a", 2, TTL);
    keys.see(1L, "a", 3, TTL); // seen again, still recorded first

    keys.see(4L, "a", 4, TTL);

    assertThat(keys.holds(1L)).isFalse();
    assertThat(keys.holds(2L)).isTrue();
    assertThat(keys.size()).isEqualTo(3);
    // The evicted key starts again with the next account on it.
    assertThat(keys.see(1L, "b", 5, TTL)).isNull();
  }

  @Test
  void memoryStopsGrowingAtCapacity() {
    SingleMemberKeys keys = new SingleMemberKeys(10_000);
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 10_000; i++) {
      keys.see(random.nextLong(), "a", i, TTL);
    }
    long full = keys.approxBytes();
    for (int i = 0; i < 100_000; i++) {
      keys.see(random.nextLong(), "a", 10_000 + i, TTL);
    }
    assertThat(keys.size()).isEqualTo(10_000);
    assertThat(keys.approxBytes()).isEqualTo(full).isLessThanOrEqualTo(10_000L * 44 + 64);
  }

  @Test
  void behavesAsAnInsertionOrderedTableOfBoundedSize() {
    for (int capacity : new int[] {1, 7, 64, 1500}) {
      SplittableRandom random = new SplittableRandom(capacity);
      SingleMemberKeys keys = new SingleMemberKeys(capacity);
      Reference reference = new Reference(capacity);
      long now = 0;
      for (int i = 0; i < 60_000; i++) {
        now += random.nextInt(4) == 0 ? random.nextInt(200_000) : random.nextInt(100);
        // Few enough key values that keys are met again, shared and expired.
        long key = random.nextInt(capacity * 3 + 5) * 0x9E3779B97F4A7C15L;
        String account = "acct-" + random.nextInt(4);
        if (random.nextInt(500) == 0) {
          keys.expire(now - TTL);
          reference.expire(now - TTL);
        }
        assertThat(keys.see(key, account, now, TTL))
            .as("capacity %d, step %d", capacity, i)
            .isEqualTo(reference.see(key, account, now));
        assertThat(keys.size()).isEqualTo(reference.entries.size());
      }
      for (long key : reference.entries.keySet()) {
        assertThat(keys.holds(key)).isTrue();
      }
    }
  }

  @Test
  void refusesAnEmptyTable() {
    assertThatThrownBy(() -> new SingleMemberKeys(0)).isInstanceOf(IllegalArgumentException.class);
  }

  /** The same rules, plainly: entries numbered as recorded, the one `capacity` back evicted. */
  private static final class Reference {
    private record Entry(String account, long first, long last, long number) {}

    final Map<Long, Entry> entries = new HashMap<>();
    final int capacity;
    long recorded;

    Reference(int capacity) {
      this.capacity = capacity;
    }

    SingleMemberKeys.Sighting see(long key, String account, long at) {
      Entry e = entries.get(key);
      if (e != null) {
        if (e.last() < at - TTL) {
          entries.remove(key);
        } else if (e.account().equals(account)) {
          entries.put(key, new Entry(account, e.first(), Math.max(e.last(), at), e.number()));
          return null;
        } else {
          entries.remove(key);
          return new SingleMemberKeys.Sighting(e.account(), e.first(), e.last());
        }
      }
      long number = recorded++;
      entries.values().removeIf(x -> x.number() == number - capacity);
      entries.put(key, new Entry(account, at, at, number));
      return null;
    }

    void expire(long cutoff) {
      entries.values().removeIf(e -> e.last() < cutoff);
    }
  }
}
