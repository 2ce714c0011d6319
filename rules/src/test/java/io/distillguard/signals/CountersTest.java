package io.distillguard.signals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Counters read back exactly what an int array would hold, narrow or widened. */
class CountersTest {

  @Test
  void matchesAnIntArrayThroughAddsSetsClearsAndOverflow() {
    Random r = new Random(7);
    int rows = 6;
    int stride = 5;
    Counters c = new Counters(rows, stride, 3);
    int[] expected = new int[rows * stride];
    for (int step = 0; step < 50_000; step++) {
      int row = r.nextInt(rows);
      int field = r.nextInt(stride);
      int op = r.nextInt(1000);
      if (op < 900) {
        int delta = 1 + r.nextInt(op < 899 ? 3 : 70_000);
        c.add(row, field, delta);
        expected[row * stride + field] += delta;
      } else if (op < 990) {
        int bits = 1 << r.nextInt(32);
        c.set(row, field, c.get(row, field) | bits);
        expected[row * stride + field] |= bits;
      } else {
        c.clearRow(row);
        java.util.Arrays.fill(expected, row * stride, (row + 1) * stride, 0);
      }
      if (step % 97 == 0) {
        for (int i = 0; i < expected.length; i++) {
          assertThat(c.get(i / stride, i % stride)).isEqualTo(expected[i]);
        }
      }
    }
    assertThat(c.widened()).isTrue();
  }

  @Test
  void staysNarrowUpTo65535AndWidensPastIt() {
    Counters c = new Counters(2, 3, 2);
    c.add(0, 0, 65_535);
    c.add(1, 1, 7);
    c.set(0, 2, Integer.MIN_VALUE); // a wide field: any int, still narrow elsewhere
    assertThat(c.widened()).isFalse();
    assertThat(c.get(0, 0)).isEqualTo(65_535);
    assertThat(c.get(0, 2)).isEqualTo(Integer.MIN_VALUE);

    c.add(0, 0, 1);
    assertThat(c.widened()).isTrue();
    assertThat(c.get(0, 0)).isEqualTo(65_536);
    assertThat(c.get(1, 1)).isEqualTo(7);
    assertThat(c.get(0, 2)).isEqualTo(Integer.MIN_VALUE);

    Counters negative = new Counters(1, 2);
    negative.set(0, 1, -1);
    assertThat(negative.widened()).isTrue();
    assertThat(negative.get(0, 1)).isEqualTo(-1);
  }

  @Test
  void copiesAreIndependentAndCopyFromCrossesWidths() {
    Counters narrow = new Counters(2, 2);
    narrow.add(1, 1, 5);
    Counters wide = new Counters(2, 2);
    wide.add(0, 0, 100_000);

    Counters copy = wide.copy();
    copy.add(0, 0, 1);
    assertThat(wide.get(0, 0)).isEqualTo(100_000);

    // Widened target, narrow source: the target keeps 32 bits and takes the values.
    copy.copyFrom(narrow);
    assertThat(copy.get(0, 0)).isZero();
    assertThat(copy.get(1, 1)).isEqualTo(5);
    // Narrow target, widened source.
    Counters target = new Counters(2, 2);
    target.copyFrom(wide);
    assertThat(target.get(0, 0)).isEqualTo(100_000);
    target.add(0, 0, 1);
    assertThat(wide.get(0, 0)).isEqualTo(100_000);

    assertThatThrownBy(() -> target.copyFrom(new Counters(2, 3)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
