package io.distillguard.actors.account;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SeenEventIdsTest {

  private static final long T0 = 1_791_158_400_000L;

  @Test
  void remembersEveryIdWithinTheHorizonWhateverTheRate() {
    SeenEventIds seen = SeenEventIds.empty();
    // 20,000 events in 20 s: far more than any fixed ring of recent ids holds.
    for (int i = 0; i < 20_000; i++) {
      seen = seen.with("e-" + i, T0 + i);
    }
    assertThat(seen.size()).isEqualTo(20_000);
    for (int i = 0; i < 20_000; i++) {
      assertThat(seen.contains("e-" + i, T0 + i)).isTrue();
    }
    assertThat(seen.contains("e-20000", T0 + 5)).isFalse();
    assertThat(seen.with("e-7", T0 + 7)).isSameAs(seen);
  }

  @Test
  void refusesWhatIsOlderThanTheHorizonAndDropsOldMinutes() {
    long hour = SeenEventIds.HORIZON.toMillis();
    SeenEventIds seen = SeenEventIds.empty().with("old", T0);
    for (int minute = 1; minute <= 60 * 3; minute++) {
      seen = seen.with("m-" + minute, T0 + minute * 60_000L);
    }
    assertThat(seen.beyondHorizon(T0)).isTrue();
    assertThat(seen.beyondHorizon(T0 + 3 * hour - hour / 2)).isFalse();
    assertThat(seen.contains("old", T0)).isFalse();
    // Bounded by the horizon: about one hour of minutes, not three.
    assertThat(seen.size()).isLessThanOrEqualTo(61);
    assertThat(seen.contains("m-180", T0 + 180 * 60_000L)).isTrue();
  }

  @Test
  void survivesItsBinaryForm() {
    SeenEventIds seen = SeenEventIds.empty();
    for (int i = 0; i < 500; i++) {
      seen = seen.with("e-" + i, T0 + i * 1_000L);
    }
    SeenEventIds back = SeenEventIds.fromBytes(seen.toBytes());
    assertThat(back).isEqualTo(seen);
    assertThat(back.contains("e-499", T0 + 499_000L)).isTrue();
    assertThat(SeenEventIds.fromBytes(null)).isEqualTo(SeenEventIds.empty());
  }
}
