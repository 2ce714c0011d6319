package io.distillguard.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class CampaignGrouperTest {

  private static final LinkHasher HASHER = LinkHasher.localDefault();
  private static final ToDoubleFunction<LinkKey> RARE = k -> k.type().baseWeight();

  private static void shareText(CampaignGrouper g, String a, String b, String text, long at) {
    for (String band : MinHash.PAYLOAD.bandKeys(text)) {
      g.link(a, b, HASHER.key(LinkType.PAYLOAD_MINHASH_BAND, band), at, RARE, 0.25);
    }
  }

  @Test
  void oneSharedQuestionAndAStatedUseBandAreNoEdge() {
    CampaignGrouper g = new CampaignGrouper();
    g.link("a", "b", HASHER.key(LinkType.STATED_USE_TEMPLATE, "band:1"), 1, RARE, 0.25);
    shareText(g, "a", "b", "What is the capital city of France and why was it chosen", 2);
    assertThat(g.groupOf("a")).isNull();
    assertThat(g.groupOf("b")).isNull();
  }

  @Test
  void nearDuplicatesOfTwoPayloadsAreAContentLink() {
    CampaignGrouper g = new CampaignGrouper();
    g.link("a", "b", HASHER.key(LinkType.STATED_USE_TEMPLATE, "band:1"), 1, RARE, 0.25);
    shareText(g, "a", "b", "What is the capital city of France and why was it chosen", 2);
    shareText(g, "a", "b", "Solve for x when two x plus seven equals nineteen please", 3);
    assertThat(g.groupOf("a")).isNotNull();
    assertThat(g.groupOf("b")).isSameAs(g.groupOf("a"));
  }

  @Test
  void aScaffoldAndARegistrationKeyAreAnEdgeAtOnce() {
    CampaignGrouper g = new CampaignGrouper();
    g.link("a", "b", HASHER.key(LinkType.SCAFFOLD, "s"), 1, RARE, 0.25);
    assertThat(g.groupOf("a")).isNull();
    CampaignGrouper.Change c =
        g.link("a", "b", HASHER.key(LinkType.PAYMENT_FINGERPRINT, "card"), 2, RARE, 0.25);
    assertThat(c).isNotNull();
    assertThat(c.founded()).isTrue();
    assertThat(c.joined()).containsExactlyInAnyOrder("a", "b");
  }
}
