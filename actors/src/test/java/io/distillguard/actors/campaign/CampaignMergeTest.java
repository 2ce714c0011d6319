package io.distillguard.actors.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.campaign.CampaignLink;
import io.distillguard.campaign.LinkHasher;
import io.distillguard.campaign.LinkKey;
import io.distillguard.campaign.LinkType;
import io.distillguard.campaign.MemberSummary;
import io.distillguard.policy.Level;
import io.distillguard.policy.Policy;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A merge is a persisted fact on both sides: the absorbed campaign journals that it merged (and
 * then records nothing more), the survivor journals the members it took over and carries the
 * absorbed campaign's open case, once.
 */
class CampaignMergeTest {

  private static final ActorTestKit TEST_KIT =
      ActorTestKit.create(EventSourcedBehaviorTestKit.config());
  private static final LinkHasher HASHER = LinkHasher.localDefault();
  private static final LinkKey SCAFFOLD = HASHER.key(LinkType.SCAFFOLD, "wrapper");
  private static final LinkKey BURST = HASHER.key(LinkType.SIGNUP_BURST, "h493000");
  private static final long T0 = 1_791_158_400_000L;

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
    return EventSourcedBehaviorTestKit.create(
        TEST_KIT.system(), CampaignEntity.create(id, Policy::loadDefault, 10, Clock.systemUTC()));
  }

  @AfterEach
  void tearDown() {
    absorbed.clear();
    survivor.clear();
  }

  @AfterAll
  static void shutdown() {
    TEST_KIT.shutdownTestKit();
  }

  private static MemberSummary member(String prefix, int m) {
    return new MemberSummary(
        prefix + m,
        30,
        Map.of("cat-" + (2 * m), 15L, "cat-" + (2 * m + 1), 15L),
        T0,
        T0 + 3_600_000L * m,
        T0 - 7_200_000L + 60_000L * m,
        Set.of("cat-" + (2 * m)),
        null,
        List.of(T0 / 3_600_000L));
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
}
