package io.distillguard.actors.campaign;

import static io.distillguard.actors.campaign.CampaignEntityKit.BURST;
import static io.distillguard.actors.campaign.CampaignEntityKit.SCAFFOLD;
import static io.distillguard.actors.campaign.CampaignEntityKit.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.campaign.CampaignLink;
import io.distillguard.campaign.MemberSummary;
import io.distillguard.policy.Level;
import io.distillguard.policy.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.Done;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The campaign entity on the persistence test kit (every command, event and state round-tripped
 * through its serializer): decisions are journaled facts that a recovery applies as recorded.
 */
class CampaignEntityTest {

  @RegisterExtension static final CampaignEntityKit KIT = new CampaignEntityKit();

  private EventSourcedBehaviorTestKit<
          CampaignEntity.Command, CampaignEntity.Event, CampaignEntityState>
      kit;

  @BeforeEach
  void setUp() {
    kit = KIT.entity("cmp-1");
  }

  /** Member m of a swarm: two categories of its own, 30 queries, signed up with the others. */
  private static MemberSummary member(int m, long queries) {
    return new MemberSummary(
        "swarm-" + m,
        queries,
        Map.of("cat-" + (2 * m), queries / 2, "cat-" + (2 * m + 1), queries - queries / 2),
        T0,
        T0 + 3_600_000L * m,
        T0 - 7_200_000L + 60_000L * m,
        Set.of("cat-" + (2 * m)),
        null,
        List.of(T0 / 3_600_000L),
        null);
  }

  private static List<CampaignLink> links(int upTo) {
    Set<String> members = new java.util.HashSet<>();
    for (int i = 0; i <= upTo; i++) {
      members.add("swarm-" + i);
    }
    return List.of(new CampaignLink(SCAFFOLD, 0.8, members), new CampaignLink(BURST, 0.6, members));
  }

  private CommandResultWithReply<
          CampaignEntity.Command, CampaignEntity.Event, CampaignEntityState, StatusReply<Done>>
      record(int m) {
    return kit.runCommand(
        replyTo -> new CampaignEntity.RecordMember(member(m, 30), links(m), replyTo));
  }

  @Test
  void aSwarmIsEscalatedOnceAndTheDecisionIsAJournaledFact() {
    List<CampaignEntity.LevelDecided> decisions = new ArrayList<>();
    for (int m = 0; m < 5; m++) {
      var result = record(m);
      assertThat(result.reply().isSuccess()).isTrue();
      result.events().stream()
          .filter(CampaignEntity.LevelDecided.class::isInstance)
          .map(CampaignEntity.LevelDecided.class::cast)
          .forEach(decisions::add);
    }
    assertThat(decisions).extracting(CampaignEntity.LevelDecided::to).containsExactly(Level.REVIEW);
    CampaignEntity.LevelDecided review = decisions.get(0);
    assertThat(review.escalation()).isTrue();
    assertThat(review.members()).hasSizeGreaterThanOrEqualTo(3);
    assertThat(review.reasons()).extracting(r -> r.rule()).contains("split-sweep");
    assertThat(review.policyVersion()).isEqualTo(Policy.loadDefault().version());

    // A recovery applies the recorded decision, whatever the policy says now.
    kit.restart();
    CampaignEntity.CampaignStatus status = kit.runCommand(CampaignEntity.GetCampaign::new).reply();
    assertThat(status.level()).isEqualTo(Level.REVIEW);
    assertThat(status.members()).hasSize(5);
  }

  @Test
  void aChunksMembersAreRecordedInOneCommandAndEvaluatedOnce() {
    List<CampaignEntity.Member> members = new ArrayList<>();
    for (int m = 0; m < 5; m++) {
      members.add(new CampaignEntity.Member(member(m, 30), links(m)));
    }
    // The same five members chunk after chunk, each standing for one observation: each chunk is
    // ONE evaluation that counts toward the rules' holds once per observation (five), so the
    // two-evaluation holds complete in the first chunk, and the campaign is decided once, on all
    // five.
    List<CampaignEntity.LevelDecided> decisions = new ArrayList<>();
    List<List<CampaignEntity.Event>> chunks = new ArrayList<>();
    for (int round = 0; round < 8; round++) {
      var result =
          kit.<StatusReply<Done>>runCommand(
              replyTo -> new CampaignEntity.RecordMembers(members, replyTo));
      assertThat(result.reply().isSuccess()).isTrue();
      chunks.add(result.events());
      List<CampaignEntity.LevelDecided> decided =
          result.events().stream()
              .filter(CampaignEntity.LevelDecided.class::isInstance)
              .map(CampaignEntity.LevelDecided.class::cast)
              .toList();
      assertThat(decided).hasSizeLessThanOrEqualTo(1);
      decisions.addAll(decided);
    }
    // The first chunk journals every member (all joined) as one event with the evaluation's
    // holds, then the decision.
    assertThat(chunks.get(0)).hasSize(2);
    assertThat(chunks.get(0).get(1)).isInstanceOf(CampaignEntity.LevelDecided.class);
    assertThat(chunks.get(0).get(0))
        .isInstanceOfSatisfying(
            CampaignEntity.MembersRecorded.class,
            r -> {
              assertThat(r.members()).hasSize(5).allSatisfy(m -> assertThat(m.joined()).isTrue());
              assertThat(r.joined()).hasSize(5);
              assertThat(r.holds()).isNotEmpty();
            });
    assertThat(decisions).extracting(CampaignEntity.LevelDecided::to).containsExactly(Level.REVIEW);
    assertThat(decisions.get(0).members()).hasSize(5);
    // Once the holds stop counting, an unchanged chunk journals nothing.
    assertThat(chunks.get(chunks.size() - 1)).isEmpty();

    // A recovery gives back the chunk's members and its decision.
    CampaignEntity.CampaignStatus live = kit.runCommand(CampaignEntity.GetCampaign::new).reply();
    kit.restart();
    assertThat(kit.runCommand(CampaignEntity.GetCampaign::new).reply()).isEqualTo(live);
    assertThat(live.level()).isEqualTo(Level.REVIEW);
    assertThat(live.members()).hasSize(5);
  }

  @Test
  void aMemberWhoJoinsLaterIsTaggedForTheFollowUpDelivery() {
    for (int m = 0; m < 4; m++) {
      record(m);
    }
    // Member 1 again, with more queries (an unchanged summary journals nothing).
    var again =
        kit.<StatusReply<Done>>runCommand(
            replyTo -> new CampaignEntity.RecordMember(member(1, 60), links(1), replyTo));
    var joined = record(4);
    assertThat(((CampaignEntity.MembersRecorded) again.events().get(0)).joined()).isEmpty();
    assertThat(((CampaignEntity.MembersRecorded) joined.events().get(0)).joined())
        .containsExactly("swarm-4");
  }

  @Test
  void aReviewerConfirmsOrClearsAndAClearedCampaignStaysQuiet() {
    for (int m = 0; m < 4; m++) {
      record(m);
    }
    var cleared =
        kit.runCommand(
            (org.apache.pekko.actor.typed.ActorRef<StatusReply<CampaignEntity.CampaignStatus>>
                    replyTo) ->
                new CampaignEntity.ReviewCampaign(Level.CLEARED, "ana", "a study group", replyTo));
    assertThat(cleared.reply().getValue().level()).isEqualTo(Level.CLEARED);
    // The same swarm, one more member: not twice the members it had when cleared.
    var more = record(4);
    assertThat(more.events()).noneMatch(CampaignEntity.LevelDecided.class::isInstance);
    kit.restart();
    assertThat(kit.runCommand(CampaignEntity.GetCampaign::new).reply().level())
        .isEqualTo(Level.CLEARED);

    var wrong =
        kit.runCommand(
            (org.apache.pekko.actor.typed.ActorRef<StatusReply<CampaignEntity.CampaignStatus>>
                    replyTo) ->
                new CampaignEntity.ReviewCampaign(Level.REVIEW, "ana", "", replyTo));
    assertThat(wrong.reply().isError()).isTrue();
  }

  @Test
  void anErasedMemberLeavesTheStateAndARecoveryFromTheFactDoesNotBringItBack() {
    for (int m = 0; m < 5; m++) {
      record(m);
    }
    Level before = kit.runCommand(CampaignEntity.GetCampaign::new).reply().level();
    var erased =
        kit.<StatusReply<Long>>runCommand(
            replyTo -> new CampaignEntity.EraseMember("swarm-2", replyTo));
    assertThat(erased.reply().getValue()).isPositive();
    CampaignEntity.MemberErased fact = (CampaignEntity.MemberErased) erased.event();
    assertThat(fact.campaign().members().keySet())
        .containsExactly("swarm-0", "swarm-1", "swarm-3", "swarm-4");
    assertThat(fact.campaign().links())
        .isNotEmpty()
        .allSatisfy(l -> assertThat(l.members()).doesNotContain("swarm-2").hasSizeGreaterThan(1));
    assertThat(fact.campaign().level()).isEqualTo(before);

    // The fact is the whole campaign: a recovery from it alone (the events before it deleted, as
    // the erasure does) and a recovery from the whole journal give the same campaign.
    kit.restart();
    CampaignEntity.CampaignStatus status = kit.runCommand(CampaignEntity.GetCampaign::new).reply();
    assertThat(status.members()).containsExactly("swarm-0", "swarm-1", "swarm-3", "swarm-4");
    assertThat(status.level()).isEqualTo(before);
    EventSourcedBehaviorTestKit<CampaignEntity.Command, CampaignEntity.Event, CampaignEntityState>
        fromFact = KIT.entity("cmp-2");
    fromFact.initialize(fact);
    assertThat(fromFact.getState().members().keySet())
        .containsExactly("swarm-0", "swarm-1", "swarm-3", "swarm-4");
    fromFact.clear();

    // Nothing more to erase: no fact, 0.
    var again =
        kit.<StatusReply<Long>>runCommand(
            replyTo -> new CampaignEntity.EraseMember("swarm-2", replyTo));
    assertThat(again.reply().getValue()).isZero();
    assertThat(again.hasNoEvents()).isTrue();
    // Another member is recorded as before.
    assertThat(record(5).reply().isSuccess()).isTrue();
    assertThat(kit.runCommand(CampaignEntity.GetCampaign::new).reply().members()).hasSize(5);
  }
}
