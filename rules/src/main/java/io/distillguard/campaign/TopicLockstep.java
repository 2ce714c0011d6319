package io.distillguard.campaign;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link CampaignSignals#TOPIC_LOCKSTEP}: whether the members move through the topics they share
 * together. For a pair of members, the categories both asked about at least {@value
 * #MIN_QUERIES_PER_TOPIC} times are their shared topics, and each member's mean hour of a topic
 * ({@link MemberSummary#meanHours}) says when it asked about it. Every two shared topics are
 * concordant when both members took them in the same order, discordant when in opposite orders:
 * Kendall's concordance, pooled over a deterministic sample of member pairs ({@link MemberPairs})
 * and shrunk towards 0 by {@value #PRIOR_TOPIC_PAIRS} topic pairs of no evidence, so two members
 * that happen to share three topics say little and a class says a lot.
 *
 * <p>A class following a syllabus asks about one topic in its first week and another in its fifth,
 * every student alike (near 1 once a few weeks are in); a sweep dealt out between accounts shares
 * few topics, and each member reaches those whenever its own script does, spread over its whole
 * activity (near 0). Members whose summaries do not say when they asked do not count.
 */
final class TopicLockstep {

  /** A category is a topic of a member from this many of its queries. */
  static final long MIN_QUERIES_PER_TOPIC = 2;

  /** Topic pairs of no evidence the pooled concordance is shrunk by. */
  static final double PRIOR_TOPIC_PAIRS = 30;

  private TopicLockstep() {}

  /**
   * Two members' shared topic pairs taken in the same order by both, in opposite orders, and in all
   * (a pair either member asked at one mean hour is neither).
   */
  record Concordance(long concordant, long discordant, long pairs) {}

  /** The pooled, shrunk concordance over the sampled member pairs (-1..1; 0 with no evidence). */
  static double of(List<MemberSummary> members) {
    List<MemberSummary> timed = members.stream().filter(m -> !m.categoryHours().isEmpty()).toList();
    Map<MemberSummary, Map<String, Integer>> hours = new java.util.IdentityHashMap<>();
    long net = 0;
    long pairs = 0;
    for (int[] p : MemberPairs.sampled(timed.size())) {
      MemberSummary a = timed.get(p[0]);
      MemberSummary b = timed.get(p[1]);
      Concordance c =
          concordance(
              a, hours.computeIfAbsent(a, MemberSummary::meanHours),
              b, hours.computeIfAbsent(b, MemberSummary::meanHours));
      net += c.concordant() - c.discordant();
      pairs += c.pairs();
    }
    return net / (pairs + PRIOR_TOPIC_PAIRS);
  }

  /** How two members' shared topics are ordered in time by each (ties count as neither). */
  static Concordance pair(MemberSummary a, MemberSummary b) {
    return concordance(a, a.meanHours(), b, b.meanHours());
  }

  private static Concordance concordance(
      MemberSummary a, Map<String, Integer> aHours, MemberSummary b, Map<String, Integer> bHours) {
    List<String> shared = new ArrayList<>();
    for (Map.Entry<String, Long> e : a.categories().entrySet()) {
      Long other = b.categories().get(e.getKey());
      if (e.getValue() >= MIN_QUERIES_PER_TOPIC
          && other != null
          && other >= MIN_QUERIES_PER_TOPIC
          && aHours.containsKey(e.getKey())
          && bHours.containsKey(e.getKey())) {
        shared.add(e.getKey());
      }
    }
    int n = shared.size();
    // Each member's order of its own topics: the hours after its own first query do.
    int[] x = new int[n];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      x[i] = aHours.get(shared.get(i));
      y[i] = bHours.get(shared.get(i));
    }
    long concordant = 0;
    long discordant = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        int s = Integer.signum(x[i] - x[j]) * Integer.signum(y[i] - y[j]);
        if (s > 0) {
          concordant++;
        } else if (s < 0) {
          discordant++;
        }
      }
    }
    return new Concordance(concordant, discordant, (long) n * (n - 1) / 2);
  }
}
