package io.distillguard.bench.detection.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.distillguard.bench.detection.AccountKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CampaignScorerTest {

  private static CampaignLabel label(String id, CampaignKind kind, String group, int queries) {
    return new CampaignLabel(
        id, kind, group, kind == CampaignKind.LEGIT ? AccountKind.DOMAIN_APP : null, queries, "x");
  }

  @Test
  void countsWhatAGroupSentBeforeItsFirstMemberWasFlagged() {
    List<CampaignLabel> labels =
        List.of(
            label("a", CampaignKind.RESIDENTIAL_PROXY, "c1", 3),
            label("b", CampaignKind.RESIDENTIAL_PROXY, "c1", 3),
            label("f", CampaignKind.BAN_EVASION_FRESH, "c1", 2),
            label("u", CampaignKind.UNIVERSITY, "campus", 2),
            label("v", CampaignKind.UNIVERSITY, "campus", 2),
            label("l", CampaignKind.LEGIT, null, 2));
    // The stream: a b l a u b v a b l f u v f
    List<String> stream =
        List.of("a", "b", "l", "a", "u", "b", "v", "a", "b", "l", "f", "u", "v", "f");
    Map<String, CampaignScorer.Flag> viaCampaign =
        Map.of(
            // b flagged while processing the 6th event (its own 2nd query)
            "b", new CampaignScorer.Flag(6, 2),
            "a", new CampaignScorer.Flag(8, 3),
            "f", new CampaignScorer.Flag(11, 1),
            "l", new CampaignScorer.Flag(10, 2));
    Map<String, CampaignScorer.Flag> perAccount = Map.of("a", new CampaignScorer.Flag(4, 2));

    CampaignScorer.Score s = CampaignScorer.score(labels, stream, viaCampaign, perAccount);

    CampaignScorer.GroupRow c1 =
        s.groups().stream().filter(g -> g.groupId().equals("c1")).findFirst().orElseThrow();
    assertThat(c1.kind()).isEqualTo(CampaignKind.RESIDENTIAL_PROXY);
    assertThat(c1.members()).isEqualTo(3);
    assertThat(c1.queries()).isEqualTo(8);
    assertThat(c1.caught()).isTrue();
    // Events 1..6 processed: a, b, a, b of the campaign.
    assertThat(c1.queriesBeforeCaught()).isEqualTo(4);
    assertThat(c1.shareBeforeCaught()).isCloseTo(0.5, within(1e-9));
    assertThat(c1.membersFlagged()).isEqualTo(3);
    // a's own account rules flagged it at the 4th event: a, b, a of the campaign before it.
    assertThat(c1.queriesBeforeFirstFlag()).isEqualTo(3);
    assertThat(c1.shareBeforeFirstFlag()).isCloseTo(3.0 / 8, within(1e-9));

    CampaignScorer.GroupRow campus =
        s.groups().stream().filter(g -> g.groupId().equals("campus")).findFirst().orElseThrow();
    assertThat(campus.caught()).isFalse();
    assertThat(campus.queriesBeforeCaught()).isEqualTo(-1);
    assertThat(campus.queriesBeforeFirstFlag()).isEqualTo(-1);

    CampaignScorer.KindRow proxy = s.kind(CampaignKind.RESIDENTIAL_PROXY);
    assertThat(proxy.viaCampaign()).isEqualTo(2);
    assertThat(proxy.perAccount()).isEqualTo(1);
    assertThat(proxy.either()).isEqualTo(2);
    assertThat(proxy.medianOwnQueries()).isCloseTo(2.5, within(1e-9));
    assertThat(s.kind(CampaignKind.BAN_EVASION_FRESH).withinFreshBudget()).isEqualTo(1);

    // Legitimate accounts: u, v (hard negatives) and l; l was flagged.
    assertThat(s.legitFlaggedRate(true)).isCloseTo(1.0 / 3, within(1e-9));
    assertThat(s.legitFlaggedRate(false)).isZero();
    assertThat(s.legitFlaggedEither()).isCloseTo(1.0 / 3, within(1e-9));
  }
}
