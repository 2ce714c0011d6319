package io.distillguard.actors.account;

import static io.distillguard.actors.account.AccountJournalKit.emptyState;
import static io.distillguard.actors.account.AccountJournalKit.fold;
import static io.distillguard.actors.account.AccountJournalKit.record;
import static io.distillguard.actors.account.AccountJournalKit.sweepThenOrdinary;
import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.actors.TestFixtures;
import io.distillguard.actors.account.AccountEntity.ObservationRecorded;
import io.distillguard.actors.account.AccountJournalKit.Run;
import io.distillguard.detect.AccountDetector;
import io.distillguard.detect.DetectionState;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Decision;
import io.distillguard.policy.Level;
import io.distillguard.policy.Reason;
import io.distillguard.policy.ThrottlePlan;
import io.distillguard.signals.EventTimeSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The account journal's compact {@link ObservationRecorded}: every field reads back bit for bit,
 * events written before as Jackson CBOR still load, and a journal of old events, of new events or
 * of both recovers the same state.
 */
class AccountJournalFormatTest {

  @RegisterExtension static final AccountJournalKit JOURNAL = new AccountJournalKit();

  private static AccountObservation full() {
    float[] shares = new float[TestFixtures.CATEGORIES.size()];
    for (int i = 0; i < shares.length; i++) {
      shares[i] = 1f / (i + 3);
    }
    shares[1] = -0.0f;
    return new AccountObservation(
        "e-\u00e9v\u00e9nement-1",
        "acct-1",
        TestFixtures.T0,
        "arithmetic",
        0.812345f,
        -0.25f,
        0x8000_0000_0000_0001L,
        -7L,
        1234,
        40,
        Integer.MAX_VALUE,
        Double.NaN,
        "key-1",
        "3f2a9c0d1e4b5a6f",
        "bench/1.0 (\u65e5\u672c)",
        "org-1",
        TestFixtures.T0 - 86_400_000L,
        shares,
        "sha256:10c59ac88b61f5b2",
        new String[] {"ip:0123", "ua:4567"},
        TestFixtures.T0 - 30L * 86_400_000L);
  }

  private static final DetectionState.Hysteresis HYSTERESIS =
      new DetectionState.Hysteresis(
          Level.REVIEW,
          TestFixtures.T0,
          Long.MIN_VALUE,
          Map.of(
              "three-categories",
              new DetectionState.RuleHold(3, TestFixtures.T0),
              "burst",
              new DetectionState.RuleHold(1, -1L)));

  private static final Decision DECISION =
      new Decision(
          Level.THROTTLE,
          List.of(
              new Reason("three-categories", "categories", 3.0, 3.0),
              new Reason("burst", "rate_per_min", Double.NaN, -0.0)),
          Optional.of(
              new ThrottlePlan(
                  Map.of("arithmetic", 0.25, "translation", 0.0),
                  java.time.Duration.ofSeconds(3600, 5))));

  @Test
  void compactFormReadsBackEveryFieldBitForBit() {
    ObservationRecorded all =
        new ObservationRecorded(
            full(), 7, HYSTERESIS, DECISION, "policy-7", new EventTimeSettings(1L, 2L), -0.0);
    ObservationRecorded bare =
        new ObservationRecorded(
            TestFixtures.observation("e-2", "acct-1", TestFixtures.T0, null),
            1,
            null,
            null,
            null,
            null,
            4.25);
    for (ObservationRecorded e : List.of(all, bare)) {
      Serializer serializer = JOURNAL.serialization().findSerializerFor(e);
      assertThat(serializer.identifier()).isEqualTo(ObservationRecordedSerializer.ID);
      assertThat(Serializers.manifestFor(serializer, e)).isEqualTo("OR1");
      byte[] bytes = serializer.toBinary(e);
      ObservationRecorded back =
          (ObservationRecorded)
              JOURNAL
                  .serialization()
                  .deserialize(bytes, ObservationRecordedSerializer.ID, "OR1")
                  .get();
      assertSameEvent(back, e);
    }
  }

  @Test
  void compactFormIsAFractionOfTheJacksonForm() {
    // At REVIEW most observations journal a decision: its reasons carry the signals' values.
    ObservationRecorded typical =
        new ObservationRecorded(
            full().withLinkKeys(null, "3f2a9c0d1e4b5a6f"),
            412,
            null,
            DECISION,
            "policy-7",
            null,
            1.5);
    int compact = JOURNAL.serialization().findSerializerFor(typical).toBinary(typical).length;
    int jackson = jackson().toBinary(typical).length;
    assertThat(compact).isLessThan(jackson / 2);
  }

  @Test
  void aDecisionIsJournaledAgainWhenItsLevelRulesOrThrottleChangeNotItsValues() {
    Decision values =
        new Decision(
            DECISION.level(),
            List.of(
                new Reason("three-categories", "categories", 4.0, 3.0),
                new Reason("burst", "rate_per_min", 12.5, -0.0)),
            DECISION.throttle());
    assertThat(ObservationDecisions.sameDecision(values, DECISION)).isTrue();
    assertThat(ObservationDecisions.sameDecision(DECISION, null)).isFalse();
    assertThat(
            ObservationDecisions.sameDecision(
                new Decision(Level.REVIEW, values.reasons(), Optional.empty()), DECISION))
        .isFalse();
    assertThat(
            ObservationDecisions.sameDecision(
                new Decision(DECISION.level(), values.reasons().subList(0, 1), DECISION.throttle()),
                DECISION))
        .isFalse();
    assertThat(
            ObservationDecisions.sameDecision(
                new Decision(
                    DECISION.level(),
                    List.of(
                        new Reason("three-categories", "categories", 3.0, 4.0),
                        values.reasons().get(1)),
                    DECISION.throttle()),
                DECISION))
        .isFalse();
  }

  @Test
  void eventsWrittenAsJacksonCborStillLoad() {
    // What the journal held before the compact form: Jackson CBOR, every field named, the
    // hysteresis and the event-time settings on every event.
    ObservationRecorded old =
        new ObservationRecorded(
            full(), 7, HYSTERESIS, DECISION, "policy-7", EventTimeSettings.DEFAULT, 2.5);
    Serializer jackson = jackson();
    byte[] bytes = jackson.toBinary(old);
    Object back =
        JOURNAL
            .serialization()
            .deserialize(bytes, jackson.identifier(), Serializers.manifestFor(jackson, old))
            .get();
    assertSameEvent((ObservationRecorded) back, old);
  }

  @Test
  void oldNewAndMixedJournalsRecoverTheSameState() {
    AccountDetector detector = TestFixtures.detector();
    EventSourcedBehaviorTestKit<AccountEntity.Command, AccountEntity.Event, AccountState> kit =
        JOURNAL.entity(detector, "acct-1");
    // A sweep to THROTTLE, then 150 ordinary queries (index events at 1 and 100), in chunks.
    List<AccountObservation> traffic = sweepThenOrdinary("acct-1");
    Run run = record(traffic, 23, kit);
    List<AccountEntity.Event> written = AccountEntityTest.facts(run.journal());
    AccountState live = run.live();
    assertThat(written)
        .anyMatch(e -> e instanceof AccountEntity.LevelChanged c && c.to() == Level.THROTTLE);

    List<ObservationRecorded> recorded =
        written.stream()
            .filter(ObservationRecorded.class::isInstance)
            .map(ObservationRecorded.class::cast)
            .toList();
    assertThat(recorded).hasSize(traffic.size());
    // Events the rules did not move leave the hysteresis out; the projected ones carry it.
    assertThat(recorded.stream().filter(e -> e.hysteresis() == null).count()).isPositive();
    assertThat(recorded)
        .filteredOn(e -> AccountEffectsTags.projected(e.queriesObserved()))
        .allMatch(e -> e.hysteresis() != null)
        .hasSize(2);
    assertThat(recorded).allMatch(e -> e.eventTime() == null);

    // The same history as the journal held it before: full hysteresis and event-time settings
    // on every observation, as Jackson CBOR.
    List<AccountEntity.Event> oldForm = new ArrayList<>();
    AccountState s = emptyState(detector);
    for (AccountEntity.Event e : written) {
      s = AccountEvents.apply(s, e, detector);
      if (e instanceof ObservationRecorded r) {
        oldForm.add(
            jacksonRoundTrip(
                new ObservationRecorded(
                    r.observation(),
                    r.queriesObserved(),
                    s.detection().hysteresis(),
                    r.decision(),
                    r.policyVersion(),
                    EventTimeSettings.DEFAULT,
                    r.evidenceScore())));
      } else {
        oldForm.add(e);
      }
    }
    AccountState fromNew = fold(detector, written.stream().map(JOURNAL::roundTrip).toList());
    AccountState fromOld = fold(detector, oldForm);
    List<AccountEntity.Event> mixed = new ArrayList<>(oldForm.subList(0, 97));
    mixed.addAll(written.subList(97, written.size()));
    AccountState fromMixed = fold(detector, mixed);

    assertThat(fromNew).isEqualTo(live);
    assertThat(fromOld).isEqualTo(live);
    assertThat(fromMixed).isEqualTo(live);
    kit.restart();
    assertThat(kit.getState()).isEqualTo(live);
  }

  private static ObservationRecorded jacksonRoundTrip(ObservationRecorded e) {
    Serializer jackson = jackson();
    return (ObservationRecorded)
        JOURNAL
            .serialization()
            .deserialize(
                jackson.toBinary(e), jackson.identifier(), Serializers.manifestFor(jackson, e))
            .get();
  }

  private static Serializer jackson() {
    // The serializer of every other account event: Jackson CBOR.
    Serializer jackson;
    try {
      jackson = JOURNAL.serialization().serializerFor(AccountEntity.LevelChanged.class);
    } catch (java.io.NotSerializableException e) {
      throw new AssertionError(e);
    }
    assertThat(jackson.getClass().getSimpleName()).isEqualTo("JacksonCborSerializer");
    return jackson;
  }

  private static void assertSameEvent(ObservationRecorded back, ObservationRecorded e) {
    assertThat(back.queriesObserved()).isEqualTo(e.queriesObserved());
    assertThat(back.hysteresis()).isEqualTo(e.hysteresis());
    assertThat(back.decision()).isEqualTo(e.decision());
    assertThat(back.policyVersion()).isEqualTo(e.policyVersion());
    assertThat(back.eventTime()).isEqualTo(e.eventTime());
    assertThat(Double.doubleToRawLongBits(back.evidenceScore()))
        .isEqualTo(Double.doubleToRawLongBits(e.evidenceScore()));
    AccountObservation a = back.observation();
    AccountObservation b = e.observation();
    // Records compare arrays by identity: compare them by content, the floats by their bits.
    assertThat(a.withLinkKeys(null, a.clientIp()).toString().replaceAll("@[0-9a-f]+", ""))
        .isEqualTo(b.withLinkKeys(null, b.clientIp()).toString().replaceAll("@[0-9a-f]+", ""));
    assertThat(Float.floatToRawIntBits(a.categorySimilarity()))
        .isEqualTo(Float.floatToRawIntBits(b.categorySimilarity()));
    assertThat(Float.floatToRawIntBits(a.statedUseSimilarity()))
        .isEqualTo(Float.floatToRawIntBits(b.statedUseSimilarity()));
    assertThat(bits(a.statedUseCategoryShares())).isEqualTo(bits(b.statedUseCategoryShares()));
    assertThat(a.linkKeys()).isEqualTo(b.linkKeys());
  }

  private static int[] bits(float[] v) {
    if (v == null) {
      return null;
    }
    int[] out = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = Float.floatToRawIntBits(v[i]);
    }
    return out;
  }
}
