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
 * through a few bridges. Reads the grouper's pair evidence; holds no state of its own.
 */
final class JoinRule {

  private static final Logger LOG = LoggerFactory.getLogger(JoinRule.class);

  private final Function<String, Map<String, CampaignGrouper.Pair>> partners;

  /**
   * @param partners an account's partners with their pair evidence
   */
  JoinRule(Function<String, Map<String, CampaignGrouper.Pair>> partners) {
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
   * of one swarm, tied member by member, still become one.
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
      // carries the scaffold that wraps most of the group's traffic (the campaign's own template,
      // together with a key of how the account came to be): a member whose sign-up shares little
      // with the others still joins the campaign whose wrapper it uses.
      int edges = 0;
      for (String m : small) {
        edges += edgesInto(m, large, weight, minLink, CampaignGrouper.MIN_JOINING_EDGES);
        if (edges >= CampaignGrouper.MIN_JOINING_EDGES) {
          return true;
        }
      }
      return edges > 0
          && small.size() == 1
          && sharesGroupScaffold(small, largeGroup, weight, minLink);
    }
    int needed = mergeSupport(small.size());
    int supporting = 0;
    int checked = 0;
    Set<String> reached = new HashSet<>();
    for (String m : small) {
      // Stop early once the members left cannot reach the support needed.
      if (supporting + (small.size() - checked) < needed) {
        break;
      }
      checked++;
      boolean any = false;
      for (Map.Entry<String, CampaignGrouper.Pair> e : partners.apply(m).entrySet()) {
        if (large.contains(e.getKey()) && CampaignGrouper.isEdge(e.getValue(), weight, minLink)) {
          any = true;
          reached.add(e.getKey());
        }
      }
      if (any) {
        supporting++;
      }
    }
    // The edges must also spread over the larger group: a few of its members that happen to share
    // questions and sign-up hours with many of the smaller group's are no support.
    boolean merges =
        supporting >= needed
            && reached.size() >= Math.ceil(CampaignGrouper.MERGE_SUPPORT * small.size());
    if (LOG.isDebugEnabled()) {
      LOG.debug(
          "merge check {} ({}) into {} ({}): {} supporting of {} needed, {} reached -> {}",
          ga == null ? a : ga.id(),
          sideA.size(),
          gb == null ? b : gb.id(),
          sideB.size(),
          supporting,
          needed,
          reached.size(),
          merges);
    }
    return merges;
  }

  /**
   * Whether an edge from {@code accounts} into {@code group} carries a scaffold key that ties at
   * least half of the group's members: the group's own wrapper.
   */
  private boolean sharesGroupScaffold(
      Set<String> accounts,
      CampaignGrouper.Group group,
      ToDoubleFunction<LinkKey> weight,
      double minLink) {
    for (String m : accounts) {
      for (Map.Entry<String, CampaignGrouper.Pair> e : partners.apply(m).entrySet()) {
        if (!group.members().contains(e.getKey())
            || !CampaignGrouper.isEdge(e.getValue(), weight, minLink)) {
          continue;
        }
        for (LinkKey k : e.getValue().keys()) {
          Set<String> on = k.type() == LinkType.SCAFFOLD ? group.links().get(k) : null;
          if (on != null && 2 * on.size() >= group.members().size()) {
            return true;
          }
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
    for (Map.Entry<String, CampaignGrouper.Pair> e : partners.apply(account).entrySet()) {
      if (group.contains(e.getKey()) && CampaignGrouper.isEdge(e.getValue(), weight, minLink)) {
        if (++edges >= enough) {
          break;
        }
      }
    }
    return edges;
  }
}
