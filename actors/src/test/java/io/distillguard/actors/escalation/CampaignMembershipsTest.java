package io.distillguard.actors.escalation;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.actors.campaign.CampaignEntity;
import io.distillguard.actors.campaign.CampaignEntityState;
import io.distillguard.campaign.MemberSummary;
import io.distillguard.policy.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.junit.jupiter.api.Test;

/**
 * What a starting campaign grouping learns of memberships: the projected rows brought up to date
 * with the campaign journal's events after the projection's offset.
 */
class CampaignMembershipsTest {

  private static final long T0 = 1_791_158_400_000L;

  private final List<EventEnvelope> tail = new ArrayList<>();

  private void event(long ordering, String campaign, CampaignEntity.Event e) {
    tail.add(
        EventEnvelope.apply(Offset.sequence(ordering), "Campaign|" + campaign, ordering, e, T0));
  }

  private static MemberSummary member(String id) {
    return new MemberSummary(
        id,
        3,
        Map.of("cat-0", 3L),
        T0,
        T0,
        T0,
        Set.of("cat-0"),
        null,
        List.of(T0 / 3_600_000L),
        null);
  }

  private static CampaignEntity.MembersRecorded joined(String account) {
    return new CampaignEntity.MembersRecorded(
        List.of(
            new CampaignEntity.RecordedMember(member("known"), List.of(), false),
            new CampaignEntity.RecordedMember(member(account), List.of(), true)),
        Map.of());
  }

  /** A member joining as journals written before one event per chunk hold it. */
  private static CampaignEntity.MemberRecorded joinedOneByOne(String account) {
    return new CampaignEntity.MemberRecorded(member(account), List.of(), true, Map.of());
  }

  private static CampaignEntityState restated(String... members) {
    LinkedHashMap<String, MemberSummary> kept = new LinkedHashMap<>();
    for (String m : members) {
      kept.put(m, member(m));
    }
    return new CampaignEntityState(
        kept,
        List.of(),
        Level.REVIEW,
        T0,
        T0,
        0,
        List.of(),
        Map.of(),
        null,
        Map.of(),
        null,
        List.of("cmp-y"),
        List.of(),
        null);
  }

  @Test
  void membersRecordedBeforeAFailoverButNotProjectedKeepTheirCampaign() {
    Map<String, String> rows = Map.of("a-1", "cmp-x", "a-2", "cmp-x", "b-1", "cmp-y");
    // Projected already (at or below the offset): changes nothing the rows do not say.
    event(10, "cmp-z", joined("stale"));
    // Not projected yet: a member that joined, one that moved by a merge, one erased.
    event(11, "cmp-x", joined("a-3"));
    event(12, "cmp-y", joinedOneByOne("b-2"));
    event(13, "cmp-y", new CampaignEntity.MergedInto("cmp-x", T0));
    event(14, "cmp-w", new CampaignEntity.Absorbed("cmp-v", List.of(member("v-1")), List.of(), T0));
    // a-2 is erased: the campaign restated without it.
    event(15, "cmp-x", new CampaignEntity.MemberErased(restated("a-1", "a-3", "b-1", "b-2"), T0));

    Map<String, String> m = CampaignMemberships.fold(rows, 10, tail);

    assertThat(m)
        .containsEntry("a-1", "cmp-x")
        .containsEntry("a-3", "cmp-x")
        .containsEntry("b-1", "cmp-x")
        .containsEntry("b-2", "cmp-x")
        .containsEntry("v-1", "cmp-w")
        .doesNotContainKey("stale")
        .doesNotContainKey("known") // recorded again, not joined: its campaign is another matter
        .doesNotContainKey("a-2");
  }

  @Test
  void aDeclaredOrganisationsPrincipalIsNoMembershipOfALinkedCampaign() {
    // a-1 is in the swarm cmp-x and in its organisation's principal: the grouping recovers the
    // swarm, whichever of the two recorded it last.
    String principal = io.distillguard.campaign.CampaignDetector.orgId("acme-corp");
    Map<String, String> rows = Map.of("a-1", "cmp-x");
    event(11, "cmp-x", joined("a-2"));
    event(12, principal, joined("a-1"));
    event(13, principal, joined("o-1"));

    Map<String, String> m = CampaignMemberships.fold(rows, 10, tail);

    assertThat(m)
        .containsEntry("a-1", "cmp-x")
        .containsEntry("a-2", "cmp-x")
        .doesNotContainKey("o-1")
        .doesNotContainValue(principal);
  }
}
