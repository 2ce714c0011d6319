package io.distillguard.actors.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.actors.TestFixtures;
import io.distillguard.actors.account.AccountEntity;
import io.distillguard.detect.DetectionState;
import io.distillguard.observe.AccountObservation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccountHistoryTest {

  private static final long MINUTE = 60_000L;

  private static AccountEntity.ObservationRecorded recorded(AccountObservation o, long n) {
    return new AccountEntity.ObservationRecorded(
        o, n, (DetectionState.Hysteresis) null, null, null, null, 0.0);
  }

  @Test
  void coverageSplitsOffUseTrafficAndFlagsCategoriesTheStatedUseDoesNotExplain() {
    AccountHistory h = new AccountHistory(TestFixtures.CATEGORIES);
    String home = TestFixtures.CATEGORIES.get(0);
    String away = TestFixtures.CATEGORIES.get(3);
    h.add(recorded(ConsoleScenario.observation("e1", "a", TestFixtures.T0, home, 0.7f), 1));
    h.add(recorded(ConsoleScenario.observation("e2", "a", TestFixtures.T0, away, 0.05f), 2));
    h.add(recorded(ConsoleScenario.observation("e3", "a", TestFixtures.T0, away, 0.6f), 3));

    assertThat(h.observed()[0]).isEqualTo(1);
    assertThat(h.observed()[3]).isEqualTo(2);
    assertThat(h.offUse()[3]).isEqualTo(1);
    assertThat(h.unexpected()[0]).isFalse();
    assertThat(h.unexpected()[3]).isTrue();
    assertThat(h.statedUseCategory()).isEqualTo(home);
    assertThat(h.topObservedCategory()).isEqualTo(away);
    assertThat(h.verifiedAtMillis()).isEqualTo(TestFixtures.T0 + 2_500L);
    Map<String, Object> coverage = ConsoleJson.coverage(h);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rows = (List<Map<String, Object>>) coverage.get("categories");
    assertThat(rows.stream().filter(r -> Boolean.TRUE.equals(r.get("off_use_highlight"))))
        .extracting(r -> r.get("category"))
        .containsExactly(away);
  }

  @Test
  void theCategoryDayHeatMapCountsEachDayAndMarksOffUseCategories() {
    AccountHistory h = new AccountHistory(TestFixtures.CATEGORIES);
    String home = TestFixtures.CATEGORIES.get(0);
    String away = TestFixtures.CATEGORIES.get(3);
    long day = 86_400_000L;
    h.add(recorded(ConsoleScenario.observation("e1", "a", TestFixtures.T0, home, 0.7f), 1));
    h.add(recorded(ConsoleScenario.observation("e2", "a", TestFixtures.T0 + 5, home, 0.7f), 2));
    h.add(
        recorded(ConsoleScenario.observation("e3", "a", TestFixtures.T0 + 2 * day, away, 0.1f), 3));

    Map<String, Object> heat = ConsoleJson.categoryDays(h);
    // Only days and categories with traffic; the quiet day between is left out.
    assertThat(heat.get("days")).isEqualTo(List.of("2026-10-05", "2026-10-07"));
    assertThat(heat.get("categories")).isEqualTo(List.of(home, away));
    assertThat(heat.get("off_use")).isEqualTo(List.of(false, true));
    assertThat(heat.get("cells")).isEqualTo(List.of(List.of(0L, 0L, 2L), List.of(1L, 1L, 1L)));
    // Bounded: the latest days only.
    assertThat(h.perDay(1)).containsOnlyKeys(TestFixtures.T0 + 2 * day);
  }

  @Test
  void volumeBucketsFitTheSpanAndShowQuietBucketsAsZero() {
    AccountHistory h = new AccountHistory(TestFixtures.CATEGORIES);
    String c = TestFixtures.CATEGORIES.get(0);
    h.add(recorded(TestFixtures.observation("e1", "a", TestFixtures.T0, c), 1));
    h.add(recorded(TestFixtures.observation("e2", "a", TestFixtures.T0 + 30_000, c), 2));
    h.add(recorded(TestFixtures.observation("e3", "a", TestFixtures.T0 + 179 * MINUTE, c), 3));

    assertThat(h.bucketMillis(400)).isEqualTo(MINUTE);
    assertThat(h.bucketMillis(48)).isEqualTo(5 * MINUTE);
    assertThat(h.bucketMillis(2)).isEqualTo(360 * MINUTE);
    Map<Long, Long> fiveMinutes = h.volume(5 * MINUTE);
    assertThat(fiveMinutes).hasSize(36);
    assertThat(fiveMinutes.get(TestFixtures.T0)).isEqualTo(2);
    assertThat(fiveMinutes.get(TestFixtures.T0 + 5 * MINUTE)).isZero();
    assertThat(fiveMinutes.get(TestFixtures.T0 + 175 * MINUTE)).isEqualTo(1);
    assertThat(fiveMinutes.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(3);
  }

  @Test
  void anAccountEscalatedAgainAfterAClearIsMarkedRegressedUntilTheNextReview() {
    AccountHistory h = new AccountHistory(TestFixtures.CATEGORIES);
    io.distillguard.signals.SignalSnapshot signals =
        new io.distillguard.signals.SignalSnapshot(8, TestFixtures.T0, Map.of());
    io.distillguard.policy.Decision review =
        new io.distillguard.policy.Decision(
            io.distillguard.policy.Level.REVIEW, List.of(), java.util.Optional.empty());
    AccountEntity.LevelChanged escalated =
        new AccountEntity.LevelChanged(
            io.distillguard.policy.Level.OK,
            io.distillguard.policy.Level.REVIEW,
            "e8",
            review,
            signals,
            "v1",
            true);
    h.add(escalated);
    assertThat(h.regressed()).isFalse();
    h.add(
        new AccountEntity.Reviewed(
            io.distillguard.policy.Level.CLEARED, "rev", "ok", TestFixtures.T0, 8, signals));
    assertThat(h.regressed()).isFalse();
    h.add(escalated);
    assertThat(h.regressed()).isTrue();
    h.add(
        new AccountEntity.Reviewed(
            io.distillguard.policy.Level.CONFIRMED,
            "rev",
            "now sure",
            TestFixtures.T0,
            9,
            signals));
    assertThat(h.regressed()).isFalse();
  }
}
