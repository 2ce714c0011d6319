package io.distillguard.campaign;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a new edge between two sides (an account or a group each) makes them one group in {@link
 * CampaignGrouper}: groups grow by dense links, with support that grows with their size, not
 * through a few bridges. Reads the grouper's pair evidence; its only state says when two large
 * groups were last checked for a merge ({@link #dense}).
 */
final class JoinRule {

  private static final Logger LOG = LoggerFactory.getLogger(JoinRule.class);

  /**
   * Groups whose sizes multiply to this many pairs or more are checked for a merge at geometric
   * intervals of the new edges between them: a full check reads every partner of the smaller
   * group's members, and between groups of thousands every coincidental edge would trigger one.
   */
  static final long THROTTLE_PAIRS = 10_000;

  private static final int MAX_THROTTLED = 4_096;

  private final Function<String, Map<String, PairEvidence>> partners;

  /** Per pair of large groups: new edges across seen, and that count at the last full check. */
  private final Map<String, long[]> checks =
      new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
          return size() > MAX_THROTTLED;
        }
      };

  /**
   * @param partners an account's partners with their pair evidence
   */
  JoinRule(Function<String, Map<String, PairEvidence>> partners) {
    this.partners = partners;
  }

  /**
   * Whether the sides of a new edge are linked densely enough to become one group. Two ungrouped
   * accounts, or anything and a group of one or two, by their one edge: a sparse swarm whose
   * members each share an address with only one or two others still grows past its first pair. An
   * account, or a pair, joins a group of three or more by at least {@value
   * CampaignGrouper#MIN_JOINING_EDGES} edges to its members; an account also by one edge that
   * carries the scaffold wrapping at least half of the group. Two larger groups merge only when the
   * edges between them are support proportional to the smaller one's size: at least {@link
   * CampaignGrouper#MERGE_SUPPORT} of the smaller group's members (and never fewer than {@value
   * CampaignGrouper#MIN_JOINING_EDGES}) have an edge into the larger one, reaching as many of its
   * members. So coincidental edges (two people who asked the same few questions and signed up in
   * the same hour) do not chain a campus onto a campaign however large both grow, while two halves
   * of one swarm, tied member by member, still become one. The edges across must also be dense
   * relative to the product of the sizes ({@link #denseAcross}): at production scale coincidental
   * edges grow with that product while the support needed grows only with the smaller group.
   */
  boolean dense(
      String a,
      String b,
      CampaignGrouper.Group ga,
      CampaignGrouper.Group gb,
      ToDoubleFunction<LinkKey> weight,
      double minLink) {
    if (ga == null && gb == null) {
      return true;
    }
    Set<String> sideA = ga == null ? Set.of(a) : ga.members();
    Set<String> sideB = gb == null ? Set.of(b) : gb.members();
    Set<String> small = sideA.size() <= sideB.size() ? sideA : sideB;
    Set<String> large = small == sideA ? sideB : sideA;
    if (large.size() <= 2) {
      return true;
    }
    CampaignGrouper.Group largeGroup = small == sideA ? gb : ga;
    if (small.size() <= 2) {
      // An account, or a pair founded by one edge, joins by two edges; by one when that edge
      // carries a key that ties at least half of the group: the scaffold that wraps most of its
      // traffic (the campaign's own template, together with a key of how the account came to be),
      // or a key of how most of its members came (their address block, their sign-up burst, a
      // card): a member whose sign-up shares little with the others still joins the campaign
      // whose wrapper it uses, and a swarm's late member whose one edge carries the swarm's
      // address block joins it without waiting for a second edge. Joining a group already formed
      // needs less than founding one; the edge itself still needs two kinds of link.
      int edges = 0;
      for (String m : small) {
        edges += edgesInto(m, large, weight, minLink, CampaignGrouper.MIN_JOINING_EDGES);
        if (edges >= CampaignGrouper.MIN_JOINING_EDGES) {
          return true;
        }
      }
      return edges > 0 && small.size() == 1 && sharesGroupKey(small, largeGroup, weight, minLink);
    }
    if (throttled(ga, gb, small.size(), large.size())) {
      return false;
    }
    int needed = mergeSupport(small.size());
    int supporting = 0;
    long crossEdges = 0;
    long internalEnds = 0;
    Set<String> reached = new HashSet<>();
    for (String m : small) {
      boolean any = false;
      for (Map.Entry<String, PairEvidence> e : partners.apply(m).entrySet()) {
        boolean cross = large.contains(e.getKey());
        if ((cross || small.contains(e.getKey()))
            && PairEvidence.isEdge(e.getValue(), weight, minLink)) {
          if (cross) {
            any = true;
            crossEdges++;
            reached.add(e.getKey());
          } else {
            internalEnds++;
          }
        }
      }
      if (any) {
        supporting++;
      }
    }
    // The edges must also spread over the larger group: a few of its members that happen to share
    // questions and sign-up hours with many of the smaller group's are no support.
    boolean supported =
        supporting >= needed
            && reached.size() >= Math.ceil(CampaignGrouper.MERGE_SUPPORT * small.size());
    boolean dense =
        supported && denseAcross(crossEdges, internalEnds / 2, small.size(), large.size());
    if (LOG.isDebugEnabled()) {
      LOG.debug(
          "merge check {} ({}) into {} ({}): {} supporting of {} needed, {} reached, {} edges"
              + " across, {} within the smaller -> {}",
          ga == null ? a : ga.id(),
          sideA.size(),
          gb == null ? b : gb.id(),
          sideB.size(),
          supporting,
          needed,
          reached.size(),
          crossEdges,
          internalEnds / 2,
          dense);
    }
    return dense;
  }

  /**
   * Whether the merge check of two large groups (at least {@value #THROTTLE_PAIRS} pairs between
   * them) is skipped for this new edge across: a full check runs on the first edge and then once
   * the edges across seen since have grown by a tenth. The support and the density grow with the
   * edges across, so a merge is found within a tenth more edges than it needed.
   */
  private boolean throttled(
      CampaignGrouper.Group ga, CampaignGrouper.Group gb, int small, int large) {
    if (ga == null || gb == null || (long) small * large < THROTTLE_PAIRS) {
      return false;
    }
    String key = ga.id().compareTo(gb.id()) < 0 ? ga.id() + "|" + gb.id() : gb.id() + "|" + ga.id();
    long[] seen = checks.computeIfAbsent(key, k -> new long[] {0, -1});
    seen[0]++;
    if (seen[1] >= 0 && seen[0] - seen[1] < Math.max(1, seen[1] / 10)) {
      return true;
    }
    seen[1] = seen[0];
    return false;
  }

  /**
   * The density criterion of a merge: the edges between two groups, over the product of their sizes
   * (the pairs that could be linked), must reach {@link CampaignGrouper#MERGE_MIN_DENSITY} (one
   * pair in 500: no rate of coincidences between unrelated accounts comes near it) or {@link
   * CampaignGrouper#MERGE_DENSITY_RATIO} of the density within the smaller group (its edges over
   * its pairs), whichever is lower. Coincidental edges between two unrelated groups grow with the
   * product of their sizes at the population's coincidence rate, far below both; the two halves of
   * one campaign are linked across about as densely as within (each member's partners spread over
   * the whole campaign), also when the partner bound ({@value CampaignGrouper#MAX_PARTNERS}) keeps
   * the density within a campaign of thousands below the floor. A support count alone (a share of
   * the smaller group's members with an edge across) grows only linearly and is reached by
   * coincidence once both groups hold thousands of accounts; between small groups the floor is met
   * by a handful of edges, and the support count decides.
   *
   * @param crossEdges edges between the two groups
   * @param internalEdges edges within the smaller group
   * @param small members of the smaller group
   * @param large members of the larger group
   */
  static boolean denseAcross(long crossEdges, long internalEdges, int small, int large) {
    double across = (double) crossEdges / ((double) small * large);
    double within = small < 2 ? 1 : internalEdges / (small * (small - 1) / 2.0);
    return across
        >= Math.min(
            CampaignGrouper.MERGE_MIN_DENSITY, CampaignGrouper.MERGE_DENSITY_RATIO * within);
  }

  /**
   * Whether an edge from {@code accounts} into {@code group} carries a key that ties at least half
   * of the group's members: its own wrapper ({@link CampaignGrouper.Group#wrappedBy}), or a key of
   * how its members came to be or reach the service ({@link LinkType#describesPurpose()} false), at
   * the minimum weight or above; never the sign-up window ({@link LinkType#corroboratesOnly()}): a
   * group that signed up within three hours shares it with everyone else who signed up then.
   */
  private boolean sharesGroupKey(
      Set<String> accounts,
      CampaignGrouper.Group group,
      ToDoubleFunction<LinkKey> weight,
      double minLink) {
    for (String m : accounts) {
      for (Map.Entry<String, PairEvidence> e : partners.apply(m).entrySet()) {
        if (!group.members().contains(e.getKey())
            || !PairEvidence.isEdge(e.getValue(), weight, minLink)) {
          continue;
        }
        for (LinkKey k : e.getValue().keys()) {
          if ((k.type() != LinkType.SCAFFOLD && k.type().describesPurpose())
              || k.type().corroboratesOnly()) {
            continue;
          }
          if (group.tiedBy(k) && weight.applyAsDouble(k) >= minLink) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * Whether {@code account}, in no group, joins {@code group} (three members or more) through the
   * scaffold {@code scaffold} alone: the scaffold is the group's own wrapper ({@link
   * CampaignGrouper.Group#wrappedBy}: it ties at least half of the members, whom keys of how they
   * came linked, and no other scaffold ties more of them) and {@code account} shares it with at
   * least {@value CampaignGrouper#MIN_JOINING_EDGES} of its members. No pair of them is an edge
   * (the scaffold says what an account is for, and apps built from one template share it without
   * coordination), but the evidence adds up across the group: a group that exists only because its
   * members share sign-up or infrastructure keys, and whose traffic that one wrapper dominates, is
   * joined by the next account that sends its traffic through the same wrapper, such as a campaign
   * member on its own residential exits with its own card and a webmail address, or a fresh account
   * carrying on a banned campaign. Accounts that share a template and nothing else never form a
   * group, so there is none to join through it.
   */
  boolean joinsByGroupScaffold(
      String account,
      CampaignGrouper.Group group,
      LinkKey scaffold,
      ToDoubleFunction<LinkKey> weight,
      double minLink) {
    if (scaffold.type() != LinkType.SCAFFOLD
        || group.members().size() < 3
        || weight.applyAsDouble(scaffold) < minLink
        || weight.applyAsDouble(scaffold) <= 0) {
      return false;
    }
    if (!group.wrappedBy(scaffold)) {
      return false;
    }
    int sharing = 0;
    for (Map.Entry<String, PairEvidence> e : partners.apply(account).entrySet()) {
      if (group.members().contains(e.getKey()) && e.getValue().keys().contains(scaffold)) {
        if (++sharing >= CampaignGrouper.MIN_JOINING_EDGES) {
          return true;
        }
      }
    }
    return false;
  }

  /** Members of a smaller group of {@code size} that need an edge into a larger one to merge. */
  static int mergeSupport(int size) {
    return Math.max(
        CampaignGrouper.MIN_JOINING_EDGES, (int) Math.ceil(CampaignGrouper.MERGE_SUPPORT * size));
  }

  /** Edges from {@code account} to members of {@code group}, counted up to {@code enough}. */
  private int edgesInto(
      String account,
      Set<String> group,
      ToDoubleFunction<LinkKey> weight,
      double minLink,
      int enough) {
    int edges = 0;
    for (Map.Entry<String, PairEvidence> e : partners.apply(account).entrySet()) {
      if (group.contains(e.getKey()) && PairEvidence.isEdge(e.getValue(), weight, minLink)) {
        if (++edges >= enough) {
          break;
        }
      }
    }
    return edges;
  }
}
