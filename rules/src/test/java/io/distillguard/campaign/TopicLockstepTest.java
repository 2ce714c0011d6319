package io.distillguard.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TopicLockstepTest {

  private static final long HOUR = 3_600_000L;
  private static final long WEEK = 7 * 24 * HOUR;
  private static final List<String> TOPICS =
      List.of("history", "biology", "law", "math", "poetry", "physics", "economics", "ethics");

  /** A student who asks a few questions on the topic of each week, in the syllabus's order. */
  private static MemberSummary student(String id, Random rng) {
    MemberActivity a = new MemberActivity(id);
    for (int week = 0; week < TOPICS.size(); week++) {
      int n = 3 + rng.nextInt(6);
      for (int i = 0; i < n; i++) {
        a.query(TOPICS.get(week), week * WEEK + (long) (rng.nextDouble() * 4 * 24 * HOUR));
      }
    }
    return a.summary();
  }

  /**
   * A member of a sweep dealt out between accounts: its own slice of four topics (overlapping its
   * neighbours' by two), each query a random one of them at any time of its two months.
   */
  private static MemberSummary sweeper(String id, int slice, Random rng) {
    MemberActivity a = new MemberActivity(id);
    List<String> mine = new ArrayList<>();
    for (int k = 0; k < 4; k++) {
      mine.add(TOPICS.get((slice * 2 + k) % TOPICS.size()));
    }
    for (int i = 0; i < 60; i++) {
      a.query(mine.get(rng.nextInt(mine.size())), (long) (rng.nextDouble() * 8 * WEEK));
    }
    return a.summary();
  }

  @Test
  void aClassFollowingOneSyllabusMovesInStep() {
    Random rng = new Random(7);
    List<MemberSummary> cls = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      cls.add(student("s" + i, rng));
    }
    assertThat(TopicLockstep.of(cls)).isGreaterThan(0.9);
  }

  @Test
  void aSweepDealtOutBetweenAccountsDoesNot() {
    Random rng = new Random(7);
    List<MemberSummary> swarm = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      swarm.add(sweeper("m" + i, i, rng));
    }
    assertThat(TopicLockstep.of(swarm)).isBetween(-0.3, 0.3);
  }

  @Test
  void membersTakingTheSameTopicsInAnotherOrderAreNotInStep() {
    Random rng = new Random(11);
    List<MemberSummary> members = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      List<String> order = new ArrayList<>(TOPICS);
      Collections.shuffle(order, rng);
      MemberActivity a = new MemberActivity("m" + i);
      for (int week = 0; week < order.size(); week++) {
        for (int q = 0; q < 4; q++) {
          a.query(order.get(week), week * WEEK + q * HOUR);
        }
      }
      members.add(a.summary());
    }
    assertThat(TopicLockstep.of(members)).isBetween(-0.3, 0.3);
  }

  @Test
  void theMeanHourOfATopicIsWhenItsQueriesCameWithoutItsName() {
    MemberActivity a = new MemberActivity("a");
    a.query("math", 10 * HOUR);
    a.query("math", 20 * HOUR + 5);
    a.query(null, 30 * HOUR);
    a.query("law", 40 * HOUR);
    MemberSummary s = a.summary();
    // Hours after the first query's hour, in the categories' name order: law, math.
    assertThat(s.categoryHours()).containsExactly(30, 5);
    assertThat(s.meanHours()).containsOnly(Map.entry("law", 30), Map.entry("math", 5));
  }

  @Test
  void twoMembersSharingAFewTopicsSayLittle() {
    MemberActivity a = new MemberActivity("a");
    MemberActivity b = new MemberActivity("b");
    List<String> topics = List.of("law", "math", "bio");
    for (int t = 0; t < topics.size(); t++) {
      for (int i = 0; i < 3; i++) {
        a.query(topics.get(t), t * WEEK + i * HOUR);
        b.query(topics.get(t), t * WEEK + i * HOUR);
      }
    }
    // Three topics in the same order: three concordant topic pairs, against 30 of no evidence.
    assertThat(TopicLockstep.pair(a.summary(), b.summary()))
        .isEqualTo(new TopicLockstep.Concordance(3, 0, 3));
    assertThat(TopicLockstep.of(List.of(a.summary(), b.summary())))
        .isCloseTo(3 / 33.0, within(1e-12));

    // A topic asked once is not one of the member's topics.
    MemberActivity c = new MemberActivity("c");
    c.query("law", 0);
    c.query("math", WEEK);
    assertThat(TopicLockstep.pair(a.summary(), c.summary()).pairs()).isZero();
  }

  @Test
  void summariesWithoutHoursDoNotCount() {
    MemberSummary old =
        new MemberSummary(
            "c",
            10,
            Map.of("law", 4L, "math", 3L, "bio", 3L),
            0,
            1,
            null,
            Set.of(),
            null,
            List.of(),
            null);
    assertThat(old.categoryHours()).isEmpty();
    assertThat(old.meanHours()).isEmpty();
    assertThat(TopicLockstep.of(List.of(old, old))).isZero();
    // Hours that do not match the categories say nothing either.
    MemberSummary mismatched =
        new MemberSummary(
            "d",
            10,
            Map.of("law", 10L),
            0,
            1,
            null,
            Set.of(),
            null,
            List.of(),
            null,
            List.of(1, 2));
    assertThat(mismatched.categoryHours()).isEmpty();
  }

  @Test
  void theSameMembersGiveTheSameBitsInAnyOrder() {
    Random rng = new Random(3);
    List<MemberSummary> cls = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      cls.add(student("s" + i, rng));
    }
    List<MemberSummary> shuffled = new ArrayList<>(cls);
    Collections.shuffle(shuffled, new Random(5));
    assertThat(
            CampaignState.signals(shuffled, List.of(), 26, 0.25)
                .get(CampaignSignals.TOPIC_LOCKSTEP))
        .isEqualTo(
            CampaignState.signals(cls, List.of(), 26, 0.25).get(CampaignSignals.TOPIC_LOCKSTEP));
    assertThat(TopicLockstep.pair(cls.get(0), cls.get(1)))
        .isEqualTo(TopicLockstep.pair(cls.get(1), cls.get(0)));
  }
}
