package io.distillguard.actors.campaign;

import static io.distillguard.actors.campaign.CampaignEntityKit.BURST;
import static io.distillguard.actors.campaign.CampaignEntityKit.SCAFFOLD;
import static io.distillguard.actors.campaign.CampaignEntityKit.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.campaign.CampaignLink;
import io.distillguard.campaign.LinkKey;
import io.distillguard.campaign.LinkType;
import io.distillguard.campaign.MemberSummary;
import io.distillguard.policy.Level;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Ban evasion in the campaign entity: once a reviewer CONFIRMED the campaign, an account that joins
 * it is a journaled late joiner, strong when its links hold content with infrastructure or
 * registration; a weak late joiner that later links strongly is recorded once more; members from
 * before the confirmation and joiners before it are not.
 */
class CampaignEvasionTest {

  @RegisterExtension static final CampaignEntityKit KIT = new CampaignEntityKit();
  private static final LinkKey IP = CampaignEntityKit.HASHER.key(LinkType.IP, "203.0.113.10");

  private EventSourcedBehaviorTestKit<
          CampaignEntity.Command, CampaignEntity.Event, CampaignEntityState>
      kit;

  @BeforeEach
  void setUp() {
    kit = KIT.entity("cmp-1");
  }

  private static MemberSummary member(String id, int m) {
    return new MemberSummary(
        id,
        30,
        Map.of("cat-" + (2 * m % 10), 15L, "cat-" + ((2 * m + 1) % 10), 15L),
        T0,
        T0 + 3_600_000L,
        T0 - 7_200_000L + 60_000L * m,
        Set.of("cat-" + (2 * m % 10)),
        null,
        List.of(T0 / 3_600_000L),
        null);
  }

  private List<CampaignEntity.Event> record(String id, int m, LinkKey... keys) {
    Set<String> on = new HashSet<>(List.of("swarm-0", id));
    List<CampaignLink> links =
        java.util.Arrays.stream(keys).map(k -> new CampaignLink(k, 0.8, on)).toList();
    var result =
        kit.<StatusReply<Done>>runCommand(
            replyTo -> new CampaignEntity.RecordMember(member(id, m), links, replyTo));
    assertThat(result.reply().isSuccess()).isTrue();
    return result.events();
  }

  private void review(Level verdict) {
    kit.runCommand(
        (ActorRef<StatusReply<CampaignEntity.CampaignStatus>> replyTo) ->
            new CampaignEntity.ReviewCampaign(verdict, "ana", "", replyTo));
  }

  private static List<CampaignEntity.JoinedAfterConfirmation> joins(
      List<CampaignEntity.Event> events) {
    return events.stream()
        .filter(CampaignEntity.JoinedAfterConfirmation.class::isInstance)
        .map(CampaignEntity.JoinedAfterConfirmation.class::cast)
        .toList();
  }

  @Test
  void accountsJoiningAConfirmedCampaignAreRecordedAsLateJoinersStrongOrNot() {
    for (int m = 0; m < 4; m++) {
      assertThat(joins(record("swarm-" + m, m, SCAFFOLD, BURST))).isEmpty();
    }
    review(Level.CONFIRMED);

    // A member from before the confirmation, seen again: nothing new.
    assertThat(joins(record("swarm-1", 1, SCAFFOLD, BURST))).isEmpty();

    // A fresh account on the scaffold and the sign-up burst: strong at once.
    List<CampaignEntity.JoinedAfterConfirmation> strong =
        joins(record("evader-1", 5, SCAFFOLD, BURST));
    assertThat(strong).hasSize(1);
    assertThat(strong.get(0).accountId()).isEqualTo("evader-1");
    assertThat(strong.get(0).strong()).isTrue();
    assertThat(joins(record("evader-1", 5, SCAFFOLD, BURST))).isEmpty();

    // One linked by infrastructure and registration only: a weak joiner, until its scaffold
    // links it too.
    List<CampaignEntity.JoinedAfterConfirmation> weak = joins(record("evader-2", 6, IP, BURST));
    assertThat(weak)
        .extracting(CampaignEntity.JoinedAfterConfirmation::strong)
        .containsExactly(false);
    assertThat(joins(record("evader-2", 6, IP, BURST))).isEmpty();
    assertThat(joins(record("evader-2", 6, IP, BURST, SCAFFOLD)))
        .extracting(CampaignEntity.JoinedAfterConfirmation::strong)
        .containsExactly(true);

    // The late joiners survive a recovery; a new review starts afresh.
    CampaignEntityState before = kit.getState();
    assertThat(before.lateJoiners())
        .containsEntry("evader-1", true)
        .containsEntry("evader-2", true);
    assertThat(kit.restart().state().lateJoiners()).isEqualTo(before.lateJoiners());
    review(Level.CLEARED);
    assertThat(kit.getState().lateJoiners()).isEmpty();
    assertThat(joins(record("evader-3", 7, SCAFFOLD, BURST))).isEmpty();
  }

  @Test
  void accountsMovedInByAMergeJoinAConfirmedCampaignAsAccountsJoiningItDirectly() {
    for (int m = 0; m < 4; m++) {
      record("swarm-" + m, m, SCAFFOLD, BURST);
    }
    review(Level.CONFIRMED);

    // Directly: one account on the scaffold and the sign-up burst, one on address and burst.
    List<CampaignEntity.JoinedAfterConfirmation> direct = new java.util.ArrayList<>();
    direct.addAll(joins(record("direct-1", 5, SCAFFOLD, BURST)));
    direct.addAll(joins(record("direct-2", 6, IP, BURST)));

    // By a merge: two accounts of another campaign, linked the same ways, and one the campaign
    // holds already (flagged by the confirmation itself).
    Set<String> moved = Set.of("swarm-0", "moved-1", "moved-2");
    CampaignEntity.Handover handover =
        new CampaignEntity.Handover(
            List.of(member("moved-1", 5), member("moved-2", 6), member("swarm-0", 0)),
            List.of(
                new CampaignLink(SCAFFOLD, 0.8, Set.of("swarm-0", "moved-1")),
                new CampaignLink(BURST, 0.8, moved),
                new CampaignLink(IP, 0.8, Set.of("swarm-0", "moved-2"))),
            Level.REVIEW);
    var absorbed =
        kit.<StatusReply<Done>>runCommand(
            replyTo -> new CampaignEntity.AbsorbCampaign("cmp-other", handover, replyTo));
    assertThat(absorbed.reply().isSuccess()).isTrue();
    List<CampaignEntity.JoinedAfterConfirmation> merged = joins(absorbed.events());

    // The same facts, so the same member levels and messages (the projection flags each
    // JoinedAfterConfirmation THROTTLE when strong, else REVIEW).
    assertThat(merged)
        .extracting(j -> j.accountId().replace("moved", "direct") + ":" + j.strong())
        .containsExactlyElementsOf(
            direct.stream().map(j -> j.accountId() + ":" + j.strong()).toList());
    assertThat(direct)
        .extracting(CampaignEntity.JoinedAfterConfirmation::strong)
        .containsExactly(true, false);
    assertThat(kit.getState().lateJoiners())
        .containsEntry("moved-1", true)
        .containsEntry("moved-2", false)
        .doesNotContainKey("swarm-0");
    assertThat(kit.getState().level()).isEqualTo(Level.CONFIRMED);

    // A member a reviewer confirmed with its own campaign stays throttled, however it links.
    CampaignEntity.Handover confirmed =
        new CampaignEntity.Handover(
            List.of(member("confirmed-1", 7)),
            List.of(new CampaignLink(BURST, 0.8, Set.of("swarm-0", "confirmed-1"))),
            Level.CONFIRMED);
    var fromConfirmed =
        kit.<StatusReply<Done>>runCommand(
            replyTo -> new CampaignEntity.AbsorbCampaign("cmp-third", confirmed, replyTo));
    assertThat(joins(fromConfirmed.events()))
        .extracting(CampaignEntity.JoinedAfterConfirmation::strong)
        .containsExactly(true);
  }
}
