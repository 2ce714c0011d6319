package io.distillguard.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.signals.StateIO;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The ring of recent event-id hashes: exact on 48 bits, and it reads rings written whole. */
class RecentIdsTest {

  @Test
  void remembersTheLastCapacityIdsOnTheirLow48Bits() {
    Random r = new Random(3);
    long[] ids = new long[RecentIds.CAPACITY * 2];
    RecentIds recent = new RecentIds();
    for (int i = 0; i < ids.length; i++) {
      ids[i] = r.nextLong();
      assertThat(recent.seenOrAdd(ids[i])).isFalse();
    }
    for (int i = ids.length - RecentIds.CAPACITY; i < ids.length; i++) {
      assertThat(recent.seenOrAdd(ids[i])).as("id %d", i).isTrue();
      // The same low 48 bits with other top bits: the same id to the ring.
      assertThat(recent.seenOrAdd(ids[i] ^ (0xABCDL << 48))).isTrue();
    }
    // One bit apart anywhere in the low 48: a different id.
    long last = ids[ids.length - 1];
    for (int bit = 0; bit < 48; bit++) {
      RecentIds fresh = new RecentIds();
      fresh.seenOrAdd(last);
      assertThat(fresh.seenOrAdd(last ^ (1L << bit))).as("bit %d", bit).isFalse();
    }
  }

  @Test
  void readsARingOfWholeHashesAndWritesItBackStably() {
    Random r = new Random(5);
    long[] ids = new long[40];
    StateIO.Out whole = new StateIO.Out();
    whole.varint(ids.length);
    for (int i = 0; i < ids.length; i++) {
      ids[i] = r.nextLong() | (1L << 63); // top bits set, as earlier versions wrote them
      whole.i64(ids[i]);
    }
    RecentIds read = RecentIds.read(new StateIO.In(whole.toByteArray()));
    assertThat(read.size()).isEqualTo(ids.length);
    for (long id : ids) {
      assertThat(read.copy().seenOrAdd(id)).isTrue();
    }

    StateIO.Out once = new StateIO.Out();
    read.write(once);
    StateIO.Out twice = new StateIO.Out();
    RecentIds.read(new StateIO.In(once.toByteArray())).write(twice);
    assertThat(twice.toByteArray()).isEqualTo(once.toByteArray());
  }
}
