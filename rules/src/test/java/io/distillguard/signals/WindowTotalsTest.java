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
  void aBucketPast16BitsCountsOnAndWritesTheSameBytes() {
    Window narrow = new Window(4, 1000, 3, 1);
    Window widened = new Window(4, 1000, 3, 1);
    widened.add(widened.slotFor(1000), 1, 70_000); // widens the counters
    widened.add(widened.slotFor(1000), 1, -70_000);
    for (long t = 2000; t < 6000; t += 10) {
      for (Window w : new Window[] {narrow, widened}) {
        int s = w.slotFor(t);
        w.add(s, (int) (t / 10 % 3), 1 + (int) (t % 7));
        w.addD(s, 0, 0.5);
      }
    }
    assertThat(widened.counts.widened()).isTrue();
    assertThat(narrow.counts.widened()).isFalse();
    assertThat(write(widened)).isEqualTo(write(narrow));

    int s = narrow.slotFor(6000);
    narrow.add(s, 2, 65_000);
    narrow.add(s, 2, 1_000);
    assertThat(narrow.counts.widened()).isTrue();
    assertThat(narrow.get(s, 2)).isEqualTo(66_000);
    assertThat(narrow.totals()).containsExactly(bruteForce(narrow));
    Window read = new Window(4, 1000, 3, 1);
    read.read(new StateIO.In(write(narrow)));
    assertThat(read.get(s, 2)).isEqualTo(66_000);
    assertThat(write(read)).isEqualTo(write(narrow));
  }

  @Test
  void anEventThousandsOfYearsAwayMovesTheEndButKeepsNoCountsAndRewindingRestoresTheRest() {
    long minute = 60_000L;
    Window w = new Window(10, minute, 1, 0);
    long t0 = 1_790_000_000_000L;
    for (int i = 0; i < 5; i++) {
      w.add(w.slotFor(t0 + i * minute), 0, 1);
    }
    long farAway = t0 + 5_000L * 365 * 24 * 60 * minute; // beyond 2^31 minutes from the first
    int s = w.slotFor(farAway);
    w.add(s, 0, 1);
    assertThat(w.live(s)).isFalse();
    assertThat(w.sum(0)).isZero();

    w.rewindTo(t0 + 4 * minute);
    // The five buckets count again, but for the one whose slot the far event took (if any).
    long firstEpoch = Math.floorDiv(t0, minute);
    boolean tookOne = Math.floorMod(Math.floorDiv(farAway, minute) - firstEpoch, 10L) < 5;
    assertThat(w.sum(0)).isEqualTo(tookOne ? 4 : 5);
    assertThat(w.totals()).containsExactly(bruteForce(w));
    assertThat(w.slotFor(Long.MAX_VALUE)).isGreaterThanOrEqualTo(0);
    assertThat(w.sum(0)).isZero();
  }

  private static byte[] write(Window w) {
    StateIO.Out out = new StateIO.Out();
    w.write(out);
    return out.toByteArray();
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
