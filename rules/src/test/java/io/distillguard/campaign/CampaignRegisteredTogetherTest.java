package io.distillguard.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.distillguard.contract.AccountProfile;
import io.distillguard.policy.Level;
import io.distillguard.policy.Policy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The shipped policy's rules for accounts signed up within hours on shared infrastructure without a
 * shared wrapper: {@code registered-together-sweep-volume} and {@code
 * registered-together-sweep-evidence} (a swarm raised by its first two linked members, on the
 * volume of their queries off their stated uses, or on how far off them they are), {@code
 * registered-together-tiling} (a swarm whose members each ask a slice that matches their own stated
 * use, raised because those stated uses differ member by member and tile the space) and {@code
 * registered-together-slices} (the same swarm raised because its members' traffic lies in
 * near-disjoint slices, whatever its stated uses say).
 */
class CampaignRegisteredTogetherTest {

  private static final Instant T0 = CampaignTraffic.T0;
  private static final List<String> SUBJECTS = CampaignTraffic.subjects(15);

  /**
   * Accounts signed up one after another at {@code created} (a few minutes apart), calling from a
   * handful of addresses of one network with one client string.
   */
  private static List<String> registeredTogether(
      CampaignTraffic t,
      String prefix,
      Instant created,
      List<Instant> starts,
      List<Set<String>> statedUseExpects,
      List<List<String>> asks,
      int queriesEach) {
    List<String> ids = new ArrayList<>();
    for (int m = 0; m < starts.size(); m++) {
      String id = prefix + m;
      ids.add(id);
      t.account(id)
          .states("Study helper app #" + m, statedUseExpects.get(m))
          .signedUp(created.plus(Duration.ofMinutes(4L * m)), null)
          .asks(queriesEach, asks.get(m), starts.get(m), Duration.ofHours(8))
          .via(List.of("203.0.113." + (10 + m % 2), "203.0.113.30"), "python-httpx/0.27.2")
          .add();
    }
    return ids;
  }

  /** {@code members} disjoint tiles of the categories, {@code width} each. */
  private static List<List<String>> tiles(int members, int width) {
    List<String> all = CampaignTraffic.categories();
    List<List<String>> out = new ArrayList<>();
    for (int m = 0; m < members; m++) {
      out.add(List.copyOf(all.subList(m * width, (m + 1) * width)));
    }
    return out;
  }

  @Test
  void twoMembersSweepingOffTheirStatedUsesAreRaisedBeforeTheRestStart() {
    CampaignTraffic t = new CampaignTraffic(61);
    // A swarm of four: two start at once, two a day later; each poses as a banking support bot and
    // sweeps eight exam subjects.
    List<Instant> starts =
        List.of(T0, T0, T0.plus(Duration.ofDays(1)), T0.plus(Duration.ofDays(1)));
    List<List<String>> asks = new ArrayList<>();
    for (int m = 0; m < 4; m++) {
      List<String> sweep = new ArrayList<>();
      for (int k = 0; k < 8; k++) {
        sweep.add(SUBJECTS.get((8 * m + k) % SUBJECTS.size()));
      }
      asks.add(sweep);
    }
    List<String> swarm =
        registeredTogether(
            t,
            "swarm-",
            T0.minus(Duration.ofHours(3)),
            starts,
            List.of(
                Set.of("banking77"), Set.of("banking77"), Set.of("banking77"), Set.of("banking77")),
            asks,
            200);
    t.play();
    CampaignDetector.Update review =
        t.updates().stream().filter(u -> u.level() == Level.REVIEW).findFirst().orElseThrow();
    // Raised by its first two members, on the evidence their traffic accumulated: all but none of
    // it off their stated uses, strong evidence before the 40 off-use queries the volume rule
    // needs.
    assertThat(review.members()).hasSize(2);
    assertThat(review.reasons())
        .extracting(r -> r.rule())
        .contains("registered-together-sweep-evidence");
    assertThat(review.reasons())
        .filteredOn(r -> r.signal().equals(CampaignSignals.OFF_USE_EVIDENCE))
        .allSatisfy(r -> assertThat(r.value()).isGreaterThanOrEqualTo(9.2));
    assertThat(t.sentAt(review)).isLessThan(40);
    long total = swarm.stream().mapToLong(t::sent).sum();
    assertThat((double) t.sentAt(review) / total).isLessThan(0.10);
    assertThat(t.flagged(swarm)).containsExactlyInAnyOrderElementsOf(swarm);
  }

  /**
   * {@code n} unrelated sign-ups (profiles only, no address) spread over the hour before {@code
   * created} and the two after it: the sign-up hour and window are no rare keys any more.
   */
  private static void busyHours(CampaignTraffic t, Instant created, int n) {
    for (int i = 0; i < n; i++) {
      t.account("bystander-" + i)
          .states(
              CampaignTraffic.STATED_USES.get(i % CampaignTraffic.STATED_USES.size()),
              Set.of(SUBJECTS.get(i % SUBJECTS.size())))
          .signedUp(
              created.minus(Duration.ofHours(1)).plus(Duration.ofSeconds(i * 10800L / n)), null)
          .add();
    }
  }

  /**
   * The hour two colleagues share weighs under 0.5 once dozens of others signed up in it; that they
   * signed up together on one network is as rare as ever (their sign-up block), so they are
   * registered together. What they ask keeps them quiet: far below any off-use evidence a sweep
   * shows.
   */
  @Test
  void twoColleaguesSignedUpInABusyHourAskingWhatTheyStatedStayQuiet() {
    CampaignTraffic t = new CampaignTraffic(68);
    Instant created = T0.minus(Duration.ofHours(3));
    busyHours(t, created, 36);
    List<String> mine = List.of(SUBJECTS.get(0), SUBJECTS.get(1));
    List<String> theirs = List.of(SUBJECTS.get(2), SUBJECTS.get(3));
    List<String> colleagues =
        registeredTogether(
            t,
            "colleague-",
            created,
            List.of(T0, T0),
            List.of(Set.copyOf(mine), Set.copyOf(theirs)),
            List.of(mine, theirs),
            200);
    t.play();
    CampaignView c =
        t.detector.campaign(t.detector.campaignOf(colleagues.get(0)).orElseThrow()).get();
    assertThat(c.members()).containsAll(colleagues);
    assertThat(c.links())
        .filteredOn(l -> l.type() == LinkType.SIGNUP_BURST)
        .allSatisfy(l -> assertThat(l.weight()).isLessThan(0.5));
    assertThat(c.signals().get(CampaignSignals.REGISTRATION_LINK_WEIGHT))
        .isGreaterThanOrEqualTo(0.5);
    assertThat(c.signals().get(CampaignSignals.OFF_USE_EVIDENCE)).isNegative();
    assertThat(t.flagged(colleagues)).isEmpty();
  }

  /**
   * A provider signs up hundreds of accounts an hour: a swarm's sign-up hour and window are shared
   * with hundreds of others and weigh under 0.3, below every registered-together rule's bar. Within
   * the swarm's address block its sign-up window is as rare as ever, and that key (the sign-up
   * block) raises the swarm as registered together.
   */
  @Test
  void aSwarmSignedUpAmongHundredsIsRaisedThroughItsSignupBlock() {
    CampaignTraffic t = new CampaignTraffic(69);
    Instant created = T0.minus(Duration.ofHours(3));
    busyHours(t, created, 450);
    // Four accounts posing as four unrelated apps, opened twenty minutes apart, calling from a few
    // addresses of one cloud network with one client: each sweeps every category.
    List<String> poses =
        List.of(
            "Baggage allowance answers for a small airline",
            "Recipe ideas for a meal-kit delivery service",
            "Order tracking help for an online bookshop",
            "Appointment booking for a dental practice");
    List<String> swarm = new ArrayList<>();
    for (int m = 0; m < poses.size(); m++) {
      swarm.add(
          t.account("swarm-" + m)
              .states(poses.get(m), Set.of())
              .signedUp(created.plus(Duration.ofMinutes(20L * m)), null)
              .asks(150, CampaignTraffic.categories(), T0, Duration.ofHours(8))
              .via(List.of("198.51.100." + (20 + m), "198.51.100.40"), "python-httpx/0.27.2")
              .add());
    }
    t.play();
    CampaignView c = t.detector.campaign(t.detector.campaignOf(swarm.get(0)).orElseThrow()).get();
    assertThat(c.members()).containsExactlyInAnyOrderElementsOf(swarm);
    // The swarm's sign-up hours and windows, each shared with well over a hundred others.
    LinkSettings settings = Policy.loadDefault().campaigns().links();
    List<LinkKey> signupTime =
        t
            .detector
            .extractor()
            .fromProfile(new AccountProfile("x", null, null, null, created, null, null, null, null))
            .stream()
            .filter(k -> k.type() == LinkType.SIGNUP_BURST || k.type() == LinkType.SIGNUP_WINDOW)
            .toList();
    assertThat(signupTime)
        .hasSize(4)
        .allSatisfy(
            k -> {
              assertThat(t.detector.linkIndex().get(k).accountCount()).isGreaterThan(100);
              assertThat(t.detector.linkIndex().weight(k, settings)).isLessThan(0.3);
            });
    for (String member : swarm) {
      assertThat(t.detector.linksOf(c.id(), member))
          .filteredOn(l -> l.key().type() == LinkType.SIGNUP_BLOCK)
          .isNotEmpty()
          .allSatisfy(l -> assertThat(l.weight()).isGreaterThanOrEqualTo(0.5));
    }
    assertThat(c.signals().get(CampaignSignals.REGISTRATION_LINK_WEIGHT))
        .isGreaterThanOrEqualTo(0.5);
    assertThat(c.level()).isEqualTo(Level.REVIEW);
    assertThat(c.reasons())
        .extracting(r -> r.rule())
        .isNotEmpty()
        .allMatch(rule -> rule.startsWith("registered-together-"));
    assertThat(t.flagged(swarm)).containsExactlyInAnyOrderElementsOf(swarm);
  }

  @Test
  void twoColleaguesSignedUpTogetherAskingWhatTheyStatedStayQuiet() {
    CampaignTraffic t = new CampaignTraffic(62);
    List<String> mine = List.of(SUBJECTS.get(0), SUBJECTS.get(1));
    List<String> theirs = List.of(SUBJECTS.get(2), SUBJECTS.get(3));
    List<String> colleagues =
        registeredTogether(
            t,
            "colleague-",
            T0.minus(Duration.ofHours(3)),
            List.of(T0, T0),
            List.of(Set.copyOf(mine), Set.copyOf(theirs)),
            List.of(mine, theirs),
            200);
    t.play();
    assertThat(t.detector.campaignOf(colleagues.get(0))).isPresent();
    assertThat(t.flagged(colleagues)).isEmpty();
  }

  @Test
  void aSwarmWhoseSlicesMatchTheirOwnStatedUsesIsRaisedByHowTheStatedUsesTileTheSpace() {
    CampaignTraffic t = new CampaignTraffic(63);
    int members = 5;
    int width = CampaignTraffic.categories().size() / members;
    List<List<String>> slices = tiles(members, width);
    List<Set<String>> expects = new ArrayList<>();
    List<Instant> starts = new ArrayList<>();
    for (List<String> s : slices) {
      expects.add(new LinkedHashSet<>(s));
      starts.add(T0.plus(Duration.ofMinutes(t.rng.nextInt(120))));
    }
    List<String> swarm =
        registeredTogether(
            t, "narrow-", T0.minus(Duration.ofHours(2)), starts, expects, slices, 120);
    t.play();
    CampaignView c = t.detector.campaign(t.detector.campaignOf(swarm.get(0)).orElseThrow()).get();
    assertThat(c.members()).containsExactlyInAnyOrderElementsOf(swarm);
    // Every member asks what its stated use says.
    assertThat(c.signals().get(CampaignSignals.MEMBER_UNEXPECTED_SHARE)).isLessThan(0.05);
    assertThat(c.signals().get(CampaignSignals.STATED_USE_OVERLAP)).isLessThan(0.1);
    assertThat(c.level()).isEqualTo(Level.REVIEW);
    assertThat(c.reasons()).extracting(r -> r.rule()).contains("registered-together-tiling");
    assertThat(t.flagged(swarm)).containsExactlyInAnyOrderElementsOf(swarm);
  }

  @Test
  void aTeamSignedUpTogetherForOneTileOfTheSpaceStaysQuiet() {
    CampaignTraffic t = new CampaignTraffic(64);
    int members = 5;
    int width = CampaignTraffic.categories().size() / members;
    // One team, one purpose: every stated use expects the same corner of the space.
    List<String> corner = tiles(members, width).get(0);
    List<Set<String>> expects = new ArrayList<>();
    List<List<String>> asks = new ArrayList<>();
    List<Instant> starts = new ArrayList<>();
    for (int m = 0; m < members; m++) {
      expects.add(Set.copyOf(corner));
      asks.add(corner);
      starts.add(T0.plus(Duration.ofMinutes(t.rng.nextInt(120))));
    }
    List<String> team =
        registeredTogether(t, "team-", T0.minus(Duration.ofHours(2)), starts, expects, asks, 120);
    t.play();
    CampaignView c = t.detector.campaign(t.detector.campaignOf(team.get(0)).orElseThrow()).get();
    assertThat(c.members()).containsExactlyInAnyOrderElementsOf(team);
    assertThat(c.signals().get(CampaignSignals.STATED_USE_OVERLAP)).isGreaterThan(0.9);
    assertThat(t.flagged(team)).isEmpty();
  }

  @Test
  void aSwarmDealtOneSliceTwiceUnderOneStatedUseTemplateIsRaisedByItsDisjointSlices() {
    CampaignTraffic t = new CampaignTraffic(65);
    int members = 5;
    int width = CampaignTraffic.categories().size() / members;
    // Four slices dealt to five members: the fifth got the first member's slice again. Every
    // stated use is one template ("exam practice for ...") whose expectation the taxonomy reads as
    // the same broad set, so the stated uses do not tell the members apart.
    List<List<String>> slices = new ArrayList<>(tiles(4, width));
    slices.add(slices.get(0));
    Set<String> template = new LinkedHashSet<>();
    slices.forEach(template::addAll);
    List<Set<String>> expects = new ArrayList<>();
    List<Instant> starts = new ArrayList<>();
    for (int m = 0; m < members; m++) {
      expects.add(template);
      starts.add(T0.plus(Duration.ofMinutes(t.rng.nextInt(120))));
    }
    List<String> swarm =
        registeredTogether(
            t, "dealt-", T0.minus(Duration.ofHours(2)), starts, expects, slices, 120);
    t.play();
    CampaignView c = t.detector.campaign(t.detector.campaignOf(swarm.get(0)).orElseThrow()).get();
    assertThat(c.members()).containsExactlyInAnyOrderElementsOf(swarm);
    assertThat(c.signals().get(CampaignSignals.STATED_USE_OVERLAP)).isGreaterThan(0.9);
    assertThat(c.signals().get(CampaignSignals.MEMBER_UNEXPECTED_SHARE)).isLessThan(0.05);
    // 9 of the 10 member pairs ask disjoint slices.
    assertThat(c.signals().get(CampaignSignals.DISJOINT_PAIR_SHARE)).isCloseTo(0.9, within(1e-9));
    assertThat(c.level()).isEqualTo(Level.REVIEW);
    assertThat(c.reasons())
        .extracting(r -> r.rule())
        .contains("registered-together-slices")
        .doesNotContain("registered-together-tiling");
    assertThat(t.flagged(swarm)).containsExactlyInAnyOrderElementsOf(swarm);
  }

  @Test
  void aTeamSignedUpTogetherForOneSubjectEachWithASideTopicOfItsOwnStaysQuiet() {
    CampaignTraffic t = new CampaignTraffic(66);
    int members = 5;
    int width = CampaignTraffic.categories().size() / (members + 1);
    List<List<String>> tiles = tiles(members + 1, width);
    // One team, one stated use: a shared subject, and a side topic each that the stated use names
    // too. Broad together, but every pair meets in the shared subject and each asks what the
    // stated use says.
    Set<String> statedUse = new LinkedHashSet<>();
    tiles.forEach(statedUse::addAll);
    List<Set<String>> expects = new ArrayList<>();
    List<List<String>> asks = new ArrayList<>();
    List<Instant> starts = new ArrayList<>();
    for (int m = 0; m < members; m++) {
      List<String> mine = new ArrayList<>(tiles.get(0));
      mine.addAll(tiles.get(0));
      mine.addAll(tiles.get(m + 1));
      asks.add(mine);
      expects.add(statedUse);
      starts.add(T0.plus(Duration.ofMinutes(t.rng.nextInt(120))));
    }
    List<String> team =
        registeredTogether(t, "side-", T0.minus(Duration.ofHours(2)), starts, expects, asks, 120);
    t.play();
    CampaignView c = t.detector.campaign(t.detector.campaignOf(team.get(0)).orElseThrow()).get();
    assertThat(c.members()).containsExactlyInAnyOrderElementsOf(team);
    assertThat(c.signals().get(CampaignSignals.DISJOINT_PAIR_SHARE)).isLessThan(0.6);
    assertThat(c.signals().get(CampaignSignals.OFF_USE_EVIDENCE)).isNegative();
    assertThat(c.reasons())
        .as("reasons %s signals %s", c.reasons(), c.signals().values())
        .isEmpty();
    assertThat(t.flagged(team)).isEmpty();
  }
}
