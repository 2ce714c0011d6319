package io.distillguard.campaign;

import io.distillguard.signals.SignalSnapshot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pure fold from a group's member summaries and links to its campaign signals ({@link
 * CampaignSignals}). No state of its own: the same inputs give the same snapshot, so an
 * event-sourced entity can recompute it from its journaled summaries, and a test can check it on
 * hand-made summaries.
 */
public final class CampaignState {

  static final double UNKNOWN_SPAN_HOURS = 1_000_000;

  /**
   * Sign-ups this close to another member's are one burst ({@link
   * CampaignSignals#SIGNUP_BURST_SHARE}).
   */
  static final double BURST_HOURS = 24;

  private CampaignState() {}

  /**
   * The signals of a group.
   *
   * @param members the members' summaries (order does not matter)
   * @param links the keys tying at least two members, with their current weights
   * @param categoryCount K, the number of capability categories (the entropy base)
   * @param minLinkWeight a kind counts as independent evidence from this mean weight on
   */
  public static SignalSnapshot signals(
      Collection<MemberSummary> members,
      Collection<CampaignLink> links,
      int categoryCount,
      double minLinkWeight) {
    List<MemberSummary> list = new ArrayList<>(members);
    list.sort(java.util.Comparator.comparing(MemberSummary::accountId));
    int n = list.size();
    Map<String, Double> v = new HashMap<>();
    long total = 0;
    long lastSeen = 0;
    Map<String, Long> union = new HashMap<>();
    for (MemberSummary m : list) {
      total += m.queries();
      lastSeen = Math.max(lastSeen, m.lastSeenMillis());
      m.categories().forEach((c, k) -> union.merge(c, k, Long::sum));
    }
    v.put(CampaignSignals.MEMBERS, (double) n);
    v.put(CampaignSignals.TOTAL_QUERIES, (double) total);

    // Links: per member, the strongest link of each kind; per kind, the mean over members.
    Map<LinkKind, Map<String, Double>> best = new EnumMap<>(LinkKind.class);
    Map<LinkType, Map<String, Double>> bestOfType = new EnumMap<>(LinkType.class);
    for (CampaignLink l : links) {
      Map<String, Double> perMember = best.computeIfAbsent(l.kind(), k -> new HashMap<>());
      Map<String, Double> perType =
          bestOfType.computeIfAbsent(l.key().type(), k -> new HashMap<>());
      for (String m : l.members()) {
        perMember.merge(m, l.weight(), Math::max);
        perType.merge(m, l.weight(), Math::max);
      }
    }
    // A scaffold links an account once it is the account's habit (ScaffoldTracker.MIN_USES
    // queries): a member that has sent fewer (a declared organisation's accounts are members from
    // their profiles on) cannot show one yet, and does not count.
    v.put(
        CampaignSignals.SCAFFOLD_LINK_WEIGHT,
        meanOverHabitual(list, bestOfType.get(LinkType.SCAFFOLD)));
    v.put(
        CampaignSignals.STATED_USE_LINK_WEIGHT,
        meanOver(list, bestOfType.get(LinkType.STATED_USE_TEMPLATE)));
    int kinds = 0;
    for (LinkKind kind : LinkKind.values()) {
      double mean = meanOver(list, best.get(kind));
      v.put(kindSignal(kind), mean);
      if (mean >= minLinkWeight && mean > 0) {
        kinds++;
      }
    }
    v.put(CampaignSignals.INDEPENDENT_LINK_KINDS, (double) kinds);

    // Coverage: the merged histogram against each member's own.
    double k = Math.max(2, categoryCount);
    double unionEntropy = entropy(union.values());
    v.put(CampaignSignals.UNION_COVERAGE_BREADTH, unionEntropy / Math.log(k));
    v.put(
        CampaignSignals.UNION_DISTINCT_CATEGORIES,
        (double) union.values().stream().filter(c -> c >= 2).count());
    double breadthSum = 0;
    double effectiveSum = 0;
    int active = 0;
    for (MemberSummary m : list) {
      if (m.queries() > 0) {
        double h = entropy(m.categories().values());
        breadthSum += h / Math.log(k);
        effectiveSum += Math.exp(h);
        active++;
      }
    }
    v.put(CampaignSignals.MEAN_MEMBER_BREADTH, active == 0 ? 0 : breadthSum / active);
    v.put(
        CampaignSignals.COMPLEMENTARITY,
        active == 0 ? 0 : Math.exp(unionEntropy) / (effectiveSum / active));
    v.put(CampaignSignals.PAIRWISE_OVERLAP, MemberPairs.overlap(list));
    v.put(CampaignSignals.DISJOINT_PAIR_SHARE, MemberPairs.disjointShare(list));
    v.put(CampaignSignals.TOPIC_LOCKSTEP, TopicLockstep.of(list));

    // Time: sign-up span, first-seen span, synchrony of active hours.
    long minSignup = Long.MAX_VALUE;
    long maxSignup = Long.MIN_VALUE;
    long minFirst = Long.MAX_VALUE;
    long maxFirst = Long.MIN_VALUE;
    for (MemberSummary m : list) {
      if (m.signupMillis() != null) {
        minSignup = Math.min(minSignup, m.signupMillis());
        maxSignup = Math.max(maxSignup, m.signupMillis());
      }
      if (m.queries() > 0) {
        minFirst = Math.min(minFirst, m.firstSeenMillis());
        maxFirst = Math.max(maxFirst, m.firstSeenMillis());
      }
    }
    int signups = (int) list.stream().filter(m -> m.signupMillis() != null).count();
    v.put(
        CampaignSignals.SIGNUP_SPAN_HOURS,
        signups < 2 ? UNKNOWN_SPAN_HOURS : (maxSignup - minSignup) / 3_600_000.0);
    v.put(CampaignSignals.SIGNUP_BURST_SHARE, signupBurstShare(list));
    v.put(
        CampaignSignals.FIRST_SEEN_SPAN_HOURS,
        minFirst == Long.MAX_VALUE ? 0 : (maxFirst - minFirst) / 3_600_000.0);
    v.put(CampaignSignals.ACTIVITY_SYNCHRONY, activitySynchrony(list));

    // Organisations and stated uses.
    Map<String, Integer> orgs = new HashMap<>();
    Set<String> expected = new HashSet<>();
    boolean anyExpectation = false;
    for (MemberSummary m : list) {
      if (m.orgId() != null) {
        orgs.merge(m.orgId(), 1, Integer::sum);
      }
      if (!m.expectedCategories().isEmpty()) {
        anyExpectation = true;
        expected.addAll(m.expectedCategories());
      }
    }
    int largestOrg = orgs.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    v.put(CampaignSignals.DECLARED_ORG_SHARE, n == 0 ? 0 : (double) largestOrg / n);
    long unexpected = 0;
    for (Map.Entry<String, Long> e : union.entrySet()) {
      if (!expected.contains(e.getKey())) {
        unexpected += e.getValue();
      }
    }
    v.put(
        CampaignSignals.UNION_UNEXPECTED_SHARE,
        !anyExpectation || total == 0 ? 0 : (double) unexpected / total);
    MemberOffUse offUse = MemberOffUse.of(list);
    v.put(CampaignSignals.MEMBER_UNEXPECTED_SHARE, offUse.memberUnexpectedShare(list));
    v.put(CampaignSignals.OFF_USE_QUERIES, (double) offUse.queries());
    v.put(CampaignSignals.OFF_USE_EVIDENCE, offUse.evidence());
    int escalated = 0;
    for (MemberSummary m : list) {
      if (m.escalatedOnItsOwn()) {
        escalated++;
      }
    }
    v.put(CampaignSignals.ESCALATED_MEMBERS, (double) escalated);
    v.put(CampaignSignals.ESCALATED_MEMBER_SHARE, n == 0 ? 0 : (double) escalated / n);
    v.put(CampaignSignals.STATED_USE_OVERLAP, MemberPairs.statedUseOverlap(list));
    v.put(
        CampaignSignals.STATED_USE_COVERAGE,
        categoryCount <= 0 ? 0 : Math.min(1.0, (double) expected.size() / categoryCount));
    return new SignalSnapshot(total, lastSeen, v);
  }

  /** Hours spanned by the members' active hours up to which they are counted in an array. */
  private static final long MAX_DENSE_HOURS = 1 << 20;

  /**
   * Mean over the members with active hours of the share of those hours in which another member was
   * active too. Counted in an array over the hours the members span (up to 2^20 hours, 120 years; a
   * map beyond), since a campaign of 25,000 members brings up to 6.4 million hours.
   */
  private static double activitySynchrony(List<MemberSummary> list) {
    long[][] hours = new long[list.size()][];
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (int i = 0; i < hours.length; i++) {
      hours[i] = HourList.hours(list.get(i).activeHours());
      for (long h : hours[i]) {
        min = Math.min(min, h);
        max = Math.max(max, h);
      }
    }
    if (min == Long.MAX_VALUE) {
      return 0;
    }
    java.util.function.LongPredicate shared;
    if (max - min < MAX_DENSE_HOURS) {
      // Members active in each hour, saturating at 2: "another member too" is all that is asked.
      byte[] active = new byte[(int) (max - min + 1)];
      for (long[] member : hours) {
        for (long h : member) {
          int i = (int) (h - min);
          if (active[i] < 2) {
            active[i]++;
          }
        }
      }
      long base = min;
      shared = h -> active[(int) (h - base)] > 1;
    } else {
      Map<Long, Integer> hourMembers = new HashMap<>();
      for (long[] member : hours) {
        for (long h : member) {
          hourMembers.merge(h, 1, Integer::sum);
        }
      }
      shared = h -> hourMembers.getOrDefault(h, 0) > 1;
    }
    double sync = 0;
    int withHours = 0;
    for (long[] member : hours) {
      if (member.length > 0) {
        int n = 0;
        for (long h : member) {
          if (shared.test(h)) {
            n++;
          }
        }
        sync += (double) n / member.length;
        withHours++;
      }
    }
    return withHours == 0 ? 0 : sync / withHours;
  }

  /** Share of members with a sign-up time whose nearest other sign-up is within BURST_HOURS. */
  private static double signupBurstShare(List<MemberSummary> list) {
    long[] at =
        list.stream()
            .filter(m -> m.signupMillis() != null)
            .mapToLong(MemberSummary::signupMillis)
            .sorted()
            .toArray();
    if (at.length < 2) {
      return 0;
    }
    long window = (long) (BURST_HOURS * 3_600_000L);
    int inBurst = 0;
    for (int i = 0; i < at.length; i++) {
      boolean near =
          (i > 0 && at[i] - at[i - 1] <= window)
              || (i + 1 < at.length && at[i + 1] - at[i] <= window);
      if (near) {
        inBurst++;
      }
    }
    return (double) inBurst / at.length;
  }

  private static double meanOver(List<MemberSummary> list, Map<String, Double> perMember) {
    if (perMember == null || list.isEmpty()) {
      return 0;
    }
    double sum = 0;
    for (MemberSummary m : list) {
      sum += perMember.getOrDefault(m.accountId(), 0.0);
    }
    return sum / list.size();
  }

  /**
   * {@link #meanOver}, over the members that have sent enough queries to show a scaffold habit
   * ({@link ScaffoldTracker#MIN_USES}).
   */
  private static double meanOverHabitual(List<MemberSummary> list, Map<String, Double> perMember) {
    return meanOver(
        list.stream().filter(m -> m.queries() >= ScaffoldTracker.MIN_USES).toList(), perMember);
  }

  static String kindSignal(LinkKind kind) {
    return switch (kind) {
      case INFRASTRUCTURE -> CampaignSignals.INFRASTRUCTURE_LINK_WEIGHT;
      case REGISTRATION -> CampaignSignals.REGISTRATION_LINK_WEIGHT;
      case CONTENT -> CampaignSignals.CONTENT_LINK_WEIGHT;
    };
  }

  private static double entropy(Collection<Long> counts) {
    // Summed in ascending order of count: the same histogram gives the same bits whatever order its
    // map iterates in (an immutable map's order differs from one JVM to the next).
    long[] sorted = new long[counts.size()];
    int i = 0;
    long total = 0;
    for (long c : counts) {
      sorted[i++] = c;
      total += c;
    }
    if (total == 0) {
      return 0;
    }
    java.util.Arrays.sort(sorted);
    double h = 0;
    for (long c : sorted) {
      if (c > 0) {
        double p = (double) c / total;
        h -= p * Math.log(p);
      }
    }
    return h;
  }
}
