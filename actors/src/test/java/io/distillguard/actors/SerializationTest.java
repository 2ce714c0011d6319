package io.distillguard.actors;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.actors.account.AccountEntity;
import io.distillguard.actors.account.AccountState;
import io.distillguard.detect.AccountDetector;
import io.distillguard.detect.DetectionState;
import io.distillguard.detect.Evaluation;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Decision;
import io.distillguard.policy.Level;
import io.distillguard.policy.Reason;
import io.distillguard.policy.ThrottlePlan;
import io.distillguard.signals.EventTimeSettings;
import io.distillguard.signals.SignalSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Every message, event and state of the actor side survives the Jackson CBOR round trip. */
class SerializationTest {

  private static final ActorTestKit TEST_KIT = ActorTestKit.create();
  private static final SerializationTestKit SER = TEST_KIT.serializationTestKit();

  @AfterAll
  static void shutdown() {
    TEST_KIT.shutdownTestKit();
  }

  private static final AccountObservation OBS =
      new AccountObservation(
          "e-1",
          "acct-1",
          TestFixtures.T0,
          "arithmetic",
          0.8f,
          0.3f,
          42L,
          7L,
          120,
          null,
          5,
          null,
          "key",
          null,
          "ua",
          "org",
          TestFixtures.T0 - 1000,
          new float[] {0.5f, 0.25f, 0.25f},
          null,
          null,
          null);

  private static final Decision THROTTLE_DECISION =
      new Decision(
          Level.THROTTLE,
          List.of(new Reason("sweep", "coverage_entropy", 0.91, 0.75)),
          Optional.of(new ThrottlePlan(Map.of("arithmetic", 0.1), Duration.ofMinutes(60))));

  private static final SignalSnapshot SIGNALS =
      new SignalSnapshot(
          412, TestFixtures.T0, Map.of("coverage_entropy", 0.91, "rate_per_min", 41.0));

  private static <T> T roundTrip(Object o) {
    Object back = SER.verifySerialization(o, false);
    // The binding is the one configured for the marker interface, not Java serialization.
    assertThat(
            Serializers.manifestFor(
                SerializationExtension.get(TEST_KIT.system().classicSystem()).findSerializerFor(o),
                o))
        .isNotNull();
    assertThat(
            SerializationExtension.get(TEST_KIT.system().classicSystem())
                .findSerializerFor(o)
                .getClass()
                .getSimpleName())
        .isEqualTo(
            o instanceof AccountEntity.ObservationRecorded
                ? "ObservationRecordedSerializer" // the account journal's compact form
                : "JacksonCborSerializer");
    @SuppressWarnings("unchecked")
    T t = (T) back;
    return t;
  }

  private static void assertSameObservation(AccountObservation a, AccountObservation b) {
    assertThat(b).usingRecursiveComparison().isEqualTo(a);
  }

  @Test
  void commands() {
    TestProbe<StatusReply<Done>> ack = TEST_KIT.createTestProbe();
    AccountEntity.RecordObservation record =
        roundTrip(new AccountEntity.RecordObservation(OBS, ack.ref()));
    assertSameObservation(OBS, record.observation());
    assertThat(record.replyTo()).isEqualTo(ack.ref());
    // A batch crosses nodes too (the entity may live on another one).
    AccountEntity.RecordObservations batch =
        roundTrip(new AccountEntity.RecordObservations(java.util.List.of(OBS, OBS), ack.ref()));
    assertThat(batch.observations()).hasSize(2);
    assertSameObservation(OBS, batch.observations().get(1));
    assertThat(batch.replyTo()).isEqualTo(ack.ref());

    TestProbe<AccountStatus> status = TEST_KIT.createTestProbe();
    SER.verifySerialization(new AccountEntity.GetStatus(status.ref()), true);

    TestProbe<StatusReply<AccountStatus>> review = TEST_KIT.createTestProbe();
    SER.verifySerialization(
        new AccountEntity.ReviewAccount(Level.CLEARED, "ana", "partner", review.ref()), true);
    SER.verifySerialization(
        new AccountEntity.ReviewAccount(Level.CONFIRMED, "ana", null, review.ref()), true);

    TestProbe<StatusReply<Long>> erase = TEST_KIT.createTestProbe();
    SER.verifySerialization(new AccountEntity.EraseAccount(erase.ref()), true);
    SER.verifySerialization(new AccountEntity.AccountErased(1_791_158_400_000L), true);
    SER.verifySerialization(
        new io.distillguard.actors.campaign.CampaignEntity.EraseMember("acct-1", erase.ref()),
        true);
    // The grouping singleton's answer crosses nodes, merges included.
    SER.verifySerialization(
        new io.distillguard.actors.campaign.CampaignGrouping.Routed(
            List.of(),
            List.of("acct-failed"),
            List.of(
                new io.distillguard.actors.campaign.CampaignGrouping.Merge(
                    "cmp-young", "cmp-old"))),
        true);
    // The own levels the effects projection hands the grouping singleton, on another node maybe.
    SER.verifySerialization(
        new io.distillguard.actors.campaign.CampaignGrouping.OwnLevels(
            List.of(
                new io.distillguard.actors.account.OwnLevel("acct-1", Level.REVIEW),
                new io.distillguard.actors.account.OwnLevel("acct-2", Level.CLEARED))),
        true);
  }

  @Test
  void aCampaignsStatusCrossesNodesWithItsCurrentSignals() {
    SER.verifySerialization(
        new io.distillguard.actors.campaign.CampaignEntity.CampaignStatus(
            "cmp-1",
            Level.OK,
            0L,
            List.of("acct-1", "acct-2"),
            List.of(),
            null,
            List.of(),
            null,
            SIGNALS),
        true);
  }

  @Test
  void aChunksMembersAreOneJournalEvent() {
    io.distillguard.campaign.MemberActivity activity =
        new io.distillguard.campaign.MemberActivity("acct-1");
    activity.query("law", 3_600_000L * 10);
    io.distillguard.campaign.MemberSummary one = activity.summary();
    io.distillguard.campaign.CampaignLink link =
        new io.distillguard.campaign.CampaignLink(
            new io.distillguard.campaign.LinkKey(
                io.distillguard.campaign.LinkType.SCAFFOLD, "00ff"),
            0.6,
            java.util.Set.of("acct-1", "acct-2"));
    io.distillguard.actors.campaign.CampaignEntity.MembersRecorded back =
        roundTrip(
            new io.distillguard.actors.campaign.CampaignEntity.MembersRecorded(
                List.of(
                    new io.distillguard.actors.campaign.CampaignEntity.RecordedMember(
                        one, List.of(link), true),
                    new io.distillguard.actors.campaign.CampaignEntity.RecordedMember(
                        one.withOwnLevel(Level.REVIEW), List.of(), false)),
                java.util.Map.of("split-sweep", new long[] {2, 7})));
    assertThat(back.members()).hasSize(2);
    assertThat(back.members().get(0).summary()).isEqualTo(one);
    assertThat(back.members().get(0).links()).containsExactly(link);
    assertThat(back.members().get(1).summary().ownLevel()).isEqualTo(Level.REVIEW);
    assertThat(back.joined()).containsExactly("acct-1");
    assertThat(back.holds().get("split-sweep")).containsExactly(2, 7);
  }

  @Test
  void aMemberSummarysActiveHoursArePackedAndTheListFormStillReads() throws Exception {
    io.distillguard.campaign.MemberActivity activity =
        new io.distillguard.campaign.MemberActivity("acct-1");
    long hour = 3_600_000L;
    long at = 1_791_158_400_000L;
    for (int i = 0; i < 300; i++) {
      at += hour * (1 + i % 4);
      activity.query("law", at);
    }
    io.distillguard.campaign.MemberSummary now = activity.summary();
    assertThat(now.activeHours()).hasSize(256);
    com.fasterxml.jackson.databind.ObjectMapper cbor =
        org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider.get(TEST_KIT.system())
            .getOrCreate("jackson-cbor", java.util.Optional.empty());
    com.fasterxml.jackson.databind.node.ObjectNode packed = cbor.valueToTree(now);
    assertThat(packed.has("activeHours")).isFalse();
    assertThat(packed.get("activeHoursPacked").binaryValue()).hasSizeLessThan(300);
    assertThat(cbor.treeToValue(packed, io.distillguard.campaign.MemberSummary.class))
        .isEqualTo(now);
    // Journaled before the packed form: a list of epoch hours.
    com.fasterxml.jackson.databind.node.ObjectNode listed = packed.deepCopy();
    listed.remove("activeHoursPacked");
    com.fasterxml.jackson.databind.node.ArrayNode hours = listed.putArray("activeHours");
    now.activeHours().forEach(hours::add);
    assertThat(cbor.treeToValue(listed, io.distillguard.campaign.MemberSummary.class))
        .isEqualTo(now);
    // The packed form takes a third of the list form's bytes or less.
    assertThat(cbor.writeValueAsBytes(packed).length * 3)
        .isLessThan(cbor.writeValueAsBytes(listed).length);
    SER.verifySerialization(
        new io.distillguard.actors.campaign.CampaignEntity.MemberRecorded(
            now, List.of(), true, java.util.Map.of()),
        false);
  }

  @Test
  void aMemberSummaryWithoutAnOwnLevelReadsAsUnknown() throws Exception {
    // Campaign events journaled before members carried their own level.
    io.distillguard.campaign.MemberSummary now =
        new io.distillguard.campaign.MemberSummary(
            "acct-1",
            3,
            java.util.Map.of("law", 3L),
            1L,
            2L,
            null,
            java.util.Set.of("law"),
            null,
            List.of(5L),
            Level.REVIEW);
    io.distillguard.campaign.MemberSummary read = journaledWithout(now, "ownLevel");
    assertThat(read.ownLevel()).isNull();
    assertThat(read.withOwnLevel(Level.REVIEW)).isEqualTo(now);
  }

  @Test
  void aMemberSummaryJournaledWithoutCategoryHoursReadsAsSayingNothingOfThem() throws Exception {
    io.distillguard.campaign.MemberActivity activity =
        new io.distillguard.campaign.MemberActivity("acct-1");
    activity.query("law", 3_600_000L * 10);
    activity.query("law", 3_600_000L * 12);
    io.distillguard.campaign.MemberSummary now = activity.summary();
    assertThat(now.categoryHours()).containsExactly(1);
    io.distillguard.campaign.MemberSummary read = journaledWithout(now, "categoryHours");
    assertThat(read.categoryHours()).isEmpty();
    assertThat(read.categories()).isEqualTo(now.categories());
    assertThat(read.meanHours()).isEmpty();
  }

  /**
   * {@code now} round-trips in a journaled campaign event; read back from its CBOR without {@code
   * field}, as a summary journaled before the field existed.
   */
  private static io.distillguard.campaign.MemberSummary journaledWithout(
      io.distillguard.campaign.MemberSummary now, String field) throws Exception {
    SER.verifySerialization(
        new io.distillguard.actors.campaign.CampaignEntity.MemberRecorded(
            now, List.of(), true, java.util.Map.of()),
        true);
    com.fasterxml.jackson.databind.ObjectMapper cbor =
        org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider.get(TEST_KIT.system())
            .getOrCreate("jackson-cbor", java.util.Optional.empty());
    com.fasterxml.jackson.databind.node.ObjectNode before = cbor.valueToTree(now);
    before.remove(field);
    return cbor.treeToValue(before, io.distillguard.campaign.MemberSummary.class);
  }

  @Test
  void events() {
    DetectionState.Hysteresis hysteresis =
        new DetectionState.Hysteresis(
            Level.REVIEW,
            TestFixtures.T0,
            TestFixtures.T0 + 5,
            Map.of("three-categories", new DetectionState.RuleHold(3, TestFixtures.T0)));
    AccountEntity.ObservationRecorded recorded =
        roundTrip(
            new AccountEntity.ObservationRecorded(
                OBS,
                7,
                hysteresis,
                THROTTLE_DECISION,
                "policy-7",
                new EventTimeSettings(3_600_000L, 60_000L),
                4.25));
    assertSameObservation(OBS, recorded.observation());
    assertThat(recorded.hysteresis()).isEqualTo(hysteresis);
    assertThat(recorded.decision()).isEqualTo(THROTTLE_DECISION);
    assertThat(recorded.policyVersion()).isEqualTo("policy-7");
    assertThat(recorded.eventTime()).isEqualTo(new EventTimeSettings(3_600_000L, 60_000L));
    assertThat(recorded.evidenceScore()).isEqualTo(4.25);
    AccountEntity.ObservationRecorded unchanged =
        roundTrip(
            new AccountEntity.ObservationRecorded(
                OBS, 8, hysteresis, null, null, EventTimeSettings.DEFAULT, 0.0));
    assertThat(unchanged.decision()).isNull();
    assertThat(unchanged.queriesObserved()).isEqualTo(8);
    SER.verifySerialization(
        new AccountEntity.LevelChanged(
            Level.REVIEW, Level.THROTTLE, "e-1", THROTTLE_DECISION, SIGNALS, "policy-7", true),
        true);
    SER.verifySerialization(
        new AccountEntity.LevelChanged(
            Level.OK,
            Level.WATCH,
            "e-2",
            new Decision(Level.WATCH, List.of(), Optional.empty()),
            SIGNALS,
            "policy-7",
            true),
        true);
    SER.verifySerialization(
        new AccountEntity.Reviewed(Level.CLEARED, "ana", "ok", 123L, 412L, SIGNALS), true);
    SER.verifySerialization(
        new AccountEntity.Reviewed(Level.CONFIRMED, "ana", null, 123L, 1L, null), true);
  }

  @Test
  void replies() {
    SER.verifySerialization(
        new AccountStatus(
            "acct-1",
            Level.REVIEW,
            412,
            TestFixtures.T0,
            TestFixtures.T0,
            SIGNALS.values(),
            THROTTLE_DECISION.reasons(),
            "ana",
            "note",
            5L,
            "cmp-0123456789abcdef"),
        true);
  }

  @Test
  void stateIsSnapshottedThroughTheCompactDetectionBytes() {
    AccountDetector detector = TestFixtures.detector();
    DetectionState d = detector.newState();
    Evaluation last = null;
    for (AccountObservation o : TestFixtures.campaign("acct-1")) {
      last = detector.observe(d, o);
    }
    AccountState empty = new io.distillguard.actors.account.AccountEntityStates().empty(detector);
    SER.verifySerialization(empty, true);
    AccountState state = new io.distillguard.actors.account.AccountEntityStates().of(d, last);
    AccountState back = roundTrip(state);
    assertThat(back).isEqualTo(state);
    assertThat(back.level()).isEqualTo(Level.THROTTLE);
    assertThat(back.queriesObserved()).isEqualTo(8);
    assertThat(back.decision().throttle()).isPresent();
  }
}
