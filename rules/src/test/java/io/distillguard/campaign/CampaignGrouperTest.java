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
    g.link("a", "b", HASHER.key(LinkType.SIGNUP_BURST, "h493000"), 1, RARE, 0.25);
    shareText(g, "a", "b", "What is the capital city of France and why was it chosen", 2);
    shareText(g, "a", "b", "Solve for x when two x plus seven equals nineteen please", 3);
    assertThat(g.groupOf("a")).isNotNull();
    assertThat(g.groupOf("b")).isSameAs(g.groupOf("a"));
  }

  @Test
  void aStatedUseWithSharedPayloadsOrAScaffoldIsOnePurposeNotTwoKinds() {
    // Two apps built for the same purpose state it alike, ask alike and may wrap alike: no edge.
    CampaignGrouper g = new CampaignGrouper();
    g.link("a", "b", HASHER.key(LinkType.STATED_USE_TEMPLATE, "band:1"), 1, RARE, 0.25);
    shareText(g, "a", "b", "What is the capital city of France and why was it chosen", 2);
    shareText(g, "a", "b", "Solve for x when two x plus seven equals nineteen please", 3);
    g.link("a", "b", HASHER.key(LinkType.SCAFFOLD, "h:you are a support assistant"), 4, RARE, 0.25);
    assertThat(g.groupOf("a")).isNull();
    // How they came to be is independent evidence: one card for both makes the edge.
    CampaignGrouper.Change c =
        g.link("a", "b", HASHER.key(LinkType.PAYMENT_FINGERPRINT, "card"), 5, RARE, 0.25);
    assertThat(c).isNotNull();
    assertThat(c.founded()).isTrue();
  }

  @Test
  void theBandsOfOneStatedUseDoNotCrowdOutLaterKeys() {
    CampaignGrouper g = new CampaignGrouper();
    for (int i = 0; i < 20; i++) {
      g.link("a", "b", HASHER.key(LinkType.STATED_USE_TEMPLATE, "band:" + i), 1, RARE, 0.25);
    }
    g.link("a", "b", HASHER.key(LinkType.SCAFFOLD, "h:solve the task below"), 2, RARE, 0.25);
    g.link("a", "b", HASHER.key(LinkType.SIGNUP_IP, "198.51.100.4"), 3, RARE, 0.25);
    assertThat(g.pair("a", "b"))
        .extracting(LinkKey::type)
        .contains(LinkType.SCAFFOLD, LinkType.SIGNUP_IP);
    assertThat(g.groupOf("a")).isNotNull();
  }

  /** Links two accounts by a scaffold and a card: an edge. */
  private static CampaignGrouper.Change edge(CampaignGrouper g, String a, String b, String card) {
    g.link(a, b, HASHER.key(LinkType.SCAFFOLD, "h:solve the task below"), 1, RARE, 0.25);
    return g.link(a, b, HASHER.key(LinkType.PAYMENT_FINGERPRINT, card), 1, RARE, 0.25);
  }

  @Test
  void oneBridgeDoesNotChainTwoGroupsButASecondEdgeMergesThem() {
    CampaignGrouper g = new CampaignGrouper();
    // A campaign of three and, apart, an office pair.
    edge(g, "c1", "c2", "card-c");
    edge(g, "c1", "c3", "card-c");
    edge(g, "c2", "c3", "card-c");
    edge(g, "o1", "o2", "card-o");
    String campaign = g.groupOf("c1").id();
    String office = g.groupOf("o1").id();
    assertThat(g.groupOf("c3").id()).isEqualTo(campaign);
    assertThat(office).isNotEqualTo(campaign);

    // One coincidental edge between them: the groups stay apart.
    assertThat(edge(g, "o1", "c1", "card-x")).isNull();
    assertThat(g.groupOf("o1").id()).isEqualTo(office);
    assertThat(g.groupOf("c1").id()).isEqualTo(campaign);

    // A newcomer with one edge to the campaign waits; its second edge brings it in.
    assertThat(edge(g, "n", "c1", "card-n")).isNull();
    assertThat(g.groupOf("n")).isNull();
    CampaignGrouper.Change joined = edge(g, "n", "c2", "card-n");
    assertThat(joined).isNotNull();
    assertThat(g.groupOf("n").id()).isEqualTo(campaign);

    // A second edge between the office and the campaign does merge them: dense, not a bridge.
    assertThat(edge(g, "o2", "c2", "card-y")).isNotNull();
    assertThat(g.groupOf("o1").id()).isEqualTo(g.groupOf("c1").id());
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
