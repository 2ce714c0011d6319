package io.distillguard.actors.campaign;

import static io.distillguard.actors.campaign.CampaignEntityKit.BURST;
import static io.distillguard.actors.campaign.CampaignEntityKit.SCAFFOLD;
import static io.distillguard.actors.campaign.CampaignEntityKit.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.campaign.CampaignLink;
import io.distillguard.campaign.MemberSummary;
import io.distillguard.policy.Level;
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
 * What must hold: an erased account is never flagged by a campaign decision taken before its
 * erasure, across restarts of either side. The campaign answers, from its journal, which of its
 * words (member flags by journal event) are about a history erased since ({@link
 * CampaignEntity.VoidWords}); on the persistence test kit, restarts included.
 */
class CampaignErasedWordsTest {

  @RegisterExtension static final CampaignEntityKit KIT = new CampaignEntityKit();

  private EventSourcedBehaviorTestKit<
          CampaignEntity.Command, CampaignEntity.Event, CampaignEntityState>
      kit;

  @BeforeEach
  void setUp() {
    kit = KIT.entity("cmp-erased");
  }

  private static MemberSummary member(int m) {
    return new MemberSummary(
        "swarm-" + m,
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

  private static List<CampaignLink> links(int upTo) {
    Set<String> members = new HashSet<>();
    for (int i = 0; i <= upTo; i++) {
      members.add("swarm-" + i);
    }
    return List.of(new CampaignLink(SCAFFOLD, 0.8, members), new CampaignLink(BURST, 0.6, members));
  }

  private void record(int m) {
    StatusReply<Done> reply =
        kit.<StatusReply<Done>>runCommand(
                r -> new CampaignEntity.RecordMember(member(m), links(m), r))
            .reply();
    assertThat(reply.isSuccess()).isTrue();
  }

  private List<CampaignEntity.Word> voided(CampaignEntity.Word... words) {
    return kit.runCommand(
            (org.apache.pekko.actor.typed.ActorRef<CampaignEntity.VoidedWords> r) ->
                new CampaignEntity.VoidWords(List.of(words), r))
        .reply()
        .words();
  }

  private static CampaignEntity.Word word(int m, long seq) {
    return new CampaignEntity.Word("swarm-" + m, seq);
  }

  private long erase(int m) {
    return kit.runCommand(
            (org.apache.pekko.actor.typed.ActorRef<org.apache.pekko.pattern.StatusReply<Long>> r) ->
                new CampaignEntity.EraseMember("swarm-" + m, r))
        .reply()
        .getValue();
  }

  @Test
  void aWordDecidedBeforeAMembersErasureStaysVoidAcrossRestarts() {
    for (int m = 0; m < 5; m++) {
      record(m);
    }
    CampaignEntity.CampaignStatus before = kit.runCommand(CampaignEntity.GetCampaign::new).reply();
    assertThat(before.level()).isEqualTo(Level.REVIEW);
    long decided = 5; // a word of the campaign's first events: every member still stands by it
    assertThat(voided(word(1, decided), word(3, decided))).isEmpty();

    long fact = erase(3);
    assertThat(fact).isGreaterThan(decided);
    // The flag delivery (or the account) restarts after the erasure: the campaign answers from
    // its journal.
    kit.restart();
    assertThat(voided(word(1, decided), word(3, decided), word(3, fact - 1)))
        .containsExactlyInAnyOrder(word(3, decided), word(3, fact - 1));
    // The campaign itself restarts too: the fact is in its journal.
    kit.restart();
    assertThat(voided(word(0, 1), word(3, decided))).containsExactly(word(3, decided));
    assertThat(kit.runCommand(CampaignEntity.GetCampaign::new).reply().members())
        .hasSize(4)
        .doesNotContain("swarm-3");
  }

  @Test
  void anErasedAccountThatJoinsAgainHearsOnlyTheWordsAboutItsNewHistory() {
    for (int m = 0; m < 5; m++) {
      record(m);
    }
    long fact = erase(3);
    // The same account id comes back with a new history and links to the campaign again.
    var again =
        kit.<StatusReply<Done>>runCommand(
                r -> new CampaignEntity.RecordMember(member(3), links(4), r))
            .events();
    assertThat(again).isNotEmpty();
    kit.restart();
    long rejoined = fact + 1;
    assertThat(voided(word(3, fact - 1), word(3, rejoined), word(0, fact - 1)))
        .containsExactly(word(3, fact - 1));

    // A second erasure of another member leaves the first one's marks in force.
    long second = erase(1);
    kit.restart();
    assertThat(voided(word(3, fact - 1), word(3, rejoined), word(1, second - 1), word(2, 2)))
        .containsExactlyInAnyOrder(word(3, fact - 1), word(1, second - 1));
  }

  @Test
  void aCampaignThatNeverLostAMemberVoidsNothing() {
    for (int m = 0; m < 4; m++) {
      record(m);
    }
    kit.restart();
    assertThat(voided(word(0, 1), word(2, 3), word(7, 2))).isEmpty();
  }
}
