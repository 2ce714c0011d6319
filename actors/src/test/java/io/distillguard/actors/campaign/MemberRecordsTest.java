package io.distillguard.actors.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.actors.campaign.CampaignEntity.Member;
import io.distillguard.campaign.CampaignLink;
import io.distillguard.campaign.LinkKey;
import io.distillguard.campaign.LinkType;
import io.distillguard.campaign.MemberSummary;
import io.distillguard.policy.Policy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What a chunk of member records is decided on: the members copied once for the whole chunk give
 * the state that recording them one by one gives, members, their order and the bounded links
 * included; a large campaign is evaluated when it is due.
 */
class MemberRecordsTest {

  private static final long T0 = 1_791_158_400_000L;

  @Test
  void aChunkRecordedAtOnceLeavesTheStateRecordingItMemberByMemberLeaves() {
    Random rng = new Random(7);
    LinkedHashMap<String, MemberSummary> members = new LinkedHashMap<>();
    for (int i = 0; i < 50; i++) {
      members.put("acct-" + i, summary("acct-" + i, 10 + i));
    }
    List<CampaignLink> links = new ArrayList<>();
    for (int i = 0; i < CampaignEntity.MAX_LINKS - 5; i++) {
      links.add(link(i, rng.nextDouble()));
    }
    CampaignEntityState state = CampaignEntityState.empty().withMembers(members, links);

    // Members already recorded and new ones, one named twice; enough links to bound them each time.
    List<Member> chunk = new ArrayList<>();
    for (int k = 0; k < 40; k++) {
      String id = "acct-" + (k % 3 == 0 ? k : 100 + k);
      List<CampaignLink> carried = new ArrayList<>();
      for (int j = 0; j < 4; j++) {
        carried.add(link(rng.nextInt(CampaignEntity.MAX_LINKS + 40), rng.nextDouble()));
      }
      chunk.add(new Member(summary(id, 500 + k), carried));
    }
    chunk.add(new Member(summary("acct-0", 999), List.of(link(3, 0.99))));

    // An older journal's one event per member, against one event for the chunk.
    CampaignEntityState oneByOne = state;
    for (Member m : chunk) {
      oneByOne =
          MemberRecords.apply(
              oneByOne, new CampaignEntity.MemberRecorded(m.summary(), m.links(), false, null));
    }
    CampaignEntityState atOnce =
        MemberRecords.apply(
            state,
            new CampaignEntity.MembersRecorded(
                chunk.stream()
                    .map(m -> new CampaignEntity.RecordedMember(m.summary(), m.links(), false))
                    .toList(),
                null));

    assertThat(MemberRecords.recordedAll(state, chunk).members())
        .containsExactlyEntriesOf(atOnce.members());
    assertThat(atOnce.members()).containsExactlyEntriesOf(oneByOne.members());
    assertThat(atOnce.links()).containsExactlyElementsOf(oneByOne.links());
    assertThat(atOnce.links()).hasSize(CampaignEntity.MAX_LINKS);
    assertThat(atOnce.members().get("acct-0").queries()).isEqualTo(999);
    // The state it was decided against is left as it was.
    assertThat(state.members()).hasSize(50);
    assertThat(state.links()).containsExactlyElementsOf(links);
  }

  @Test
  void aLargeCampaignIsEvaluatedOnceItsMembersBroughtAQuarterOfItsSizeInObservations() {
    Policy p = Policy.loadDefault();
    LinkedHashMap<String, MemberSummary> forty = new LinkedHashMap<>();
    for (int i = 0; i < 40; i++) {
      forty.put("acct-" + i, summary("acct-" + i, 10 + i));
    }
    CampaignEntityState large = CampaignEntityState.empty().withMembers(forty, List.of());
    List<Member> grown = List.of(new Member(summary("acct-3", 200), List.of()));

    // Forty members: due once they brought ten observations since the last evaluation.
    MemberRecords.Outcome early = MemberRecords.decide("cmp-1", large, grown, p, 10, 0);
    assertThat(early.pendingObservations()).isEqualTo(1);
    assertThat(early.events())
        .singleElement()
        .isInstanceOfSatisfying(
            CampaignEntity.MembersRecorded.class,
            e -> {
              assertThat(e.holds()).isSameAs(large.holds());
              assertThat(e.members().get(0).summary().queries()).isEqualTo(200);
            });
    assertThat(MemberRecords.decide("cmp-1", large, grown, p, 10, 8).pendingObservations())
        .isEqualTo(9);
    assertThat(MemberRecords.decide("cmp-1", large, grown, p, 10, 9).pendingObservations())
        .isZero();
    // A chunk that brings them at once is evaluated at once; a record of no observation counts
    // as one.
    List<Member> ten = List.of(new Member(summary("acct-3", 200), List.of(), 10));
    assertThat(MemberRecords.decide("cmp-1", large, ten, p, 10, 0).pendingObservations()).isZero();
    List<Member> told = List.of(new Member(summary("acct-3", 200), List.of(), 0));
    assertThat(MemberRecords.decide("cmp-1", large, told, p, 10, 3).pendingObservations())
        .isEqualTo(4);

    // A small campaign is evaluated with every observation.
    LinkedHashMap<String, MemberSummary> three = new LinkedHashMap<>();
    for (int i = 0; i < 3; i++) {
      three.put("acct-" + i, summary("acct-" + i, 10 + i));
    }
    CampaignEntityState small = CampaignEntityState.empty().withMembers(three, List.of());
    assertThat(MemberRecords.decide("cmp-2", small, grown, p, 10, 0).pendingObservations())
        .isZero();
  }

  private static MemberSummary summary(String id, long queries) {
    return new MemberSummary(
        id,
        queries,
        Map.of("cat-" + (queries % 7), queries),
        T0,
        T0 + queries,
        T0,
        Set.of("cat-1"),
        null,
        List.of(T0 / 3_600_000L),
        null);
  }

  private static CampaignLink link(int i, double weight) {
    return new CampaignLink(
        new LinkKey(LinkType.IP, String.format("%016x", i)), weight, Set.of("acct-" + i % 50));
  }
}
