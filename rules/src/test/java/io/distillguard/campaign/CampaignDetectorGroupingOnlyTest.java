package io.distillguard.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.policy.Policy;
import io.distillguard.taxonomy.CapabilityTaxonomy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A detector that only groups forms the same campaigns, with the same members, summaries and links,
 * as one that also judges them; it judges nothing.
 */
class CampaignDetectorGroupingOnlyTest {

  private static final LinkHasher HASHER = LinkHasher.localDefault();
  private static final List<LinkKey> KEYS =
      List.of(
          HASHER.key(LinkType.SCAFFOLD, "Practice item for the study bank: %s"),
          HASHER.key(LinkType.IP, "203.0.113.9"),
          HASHER.key(LinkType.USER_AGENT, "Mozilla/5.0 (X11; Linux) sb/1.2"),
          HASHER.key(LinkType.SIGNUP_BURST, "h493000"));
  private static final long T0 = 1_791_158_400_000L;

  @Test
  void groupsAsTheJudgingDetectorDoesAndJudgesNothing() {
    Policy policy = Policy.loadDefault();
    List<String> categories = CapabilityTaxonomy.loadDefault().names();
    CampaignDetector judging = new CampaignDetector(() -> policy, categories);
    CampaignDetector grouping = new CampaignDetector(() -> policy, categories).groupingOnly();
    List<CampaignDetector.Update> judged = new ArrayList<>();
    List<CampaignDetector.Update> grouped = new ArrayList<>();
    // A swarm of eight accounts on shared keys splitting a sweep: each asks its own slice.
    for (int q = 0; q < 24; q++) {
      for (int a = 0; a < 8; a++) {
        List<String> slice = new ArrayList<>();
        for (int c = a; c < categories.size(); c += 8) {
          slice.add(categories.get(c));
        }
        String category = slice.get(q % slice.size());
        long at = T0 + q * 60_000L + a * 1_000L;
        judged.addAll(judging.observe("acct-" + a, at, category, KEYS));
        grouped.addAll(grouping.observe("acct-" + a, at, category, KEYS));
      }
    }

    assertThat(judged).isNotEmpty();
    assertThat(grouped).isEmpty();
    String id = judging.campaignOf("acct-0").orElseThrow();
    assertThat(grouping.campaignOf("acct-0")).contains(id);
    assertThat(grouping.linkedMembers(id)).isEqualTo(judging.linkedMembers(id)).hasSize(8);
    for (int a = 0; a < 8; a++) {
      assertThat(grouping.memberSummary("acct-" + a)).isEqualTo(judging.memberSummary("acct-" + a));
      assertThat(grouping.linksOf(id, "acct-" + a)).isEqualTo(judging.linksOf(id, "acct-" + a));
    }
  }
}
