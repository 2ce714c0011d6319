package io.distillguard.actors.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.actors.campaign.CampaignEntity.Member;
import io.distillguard.campaign.CampaignLink;
import io.distillguard.campaign.LinkKey;
import io.distillguard.campaign.LinkType;
import io.distillguard.campaign.MemberSummary;
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
 * included.
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

    CampaignEntityState oneByOne = state;
    for (Member m : chunk) {
      oneByOne = MemberRecords.apply(oneByOne, m.summary(), m.links(), null);
    }
    CampaignEntityState atOnce = MemberRecords.recordedAll(state, chunk);

    assertThat(atOnce.members()).containsExactlyEntriesOf(oneByOne.members());
    assertThat(atOnce.links()).containsExactlyElementsOf(oneByOne.links());
    assertThat(atOnce.links()).hasSize(CampaignEntity.MAX_LINKS);
    assertThat(atOnce.members().get("acct-0").queries()).isEqualTo(999);
    // The state it was decided against is left as it was.
    assertThat(state.members()).hasSize(50);
    assertThat(state.links()).containsExactlyElementsOf(links);
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
