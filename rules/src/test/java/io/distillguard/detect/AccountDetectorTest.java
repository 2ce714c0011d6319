package io.distillguard.detect;

import static io.distillguard.signals.Observations.T0;
import static io.distillguard.signals.Observations.obs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distillguard.policy.Level;
import io.distillguard.policy.Policy;
import io.distillguard.policy.Reason;
import io.distillguard.policy.ThrottlePlan;
import io.distillguard.signals.Observations;
import io.distillguard.signals.Signals;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AccountDetectorTest {
  private static final int K = 20;
  private static final List<String> CATS = Observations.categories(K);
  private static final long SECOND = 1000L;
  private static final long MINUTE = 60_000L;

  private static final String POLICY =
      """
      version: test
      min_queries: 5
      rules:
        - name: busy
          level: WATCH
          hold: {evaluations: 3}
          signal: rate_per_hour
          threshold: 20
        - name: very-busy
          level: REVIEW
          hold: {evaluations: 1, minutes: 10}
          signal: rate_per_hour
          threshold: 100
        - name: flood
          level: THROTTLE
          min_queries: 300
          signal: rate_per_hour
          threshold: 300
      release:
        WATCH: {after_minutes: 30}
        THROTTLE: {after_minutes: 20}
      throttle: {ttl_minutes: 45, off_stated_use_share: 0.1, stated_use_min_share: 0.05, no_profile_share: 0.2}
      rearm_after_clear: {volume_factor: 2.0, min_new_queries: 50}
      """;

  private static final Policy PARSED = Policy.parse(POLICY, "test");
  private final AccountDetector detector = new AccountDetector(() -> PARSED, CATS);
  private int seq;

  private Evaluation at(DetectionState s, long t) {
    return detector.observe(s, obs("e" + seq++).at(t).build());
  }

  @Test
  void aRuleRaisesOnlyAfterItsHoldAndCarriesItsReasons() {
    DetectionState s = detector.newState();
    // 20 events one second apart: rate_per_hour reaches 20 at the 20th event.
    for (int i = 0; i < 19; i++) {
      assertThat(at(s, T0 + i * SECOND).level()).isEqualTo(Level.OK);
    }
    assertThat(at(s, T0 + 19 * SECOND).level()).isEqualTo(Level.OK); // held 1
    assertThat(at(s, T0 + 20 * SECOND).level()).isEqualTo(Level.OK); // held 2
    Evaluation e = at(s, T0 + 21 * SECOND); // held 3: fires
    assertThat(e.level()).isEqualTo(Level.WATCH);
    assertThat(e.previousLevel()).isEqualTo(Level.OK);
    assertThat(e.escalated()).isTrue();
    assertThat(e.decision().level()).isEqualTo(Level.WATCH);
    assertThat(e.decision().reasons())
        .containsExactly(new Reason("busy", Signals.RATE_PER_HOUR, 22.0, 20.0));
    assertThat(e.decision().throttle()).isEmpty();
    assertThat(at(s, T0 + 22 * SECOND).escalated()).isFalse();
  }

  @Test
  void theMinimumSampleKeepsSmallAccountsQuiet() {
    DetectionState s = detector.newState();
    Evaluation last = null;
    for (int i = 0; i < 299; i++) {
      last = at(s, T0 + i * 100);
    }
    // flood needs 300 queries; very-busy (REVIEW) needs 10 minutes of holding: not yet.
    assertThat(last.level()).isEqualTo(Level.WATCH);
    assertThat(at(s, T0 + 299 * 100).level()).isEqualTo(Level.THROTTLE);
  }

  @Test
  void holdMinutesAreEventTime() {
    DetectionState s = detector.newState();
    for (int i = 0; i < 100; i++) {
      at(s, T0 + i * SECOND);
    }
    // very-busy holds from the 100th event; it fires only 10 minutes of event time later.
    assertThat(s.level()).isEqualTo(Level.WATCH);
    assertThat(at(s, T0 + 9 * MINUTE).level()).isEqualTo(Level.WATCH);
    Evaluation e = at(s, T0 + 100 * SECOND + 10 * MINUTE);
    assertThat(e.level()).isEqualTo(Level.REVIEW);
    assertThat(e.decision().reasons()).extracting(Reason::rule).contains("very-busy", "busy");
  }

  @Test
  void aMissRestartsTheHold() {
    DetectionState s = detector.newState();
    for (int i = 0; i < 21; i++) {
      at(s, T0 + i * SECOND);
    }
    // Held twice; a quiet 2 hours drops rate_per_hour and the hold with it.
    at(s, T0 + 2 * 60 * MINUTE);
    for (int i = 0; i < 20; i++) {
      at(s, T0 + 2 * 60 * MINUTE + (i + 1) * SECOND);
    }
    assertThat(s.level()).isEqualTo(Level.OK);
    at(s, T0 + 2 * 60 * MINUTE + 30 * SECOND);
    assertThat(s.level()).isEqualTo(Level.WATCH);
  }

  @Test
  void watchIsReleasedOnlyAfterItsCoolDown() {
    Policy slow = Policy.parse(POLICY.replace("after_minutes: 30", "after_minutes: 120"), "t");
    AccountDetector d = new AccountDetector(() -> slow, CATS);
    DetectionState s = d.newState();
    for (int i = 0; i < 25; i++) {
      d.observe(s, obs("w" + i).at(T0 + i * SECOND).build());
    }
    assertThat(s.level()).isEqualTo(Level.WATCH);
    // An hour later the rate is back to normal: the rule no longer holds, but the level stays
    // for the cool-down (120 min after the last support at T0+24s).
    Evaluation quiet = d.observe(s, obs("q1").at(T0 + 65 * MINUTE).build());
    assertThat(quiet.decision().level()).isEqualTo(Level.OK);
    assertThat(quiet.level()).isEqualTo(Level.WATCH);
    assertThat(d.observe(s, obs("q2").at(T0 + 24 * SECOND + 119 * MINUTE).build()).level())
        .isEqualTo(Level.WATCH);
    Evaluation released = d.observe(s, obs("q3").at(T0 + 24 * SECOND + 120 * MINUTE).build());
    assertThat(released.level()).isEqualTo(Level.OK);
    assertThat(released.previousLevel()).isEqualTo(Level.WATCH);
    assertThat(released.escalated()).isFalse();
  }

  @Test
  void reviewIsStickyAndALapsedThrottleFallsBackToReview() {
    DetectionState s = detector.newState();
    for (int i = 0; i < 400; i++) {
      at(s, T0 + i * 3 * SECOND);
    }
    Evaluation e = at(s, T0 + 400 * 3 * SECOND);
    assertThat(e.level()).isEqualTo(Level.THROTTLE);
    ThrottlePlan plan = e.decision().throttle().orElseThrow();
    assertThat(plan.ttl()).isEqualTo(Duration.ofMinutes(45));
    // No profile: every category at the no-profile share.
    assertThat(plan.categoryShares()).hasSize(K).containsEntry("c00", 0.2);
    // Traffic stops; a day later one event: THROTTLE lapses to REVIEW, never to OK.
    Evaluation later = at(s, T0 + 24 * 60 * MINUTE);
    assertThat(later.level()).isEqualTo(Level.REVIEW);
    assertThat(at(s, T0 + 48 * 60 * MINUTE).level()).isEqualTo(Level.REVIEW);
  }

  @Test
  void throttlePlanLimitsCategoriesOffTheStatedUse() {
    DetectionState s = detector.newState();
    float[] stated = Observations.statedShares(K, 0, 1);
    Evaluation e = null;
    for (int i = 0; i < 400; i++) {
      e =
          detector.observe(
              s, obs("t" + i).at(T0 + i * SECOND).category(CATS.get(i % K)).shares(stated).build());
    }
    assertThat(e.level()).isEqualTo(Level.THROTTLE);
    ThrottlePlan plan = e.decision().throttle().orElseThrow();
    assertThat(plan.categoryShares()).hasSize(K - 2).containsEntry("c05", 0.1);
    assertThat(plan.categoryShares()).doesNotContainKeys("c00", "c01");
  }

  @Test
  void aRepeatedEventIdIsIgnored() {
    DetectionState s = detector.newState();
    Evaluation first = detector.observe(s, obs("same").at(T0).build());
    Evaluation again = detector.observe(s, obs("same").at(T0 + SECOND).build());
    assertThat(first.duplicate()).isFalse();
    assertThat(again.duplicate()).isTrue();
    assertThat(s.queriesObserved()).isEqualTo(1);
    assertThat(again.signals().queriesObserved()).isEqualTo(1);
    // Exact for the last RecentIds.CAPACITY ids.
    for (int i = 0; i < RecentIds.CAPACITY - 1; i++) {
      detector.observe(s, obs("n" + i).at(T0 + i).build());
    }
    assertThat(detector.observe(s, obs("same").at(T0).build()).duplicate()).isTrue();
    assertThat(detector.observe(s, obs("n0").at(T0).build()).duplicate()).isTrue();
    assertThat(s.queriesObserved()).isEqualTo(RecentIds.CAPACITY);
  }

  @Test
  void clearedSuppressesReEscalationUntilVolumeGrowsAndTheRuleHoldsAgain() {
    DetectionState s = detector.newState();
    for (int i = 0; i < 60; i++) {
      at(s, T0 + i * SECOND);
    }
    assertThat(s.level()).isEqualTo(Level.WATCH);
    detector.review(s, Level.CLEARED, T0 + 61 * SECOND);
    assertThat(s.level()).isEqualTo(Level.CLEARED);
    assertThat(s.clearedAtQueries()).isEqualTo(60);
    // Same behaviour continues: the rule holds, but volume has not doubled (60 -> 120) yet.
    Evaluation e = null;
    for (int i = 60; i < 119; i++) {
      e = at(s, T0 + i * SECOND);
      assertThat(e.level()).isEqualTo(Level.CLEARED);
    }
    assertThat(e.decision().level()).isEqualTo(Level.WATCH);
    e = at(s, T0 + 119 * SECOND);
    assertThat(e.level()).isEqualTo(Level.WATCH);
    assertThat(e.previousLevel()).isEqualTo(Level.CLEARED);
    assertThat(e.escalated()).isTrue();
  }

  @Test
  void theHoldRestartsAtTheClear() {
    DetectionState s = detector.newState();
    // One event per 7 s: very-busy (REVIEW, hold 10 min) holds from the 100th event on and fires.
    for (int i = 0; i < 200; i++) {
      at(s, T0 + i * 7 * SECOND);
    }
    assertThat(s.level()).isEqualTo(Level.REVIEW);
    long clearedAt = T0 + 1400 * SECOND;
    detector.review(s, Level.CLEARED, clearedAt);
    Evaluation e = null;
    for (int i = 0; i < 199; i++) {
      e = at(s, clearedAt + i * SECOND);
      assertThat(e.level()).isEqualTo(Level.CLEARED);
    }
    // Volume doubled at 400: re-armed. very-busy has held only since the clear (< 10 min), so it
    // does not fire on the evidence from before the clear; flood (no hold) does.
    e = at(s, clearedAt + 199 * SECOND);
    assertThat(e.level()).isEqualTo(Level.THROTTLE);
    assertThat(e.escalated()).isTrue();
    assertThat(e.decision().reasons()).extracting(Reason::rule).doesNotContain("very-busy");
    e = at(s, clearedAt + 601 * SECOND);
    assertThat(e.decision().reasons()).extracting(Reason::rule).contains("very-busy", "flood");
  }

  @Test
  void recentRedeliveriesAreDroppedButOlderReplaysAreTheCallersToDedupe() {
    DetectionState s = detector.newState();
    int events = 2_000; // four times the ring of recent ids
    for (int i = 0; i < events; i++) {
      detector.observe(s, obs("replayed-" + i).at(T0 + i * SECOND).build());
    }
    // The newest ids are still in the ring: a redelivery of them changes nothing.
    for (int i = events - RecentIds.CAPACITY; i < events; i++) {
      Evaluation e = detector.observe(s, obs("replayed-" + i).at(T0 + i * SECOND).build());
      assertThat(e.duplicate()).as("event %d", i).isTrue();
    }
    assertThat(s.queriesObserved()).isEqualTo(events);
    // Time no longer decides what is a duplicate: an id that left the ring counts again, so a
    // replay from the start of the input has to be deduplicated by the caller (the entity).
    assertThat(detector.observe(s, obs("replayed-0").at(T0).build()).duplicate()).isFalse();
    assertThat(s.queriesObserved()).isEqualTo(events + 1);
  }

  @Test
  void lateEventsCountInTheirOwnBucketsUpToTheAllowedLateness() {
    DetectionState s = detector.newState();
    detector.observe(s, obs("a").at(T0 + 20 * MINUTE).build());
    // Five and fifteen minutes late: counted, and into the last hour.
    assertThat(detector.observe(s, obs("b").at(T0 + 15 * MINUTE).build()).duplicate()).isFalse();
    Evaluation c = detector.observe(s, obs("c").at(T0 + 5 * MINUTE).build());
    assertThat(c.duplicate()).isFalse();
    assertThat(c.signals().get(Signals.RATE_PER_HOUR)).isEqualTo(3.0);
    assertThat(c.signals().get(Signals.LATE_EVENTS)).isEqualTo(0.0);
    // Two days late (the default lateness is 24 h): counted in the totals, not in the windows.
    Evaluation d = detector.observe(s, obs("d").at(T0 - 48 * 60 * MINUTE).build());
    assertThat(d.duplicate()).isFalse();
    assertThat(s.queriesObserved()).isEqualTo(4);
    assertThat(d.signals().get(Signals.LATE_EVENTS)).isEqualTo(1.0);
    assertThat(d.signals().get(Signals.QUERIES_7D)).isEqualTo(3.0);
  }

  @Test
  void theAllowedLatenessComesFromThePolicy() {
    Policy strict =
        Policy.parse(
            POLICY + "event_time: {allowed_lateness_minutes: 10, max_jump_minutes: 60}\n", "t");
    AccountDetector d = new AccountDetector(() -> strict, CATS);
    DetectionState s = d.newState();
    d.observe(s, obs("a").at(T0 + 20 * MINUTE).build());
    assertThat(
            d.observe(s, obs("b").at(T0 + 15 * MINUTE).build()).signals().get(Signals.LATE_EVENTS))
        .isEqualTo(0.0);
    assertThat(
            d.observe(s, obs("c").at(T0 + 5 * MINUTE).build()).signals().get(Signals.LATE_EVENTS))
        .isEqualTo(1.0);
  }

  @Test
  void anEventDatedInTheFutureDoesNotBlindTheAccount() {
    DetectionState s = detector.newState();
    long t = T0;
    for (int i = 0; i < 30; i++, t += 10 * SECOND) {
      detector.observe(s, obs("before-" + i).at(t).build());
    }
    // One gateway host with a clock a year ahead.
    detector.observe(s, obs("future").at(T0 + 365L * 24 * 60 * MINUTE).build());
    Evaluation e = null;
    for (int i = 0; i < 150; i++, t += 10 * SECOND) {
      e = detector.observe(s, obs("after-" + i).at(t).build());
      assertThat(e.duplicate()).isFalse();
    }
    // The real events count in the windows (less the one 5-minute bucket whose slot the future
    // event took before it was undone), and the account still escalates on its real rate.
    assertThat(e.signals().get(Signals.FUTURE_DATED_EVENTS)).isEqualTo(1.0);
    assertThat(e.signals().get(Signals.LATE_EVENTS)).isEqualTo(0.0);
    assertThat(e.signals().get(Signals.RATE_PER_HOUR)).isBetween(150.0, 180.0);
    assertThat(e.level()).isEqualTo(Level.REVIEW);
    assertThat(s.queriesObserved()).isEqualTo(181);
  }

  @Test
  void aJumpConfirmedByTheNextEventMovesTheWindows() {
    DetectionState s = detector.newState();
    for (int i = 0; i < 30; i++) {
      detector.observe(s, obs("day1-" + i).at(T0 + i * MINUTE).build());
    }
    // The account pauses for a day and comes back: the first event of the new day is not undone.
    long next = T0 + 24 * 60 * MINUTE;
    detector.observe(s, obs("day2-0").at(next).build());
    Evaluation e = detector.observe(s, obs("day2-1").at(next + MINUTE).build());
    assertThat(e.signals().get(Signals.FUTURE_DATED_EVENTS)).isEqualTo(0.0);
    assertThat(e.signals().get(Signals.RATE_PER_HOUR)).isEqualTo(2.0);
  }

  @Test
  void confirmedStaysAndBadVerdictsAreRejected() {
    DetectionState s = detector.newState();
    detector.review(s, Level.CONFIRMED, T0);
    for (int i = 0; i < 50; i++) {
      at(s, T0 + i * SECOND);
    }
    assertThat(s.level()).isEqualTo(Level.CONFIRMED);
    assertThatThrownBy(() -> detector.review(s, Level.REVIEW, T0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aReloadedPolicyAppliesToTheNextObservation() {
    AtomicReference<Policy> current = new AtomicReference<>(Policy.parse(POLICY, "v1"));
    AccountDetector d = new AccountDetector(current::get, CATS);
    DetectionState s = d.newState();
    for (int i = 0; i < 10; i++) {
      d.observe(s, obs("r" + i).at(T0 + i * SECOND).build());
    }
    assertThat(s.level()).isEqualTo(Level.OK);
    current.set(Policy.parse(POLICY.replace("threshold: 20", "threshold: 5"), "v2"));
    for (int i = 10; i < 13; i++) {
      d.observe(s, obs("r" + i).at(T0 + i * SECOND).build());
    }
    assertThat(s.level()).isEqualTo(Level.WATCH);
  }

  @Test
  void stateRoundTripsDeterministicallyAndContinuesIdentically() {
    DetectionState s = detector.newState();
    for (int i = 0; i < 700; i++) {
      detector.observe(
          s,
          obs("e" + i)
              .at(T0 + i * 2 * SECOND)
              .category(CATS.get(i % 5))
              .shares(Observations.statedShares(K, 1))
              .build());
    }
    detector.review(s, Level.CLEARED, T0 + 1400 * SECOND);
    byte[] bytes = s.toBytes();
    DetectionState restored = DetectionState.fromBytes(bytes);
    assertThat(restored.toBytes()).isEqualTo(bytes);
    assertThat(restored.level()).isEqualTo(Level.CLEARED);
    assertThat(restored.queriesObserved()).isEqualTo(700);
    // Duplicates are still recognised after a restore.
    assertThat(detector.observe(restored, obs("e699").at(T0).build()).duplicate()).isTrue();
    DetectionState copy = s.copy();
    Evaluation a = detector.observe(copy, obs("next").at(T0 + 1500 * SECOND).build());
    Evaluation b = detector.observe(restored, obs("next").at(T0 + 1500 * SECOND).build());
    assertThat(b).isEqualTo(a);
    assertThat(restored.toBytes()).isEqualTo(copy.toBytes());
    assertThat(s.toBytes()).isEqualTo(bytes);
    assertThat(bytes.length).isLessThan(16_000);
    assertThatThrownBy(() -> DetectionState.fromBytes(new byte[] {1, 2, 3}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
