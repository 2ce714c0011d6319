package io.distillguard.campaign;

import java.util.List;
import java.util.Set;

/**
 * The names of the campaign signals (snake_case, as in webhooks, the HTTP API and the policy's
 * {@code campaign_rules}), computed by {@link CampaignState} over a group's member summaries and
 * links.
 */
public final class CampaignSignals {

  /** Members of the group. */
  public static final String MEMBERS = "members";

  /** Queries of all members together. */
  public static final String TOTAL_QUERIES = "total_queries";

  /** Link kinds (infrastructure, registration, content) whose weight reaches the minimum. */
  public static final String INDEPENDENT_LINK_KINDS = "independent_link_kinds";

  /**
   * Per kind: the mean over members of the strongest link of that kind each member has to another
   * member (0..1). How tightly the whole group, not one pair, is tied by that kind.
   */
  public static final String INFRASTRUCTURE_LINK_WEIGHT = "infrastructure_link_weight";

  /** See {@link #INFRASTRUCTURE_LINK_WEIGHT}. */
  public static final String REGISTRATION_LINK_WEIGHT = "registration_link_weight";

  /** See {@link #INFRASTRUCTURE_LINK_WEIGHT}. */
  public static final String CONTENT_LINK_WEIGHT = "content_link_weight";

  /**
   * As {@link #CONTENT_LINK_WEIGHT}, for shared prompt scaffolds only: a campaign wraps its queries
   * in one template, while people who happen to ask the same question share payloads, not a
   * scaffold that dominates their traffic. For a declared organisation's principal, the scaffolds
   * that dominate the traffic of two or more of its accounts (its only links). The mean is over the
   * members that have sent at least the queries a scaffold needs to become an account's habit
   * ({@link ScaffoldTracker#MIN_USES}): one that has sent fewer cannot show one yet.
   */
  public static final String SCAFFOLD_LINK_WEIGHT = "scaffold_link_weight";

  /** As {@link #REGISTRATION_LINK_WEIGHT}, for templated stated uses only. */
  public static final String STATED_USE_LINK_WEIGHT = "stated_use_link_weight";

  /** Normalised entropy (0..1, log base K) of the members' merged category histogram. */
  public static final String UNION_COVERAGE_BREADTH = "union_coverage_breadth";

  /** Categories with at least 2 queries in the merged histogram. */
  public static final String UNION_DISTINCT_CATEGORIES = "union_distinct_categories";

  /** Mean over members of their own normalised category entropy. */
  public static final String MEAN_MEMBER_BREADTH = "mean_member_breadth";

  /**
   * Effective categories (e^entropy) of the merged histogram over the members' mean effective
   * categories: 1 when every member covers what the group covers, high when each member is narrow
   * and together they cover the space (a sweep split between accounts).
   */
  public static final String COMPLEMENTARITY = "complementarity";

  /** Mean histogram intersection (Σ min share) over member pairs (0..1; a sample of pairs). */
  public static final String PAIRWISE_OVERLAP = "pairwise_overlap";

  /** Hours between the first and the last sign-up ({@code created_at}) of members; 10^6 unknown. */
  public static final String SIGNUP_SPAN_HOURS = "signup_span_hours";

  /**
   * Share of the members with a known sign-up time ({@code created_at}) who signed up within {@link
   * CampaignState#BURST_HOURS} hours of another member (0..1). Near 1 for accounts registered in a
   * burst (a campaign's sign-up machinery, a campus at the start of term); low for the accounts an
   * organisation opened one by one over months. Unlike {@link #SIGNUP_SPAN_HOURS}, one member
   * signed up long before the rest does not change it much.
   */
  public static final String SIGNUP_BURST_SHARE = "signup_burst_share";

  /** Hours between the members' first queries. */
  public static final String FIRST_SEEN_SPAN_HOURS = "first_seen_span_hours";

  /** Mean over members of the share of their active hours in which another member was active. */
  public static final String ACTIVITY_SYNCHRONY = "activity_synchrony";

  /** Share of members in the largest declared organisation (0 when none declares one). */
  public static final String DECLARED_ORG_SHARE = "declared_org_share";

  /**
   * Share of the merged traffic in categories that none of the members' stated uses expects (a
   * declared organisation judged as one principal against the union of its stated uses); 0 when no
   * member has a stated use.
   */
  public static final String UNION_UNEXPECTED_SHARE = "union_unexpected_share";

  /**
   * Mean over the members of the share of their own queries in categories their own stated use does
   * not expect (0..1; a member that states no use counts every query as off it). Low for an office,
   * a campus or a reseller's customers, each asking what it said it would however strongly they are
   * linked; high for a swarm whose members pose as ordinary apps and sweep something else.
   */
  public static final String MEMBER_UNEXPECTED_SHARE = "member_unexpected_share";

  /**
   * Queries of all members together in categories their own stated use does not expect (a member
   * that states no use counts every query). Evidence that accumulates with the group's traffic, not
   * with its member count: two accounts registered together that sweep off their stated uses show
   * it as surely, over more queries, as five do.
   */
  public static final String OFF_USE_QUERIES = "off_use_queries";

  /**
   * Mean Jaccard overlap (0..1) between the category sets the members' stated uses expect, over
   * member pairs that both state a use (1 when fewer than two do). Low when the stated uses differ
   * member by member, each claiming its own corner of the space.
   */
  public static final String STATED_USE_OVERLAP = "stated_use_overlap";

  /**
   * Share (0..1) of the capability categories that at least one member's stated use expects: how
   * much of the space the members' stated uses claim together.
   */
  public static final String STATED_USE_COVERAGE = "stated_use_coverage";

  /**
   * Share (0..1) of the member pairs whose traffic lies in near-disjoint slices: category
   * histograms that intersect (Σ min share) less than {@link MemberPairs#DISJOINT_BELOW}, with less
   * than that share of either member's queries in the categories the other asked twice or more,
   * over the pairs of members with at least {@link MemberPairs#MIN_SLICE_QUERIES} queries each (a
   * sample of pairs; 0 when no pair has them). High when each member asks its own corner of the
   * space, as a sweep dealt out between accounts does; one pair of members that happen to share a
   * slice moves it by one pair in n(n-1)/2, where it moves a mean overlap by the whole of that
   * pair's overlap. Low for a team that asks about one shared subject.
   */
  public static final String DISJOINT_PAIR_SHARE = "disjoint_pair_share";

  /**
   * How strongly the members' queries off their own stated uses say sweep rather than app: the
   * log-likelihood ratio (natural log), summed over members, of each member's off-use and in-use
   * query counts under a sweep (a query off the stated use with probability {@link
   * MemberOffUse#SWEEP_OFF_USE}) against an app that keeps to its stated use as well as the
   * taxonomy tells ({@link MemberOffUse#APP_OFF_USE}); a member that states no use counts every
   * query as off it. It grows with every query of members far off their uses (about +0.75 per
   * off-use query, -1.39 per in-use one), falls for members that keep to theirs, and stays flat
   * near a share of 0.65: members sweeping nearly all off their uses reach a given strength in a
   * fraction of the queries that {@link #OFF_USE_QUERIES} with {@link #MEMBER_UNEXPECTED_SHARE}
   * needs, while members near 0.6 off never do.
   */
  public static final String OFF_USE_EVIDENCE = "off_use_evidence";

  /**
   * Members whose own account rules (or a reviewer of the account) hold them at REVIEW or above,
   * each on its own evidence, not through a campaign: accounts already escalated one by one that
   * the links tie together, which a reviewer wants as one case rather than as many.
   */
  public static final String ESCALATED_MEMBERS = "escalated_members";

  /** {@link #ESCALATED_MEMBERS} over the members (0..1). */
  public static final String ESCALATED_MEMBER_SHARE = "escalated_member_share";

  /**
   * Whether the members move through the topics they share together (-1..1; {@link TopicLockstep}):
   * for every two categories a pair of members both asked about twice or more, whether the two took
   * them in the same order (by the mean hour of their queries there) or in opposite orders;
   * concordant minus discordant over all such topic pairs of the sampled member pairs, shrunk by 30
   * topic pairs of no evidence. Near 1 for a class following a syllabus or a team working through
   * one project, topic after topic in step; near 0 for a sweep dealt out between accounts, whose
   * few shared categories each member reaches whenever its own script does, and when the members
   * share too little to tell.
   */
  public static final String TOPIC_LOCKSTEP = "topic_lockstep";

  /** Every campaign signal name. */
  public static final Set<String> ALL =
      java.util.Collections.unmodifiableSet(
          new java.util.LinkedHashSet<>(
              List.of(
                  MEMBERS,
                  TOTAL_QUERIES,
                  INDEPENDENT_LINK_KINDS,
                  INFRASTRUCTURE_LINK_WEIGHT,
                  REGISTRATION_LINK_WEIGHT,
                  CONTENT_LINK_WEIGHT,
                  SCAFFOLD_LINK_WEIGHT,
                  STATED_USE_LINK_WEIGHT,
                  UNION_COVERAGE_BREADTH,
                  UNION_DISTINCT_CATEGORIES,
                  MEAN_MEMBER_BREADTH,
                  COMPLEMENTARITY,
                  PAIRWISE_OVERLAP,
                  SIGNUP_SPAN_HOURS,
                  SIGNUP_BURST_SHARE,
                  FIRST_SEEN_SPAN_HOURS,
                  ACTIVITY_SYNCHRONY,
                  DECLARED_ORG_SHARE,
                  UNION_UNEXPECTED_SHARE,
                  MEMBER_UNEXPECTED_SHARE,
                  OFF_USE_QUERIES,
                  STATED_USE_OVERLAP,
                  STATED_USE_COVERAGE,
                  DISJOINT_PAIR_SHARE,
                  TOPIC_LOCKSTEP,
                  OFF_USE_EVIDENCE,
                  ESCALATED_MEMBERS,
                  ESCALATED_MEMBER_SHARE)));

  private CampaignSignals() {}

  public static boolean isKnown(String name) {
    return ALL.contains(name);
  }
}
