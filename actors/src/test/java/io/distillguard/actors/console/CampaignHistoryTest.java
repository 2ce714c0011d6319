package io.distillguard.actors.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.actors.TestFixtures;
import io.distillguard.actors.campaign.CampaignEntity;
import io.distillguard.actors.campaign.CampaignEntityState;
import io.distillguard.campaign.MemberSummary;
import io.distillguard.policy.Level;
import io.distillguard.policy.Reason;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CampaignHistoryTest {

  private static final List<String> CATEGORIES = TestFixtures.CATEGORIES;

  private static CampaignEntity.MemberRecorded member(
      String id, long queries, Map<String, Long> categories, Set<String> expected) {
    return new CampaignEntity.MemberRecorded(
        new MemberSummary(
            id,
            queries,
            categories,
            TestFixtures.T0,
            TestFixtures.T0 + 1000,
            null,
            expected,
            null,
            List.of(),
            null),
        List.of(),
        true,
        Map.of());
  }

  private static CampaignEntity.MembersRecorded chunk(CampaignEntity.MemberRecorded... each) {
    return new CampaignEntity.MembersRecorded(
        java.util.Arrays.stream(each)
            .map(e -> new CampaignEntity.RecordedMember(e.summary(), e.links(), e.joined()))
            .toList(),
        Map.of());
  }

  @Test
  void keepsEachMembersLatestSummaryTheDecisionsAndTheReviews() {
    String a = CATEGORIES.get(0);
    String b = CATEGORIES.get(1);
    String c = CATEGORIES.get(2);
    CampaignHistory h = new CampaignHistory(1);
    h.add(member("m-1", 1, Map.of(a, 1L), Set.of(a)));
    // One chunk's members in one event (an older journal holds one event per member, as above).
    h.add(
        chunk(
            member("m-2", 2, Map.of(b, 2L), Set.of(a)),
            member("m-1", 3, Map.of(a, 1L, c, 2L), Set.of(a))));
    h.add(
        new CampaignEntity.LevelDecided(
            Level.OK,
            Level.REVIEW,
            TestFixtures.T0 + 2000,
            List.of(new Reason("split-sweep", "complementarity", 3.0, 2.5)),
            null,
            List.of("m-1", "m-2"),
            List.of(),
            "v1",
            true));
    h.add(new CampaignEntity.Reviewed(Level.CLEARED, "ana", "a school", 99L, 2));

    // Members in the order they first appeared, each with its latest summary.
    assertThat(h.members().keySet()).containsExactly("m-1", "m-2");
    assertThat(h.members().get("m-1").queries()).isEqualTo(3);
    long[] union = h.union(CATEGORIES);
    assertThat(union[0]).isEqualTo(1);
    assertThat(union[1]).isEqualTo(2);
    assertThat(union[2]).isEqualTo(2);
    assertThat(h.statedUseCategory(CATEGORIES)).isEqualTo(a);
    // b and c tie at two queries; the first in the taxonomy's order wins.
    assertThat(h.topObservedCategory(CATEGORIES)).isEqualTo(b);
    assertThat(h.decisions()).singleElement().satisfies(d -> assertThat(d.members()).isEqualTo(2));
    assertThat(CampaignJson.audit(h))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.get("verdict")).isEqualTo("CLEARED");
              assertThat(r.get("note")).isEqualTo("a school");
            });
    assertThat(h.events()).isEqualTo(4);
  }

  @Test
  void anErasureFactRestatesTheMembers() {
    String a = CATEGORIES.get(0);
    CampaignHistory h = new CampaignHistory(1);
    h.add(member("m-1", 1, Map.of(a, 1L), Set.of(a)));
    h.add(member("m-2", 2, Map.of(a, 2L), Set.of(a)));
    CampaignEntityState restated =
        new CampaignEntityState(
            new java.util.LinkedHashMap<>(
                Map.of("m-2", member("m-2", 2, Map.of(a, 2L), Set.of(a)).summary())),
            List.of(),
            Level.OK,
            0,
            0,
            0,
            List.of(),
            Map.of(),
            null,
            Map.of(),
            null,
            List.of(),
            List.of(),
            null);
    h.add(new CampaignEntity.MemberErased(restated, TestFixtures.T0));
    assertThat(h.members().keySet()).containsExactly("m-2");
    assertThat(h.union(CATEGORIES)[0]).isEqualTo(2);
  }
}
