package io.distillguard.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
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

  @Test
  void aGroupsMembersVersionMovesWithEveryJoinLeaveOrMergeAndIsNeverReused() {
    CampaignGrouper g = new CampaignGrouper();
    edge(g, "a", "b", "card-1");
    long founded = g.groupOf("a").membersVersion();
    edge(g, "a", "b", "card-2"); // more evidence, the same members
    assertThat(g.groupOf("a").membersVersion()).isEqualTo(founded);
    edge(g, "b", "c", "card-3");
    long joined = g.groupOf("a").membersVersion();
    assertThat(joined).isNotEqualTo(founded);
    edge(g, "d", "e", "card-4");
    long other = g.groupOf("d").membersVersion();
    assertThat(other).isNotIn(founded, joined);
    // The two groups merge once they are tied densely enough.
    int card = 5;
    for (String x : List.of("a", "b", "c")) {
      for (String y : List.of("d", "e")) {
        if (g.groupOf("e") != g.groupOf("a")) {
          edge(g, x, y, "card-" + card++);
        }
      }
    }
    long merged = g.groupOf("a").membersVersion();
    assertThat(g.groupOf("e")).isSameAs(g.groupOf("a"));
    assertThat(merged).isNotIn(founded, joined, other);
    g.forget("e");
    assertThat(g.groupOf("a").membersVersion()).isNotIn(founded, joined, other, merged);
  }

  @Test
  void aGroupsLinksAreSnapshotsThatFollowEveryJoinLeaveAndMerge() {
    CampaignGrouper g = new CampaignGrouper();
    LinkKey scaffold = HASHER.key(LinkType.SCAFFOLD, "h:solve the task below");
    edge(g, "a", "b", "card-1");
    Map<LinkKey, Set<String>> first = g.groupOf("a").links();
    assertThat(first.get(scaffold)).containsExactlyInAnyOrder("a", "b");
    // Unchanged members: the same snapshot, which no caller can change.
    assertThat(g.groupOf("a").links().get(scaffold)).isSameAs(first.get(scaffold));
    assertThatThrownBy(() -> first.get(scaffold).add("x"))
        .isInstanceOf(UnsupportedOperationException.class);

    edge(g, "b", "c", "card-2");
    assertThat(first.get(scaffold)).containsExactlyInAnyOrder("a", "b");
    assertThat(g.groupOf("a").links().get(scaffold)).containsExactlyInAnyOrder("a", "b", "c");

    edge(g, "d", "e", "card-3");
    int card = 4;
    for (String x : List.of("a", "b", "c")) {
      for (String y : List.of("d", "e")) {
        if (g.groupOf("e") != g.groupOf("a")) {
          edge(g, x, y, "card-" + card++);
        }
      }
    }
    assertThat(g.groupOf("a").links().get(scaffold))
        .containsExactlyInAnyOrder("a", "b", "c", "d", "e");

    g.forget("e");
    g.forget("d");
    assertThat(g.groupOf("a").links().get(scaffold)).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(g.groupOf("a").links().get(HASHER.key(LinkType.PAYMENT_FINGERPRINT, "card-3")))
        .isNull();
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

    // A newcomer with one edge to the campaign that is not its scaffold (an address and a sign-up
    // hour) waits; its second edge brings it in.
    assertThat(link2(g, "n", "c1", LinkType.IP, "198.51.100.9", LinkType.SIGNUP_BURST, "h1"))
        .isNull();
    assertThat(g.groupOf("n")).isNull();
    CampaignGrouper.Change joined =
        link2(g, "n", "c2", LinkType.IP, "198.51.100.9", LinkType.SIGNUP_BURST, "h1");
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

  /**
   * Links two accounts by a key of each of two types: an edge when one says how they came to be.
   */
  private static CampaignGrouper.Change link2(
      CampaignGrouper g, String a, String b, LinkType t1, String v1, LinkType t2, String v2) {
    g.link(a, b, HASHER.key(t1, v1), 1, RARE, 0.25);
    return g.link(a, b, HASHER.key(t2, v2), 1, RARE, 0.25);
  }

  /** A campus: every student pair shares the campus address and its sign-up address. */
  private static void campus(CampaignGrouper g, int students) {
    for (int i = 0; i < students; i++) {
      for (int j = 0; j < i; j++) {
        link2(g, "s" + i, "s" + j, LinkType.IP, "campus-nat", LinkType.SIGNUP_IP, "campus-nat");
      }
    }
  }

  /** A campaign: every member pair shares its scaffold and one of its cards. */
  private static void campaign(CampaignGrouper g, String prefix, int members, String card) {
    for (int i = 0; i < members; i++) {
      for (int j = 0; j < i; j++) {
        link2(
            g,
            prefix + i,
            prefix + j,
            LinkType.SCAFFOLD,
            "h:practice item for the study bank",
            LinkType.PAYMENT_FINGERPRINT,
            card);
      }
    }
  }

  /** Two accounts that asked the same two questions and signed up in the same hour. */
  private static void coincidence(CampaignGrouper g, String a, String b) {
    g.link(a, b, HASHER.key(LinkType.SIGNUP_BURST, "h493000"), 1, RARE, 0.25);
    shareText(g, a, b, "What is the capital city of France and why was it chosen", 2);
    shareText(g, a, b, "Solve for x when two x plus seven equals nineteen please", 3);
  }

  @Test
  void coincidentalEdgesBetweenTwoLargeGroupsDoNotMergeThem() {
    CampaignGrouper g = new CampaignGrouper();
    campus(g, 30);
    campaign(g, "c", 20, "card-c");
    String campusId = g.groupOf("s0").id();
    String campaignId = g.groupOf("c0").id();
    assertThat(campusId).isNotEqualTo(campaignId);
    // Five students each share two questions and a sign-up hour with a different campaign member:
    // five edges, far more than the two that merged groups before, but a sixth of the campaign.
    for (int i = 0; i < 5; i++) {
      coincidence(g, "s" + i, "c" + i);
      assertThat(PairEvidence.isEdge(g.partnersOf("s" + i).get("c" + i), RARE, 0.25)).isTrue();
    }
    assertThat(g.groupOf("s0").id()).isEqualTo(campusId);
    assertThat(g.groupOf("c0").id()).isEqualTo(campaignId);
    assertThat(g.groupOf("c0").members()).hasSize(20).noneMatch(m -> m.startsWith("s"));
    assertThat(g.groupOf("s0").members()).hasSize(30);
  }

  @Test
  void twoHalvesOfOneCampaignTiedMemberByMemberMerge() {
    CampaignGrouper g = new CampaignGrouper();
    campaign(g, "a", 10, "card-a");
    campaign(g, "b", 10, "card-b");
    assertThat(g.groupOf("a0").id()).isNotEqualTo(g.groupOf("b0").id());
    // The halves share the scaffold everywhere; the campaign's mail domain ties them pair by pair.
    for (int i = 0; i < 2; i++) {
      link2(
          g,
          "a" + i,
          "b" + i,
          LinkType.SCAFFOLD,
          "h:practice item for the study bank",
          LinkType.EMAIL_DOMAIN,
          "inbox3f2a.xyz");
      assertThat(g.groupOf("a0").id()).isNotEqualTo(g.groupOf("b0").id());
    }
    // A third of the half (3 of 10) tied: one campaign.
    link2(
        g,
        "a2",
        "b2",
        LinkType.SCAFFOLD,
        "h:practice item for the study bank",
        LinkType.EMAIL_DOMAIN,
        "inbox3f2a.xyz");
    assertThat(g.groupOf("a0").id()).isEqualTo(g.groupOf("b0").id());
    assertThat(g.groupOf("a0").members()).hasSize(20);
  }

  @Test
  void aNewcomerJoinsByOneEdgeThatCarriesTheGroupsScaffoldButNotByACoincidence() {
    CampaignGrouper g = new CampaignGrouper();
    campaign(g, "c", 6, "card-c");
    String campaignId = g.groupOf("c0").id();
    // A student who asked two of a member's questions and signed up in its hour: one edge, no join.
    coincidence(g, "student", "c0");
    assertThat(PairEvidence.isEdge(g.partnersOf("student").get("c0"), RARE, 0.25)).isTrue();
    assertThat(g.groupOf("student")).isNull();
    // A member on a webmail address without a card: the campaign's scaffold and one sign-up hour
    // shared with one member. One edge, through the wrapper of the whole group: it joins.
    CampaignGrouper.Change c =
        link2(
            g,
            "late",
            "c1",
            LinkType.SCAFFOLD,
            "h:practice item for the study bank",
            LinkType.SIGNUP_BURST,
            "h493001");
    assertThat(c).isNotNull();
    assertThat(g.groupOf("late").id()).isEqualTo(campaignId);
  }

  @Test
  void aPopularQuestionDoesNotPushOutTheCardAnAccountShares() {
    CampaignGrouper g = new CampaignGrouper();
    g.link("a", "b", HASHER.key(LinkType.PAYMENT_FINGERPRINT, "card"), 1, RARE, 0.25);
    // Hundreds of accounts asked the same popular question as "a": more partners than it keeps.
    for (int i = 0; i < 3 * CampaignGrouper.MAX_PARTNERS; i++) {
      shareText(g, "a", "other" + i, "What is the capital city of France and why was it chosen", 2);
    }
    assertThat(g.partnersOf("a")).hasSize(CampaignGrouper.MAX_PARTNERS).containsKey("b");
    CampaignGrouper.Change c =
        g.link("a", "b", HASHER.key(LinkType.SCAFFOLD, "h:solve the task below"), 3, RARE, 0.25);
    assertThat(c).isNotNull();
    assertThat(c.founded()).isTrue();
  }

  private static LinkKey key(LinkType type, String value) {
    return HASHER.key(type, value);
  }

  /**
   * A swarm of three tied pair by pair by its address block and its sign-up burst; a late member
   * has one edge to it that carries the address block every member uses: it joins without a second
   * edge. An account whose one edge carries only keys the group's members do not share (a card of
   * two, a question asked alike) stays out.
   */
  @Test
  void aLateMemberJoinsByOneEdgeCarryingAKeyMostOfTheGroupShares() {
    CampaignGrouper g = new CampaignGrouper();
    LinkKey block = key(LinkType.IP_PREFIX, "203.0.113.0/24");
    String[] swarm = {"s1", "s2", "s3"};
    for (int i = 0; i < swarm.length; i++) {
      for (int j = i + 1; j < swarm.length; j++) {
        g.link(swarm[i], swarm[j], block, 1, RARE, 0.25);
        g.link(swarm[i], swarm[j], key(LinkType.SIGNUP_BURST, "h1"), 1, RARE, 0.25);
      }
    }
    assertThat(g.groupOf("s1").members()).containsExactlyInAnyOrder(swarm);

    g.link("s4", "s1", block, 2, RARE, 0.25);
    CampaignGrouper.Change late =
        g.link("s4", "s1", key(LinkType.SIGNUP_BURST, "h2"), 2, RARE, 0.25);
    assertThat(late).isNotNull();
    assertThat(g.groupOf("s4")).isSameAs(g.groupOf("s1"));

    // A coincidental edge to one member on keys no other member shares: not enough.
    g.link("x", "s2", key(LinkType.PAYMENT_FINGERPRINT, "card-x"), 3, RARE, 0.25);
    g.link("x", "s2", key(LinkType.IP, "198.51.100.9"), 3, RARE, 0.25);
    assertThat(g.pair("x", "s2")).hasSize(2);
    assertThat(g.groupOf("x")).isNull();
  }

  /**
   * A campaign tied by its cards and sign-up burst wraps its traffic in one scaffold; a member on
   * its own exits, with its own card and a webmail address, shares only that scaffold with the
   * members: once with two of them, it joins. Sharing it with one is not enough, and apps that
   * share a template and nothing else form no group at all, so nothing is joined through the
   * template.
   */
  @Test
  void anAccountSharingTheGroupsOwnWrapperWithSeveralMembersJoinsWithoutAnEdge() {
    CampaignGrouper g = new CampaignGrouper();
    LinkKey wrapper = key(LinkType.SCAFFOLD, "h:you are generating training data");
    String[] campaign = {"c1", "c2", "c3", "c4"};
    for (int i = 0; i < campaign.length; i++) {
      for (int j = i + 1; j < campaign.length; j++) {
        g.link(campaign[i], campaign[j], wrapper, 1, RARE, 0.25);
        g.link(campaign[i], campaign[j], key(LinkType.PAYMENT_FINGERPRINT, "card"), 1, RARE, 0.25);
      }
    }
    assertThat(g.groupOf("c1").members()).hasSize(4);

    assertThat(g.link("proxy", "c1", wrapper, 2, RARE, 0.25)).isNull();
    assertThat(g.groupOf("proxy")).isNull();
    CampaignGrouper.Change joined = g.link("proxy", "c2", wrapper, 2, RARE, 0.25);
    assertThat(joined).isNotNull();
    assertThat(joined.joined()).containsExactly("proxy");
    assertThat(g.groupOf("proxy")).isSameAs(g.groupOf("c1"));

    // Five apps built from one open-source template: the template ties them, nothing else does.
    LinkKey template = key(LinkType.SCAFFOLD, "h:answer using the retrieved context");
    for (int i = 0; i < 5; i++) {
      for (int j = i + 1; j < 5; j++) {
        g.link("app" + i, "app" + j, template, 3, RARE, 0.25);
      }
    }
    for (int i = 0; i < 5; i++) {
      assertThat(g.groupOf("app" + i)).isNull();
    }
    // A scaffold the group's members do not mostly share is no way in.
    LinkKey other = key(LinkType.SCAFFOLD, "h:summarise the following");
    g.link("c1", "c2", other, 4, RARE, 0.25);
    g.link("y", "c1", other, 4, RARE, 0.25);
    g.link("y", "c2", other, 4, RARE, 0.25);
    assertThat(g.groupOf("y")).isNull();
  }

  /**
   * A campaign that mixes ordinary questions into its traffic: half its members pose as a history
   * tutor, whose questions start with a dataset's phrase ("This question refers to the following
   * information."), and every member wraps its harvesting in one template. The phrase ties half of
   * the group, but the wrapper ties all of it: an ordinary history app that shares the phrase with
   * two of the members does not join, a member on its own exits that shares the wrapper does.
   */
  @Test
  void aSubjectsPhraseSharedWithHalfTheGroupIsNotItsWrapper() {
    CampaignGrouper g = new CampaignGrouper();
    LinkKey wrapper = key(LinkType.SCAFFOLD, "t:then write final answer followed by the answer");
    LinkKey phrase = key(LinkType.SCAFFOLD, "h:this question refers to the following information");
    String[] campaign = {"c1", "c2", "c3", "c4", "c5", "c6"};
    for (int i = 0; i < campaign.length; i++) {
      for (int j = i + 1; j < campaign.length; j++) {
        g.link(campaign[i], campaign[j], wrapper, 1, RARE, 0.25);
        g.link(campaign[i], campaign[j], key(LinkType.PAYMENT_FINGERPRINT, "card"), 1, RARE, 0.25);
        if (i < 3 && j < 3) {
          g.link(campaign[i], campaign[j], phrase, 1, RARE, 0.25);
        }
      }
    }
    assertThat(g.groupOf("c1").members()).hasSize(6);
    assertThat(g.groupOf("c1").wrappedBy(phrase)).isFalse();
    assertThat(g.groupOf("c1").wrappedBy(wrapper)).isTrue();

    g.link("tutor", "c1", phrase, 2, RARE, 0.25);
    g.link("tutor", "c2", phrase, 2, RARE, 0.25);
    g.link("tutor", "c3", phrase, 2, RARE, 0.25);
    assertThat(g.groupOf("tutor")).isNull();

    g.link("proxy", "c4", wrapper, 3, RARE, 0.25);
    g.link("proxy", "c5", wrapper, 3, RARE, 0.25);
    assertThat(g.groupOf("proxy")).isSameAs(g.groupOf("c1"));
  }

  /**
   * A campus of four students linked by its network and sign-up days, two of whom paste questions
   * in one dataset's format: the format ties half of the group and is not its wrapper, so an SDK
   * customer elsewhere that pastes questions in the same format, and shares nothing else with them,
   * stays out; once a third student uses the format, it ties most of the group and is.
   */
  @Test
  void aFormatThatHalfOfASmallGroupSharesIsNotItsWrapper() {
    CampaignGrouper g = new CampaignGrouper();
    LinkKey campus = key(LinkType.IP_PREFIX, "128.10.20.0/24");
    LinkKey term = key(LinkType.SIGNUP_BURST, "h2026090108");
    LinkKey format = key(LinkType.SCAFFOLD, "h:question answer with reasoning");
    String[] students = {"s1", "s2", "s3", "s4"};
    for (int i = 0; i < students.length; i++) {
      for (int j = i + 1; j < students.length; j++) {
        g.link(students[i], students[j], campus, 1, RARE, 0.25);
        g.link(students[i], students[j], term, 1, RARE, 0.25);
      }
    }
    g.link("s1", "s2", format, 2, RARE, 0.25);
    assertThat(g.groupOf("s1").members()).hasSize(4);
    assertThat(g.groupOf("s1").wrappedBy(format)).isFalse();

    g.link("sdk", "s1", format, 3, RARE, 0.25);
    g.link("sdk", "s2", format, 3, RARE, 0.25);
    assertThat(g.groupOf("sdk")).isNull();

    g.link("s3", "s1", format, 4, RARE, 0.25);
    g.link("s3", "s2", format, 4, RARE, 0.25);
    assertThat(g.groupOf("s1").wrappedBy(format)).isTrue();
  }

  /**
   * A provider signs up hundreds of accounts an hour, and a sign-up hour shared by a hundred still
   * weighs above the minimum: every account that signs up then is paired with the others by the
   * hour, its three-hour window and its verification latency. Those pairs hold one fact, when they
   * signed up, at a low weight; an address block shared with one partner is one fact at a higher
   * weight, and it is kept while the account's partner table overflows with the hour's sign-ups.
   */
  @Test
  void theSignUpHoursCrowdDoesNotPushOutAPartnerOnASharedAddressBlock() {
    CampaignGrouper g = new CampaignGrouper();
    ToDoubleFunction<LinkKey> weights =
        k ->
            switch (k.type()) {
              case SIGNUP_BURST, SIGNUP_WINDOW, VERIFY_LATENCY -> 0.3;
              default -> k.type().baseWeight();
            };
    g.link("m1", "m2", key(LinkType.IP_PREFIX, "203.0.113.0/24"), 1, weights, 0.25);
    for (int i = 0; i < 3 * CampaignGrouper.MAX_PARTNERS; i++) {
      String other = "signed-up-" + i;
      g.link("m1", other, key(LinkType.SIGNUP_BURST, "h2026120109"), 2 + i, weights, 0.25);
      g.link("m1", other, key(LinkType.SIGNUP_WINDOW, "w2026120108"), 2 + i, weights, 0.25);
      g.link("m1", other, key(LinkType.VERIFY_LATENCY, "h2026120109/3"), 2 + i, weights, 0.25);
    }
    assertThat(g.pair("m1", "m2")).hasSize(1);
  }

  /**
   * Two accounts that signed up within the same three hours (not the same hour) and asked alike.
   */
  private static void sameWindowAndQuestions(CampaignGrouper g, String a, String b) {
    g.link(a, b, key(LinkType.SIGNUP_WINDOW, "w164333"), 1, RARE, 0.25);
    shareText(g, a, b, "What is the capital city of France and why was it chosen", 2);
    shareText(g, a, b, "Solve for x when two x plus seven equals nineteen please", 3);
  }

  /**
   * The sign-up window only corroborates: with questions asked alike (two common coincidences) it
   * makes no edge, with a shared address beside it (one burst on one network) it does. The hour
   * with the same questions is an edge, as before.
   */
  @Test
  void theSignUpWindowMakesAnEdgeOnlyBesideAnotherKeyOfHowTheAccountsCame() {
    CampaignGrouper g = new CampaignGrouper();
    sameWindowAndQuestions(g, "a", "b");
    assertThat(PairEvidence.isEdge(g.partnersOf("a").get("b"), RARE, 0.25)).isFalse();
    assertThat(g.groupOf("a")).isNull();

    CampaignGrouper.Change c =
        link2(g, "c", "d", LinkType.SIGNUP_WINDOW, "w164333", LinkType.IP, "198.51.100.7");
    assertThat(c).isNotNull();
    assertThat(c.founded()).isTrue();

    // A window and a scaffold are no strong link either (what flags a fresh account at once).
    g.link("e", "f", key(LinkType.SIGNUP_WINDOW, "w164333"), 1, RARE, 0.25);
    g.link("e", "f", key(LinkType.SCAFFOLD, "h:practice item for the study bank"), 1, RARE, 0.25);
    assertThat(CampaignGrouper.isStrong(g.pair("e", "f"), RARE, 0.25, 0)).isFalse();
    assertThat(g.groupOf("e")).isNull();

    CampaignGrouper h = new CampaignGrouper();
    coincidence(h, "a", "b");
    assertThat(h.groupOf("a")).isNotNull();
  }

  /**
   * A campus signing up over its first week of term, and a campaign whose sign-up burst falls in
   * the same three hours as a third of the students: every such student asked two questions a
   * campaign member also asked. Each pair shares the window and the questions; no pair is an edge,
   * and the two groups stay apart (with an hour's key in place of the window's, ten such edges
   * would have merged them).
   */
  @Test
  void aCampusBurstInTheWindowOfACampaignsBurstStaysApart() {
    CampaignGrouper g = new CampaignGrouper();
    campus(g, 30);
    campaign(g, "c", 20, "card-c");
    String campusId = g.groupOf("s0").id();
    String campaignId = g.groupOf("c0").id();
    for (int i = 0; i < 10; i++) {
      sameWindowAndQuestions(g, "s" + i, "c" + i);
      assertThat(PairEvidence.isEdge(g.partnersOf("s" + i).get("c" + i), RARE, 0.25)).isFalse();
    }
    assertThat(g.groupOf("s0").id()).isEqualTo(campusId);
    assertThat(g.groupOf("c0").id()).isEqualTo(campaignId);
    assertThat(g.groupOf("s0").members()).hasSize(30).noneMatch(m -> m.startsWith("c"));
    assertThat(g.groupOf("c0").members()).hasSize(20).noneMatch(m -> m.startsWith("s"));
  }

  /**
   * A swarm of three signed up within one three-hour window on one address block; a newcomer with
   * one edge to a member (its own address shared with that member, and the window every member
   * shares) does not join by that one edge: the window ties the group, but everyone who signed up
   * in those hours shares it. The swarm's address block in the same place does.
   */
  @Test
  void theSignUpWindowIsNoKeyOfTheGroupForAJoinByOneEdge() {
    CampaignGrouper g = new CampaignGrouper();
    LinkKey block = key(LinkType.IP_PREFIX, "203.0.113.0/24");
    LinkKey window = key(LinkType.SIGNUP_WINDOW, "w164333");
    String[] swarm = {"s1", "s2", "s3"};
    for (int i = 0; i < swarm.length; i++) {
      for (int j = i + 1; j < swarm.length; j++) {
        g.link(swarm[i], swarm[j], block, 1, RARE, 0.25);
        g.link(swarm[i], swarm[j], window, 1, RARE, 0.25);
      }
    }
    assertThat(g.groupOf("s1").members()).containsExactlyInAnyOrder(swarm);
    assertThat(g.groupOf("s1").links()).containsKey(window);

    g.link("x", "s1", key(LinkType.IP, "198.51.100.9"), 2, RARE, 0.25);
    g.link("x", "s1", window, 2, RARE, 0.25);
    assertThat(PairEvidence.isEdge(g.partnersOf("x").get("s1"), RARE, 0.25)).isTrue();
    assertThat(g.groupOf("x")).isNull();

    g.link("y", "s1", block, 3, RARE, 0.25);
    assertThat(g.link("y", "s1", window, 3, RARE, 0.25)).isNotNull();
    assertThat(g.groupOf("y")).isSameAs(g.groupOf("s1"));
  }
}
