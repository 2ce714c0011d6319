package io.distillguard.actors.campaign;

import static io.distillguard.actors.campaign.CampaignEntityKit.BURST;
import static io.distillguard.actors.campaign.CampaignEntityKit.SCAFFOLD;
import static io.distillguard.actors.campaign.CampaignEntityKit.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.campaign.CampaignLink;
import io.distillguard.campaign.MemberSummary;
import io.distillguard.policy.Level;
import io.distillguard.policy.Policy;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.Done;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A merge is a persisted fact on both sides: the absorbed campaign journals that it merged (and
 * then records nothing more), the survivor journals the members it took over and carries the
 * absorbed campaign's open case, once. The survivor journals the merge as an intent first and
 * carries it on until the absorbed side hands over, through failed attempts and a restart.
 */
class CampaignMergeTest {

  @RegisterExtension static final CampaignEntityKit KIT = new CampaignEntityKit();

  private EventSourcedBehaviorTestKit<
          CampaignEntity.Command, CampaignEntity.Event, CampaignEntityState>
      absorbed;
  private EventSourcedBehaviorTestKit<
          CampaignEntity.Command, CampaignEntity.Event, CampaignEntityState>
      survivor;

  @BeforeEach
  void setUp() {
    absorbed = kit("cmp-young");
    survivor = kit("cmp-old");
  }

  private static EventSourcedBehaviorTestKit<
          CampaignEntity.Command, CampaignEntity.Event, CampaignEntityState>
      kit(String id) {
    return KIT.entity(id);
  }

  /** A campaign that reaches the ones it absorbs through {@code transport}. */
  private static EventSourcedBehaviorTestKit<
          CampaignEntity.Command, CampaignEntity.Event, CampaignEntityState>
      kit(String id, MergeTransport transport) {
    return KIT.entity(
        CampaignBehaviors.create(
            id,
            Policy::loadDefault,
            10,
            CampaignEntity.DEFAULT_SNAPSHOT_EVERY,
            Clock.systemUTC(),
            transport));
  }

  /** Member {@code m} of a test campaign: two categories of its own, signed up a minute apart. */
  static MemberSummary member(String prefix, int m) {
    return new MemberSummary(
        prefix + m,
        30,
        Map.of("cat-" + (2 * m), 15L, "cat-" + (2 * m + 1), 15L),
        T0,
        T0 + 3_600_000L * m,
        T0 - 7_200_000L + 60_000L * m,
        Set.of("cat-" + (2 * m)),
        null,
        List.of(T0 / 3_600_000L),
        null);
  }

  private static void record(
      EventSourcedBehaviorTestKit<CampaignEntity.Command, CampaignEntity.Event, CampaignEntityState>
          kit,
      String prefix,
      int members) {
    Set<String> on = new HashSet<>();
    for (int m = 0; m < members; m++) {
      on.add(prefix + m);
      List<CampaignLink> links =
          List.of(new CampaignLink(SCAFFOLD, 0.8, on), new CampaignLink(BURST, 0.6, on));
      MemberSummary s = member(prefix, m);
      assertThat(
              kit.<StatusReply<Done>>runCommand(
                      replyTo -> new CampaignEntity.RecordMember(s, links, replyTo))
                  .reply()
                  .isSuccess())
          .isTrue();
    }
  }

  private CampaignEntity.Handover mergeInto(String survivorId) {
    StatusReply<CampaignEntity.Handover> reply =
        absorbed
            .<StatusReply<CampaignEntity.Handover>>runCommand(
                replyTo -> new CampaignEntity.MergeInto(survivorId, replyTo))
            .reply();
    assertThat(reply.isSuccess()).isTrue();
    return reply.getValue();
  }

  @Test
  void theAbsorbedCampaignRecordsTheMergeAndHandsOverItsMembersAndOpenCase() {
    record(absorbed, "young-", 5);
    assertThat(absorbed.getState().level()).isEqualTo(Level.REVIEW);
    record(survivor, "old-", 2);
    assertThat(survivor.getState().level()).isEqualTo(Level.OK);

    CampaignEntity.Handover handover = mergeInto("cmp-old");
    assertThat(handover.members()).hasSize(5);
    assertThat(handover.level()).isEqualTo(Level.REVIEW);
    // Asked again (a retry): the same handover, no second fact.
    var again =
        absorbed.<StatusReply<CampaignEntity.Handover>>runCommand(
            replyTo -> new CampaignEntity.MergeInto("cmp-old", replyTo));
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(again.reply().getValue().members()).hasSize(5);
    absorbed.restart();
    CampaignEntity.CampaignStatus merged =
        absorbed.runCommand(CampaignEntity.GetCampaign::new).reply();
    assertThat(merged.mergedInto()).isEqualTo("cmp-old");
    // A merged campaign records nothing more and takes no review: both live on in the survivor.
    var late =
        absorbed.<StatusReply<Done>>runCommand(
            replyTo -> new CampaignEntity.RecordMember(member("young-", 9), List.of(), replyTo));
    assertThat(late.reply().isError()).isTrue();
    assertThat(late.hasNoEvents()).isTrue();
    var review =
        absorbed.<StatusReply<CampaignEntity.CampaignStatus>>runCommand(
            replyTo -> new CampaignEntity.ReviewCampaign(Level.CONFIRMED, "ana", "", replyTo));
    assertThat(review.reply().isError()).isTrue();

    var absorb =
        survivor.<StatusReply<Done>>runCommand(
            replyTo -> new CampaignEntity.AbsorbCampaign("cmp-young", handover, replyTo));
    assertThat(absorb.reply().isSuccess()).isTrue();
    assertThat(absorb.events()).hasSize(2);
    assertThat(absorb.events().get(0)).isInstanceOf(CampaignEntity.Absorbed.class);
    CampaignEntity.LevelDecided carried = (CampaignEntity.LevelDecided) absorb.events().get(1);
    assertThat(carried.to()).isEqualTo(Level.REVIEW);
    assertThat(carried.escalation()).isTrue();
    assertThat(carried.members()).hasSize(7);
    assertThat(carried.reasons()).extracting(r -> r.rule()).containsExactly("merged-campaign");
    // Once per absorbed campaign.
    var twice =
        survivor.<StatusReply<Done>>runCommand(
            replyTo -> new CampaignEntity.AbsorbCampaign("cmp-young", handover, replyTo));
    assertThat(twice.reply().isSuccess()).isTrue();
    assertThat(twice.hasNoEvents()).isTrue();

    survivor.restart();
    CampaignEntity.CampaignStatus status =
        survivor.runCommand(CampaignEntity.GetCampaign::new).reply();
    assertThat(status.members()).hasSize(7).contains("young-0", "old-0");
    assertThat(status.level()).isEqualTo(Level.REVIEW);
    assertThat(status.mergedInto()).isNull();
  }

  @Test
  void aConfirmedAbsorbedCampaignConfirmsTheSurvivorAndAQuietOneChangesNothing() {
    assertThat(CampaignMerges.carried(Level.OK, Level.CONFIRMED)).contains(Level.CONFIRMED);
    assertThat(CampaignMerges.carried(Level.REVIEW, Level.WATCH)).isEmpty();
    assertThat(CampaignMerges.carried(Level.CLEARED, Level.REVIEW)).contains(Level.REVIEW);
    assertThat(CampaignMerges.carried(Level.CLEARED, Level.WATCH)).isEmpty();
    assertThat(CampaignMerges.carried(Level.CONFIRMED, Level.REVIEW)).isEmpty();
    assertThat(CampaignMerges.carried(Level.REVIEW, Level.CLEARED)).isEmpty();

    record(survivor, "old-", 2);
    CampaignEntity.Handover confirmed =
        new CampaignEntity.Handover(List.of(member("young-", 0)), List.of(), Level.CONFIRMED);
    var absorb =
        survivor.<StatusReply<Done>>runCommand(
            replyTo -> new CampaignEntity.AbsorbCampaign("cmp-young", confirmed, replyTo));
    assertThat(absorb.events()).hasSize(2);
    CampaignEntity.Reviewed r = (CampaignEntity.Reviewed) absorb.events().get(1);
    assertThat(r.verdict()).isEqualTo(Level.CONFIRMED);
    assertThat(r.reviewer()).isEqualTo(CampaignMerges.MERGE_REVIEWER);
    assertThat(survivor.getState().level()).isEqualTo(Level.CONFIRMED);
  }

  @Test
  void aCampaignThatNeverRecordedAMemberHandsOverNothingAndPersistsNothing() {
    var reply =
        absorbed.<StatusReply<CampaignEntity.Handover>>runCommand(
            replyTo -> new CampaignEntity.MergeInto("cmp-old", replyTo));
    assertThat(reply.hasNoEvents()).isTrue();
    assertThat(reply.reply().getValue().members()).isEmpty();
  }

  /** A campaign entity of its own, as sharding would start it, reached through its ref. */
  private static org.apache.pekko.actor.typed.ActorRef<CampaignEntity.Command> spawn(String id) {
    return KIT.testKit()
        .spawn(CampaignBehaviors.create(id, Policy::loadDefault, 10, Clock.systemUTC()));
  }

  private static void recordVia(
      org.apache.pekko.actor.typed.ActorRef<CampaignEntity.Command> entity,
      String prefix,
      int members) {
    Set<String> on = new HashSet<>();
    for (int m = 0; m < members; m++) {
      on.add(prefix + m);
      List<CampaignLink> links =
          List.of(
              new CampaignLink(SCAFFOLD, 0.8, Set.copyOf(on)),
              new CampaignLink(BURST, 0.6, Set.copyOf(on)));
      MemberSummary s = member(prefix, m);
      StatusReply<Done> reply =
          org.apache.pekko.actor.typed.javadsl.AskPattern
              .<CampaignEntity.Command, StatusReply<Done>>ask(
                  entity,
                  replyTo -> new CampaignEntity.RecordMember(s, links, replyTo),
                  java.time.Duration.ofSeconds(5),
                  KIT.testKit().system().scheduler())
              .toCompletableFuture()
              .join();
      assertThat(reply.isSuccess()).isTrue();
    }
  }

  private static CampaignEntity.CampaignStatus statusOf(
      org.apache.pekko.actor.typed.ActorRef<CampaignEntity.Command> entity) {
    return org.apache.pekko.actor.typed.javadsl.AskPattern
        .<CampaignEntity.Command, CampaignEntity.CampaignStatus>ask(
            entity,
            CampaignEntity.GetCampaign::new,
            java.time.Duration.ofSeconds(5),
            KIT.testKit().system().scheduler())
        .toCompletableFuture()
        .join();
  }

  /**
   * The way a survivor reaches the absorbed entity, failing (as a timed-out ask does) while {@code
   * failing} is above zero, counting down with each attempt.
   */
  private static MergeTransport failingFirst(
      java.util.concurrent.atomic.AtomicInteger failing,
      java.util.concurrent.atomic.AtomicInteger attempts,
      org.apache.pekko.actor.typed.ActorRef<CampaignEntity.Command> absorbedRef) {
    return (absorbedId, survivorId) -> {
      attempts.incrementAndGet();
      if (failing.getAndDecrement() > 0) {
        return java.util.concurrent.CompletableFuture.failedFuture(
            new java.util.concurrent.TimeoutException("ask of " + absorbedId + " timed out"));
      }
      return org.apache.pekko.actor.typed.javadsl.AskPattern.askWithStatus(
          absorbedRef,
          replyTo -> new CampaignEntity.MergeInto(survivorId, replyTo),
          java.time.Duration.ofSeconds(5),
          KIT.testKit().system().scheduler());
    };
  }

  @Test
  void aMergeWhoseAbsorbedSideFailsIsRetriedUntilOneLiveCampaignRemains() {
    var absorbedRef = spawn("cmp-flaky");
    recordVia(absorbedRef, "flaky-", 5);
    var failing = new java.util.concurrent.atomic.AtomicInteger(2);
    var attempts = new java.util.concurrent.atomic.AtomicInteger();
    var survivorKit = kit("cmp-steady", failingFirst(failing, attempts, absorbedRef));
    try {
      record(survivorKit, "steady-", 2);

      // The intent is journaled before the absorbed side is asked; the first attempt fails.
      var asked =
          survivorKit.<StatusReply<Done>>runCommand(
              replyTo -> new CampaignEntity.MergeFrom("cmp-flaky", replyTo));
      assertThat(asked.events()).hasSize(1).first().isInstanceOf(CampaignEntity.MergeStarted.class);
      assertThat(asked.reply().isError()).isTrue();

      // The survivor retries by itself until the absorbed side hands over: one live campaign.
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .untilAsserted(
              () -> assertThat(survivorKit.getState().absorbed()).containsExactly("cmp-flaky"));
      assertThat(attempts.get()).isEqualTo(3);
      CampaignEntityState merged = survivorKit.getState();
      assertThat(merged.pendingMerges()).isEmpty();
      assertThat(merged.members()).hasSize(7);
      assertThat(merged.mergedInto()).isNull();
      assertThat(merged.level()).isEqualTo(Level.REVIEW); // the absorbed campaign's open case
      assertThat(statusOf(absorbedRef).mergedInto()).isEqualTo("cmp-steady");

      // Asked again (the grouping re-found the group): acknowledged, nothing journaled twice.
      var again =
          survivorKit.<StatusReply<Done>>runCommand(
              replyTo -> new CampaignEntity.MergeFrom("cmp-flaky", replyTo));
      assertThat(again.reply().isSuccess()).isTrue();
      assertThat(again.hasNoEvents()).isTrue();
    } finally {
      survivorKit.clear();
    }
  }

  @Test
  void aMergeStartedBeforeARestartCompletesAfterIt() {
    var absorbedRef = spawn("cmp-far");
    recordVia(absorbedRef, "far-", 4);
    // The absorbed side is unreachable until the survivor's node has restarted.
    var failing = new java.util.concurrent.atomic.AtomicInteger(Integer.MAX_VALUE);
    var attempts = new java.util.concurrent.atomic.AtomicInteger();
    var survivorKit = kit("cmp-near", failingFirst(failing, attempts, absorbedRef));
    try {
      record(survivorKit, "near-", 2);
      var asked =
          survivorKit.<StatusReply<Done>>runCommand(
              replyTo -> new CampaignEntity.MergeFrom("cmp-far", replyTo));
      assertThat(asked.reply().isError()).isTrue();
      assertThat(survivorKit.getState().pendingMerges()).containsExactly("cmp-far");
      assertThat(statusOf(absorbedRef).mergedInto()).isNull();

      failing.set(0);
      survivorKit.restart();
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .untilAsserted(
              () -> assertThat(survivorKit.getState().absorbed()).containsExactly("cmp-far"));
      assertThat(survivorKit.getState().members()).hasSize(6);
      assertThat(survivorKit.getState().pendingMerges()).isEmpty();
      assertThat(statusOf(absorbedRef).mergedInto()).isEqualTo("cmp-near");
    } finally {
      survivorKit.clear();
    }
  }

  @Test
  void aCampaignThatMergesOnWithAMergePendingHandsItToItsSurvivor() {
    var unreachable = new java.util.concurrent.atomic.AtomicInteger(Integer.MAX_VALUE);
    var middleKit =
        kit(
            "cmp-middle",
            failingFirst(
                unreachable, new java.util.concurrent.atomic.AtomicInteger(), spawn("cmp-first")));
    try {
      record(middleKit, "middle-", 2);
      middleKit.<StatusReply<Done>>runCommand(
          replyTo -> new CampaignEntity.MergeFrom("cmp-first", replyTo));
      assertThat(middleKit.getState().pendingMerges()).containsExactly("cmp-first");

      // Before it completes, the middle campaign merges into a third: the pending merge goes along.
      StatusReply<CampaignEntity.Handover> handover =
          middleKit
              .<StatusReply<CampaignEntity.Handover>>runCommand(
                  replyTo -> new CampaignEntity.MergeInto("cmp-old", replyTo))
              .reply();
      assertThat(handover.getValue().pending()).containsExactly("cmp-first");
      var absorbed =
          survivor.<StatusReply<Done>>runCommand(
              replyTo ->
                  new CampaignEntity.AbsorbCampaign("cmp-middle", handover.getValue(), replyTo));
      assertThat(absorbed.events())
          .filteredOn(CampaignEntity.MergeStarted.class::isInstance)
          .extracting(e -> ((CampaignEntity.MergeStarted) e).absorbedId())
          .containsExactly("cmp-first");
      assertThat(survivor.getState().pendingMerges()).containsExactly("cmp-first");
    } finally {
      middleKit.clear();
    }
  }
}
