package io.distillguard.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.distillguard.signals.SignalSnapshot;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CampaignStateTest {

  private static MemberSummary member(
      String id,
      Map<String, Long> categories,
      Long signup,
      Set<String> expected,
      String org,
      List<Long> hours) {
    long q = categories.values().stream().mapToLong(Long::longValue).sum();
    return new MemberSummary(id, q, categories, 1_000, 2_000, signup, expected, org, hours, null);
  }

  @Test
  void narrowMembersThatTogetherCoverTheSpaceAreComplementary() {
    List<MemberSummary> split =
        List.of(
            member(
                "a",
                Map.of("law", 50L, "math", 50L),
                0L,
                Set.of("law", "math"),
                null,
                List.of(1L, 2L)),
            member(
                "b",
                Map.of("bio", 50L, "code", 50L),
                3_600_000L,
                Set.of("bio", "code"),
                null,
                List.of(2L, 3L)),
            member(
                "c",
                Map.of("chem", 50L, "art", 50L),
                7_200_000L,
                Set.of("chem", "art"),
                null,
                List.of(9L)));
    SignalSnapshot s = CampaignState.signals(split, List.of(), 8, 0.25);
    assertThat(s.get(CampaignSignals.MEMBERS)).isEqualTo(3);
    assertThat(s.queriesObserved()).isEqualTo(300);
    assertThat(s.get(CampaignSignals.COMPLEMENTARITY)).isCloseTo(3.0, within(1e-9));
    assertThat(s.get(CampaignSignals.PAIRWISE_OVERLAP)).isZero();
    assertThat(s.get(CampaignSignals.UNION_DISTINCT_CATEGORIES)).isEqualTo(6);
    assertThat(s.get(CampaignSignals.SIGNUP_SPAN_HOURS)).isEqualTo(2.0);
    assertThat(s.get(CampaignSignals.ACTIVITY_SYNCHRONY))
        .isCloseTo((0.5 + 0.5 + 0) / 3, within(1e-9));
    assertThat(s.get(CampaignSignals.UNION_UNEXPECTED_SHARE)).isZero();

    List<MemberSummary> alike =
        List.of(
            member("a", Map.of("law", 50L, "math", 50L), null, Set.of(), null, List.of()),
            member("b", Map.of("law", 50L, "math", 50L), null, Set.of(), null, List.of()));
    SignalSnapshot t = CampaignState.signals(alike, List.of(), 8, 0.25);
    assertThat(t.get(CampaignSignals.COMPLEMENTARITY)).isCloseTo(1.0, within(1e-9));
    assertThat(t.get(CampaignSignals.PAIRWISE_OVERLAP)).isCloseTo(1.0, within(1e-9));
    assertThat(t.get(CampaignSignals.SIGNUP_SPAN_HOURS))
        .isEqualTo(CampaignState.UNKNOWN_SPAN_HOURS);
  }

  @Test
  void escalatedMembersCountOwnReviewThrottleAndConfirmedOnly() {
    MemberSummary plain = member("x", Map.of("law", 5L), null, Set.of(), null, List.of());
    List<MemberSummary> m =
        List.of(
            plain.withOwnLevel(io.distillguard.policy.Level.REVIEW),
            new MemberSummary(
                    "b", 5, Map.of("law", 5L), 1, 2, null, Set.of(), null, List.of(), null)
                .withOwnLevel(io.distillguard.policy.Level.THROTTLE),
            member("c", Map.of("law", 5L), null, Set.of(), null, List.of())
                .withOwnLevel(io.distillguard.policy.Level.CONFIRMED),
            member("d", Map.of("law", 5L), null, Set.of(), null, List.of())
                .withOwnLevel(io.distillguard.policy.Level.WATCH),
            member("e", Map.of("law", 5L), null, Set.of(), null, List.of())
                .withOwnLevel(io.distillguard.policy.Level.CLEARED),
            member("f", Map.of("law", 5L), null, Set.of(), null, List.of()),
            member("g", Map.of("law", 5L), null, Set.of(), null, List.of())
                .withOwnLevel(io.distillguard.policy.Level.OK),
            member("h", Map.of("law", 5L), null, Set.of(), null, List.of()));
    SignalSnapshot s = CampaignState.signals(m, List.of(), 8, 0.25);
    assertThat(s.get(CampaignSignals.ESCALATED_MEMBERS)).isEqualTo(3.0);
    assertThat(s.get(CampaignSignals.ESCALATED_MEMBER_SHARE)).isEqualTo(3.0 / 8);
    assertThat(plain.ownLevel()).isNull();
    assertThat(plain.escalatedOnItsOwn()).isFalse();
  }

  @Test
  void linkWeightsAreMeansOverMembersAndKindsNeedTheMinimum() {
    List<MemberSummary> m =
        List.of(
            member("a", Map.of("x", 3L), null, Set.of(), "org1", List.of()),
            member("b", Map.of("x", 3L), null, Set.of(), "org1", List.of()),
            member("c", Map.of("x", 3L), null, Set.of(), null, List.of()),
            member("d", Map.of("x", 3L), null, Set.of("y"), null, List.of()));
    List<CampaignLink> links =
        List.of(
            new CampaignLink(new LinkKey(LinkType.SCAFFOLD, "s"), 0.8, Set.of("a", "b", "c", "d")),
            new CampaignLink(new LinkKey(LinkType.IP, "i"), 0.4, Set.of("a", "b")),
            new CampaignLink(new LinkKey(LinkType.SIGNUP_BURST, "b"), 0.1, Set.of("c", "d")));
    SignalSnapshot s = CampaignState.signals(m, links, 8, 0.25);
    assertThat(s.get(CampaignSignals.CONTENT_LINK_WEIGHT)).isCloseTo(0.8, within(1e-9));
    assertThat(s.get(CampaignSignals.SCAFFOLD_LINK_WEIGHT)).isCloseTo(0.8, within(1e-9));
    assertThat(s.get(CampaignSignals.INFRASTRUCTURE_LINK_WEIGHT)).isCloseTo(0.2, within(1e-9));
    assertThat(s.get(CampaignSignals.REGISTRATION_LINK_WEIGHT)).isCloseTo(0.05, within(1e-9));
    assertThat(s.get(CampaignSignals.INDEPENDENT_LINK_KINDS)).isEqualTo(1);
    assertThat(s.get(CampaignSignals.DECLARED_ORG_SHARE)).isEqualTo(0.5);
    // Only d states a use, and it expects y: every query (x) is unexpected for the union.
    assertThat(s.get(CampaignSignals.UNION_UNEXPECTED_SHARE)).isEqualTo(1.0);
  }

  @Test
  void scaffoldWeightIsAMeanOverTheMembersThatCouldShowAHabit() {
    // A declared organisation's five accounts are members from their profiles on; two have asked
    // nothing yet and one fewer queries than a scaffold needs to become a habit. The two that
    // asked enough share the organisation's harness; a fifth has asked enough without it.
    List<MemberSummary> m =
        List.of(
            member("a", Map.of("x", 30L), null, Set.of(), "org1", List.of()),
            member("b", Map.of("x", 30L), null, Set.of(), "org1", List.of()),
            member("c", Map.of(), null, Set.of(), "org1", List.of()),
            member("d", Map.of(), null, Set.of(), "org1", List.of()),
            member(
                "e",
                Map.of("x", (long) ScaffoldTracker.MIN_USES - 1),
                null,
                Set.of(),
                "org1",
                List.of()),
            member("f", Map.of("x", 30L), null, Set.of(), "org1", List.of()));
    List<CampaignLink> links =
        List.of(new CampaignLink(new LinkKey(LinkType.SCAFFOLD, "s"), 0.9, Set.of("a", "b")));
    SignalSnapshot s = CampaignState.signals(m, links, 8, 0.25);
    assertThat(s.get(CampaignSignals.SCAFFOLD_LINK_WEIGHT)).isCloseTo(0.6, within(1e-9));
    // The kinds' weights stay means over every member: a silent member's registration is evidence.
    assertThat(s.get(CampaignSignals.CONTENT_LINK_WEIGHT)).isCloseTo(0.3, within(1e-9));
    assertThat(
            CampaignState.signals(m.subList(2, 4), List.of(), 8, 0.25)
                .get(CampaignSignals.SCAFFOLD_LINK_WEIGHT))
        .isZero();
  }

  @Test
  void everySignalIsInTheSnapshot() {
    SignalSnapshot s = CampaignState.signals(List.of(), List.of(), 8, 0.25);
    assertThat(s.values().keySet()).containsExactlyInAnyOrderElementsOf(CampaignSignals.ALL);
  }

  @Test
  void eachMemberIsJudgedAgainstItsOwnStatedUseAndNoneIsAllOff() {
    // Together the stated uses cover everything asked (the union is expected), but each member
    // asks what another said it would: the members' own share is what shows it.
    List<MemberSummary> swapped =
        List.of(
            member("a", Map.of("law", 80L, "math", 20L), 0L, Set.of("math"), null, List.of(1L)),
            member("b", Map.of("math", 90L, "law", 10L), 0L, Set.of("law"), null, List.of(1L)),
            member("c", Map.of("code", 10L), 0L, Set.of(), null, List.of(1L)));
    SignalSnapshot s = CampaignState.signals(swapped, List.of(), 8, 0.25);
    assertThat(s.get(CampaignSignals.UNION_UNEXPECTED_SHARE)).isCloseTo(10.0 / 210, within(1e-9));
    // c states no use: every one of its queries is off it.
    assertThat(s.get(CampaignSignals.MEMBER_UNEXPECTED_SHARE))
        .isCloseTo((0.8 + 0.9 + 1.0) / 3, within(1e-9));
    List<MemberSummary> honest =
        List.of(
            member("a", Map.of("law", 95L, "math", 5L), 0L, Set.of("law"), null, List.of(1L)),
            member("b", Map.of("math", 100L), 0L, Set.of("math"), null, List.of(1L)));
    assertThat(
            CampaignState.signals(honest, List.of(), 8, 0.25)
                .get(CampaignSignals.MEMBER_UNEXPECTED_SHARE))
        .isCloseTo(0.025, within(1e-9));
  }

  private static List<MemberSummary> signedUpAt(long... hours) {
    java.util.List<MemberSummary> out = new java.util.ArrayList<>();
    for (int i = 0; i < hours.length; i++) {
      out.add(member("m" + i, Map.of("x", 1L), hours[i] * 3_600_000L, Set.of(), null, List.of()));
    }
    return out;
  }

  @Test
  void signupBurstShareCountsMembersSignedUpWithinADayOfAnother() {
    // A campaign's burst, and one account of the group opened months before: 4 of 5 in the burst,
    // where the span jumps to thousands of hours.
    SignalSnapshot burst =
        CampaignState.signals(signedUpAt(0, 3, 10, 30, -4000), List.of(), 8, 0.25);
    assertThat(burst.get(CampaignSignals.SIGNUP_BURST_SHARE)).isCloseTo(0.8, within(1e-9));
    assertThat(burst.get(CampaignSignals.SIGNUP_SPAN_HOURS)).isEqualTo(4030.0);
    // An office opened one account a month: none within a day of another.
    SignalSnapshot office =
        CampaignState.signals(signedUpAt(0, 700, 1500, 2200, 2900), List.of(), 8, 0.25);
    assertThat(office.get(CampaignSignals.SIGNUP_BURST_SHARE)).isZero();
    // Unknown sign-ups say nothing.
    SignalSnapshot unknown =
        CampaignState.signals(
            List.of(
                member("a", Map.of("x", 1L), null, Set.of(), null, List.of()),
                member("b", Map.of("x", 1L), null, Set.of(), null, List.of())),
            List.of(),
            8,
            0.25);
    assertThat(unknown.get(CampaignSignals.SIGNUP_BURST_SHARE)).isZero();
  }

  @Test
  void disjointPairShareCountsPairsAskingTheirOwnSlicesAndOneSharedSliceCostsOnePair() {
    // Four members, two of them dealt the same slice: 5 of the 6 pairs are disjoint.
    List<MemberSummary> dealt =
        List.of(
            member("a", Map.of("law", 80L), 0L, Set.of("law"), null, List.of()),
            member("b", Map.of("law", 60L, "math", 10L), 0L, Set.of("law"), null, List.of()),
            member("c", Map.of("bio", 80L), 0L, Set.of("bio"), null, List.of()),
            member("d", Map.of("code", 60L, "math", 20L), 0L, Set.of("code"), null, List.of()));
    SignalSnapshot s = CampaignState.signals(dealt, List.of(), 8, 0.25);
    assertThat(s.get(CampaignSignals.DISJOINT_PAIR_SHARE)).isCloseTo(5.0 / 6, within(1e-9));
    // A team asking about one subject, each with a little of its own: no pair is disjoint.
    List<MemberSummary> team =
        List.of(
            member("a", Map.of("law", 60L, "math", 20L), 0L, Set.of("law"), null, List.of()),
            member("b", Map.of("law", 60L, "bio", 20L), 0L, Set.of("law"), null, List.of()),
            member("c", Map.of("law", 50L, "code", 30L), 0L, Set.of("law"), null, List.of()));
    assertThat(
            CampaignState.signals(team, List.of(), 8, 0.25)
                .get(CampaignSignals.DISJOINT_PAIR_SHARE))
        .isZero();
  }

  @Test
  void disjointPairShareWaitsForMembersWithEnoughQueriesToShowASlice() {
    // A handful of queries each look disjoint by chance: only members from MIN_SLICE_QUERIES count.
    List<MemberSummary> early =
        List.of(
            member("a", Map.of("law", 3L), 0L, Set.of(), null, List.of()),
            member("b", Map.of("bio", 2L), 0L, Set.of(), null, List.of()),
            member("c", Map.of("code", 50L), 0L, Set.of(), null, List.of()));
    assertThat(
            CampaignState.signals(early, List.of(), 8, 0.25)
                .get(CampaignSignals.DISJOINT_PAIR_SHARE))
        .isZero();
    List<MemberSummary> later =
        List.of(
            member(
                "a", Map.of("law", MemberPairs.MIN_SLICE_QUERIES), 0L, Set.of(), null, List.of()),
            member("b", Map.of("bio", 2L), 0L, Set.of(), null, List.of()),
            member("c", Map.of("code", 50L), 0L, Set.of(), null, List.of()));
    assertThat(
            CampaignState.signals(later, List.of(), 8, 0.25)
                .get(CampaignSignals.DISJOINT_PAIR_SHARE))
        .isEqualTo(1.0);
  }

  @Test
  void aMemberWhoseSliceLiesWhereTheOtherAsksRepeatedlyIsNotDisjointFromIt() {
    // a asks four categories, ten times each; b spreads 40 queries two per category over twenty,
    // those four among them. The histograms meet in 0.2 only, but all of a's queries fall where b
    // asked twice or more: a's slice is inside b's.
    Map<String, Long> b = new java.util.HashMap<>();
    for (int i = 0; i < 20; i++) {
      b.put("c" + i, 2L);
    }
    List<MemberSummary> pair =
        List.of(
            member(
                "a",
                Map.of("c0", 10L, "c1", 10L, "c2", 10L, "c3", 10L),
                0L,
                Set.of(),
                null,
                List.of()),
            member("b", b, 0L, Set.of(), null, List.of()));
    SignalSnapshot s = CampaignState.signals(pair, List.of(), 20, 0.25);
    assertThat(s.get(CampaignSignals.PAIRWISE_OVERLAP)).isCloseTo(0.2, within(1e-9));
    assertThat(s.get(CampaignSignals.DISJOINT_PAIR_SHARE)).isZero();
  }

  @Test
  void offUseEvidenceIsALikelihoodRatioThatGrowsOnlyForMembersFarOffTheirUses() {
    double perOff = Math.log(0.85 / 0.4);
    double perIn = Math.log(0.15 / 0.6);
    // Two members nearly all off their stated uses, one of them stating none.
    List<MemberSummary> sweep =
        List.of(
            member("a", Map.of("law", 18L, "math", 2L), 0L, Set.of("math"), null, List.of()),
            member("b", Map.of("bio", 10L, "code", 5L), 0L, Set.of(), null, List.of()));
    SignalSnapshot s = CampaignState.signals(sweep, List.of(), 8, 0.25);
    assertThat(s.get(CampaignSignals.OFF_USE_EVIDENCE))
        .isCloseTo(33 * perOff + 2 * perIn, within(1e-9));
    assertThat(s.get(CampaignSignals.OFF_USE_EVIDENCE)).isGreaterThan(9.2);
    // Members 60% off their uses (the taxonomy's rough fit of an honest app) sink however long
    // they ask, while OFF_USE_QUERIES keeps counting up.
    List<MemberSummary> honest =
        List.of(
            member("a", Map.of("law", 600L, "math", 400L), 0L, Set.of("math"), null, List.of()),
            member("b", Map.of("bio", 600L, "code", 400L), 0L, Set.of("code"), null, List.of()));
    SignalSnapshot h = CampaignState.signals(honest, List.of(), 8, 0.25);
    assertThat(h.get(CampaignSignals.OFF_USE_QUERIES)).isEqualTo(1200.0);
    assertThat(h.get(CampaignSignals.OFF_USE_EVIDENCE)).isNegative();
  }

  @Test
  void synchronyIsTheSameWhetherTheHoursFitAnArrayOrSpanMoreThanOne() {
    // Hours 1-3 as in the split above; then the same members with one far hour each, beyond the
    // 2^20 hours an array counts (a map counts them), which no other member shares.
    List<MemberSummary> near =
        List.of(
            member("a", Map.of("law", 5L), null, Set.of(), null, List.of(1L, 2L)),
            member("b", Map.of("law", 5L), null, Set.of(), null, List.of(2L, 3L)),
            member("c", Map.of("law", 5L), null, Set.of(), null, List.of(9L)));
    List<MemberSummary> far =
        List.of(
            member("a", Map.of("law", 5L), null, Set.of(), null, List.of(1L, 2L, 3_000_000L)),
            member("b", Map.of("law", 5L), null, Set.of(), null, List.of(2L, 3L, 3_000_001L)),
            member("c", Map.of("law", 5L), null, Set.of(), null, List.of(9L)));
    assertThat(
            CampaignState.signals(near, List.of(), 8, 0.25).get(CampaignSignals.ACTIVITY_SYNCHRONY))
        .isCloseTo((0.5 + 0.5 + 0) / 3, within(1e-12));
    assertThat(
            CampaignState.signals(far, List.of(), 8, 0.25).get(CampaignSignals.ACTIVITY_SYNCHRONY))
        .isCloseTo((1.0 / 3 + 1.0 / 3 + 0) / 3, within(1e-12));
  }

  @Test
  void thePairSampleIsEveryStepthPairInOrderFoundWithoutWalkingThemAll() {
    for (int n : new int[] {0, 1, 2, 3, 28, 29, 30, 41, 200, 1_000, 2_345}) {
      assertThat(MemberPairs.sampled(n)).as("n = " + n).isDeepEqualTo(everyStepthPair(n));
    }
    // A campaign of the size the 2026 campaigns ran at: still MemberPairs.MAX pairs, the last near
    // the
    // end.
    int[][] large = MemberPairs.sampled(25_000);
    assertThat(large.length).isEqualTo(MemberPairs.MAX);
    assertThat(large[0]).containsExactly(0, 1);
    assertThat(large[large.length - 1][0]).isGreaterThan(20_000);
    for (int[] p : large) {
      assertThat(p[0]).isLessThan(p[1]);
      assertThat(p[1]).isLessThan(25_000);
    }
  }

  /** The sample as a walk over every pair in order picks it: what the signals have measured. */
  private static int[][] everyStepthPair(int n) {
    if (n < 2) {
      return new int[0][];
    }
    long pairs = (long) n * (n - 1) / 2;
    long step = Math.max(1, pairs / MemberPairs.MAX);
    List<int[]> out = new java.util.ArrayList<>();
    long index = 0;
    for (int i = 0; i < n && out.size() < MemberPairs.MAX; i++) {
      for (int j = i + 1; j < n && out.size() < MemberPairs.MAX; j++, index++) {
        if (index % step == 0) {
          out.add(new int[] {i, j});
        }
      }
    }
    return out.toArray(new int[0][]);
  }
}
