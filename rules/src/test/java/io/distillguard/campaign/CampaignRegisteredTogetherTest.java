package io.distillguard.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.policy.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The shipped policy's rules for accounts signed up within hours on shared infrastructure without a
 * shared wrapper: {@code registered-together-sweep-volume} (a swarm raised by its first two linked
 * members, on the volume of their queries off their stated uses) and {@code
 * registered-together-tiling} (a swarm whose members each ask a slice that matches their own stated
 * use, raised because those stated uses differ member by member and tile the space).
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
    // Raised by its first two members, on the evidence their traffic accumulated.
    assertThat(review.members()).hasSize(2);
    assertThat(review.reasons())
        .extracting(r -> r.rule())
        .contains("registered-together-sweep-volume");
    long total = swarm.stream().mapToLong(t::sent).sum();
    assertThat((double) t.sentAt(review) / total).isLessThan(0.10);
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
}
