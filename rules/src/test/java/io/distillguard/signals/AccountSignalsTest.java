package io.distillguard.signals;

import static io.distillguard.signals.Observations.T0;
import static io.distillguard.signals.Observations.obs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AccountSignalsTest {
  private static final int K = 20;
  private static final List<String> CATS = Observations.categories(K);
  private static final long SECOND = 1000L;
  private static final long MINUTE = 60_000L;
  private static final long HOUR = 3_600_000L;

  private static AccountSignals signals() {
    return AccountSignals.create(CATS);
  }

  @Test
  void snapshotCarriesEverySignal() {
    AccountSignals s = signals();
    assertThat(s.snapshot().values().keySet()).containsExactlyElementsOf(Signals.ALL);
    assertThat(s.snapshot().values().values()).noneMatch(v -> v.isNaN());
    s.record(obs("e1").build());
    assertThat(s.snapshot().values().keySet()).containsExactlyElementsOf(Signals.ALL);
    assertThat(s.snapshot().values().values()).noneMatch(v -> v.isNaN());
    assertThat(s.snapshot().queriesObserved()).isEqualTo(1);
    assertThat(s.snapshot().eventTimeMillis()).isEqualTo(T0);
  }

  @Test
  void uniformCategoriesGiveEntropyNearOneAndOneCategoryGivesZero() {
    AccountSignals broad = signals();
    AccountSignals narrow = signals();
    for (int i = 0; i < 400; i++) {
      broad.record(obs("b" + i).at(T0 + i * SECOND).category(CATS.get(i % K)).build());
      narrow.record(obs("n" + i).at(T0 + i * SECOND).category("c03").build());
    }
    assertThat(broad.snapshot().get(Signals.COVERAGE_ENTROPY)).isCloseTo(1.0, within(1e-9));
    assertThat(broad.snapshot().get(Signals.COVERAGE_ENTROPY_1H)).isCloseTo(1.0, within(1e-9));
    assertThat(broad.snapshot().get(Signals.DISTINCT_CATEGORIES)).isEqualTo(20.0);
    assertThat(narrow.snapshot().get(Signals.COVERAGE_ENTROPY)).isEqualTo(0.0);
    assertThat(narrow.snapshot().get(Signals.DISTINCT_CATEGORIES)).isEqualTo(1.0);
  }

  @Test
  void distinctCategoriesNeedSupport() {
    AccountSignals s = signals();
    // 196 in c00, 3 in c01 (1.5 %: under the 2 % share), 1 in c02 (one query: under the count).
    for (int i = 0; i < 196; i++) {
      s.record(obs("a" + i).at(T0 + i * SECOND).category("c00").build());
    }
    for (int i = 0; i < 3; i++) {
      s.record(obs("b" + i).at(T0 + 200 * SECOND + i).category("c01").build());
    }
    s.record(obs("c").at(T0 + 300 * SECOND).category("c02").build());
    assertThat(s.snapshot().get(Signals.DISTINCT_CATEGORIES)).isEqualTo(1.0);
    for (int i = 0; i < 3; i++) {
      s.record(obs("d" + i).at(T0 + 310 * SECOND + i).category("c01").build());
    }
    // c01 now has 6 of 206 queries (2.9 %).
    assertThat(s.snapshot().get(Signals.DISTINCT_CATEGORIES)).isEqualTo(2.0);
  }

  @Test
  void unknownCategoriesCountTowardsEntropyButNotDistinctCategories() {
    AccountSignals s = signals();
    for (int i = 0; i < 100; i++) {
      s.record(obs("e" + i).at(T0 + i * SECOND).category(i % 2 == 0 ? "c00" : "nope").build());
    }
    assertThat(s.snapshot().get(Signals.COVERAGE_ENTROPY))
        .isCloseTo(Math.log(2) / Math.log(K), within(1e-9));
    assertThat(s.snapshot().get(Signals.DISTINCT_CATEGORIES)).isEqualTo(1.0);
  }

  @Test
  void regularTimingGivesCvNearZeroAndPoissonNearOne() {
    AccountSignals machine = signals();
    AccountSignals poisson = signals();
    Random random = new Random(42);
    long t = T0;
    for (int i = 0; i < 2000; i++) {
      machine.record(obs("m" + i).at(T0 + i * SECOND).build());
      t += (long) (-Math.log(1 - random.nextDouble()) * 20_000); // mean gap 20 s
      poisson.record(obs("p" + i).at(t).build());
    }
    assertThat(machine.snapshot().get(Signals.INTERARRIVAL_CV)).isCloseTo(0.0, within(1e-6));
    assertThat(poisson.snapshot().get(Signals.INTERARRIVAL_CV)).isCloseTo(1.0, within(0.1));
  }

  @Test
  void interarrivalCvIsNeutralWithFewGaps() {
    AccountSignals s = signals();
    for (int i = 0; i < 10; i++) {
      s.record(obs("e" + i).at(T0 + i * SECOND).build());
    }
    assertThat(s.snapshot().get(Signals.INTERARRIVAL_CV)).isEqualTo(1.0);
  }

  @Test
  void ratesCountTheirHorizonOnly() {
    AccountSignals s = signals();
    // 2 per minute for 3 hours.
    for (int i = 0; i < 360; i++) {
      s.record(obs("e" + i).at(T0 + i * 30 * SECOND).build());
    }
    assertThat(s.snapshot().get(Signals.RATE_PER_MIN)).isCloseTo(2.0, within(0.21));
    assertThat(s.snapshot().get(Signals.RATE_PER_HOUR)).isCloseTo(120.0, within(12.0));
    // Two quiet hours later, one event: the old traffic has left the 10 min and 1 h windows.
    s.record(obs("late").at(T0 + 5 * HOUR).build());
    assertThat(s.snapshot().get(Signals.RATE_PER_MIN)).isEqualTo(0.1);
    assertThat(s.snapshot().get(Signals.RATE_PER_HOUR)).isEqualTo(1.0);
  }

  @Test
  void accelerationComparesTheLastHourWithTheAccountsOwnBaseline() {
    AccountSignals s = signals();
    // 20 per hour for 10 hours, then 600 in the next hour.
    int n = 0;
    for (int i = 0; i < 200; i++) {
      s.record(obs("b" + n++).at(T0 + i * 3 * MINUTE).build());
    }
    assertThat(s.snapshot().get(Signals.ACCELERATION)).isCloseTo(1.0, within(0.2));
    long start = T0 + 10 * HOUR;
    for (int i = 0; i < 600; i++) {
      s.record(obs("r" + n++).at(start + i * 6 * SECOND).build());
    }
    // ~600 in the last hour against a baseline of ~20 per hour.
    assertThat(s.snapshot().get(Signals.ACCELERATION)).isBetween(25.0, 32.0);
  }

  @Test
  void accelerationOfANewAccountIsNeutralAndTheBaselineHasAFloor() {
    AccountSignals s = signals();
    for (int i = 0; i < 500; i++) {
      s.record(obs("e" + i).at(T0 + i * 5 * SECOND).build());
    }
    assertThat(s.snapshot().get(Signals.ACCELERATION)).isEqualTo(1.0);
    AccountSignals quiet = signals();
    quiet.record(obs("q").at(T0).build());
    for (int i = 0; i < 50; i++) {
      quiet.record(obs("e" + i).at(T0 + 3 * HOUR + i * MINUTE).build());
    }
    // Baseline 1 query over 2 hours is floored at 10 per hour: 50 / 10.
    assertThat(quiet.snapshot().get(Signals.ACCELERATION)).isCloseTo(5.0, within(1e-9));
  }

  @Test
  void postVerificationJumpComparesRatesBeforeAndAfterVerification() {
    AccountSignals s = signals();
    long verified = T0 + 48 * HOUR;
    // 2 per hour for 48 hours before verification, 200 per hour for 3 hours after.
    int n = 0;
    for (int i = 0; i < 96; i++) {
      s.record(obs("p" + n++).at(T0 + i * 30 * MINUTE).verifiedAt(verified).build());
    }
    assertThat(s.snapshot().get(Signals.POST_VERIFICATION_JUMP)).isEqualTo(0.0);
    for (int i = 0; i < 600; i++) {
      s.record(
          obs("v" + n++).at(verified + 18 * SECOND + i * 18 * SECOND).verifiedAt(verified).build());
    }
    // Before: 96 over ~47.5 h = ~2/h. After: 600 over 3 h = 200/h.
    assertThat(s.snapshot().get(Signals.POST_VERIFICATION_JUMP)).isCloseTo(99.0, within(3.0));
  }

  @Test
  void postVerificationJumpIsZeroWithoutVerificationOrHistoryBeforeIt() {
    AccountSignals none = signals();
    AccountSignals afterOnly = signals();
    for (int i = 0; i < 100; i++) {
      none.record(obs("n" + i).at(T0 + i * SECOND).build());
      afterOnly.record(obs("a" + i).at(T0 + i * SECOND).verifiedAt(T0 - HOUR).build());
    }
    assertThat(none.snapshot().get(Signals.POST_VERIFICATION_JUMP)).isEqualTo(0.0);
    assertThat(afterOnly.snapshot().get(Signals.POST_VERIFICATION_JUMP)).isEqualTo(0.0);
  }

  @Test
  void statedUseDivergenceIsZeroOnMatchOneWhenDisjointAndZeroWithoutProfile() {
    float[] stated = Observations.statedShares(K, 0, 1);
    AccountSignals match = signals();
    AccountSignals off = signals();
    AccountSignals noProfile = signals();
    for (int i = 0; i < 400; i++) {
      match.record(
          obs("m" + i).at(T0 + i * SECOND).category(CATS.get(i % 2)).shares(stated).build());
      off.record(
          obs("o" + i).at(T0 + i * SECOND).category(CATS.get(10 + i % 10)).shares(stated).build());
      noProfile.record(obs("x" + i).at(T0 + i * SECOND).category(CATS.get(i % K)).build());
    }
    assertThat(match.snapshot().get(Signals.STATED_USE_DIVERGENCE)).isLessThan(0.02);
    assertThat(off.snapshot().get(Signals.STATED_USE_DIVERGENCE)).isGreaterThan(0.9);
    assertThat(noProfile.snapshot().get(Signals.STATED_USE_DIVERGENCE)).isEqualTo(0.0);
    // A broad stated use explains broad traffic.
    AccountSignals assistant = signals();
    for (int i = 0; i < 400; i++) {
      assistant.record(
          obs("g" + i)
              .at(T0 + i * SECOND)
              .category(CATS.get(i % K))
              .shares(Observations.uniformShares(K))
              .build());
    }
    assertThat(assistant.snapshot().get(Signals.STATED_USE_DIVERGENCE)).isLessThan(0.01);
  }

  @Test
  void unexpectedCategoryShareCountsTrafficInCategoriesTheStatedUseMakesUnlikely() {
    // Narrow stated use (categories 0 and 1): a sweep over ten other categories is unexpected.
    float[] narrow = Observations.realisticShares(K, 0.9f, 0, 1);
    AccountSignals domain = signals();
    AccountSignals sweep = signals();
    AccountSignals diluted = signals();
    for (int i = 0; i < 400; i++) {
      domain.record(
          obs("d" + i).at(T0 + i * SECOND).category(CATS.get(i % 2)).shares(narrow).build());
      sweep.record(
          obs("s" + i).at(T0 + i * SECOND).category(CATS.get(10 + i % 10)).shares(narrow).build());
      String category = i % 4 == 0 ? CATS.get(10 + i % 10) : CATS.get(i % 2);
      diluted.record(obs("m" + i).at(T0 + i * SECOND).category(category).shares(narrow).build());
    }
    assertThat(domain.snapshot().get(Signals.UNEXPECTED_CATEGORY_SHARE)).isEqualTo(0.0);
    assertThat(sweep.snapshot().get(Signals.UNEXPECTED_CATEGORY_SHARE)).isEqualTo(1.0);
    assertThat(diluted.snapshot().get(Signals.UNEXPECTED_CATEGORY_SHARE))
        .isCloseTo(0.25, within(1e-9));
    // A broad stated use expects every category: broad traffic is not unexpected.
    AccountSignals assistant = signals();
    AccountSignals noProfile = signals();
    for (int i = 0; i < 400; i++) {
      assistant.record(
          obs("g" + i)
              .at(T0 + i * SECOND)
              .category(CATS.get(i % 7))
              .shares(Observations.uniformShares(K))
              .build());
      noProfile.record(obs("x" + i).at(T0 + i * SECOND).category(CATS.get(i % K)).build());
    }
    assertThat(assistant.snapshot().get(Signals.UNEXPECTED_CATEGORY_SHARE)).isEqualTo(0.0);
    assertThat(noProfile.snapshot().get(Signals.UNEXPECTED_CATEGORY_SHARE)).isEqualTo(0.0);
  }

  @Test
  void offStatedUseShareCountsPromptsFarFromTheStatedUse() {
    AccountSignals s = signals();
    float[] stated = Observations.statedShares(K, 0);
    for (int i = 0; i < 100; i++) {
      s.record(
          obs("e" + i)
              .at(T0 + i * SECOND)
              .similarity(i % 4 == 0 ? 0.1f : 0.45f)
              .shares(stated)
              .build());
    }
    assertThat(s.snapshot().get(Signals.OFF_STATED_USE_SHARE)).isCloseTo(0.25, within(1e-9));
    AccountSignals noProfile = signals();
    noProfile.record(obs("n").similarity(0.0f).build());
    assertThat(noProfile.snapshot().get(Signals.OFF_STATED_USE_SHARE)).isEqualTo(0.0);
  }

  @Test
  void activeHoursCountDistinctHoursOfTheLastDay() {
    AccountSignals s = signals();
    for (int h = 0; h < 30; h++) {
      s.record(obs("e" + h).at(T0 + h * HOUR + 10 * MINUTE).build());
    }
    assertThat(s.snapshot().get(Signals.ACTIVE_HOURS_24H)).isEqualTo(24.0);
    AccountSignals office = signals();
    for (int d = 0; d < 3; d++) {
      for (int h = 9; h < 17; h++) {
        office.record(obs("o" + d + "-" + h).at(T0 + d * 24 * HOUR + h * HOUR).build());
      }
    }
    assertThat(office.snapshot().get(Signals.ACTIVE_HOURS_24H)).isEqualTo(8.0);
  }

  @Test
  void templateReuseIsHighForOneTemplateAndLowForDistinctOnes() {
    AccountSignals templated = signals();
    AccountSignals free = signals();
    for (int i = 0; i < 500; i++) {
      templated.record(obs("t" + i).at(T0 + i * SECOND).template(7L + i % 3).build());
      free.record(obs("f" + i).at(T0 + i * SECOND).build());
    }
    assertThat(templated.snapshot().get(Signals.TEMPLATE_REUSE)).isGreaterThan(0.99);
    assertThat(free.snapshot().get(Signals.TEMPLATE_REUSE)).isLessThan(0.1);
  }

  @Test
  void nearRepeatShareSeesRepeatsAndIgnoresNovelty() {
    AccountSignals repeater = signals();
    AccountSignals novel = signals();
    for (int i = 0; i < 1000; i++) {
      // 20 distinct prompts asked over and over (the low 24 bits differ: still the same key).
      repeater.record(
          obs("r" + i).at(T0 + i * SECOND).lsh(((long) (i % 20) << 40) | (i & 0xFFFFFF)).build());
      novel.record(obs("n" + i).at(T0 + i * SECOND).build());
    }
    assertThat(repeater.snapshot().get(Signals.NEAR_REPEAT_SHARE)).isCloseTo(0.98, within(0.001));
    // Random 40-bit keys: only Bloom-filter false positives (well under 2 %).
    assertThat(novel.snapshot().get(Signals.NEAR_REPEAT_SHARE)).isLessThan(0.02);
  }

  @Test
  void nearRepeatMemoryIsBoundedToRecentGenerations() {
    AccountSignals s = signals();
    s.record(obs("first").at(T0).lsh(123L << 40).build());
    for (int i = 0; i < 3 * AccountSignals.NEAR_REPEAT_GENERATION; i++) {
      s.record(obs("n" + i).at(T0 + i).build());
    }
    long before = Math.round(s.snapshot().get(Signals.NEAR_REPEAT_SHARE) * s.queriesObserved());
    s.record(obs("again").at(T0 + 10 * SECOND).lsh(123L << 40).build());
    long after = Math.round(s.snapshot().get(Signals.NEAR_REPEAT_SHARE) * s.queriesObserved());
    // The first prompt was forgotten two generations ago, so its return is not a repeat.
    assertThat(after).isEqualTo(before);
  }

  @Test
  void distinctCellsPerQueryIsHighForASweepAndLowForAClusteredApp() {
    AccountSignals sweep = signals();
    AccountSignals clustered = signals();
    for (int i = 0; i < 800; i++) {
      sweep.record(obs("s" + i).at(T0 + i * SECOND).build());
      long cell = (long) (i % 12) << (64 - AccountSignals.CELL_BITS);
      clustered.record(obs("c" + i).at(T0 + i * SECOND).lsh(cell | i).build());
    }
    assertThat(sweep.snapshot().get(Signals.DISTINCT_CELLS_PER_QUERY)).isGreaterThan(0.85);
    assertThat(clustered.snapshot().get(Signals.DISTINCT_CELLS_PER_QUERY)).isLessThan(0.03);
  }

  @Test
  void lshDispersionIsLowForOnePointAndHighForRandomPoints() {
    AccountSignals point = signals();
    AccountSignals spread = signals();
    for (int i = 0; i < 600; i++) {
      point.record(obs("p" + i).at(T0 + i * SECOND).lsh(0x0F0F_0F0F_1234_5678L).build());
      spread.record(obs("s" + i).at(T0 + i * SECOND).build());
    }
    assertThat(point.snapshot().get(Signals.LSH_DISPERSION)).isCloseTo(0.0, within(1e-6));
    assertThat(spread.snapshot().get(Signals.LSH_DISPERSION)).isGreaterThan(0.95);
  }

  @Test
  void responseEntropyMeanAveragesEventsThatCarryIt() {
    AccountSignals s = signals();
    s.record(obs("a").at(T0).entropy(1.0).build());
    s.record(obs("b").at(T0 + 1).entropy(3.0).build());
    s.record(obs("c").at(T0 + 2).entropy(null).build());
    assertThat(s.snapshot().get(Signals.RESPONSE_ENTROPY_MEAN)).isCloseTo(2.0, within(1e-12));
    assertThat(signals().snapshot().get(Signals.RESPONSE_ENTROPY_MEAN)).isEqualTo(0.0);
  }

  @Test
  void eventsAFewSecondsOutOfOrderCountLikeOrderedOnes() {
    AccountSignals ordered = signals();
    AccountSignals shuffled = signals();
    List<io.distillguard.observe.AccountObservation> events = new java.util.ArrayList<>();
    for (int i = 0; i < 500; i++) {
      events.add(obs("e" + i).at(T0 + i * 2 * SECOND).category(CATS.get(i % 7)).build());
    }
    events.forEach(ordered::record);
    // Swap neighbours: each pair arrives late by 2 seconds.
    for (int i = 0; i + 1 < events.size(); i += 2) {
      shuffled.record(events.get(i + 1));
      shuffled.record(events.get(i));
    }
    SignalSnapshot a = ordered.snapshot();
    SignalSnapshot b = shuffled.snapshot();
    for (String signal :
        List.of(
            Signals.COVERAGE_ENTROPY,
            Signals.DISTINCT_CATEGORIES,
            Signals.RATE_PER_MIN,
            Signals.RATE_PER_HOUR,
            Signals.ACTIVE_HOURS_24H)) {
      assertThat(b.get(signal)).as(signal).isEqualTo(a.get(signal));
    }
    assertThat(b.eventTimeMillis()).isEqualTo(a.eventTimeMillis());
  }

  @Test
  void anEventOlderThanAWindowCountsOnlyInTheLongerOnes() {
    AccountSignals s = signals();
    s.record(obs("now").at(T0 + 3 * HOUR).build());
    s.record(obs("old").at(T0).category("c05").build());
    SignalSnapshot snap = s.snapshot();
    assertThat(snap.queriesObserved()).isEqualTo(2);
    assertThat(snap.get(Signals.RATE_PER_HOUR)).isEqualTo(1.0);
    // Still inside 24 h: two categories in the day window.
    assertThat(snap.get(Signals.COVERAGE_ENTROPY)).isGreaterThan(0.0);
    assertThat(snap.eventTimeMillis()).isEqualTo(T0 + 3 * HOUR);
  }

  @Test
  void bytesRoundTripDeterministicallyAndCopiesAreIndependent() {
    AccountSignals s = signals();
    Random random = new Random(7);
    for (int i = 0; i < 3000; i++) {
      s.record(
          obs("e" + i)
              .at(T0 + i * 7 * SECOND)
              .category(CATS.get(random.nextInt(K)))
              .similarity(random.nextFloat())
              .entropy(random.nextDouble())
              .verifiedAt(T0 + HOUR)
              .shares(Observations.statedShares(K, 1, 2))
              .build());
    }
    byte[] bytes = s.toBytes();
    AccountSignals restored = AccountSignals.fromBytes(bytes);
    assertThat(restored.toBytes()).isEqualTo(bytes);
    assertThat(restored.snapshot()).isEqualTo(s.snapshot());
    AccountSignals copy = s.copy();
    copy.record(obs("extra").at(T0 + 30 * HOUR).build());
    assertThat(s.toBytes()).isEqualTo(bytes);
    assertThat(copy.queriesObserved()).isEqualTo(s.queriesObserved() + 1);
    // Kilobytes, not a list of prompts.
    assertThat(bytes.length).isLessThan(12_000);
    // Both continue identically.
    s.record(obs("next").at(T0 + 30 * HOUR).build());
    restored.record(obs("next").at(T0 + 30 * HOUR).build());
    assertThat(restored.toBytes()).isEqualTo(s.toBytes());
  }

  @Test
  void hyperLogLogEstimatesWithinItsError() {
    HyperLogLog h = new HyperLogLog(8);
    for (int i = 0; i < 10_000; i++) {
      h.add(Hashing.mix64(i));
    }
    assertThat(h.estimate()).isCloseTo(10_000, within(2_000.0));
    HyperLogLog small = new HyperLogLog(8);
    for (int i = 0; i < 50; i++) {
      small.add(Hashing.mix64(i % 25));
    }
    assertThat(small.estimate()).isCloseTo(25, within(2.0));
    HyperLogLog other = new HyperLogLog(8);
    for (int i = 10_000; i < 20_000; i++) {
      other.add(Hashing.mix64(i));
    }
    assertThat(h.unionEstimate(other)).isCloseTo(20_000, within(4_000.0));
  }
}
