package io.distillguard.bench.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The schedule arithmetic on a given clock: nothing here waits. */
class PacerTest {

  private static final long START = 5_000_000_000L;

  @Test
  void eventsAreDueOneIntervalApartFromTheStart() {
    Pacer pacer = new Pacer(1_000, START);
    assertThat(pacer.dueAt(0)).isEqualTo(START);
    assertThat(pacer.dueAt(1)).isEqualTo(START + 1_000_000);
    assertThat(pacer.dueAt(1_000)).isEqualTo(START + 1_000_000_000L);
    assertThat(new Pacer(3, START).dueAt(1)).isEqualTo(START + 333_333_333L);
  }

  @Test
  void aProducerWaitsForAnEventNotYetDueAndNeverForOneItIsLateFor() {
    Pacer pacer = new Pacer(100, START);
    assertThat(pacer.waitBefore(0, START - 7)).isEqualTo(7);
    assertThat(pacer.waitBefore(3, START + 10_000_000)).isEqualTo(20_000_000);
    assertThat(pacer.waitBefore(3, START + 95_000_000)).isZero();
  }

  @Test
  void dueByCountsEveryEventWhoseTimeHasComeSoALateProducerCatchesUp() {
    Pacer pacer = new Pacer(1_000, START);
    assertThat(pacer.dueBy(START - 1)).isZero();
    assertThat(pacer.dueBy(START)).isEqualTo(1);
    assertThat(pacer.dueBy(START + 999_999)).isEqualTo(1);
    assertThat(pacer.dueBy(START + 1_000_000)).isEqualTo(2);
    // One second behind: the whole second's events are due at once.
    assertThat(pacer.dueBy(START + 1_000_000_000L)).isEqualTo(1_001);
    for (long i = 0; i < 5_000; i++) {
      assertThat(pacer.dueBy(pacer.dueAt(i))).isEqualTo(i + 1);
      assertThat(pacer.dueBy(pacer.dueAt(i) - 1)).isEqualTo(i);
    }
  }

  @Test
  void aRateMustBePositive() {
    assertThatThrownBy(() -> new Pacer(0, START)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Pacer(Double.NaN, START))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
