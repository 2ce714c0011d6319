package io.distillguard.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The merge rule at production scale: groups of thousands of accounts. Coincidental edges between
 * two unrelated groups grow with the product of their sizes, so a support count (a share of the
 * smaller group's members with an edge across) is reached by coincidence; the density criterion
 * ({@link JoinRule#denseAcross}) compares the edges across with the density within.
 */
class JoinRuleDensityTest {

  private static final LinkHasher HASHER = LinkHasher.localDefault();
  private static final ToDoubleFunction<LinkKey> RARE = k -> k.type().baseWeight();
  private static final int SIZE = 2_000;

  /** Edges from each new member to this many earlier members of its group. */
  private static final int WITHIN = 6;

  /** An edge: the same address and the same mail domain (two independent kinds). */
  private static void edge(CampaignGrouper g, String a, String b, String net, String domain) {
    g.link(a, b, HASHER.key(LinkType.IP, net), 1, RARE, 0.25);
    g.link(a, b, HASHER.key(LinkType.EMAIL_DOMAIN, domain), 1, RARE, 0.25);
  }

  /** A group of SIZE accounts, each linked to WITHIN random earlier ones. */
  private static List<String> group(CampaignGrouper g, String prefix, Random rng) {
    List<String> members = new ArrayList<>();
    for (int i = 0; i < SIZE; i++) {
      String m = prefix + "-" + i;
      Set<Integer> to = new HashSet<>();
      while (to.size() < Math.min(i, WITHIN)) {
        to.add(rng.nextInt(i));
      }
      for (int j : to) {
        edge(g, m, members.get(j), prefix + "-net", prefix + ".example");
      }
      members.add(m);
    }
    assertThat(g.groupOf(members.get(0)).members()).hasSize(SIZE);
    return members;
  }

  /** Adds {@code edges} random edges between the two groups, each through keys of its own. */
  private static void across(
      CampaignGrouper g, List<String> x, List<String> y, int edges, Random rng) {
    for (int i = 0; i < edges; i++) {
      String a = x.get(rng.nextInt(x.size()));
      String b = y.get(rng.nextInt(y.size()));
      edge(g, a, b, "coincidence-net-" + i, "coincidence-" + i + ".example");
    }
  }

  @Test
  void twoLegitimateGroupsOfThousandsWithCoincidentalEdgesStayApart() {
    Random rng = new Random(7);
    CampaignGrouper g = new CampaignGrouper();
    List<String> office = group(g, "office", rng);
    List<String> campus = group(g, "campus", rng);
    // One pair in 4,000 linked by coincidence (same address and mail domain on the same day): 1,000
    // edges across 4 million pairs. About 39% of each group's members have one, past the 30%
    // support the merge rule asks of the smaller group, so support alone would merge them; the
    // density across (2.5e-4) is a twenty-fourth of the density within (6e-3).
    across(g, office, campus, 1_000, rng);
    assertThat(g.groupOf(office.get(0)).id()).isNotEqualTo(g.groupOf(campus.get(0)).id());
    assertThat(g.groupOf(office.get(0)).members()).hasSize(SIZE);
    assertThat(g.groupOf(campus.get(0)).members()).hasSize(SIZE);
  }

  @Test
  void aCampaignSplitAcrossTwoGroupsOfThousandsMerges() {
    Random rng = new Random(11);
    CampaignGrouper g = new CampaignGrouper();
    List<String> first = group(g, "first", rng);
    List<String> second = group(g, "second", rng);
    // The halves of one campaign are linked across as they are within: as many edges across as
    // each half holds within itself.
    across(g, first, second, WITHIN * SIZE, rng);
    assertThat(g.groupOf(first.get(0)).id()).isEqualTo(g.groupOf(second.get(0)).id());
    assertThat(g.groupOf(first.get(0)).members()).hasSize(2 * SIZE);
  }

  @Test
  void densityAcrossIsMeasuredAgainstTheDensityWithin() {
    // Between small groups a handful of edges is far above any coincidence: the support decides.
    assertThat(JoinRule.denseAcross(3, 45, 10, 10)).isTrue();
    // 1,000 edges across 2,000 x 2,000 pairs against 12,000 within 2,000: apart.
    assertThat(JoinRule.denseAcross(1_000, 12_000, 2_000, 2_000)).isFalse();
    // A quarter of the density within is enough, below the floor of one pair in 500.
    assertThat(JoinRule.denseAcross(6_100, 12_000, 2_000, 2_000)).isTrue();
    assertThat(JoinRule.denseAcross(5_000, 12_000, 2_000, 2_000)).isFalse();
  }
}
