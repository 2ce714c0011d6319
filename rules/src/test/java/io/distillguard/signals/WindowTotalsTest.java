package io.distillguard.signals;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The live sums a window keeps up to date agree with a sum over its live buckets, whatever moves.
 */
class WindowTotalsTest {

  private static long[] bruteForce(Window w) {
    long[] out = new long[w.stride];
    for (int s = 0; s < w.buckets; s++) {
      if (w.live(s)) {
        for (int i = 0; i < w.stride; i++) {
          out[i] += w.get(s, i);
        }
      }
    }
    return out;
  }

  @Test
  void keptSumsMatchTheLiveBucketsThroughAdvancesRewindsLateEventsAndCopies() {
    Random r = new Random(42);
    Window w = new Window(12, 1000, 4, 1);
    long newest = 1_000_000;
    for (int step = 0; step < 20_000; step++) {
      int op = r.nextInt(100);
      if (op < 70) {
        // An event: mostly near the end, sometimes late, sometimes older than the window.
        long t = newest - (long) (r.nextDouble() * (op < 60 ? 3000 : 20_000));
        if (op < 40) {
          newest += r.nextInt(400);
          t = newest;
        }
        int s = w.slotFor(t);
        if (s >= 0) {
          w.add(s, r.nextInt(w.stride), 1 + r.nextInt(3));
        }
      } else if (op < 80) {
        newest += r.nextInt(5000);
        w.advanceTo(newest);
      } else if (op < 88) {
        newest -= r.nextInt(4000);
        w.rewindTo(newest);
      } else if (op < 93) {
        int s = w.slotFor(newest);
        w.or(s, 3, 1 << r.nextInt(8));
      } else if (op < 96) {
        Window copy = w.copy();
        assertThat(copy.totals()).containsExactly(bruteForce(w));
        w = copy;
      } else {
        Window other = new Window(12, 1000, 4, 1);
        other.copyFrom(w);
        w = other;
      }
      assertThat(w.totals()).as("step %d", step).containsExactly(bruteForce(w));
    }
  }

  @Test
  void totalsAreACopyTheCallerMayChange() {
    Window w = new Window(4, 1000, 2, 0);
    w.add(w.slotFor(5000), 0, 3);
    long[] first = w.totals();
    first[0] = 99;
    assertThat(w.totals()).containsExactly(3, 0);
  }
}
