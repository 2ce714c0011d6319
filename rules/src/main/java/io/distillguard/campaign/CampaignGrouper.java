package io.distillguard.campaign;

import io.distillguard.signals.Hashing;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Forms groups of linked accounts from pair evidence and gives each swarm one stable campaign id.
 *
 * <p>Every time two accounts turn out to share a link key ({@link #link}), the key is added to the
 * pair's evidence. A pair becomes an <em>edge</em> once its keys span at least two link kinds whose
 * strongest current weight reaches the minimum, one of them content or registration, and one of its
 * keys says how the accounts came to be or reach the service (infrastructure, or registration other
 * than the stated use): the stated use, the prompt scaffold and the payloads all say what an
 * account is for, and apps built for the same purpose share them without any coordination (one
 * fact, not two independent ones). Payload near-duplicates count as content only once the pair
 * shares more than one payload's worth of bands ({@link PairEvidence#MIN_PAYLOAD_BANDS}): two
 * accounts that once asked the same popular question are not linked by it. The three-hour sign-up
 * window counts only beside another key of how the two accounts came ({@link
 * LinkType#corroboratesOnly()}): everyone who signed up in those hours shares it.
 *
 * <p>Edges join groups (union-find) where they are dense: two ungrouped accounts found a new group
 * by one edge and a third joins that pair by one edge; an account joins a group of three or more by
 * {@value #MIN_JOINING_EDGES} edges, or by one that carries a key tying at least half of the group
 * (its scaffold, or a key of how most of its members came), or without an edge by sharing the
 * scaffold that ties at least half of the group with {@value #MIN_JOINING_EDGES} of its members
 * ({@link JoinRule#joinsByGroupScaffold}); and two groups merge only with support proportional to
 * the smaller one's size: {@link #MERGE_SUPPORT} of its members with an edge into the other,
 * reaching as many of the other's (a handful of coincidental edges between a campus and a campaign,
 * two people who asked the same few questions and signed up in the same hour, does not make one
 * group of them), and with edges across that are dense relative to the product of the two sizes
 * ({@link JoinRule#denseAcross}: between groups of thousands coincidental edges alone reach the
 * support). Two groups merge into the older one (earlier creation, then the smaller id), whose id
 * survives; the younger id is remembered as merged into it. A group's id is derived from its
 * founding pair and time, so a replay of the same traffic gives the same ids.
 *
 * <p>Bounded: an account keeps evidence for at most {@value #MAX_PARTNERS} partners (the weakest
 * evidence leaves first: see {@link PairEvidence#strength}), a pair at most {@value
 * PairEvidence#MAX_PAIR_KEYS} keys (and a count of its payload bands); a group remembers at most
 * {@value #MAX_GROUP_KEYS} linking keys (the one on fewest members leaves first). Groups never
 * split: when a link later becomes common, the group stays but its link weights, and so its
 * campaign signals, fall. Not thread-safe.
 */
public final class CampaignGrouper {

  static final int MAX_PARTNERS = 64;

  /**
   * Edges an account needs to members of a group before it joins, and edges between two groups
   * before they merge: a group grows by dense links, not through one bridge.
   */
  static final int MIN_JOINING_EDGES = 2;

  /**
   * Share of a smaller group's members that need an edge into a larger group before the two merge:
   * support grows with the group, so a handful of coincidental edges between two large groups is
   * not enough.
   */
  static final double MERGE_SUPPORT = 0.3;

  /**
   * Edges between two groups, over the product of their sizes, must reach this share of the edge
   * density within the smaller group, or {@link #MERGE_MIN_DENSITY}, before they merge ({@link
   * JoinRule#denseAcross}).
   */
  static final double MERGE_DENSITY_RATIO = 0.25;

  /** Edges between two groups over the product of their sizes that always suffice for a merge. */
  static final double MERGE_MIN_DENSITY = 0.002;

  static final int MAX_GROUP_KEYS = 512;

  /** A group of linked accounts. */
  public static final class Group {
    private final String id;
    private final long createdAtMillis;
    private final Set<String> members = new LinkedHashSet<>();
    private final Map<LinkKey, Set<String>> links = new HashMap<>();
    private final Map<LinkKey, Set<String>> frozen = new HashMap<>();
    private final List<String> absorbed = new ArrayList<>();
    private long membersVersion;

    Group(String id, long createdAtMillis) {
      this.id = id;
      this.createdAtMillis = createdAtMillis;
    }

    public String id() {
      return id;
    }

    public long createdAtMillis() {
      return createdAtMillis;
    }

    /**
     * Changes whenever a member joins or leaves, to a value no group of this grouper had before: a
     * caller that read the members at one version has them still while it holds.
     */
    public long membersVersion() {
      return membersVersion;
    }

    /** Members in the order they joined. */
    public Set<String> members() {
      return java.util.Collections.unmodifiableSet(members);
    }

    /**
     * Keys that tie at least two members, with the members seen on each: an unmodifiable snapshot,
     * taken once per change of that key's members (a group's links are read for every member at
     * every evaluation, its members change far less often).
     */
    public Map<LinkKey, Set<String>> links() {
      Map<LinkKey, Set<String>> out = new java.util.LinkedHashMap<>(2 * links.size());
      links.forEach((k, on) -> out.put(k, frozen.computeIfAbsent(k, x -> Set.copyOf(on))));
      return java.util.Collections.unmodifiableMap(out);
    }

    /** Removes {@code accountId} from every key's members, and keys left with fewer than two. */
    void removeFromLinks(String accountId) {
      links.forEach(
          (k, on) -> {
            if (on.remove(accountId)) {
              frozen.remove(k);
            }
          });
      links.entrySet().removeIf(e -> e.getValue().size() < 2);
      frozen.keySet().retainAll(links.keySet());
    }

    /** Ids of younger groups merged into this one. */
    public List<String> absorbed() {
      return java.util.Collections.unmodifiableList(absorbed);
    }

    /**
     * Whether {@code scaffold} is the group's own wrapper: it ties more than half of the members
     * and no other scaffold ties more of them. A campaign wraps every member's traffic in its
     * template; a phrase its prompts share with an ordinary app of the same subject (a dataset's
     * "This question refers to the following information.") ties only the members that ask about
     * that subject, so it is never what the group is wrapped in, even where those are half of it: a
     * campus of four linked by its network, two of whose students paste questions in one dataset's
     * format, is not wrapped in that format.
     */
    boolean wrappedBy(LinkKey scaffold) {
      Set<String> on = links.get(scaffold);
      if (scaffold.type() != LinkType.SCAFFOLD || on == null || 2 * on.size() <= members.size()) {
        return false;
      }
      for (Map.Entry<LinkKey, Set<String>> e : links.entrySet()) {
        if (e.getKey().type() == LinkType.SCAFFOLD && e.getValue().size() > on.size()) {
          return false;
        }
      }
      return true;
    }

    /**
     * Whether {@code key} ties the group: a scaffold when it is the group's own wrapper ({@link
     * #wrappedBy}), any other key when it ties at least half of the members.
     */
    boolean tiedBy(LinkKey key) {
      if (key.type() == LinkType.SCAFFOLD) {
        return wrappedBy(key);
      }
      Set<String> on = links.get(key);
      return on != null && 2 * on.size() >= members.size();
    }

    void addLink(LinkKey key, String a, String b) {
      Set<String> on = links.get(key);
      if (on == null) {
        if (links.size() >= MAX_GROUP_KEYS) {
          LinkKey least = null;
          int min = Integer.MAX_VALUE;
          for (Map.Entry<LinkKey, Set<String>> e : links.entrySet()) {
            if (e.getValue().size() < min) {
              min = e.getValue().size();
              least = e.getKey();
            }
          }
          links.remove(least);
          frozen.remove(least);
        }
        on = new HashSet<>();
        links.put(key, on);
      }
      if (on.add(a) | on.add(b)) {
        frozen.remove(key);
      }
    }
  }

  /**
   * What an edge changed.
   *
   * @param campaignId the group the accounts are in now
   * @param founded true when the edge founded the group
   * @param joined accounts that joined it (empty when both were already in it)
   * @param absorbed ids of groups merged into it
   */
  public record Change(
      String campaignId, boolean founded, List<String> joined, List<String> absorbed) {}

  private final Map<String, Map<String, PairEvidence>> partners = new HashMap<>();
  private final Map<String, String> groupOf = new HashMap<>();
  private final Map<String, Group> groups = new HashMap<>();

  /** Membership changes so far, over every group: each group's {@link Group#membersVersion}. */
  private long membershipChanges;

  private final Map<String, String> mergedInto = new HashMap<>();
  private long pairs;
  private final JoinRule joinRule = new JoinRule(this::partnersOf);

  /**
   * Records that {@code a} and {@code b} share {@code key} (seen at {@code atMillis}); {@code
   * weight} gives any key's current weight.
   *
   * @return the change when the pair became an edge that changed a group, else null
   */
  public Change link(
      String a,
      String b,
      LinkKey key,
      long atMillis,
      ToDoubleFunction<LinkKey> weight,
      double minLinkWeight) {
    if (a.equals(b)) {
      return null;
    }
    PairEvidence pair = pairOf(a, b, key, weight);
    String ga = groupOf.get(a);
    String gb = groupOf.get(b);
    if (ga != null && ga.equals(gb)) {
      groups.get(ga).addLink(key, a, b);
      return null;
    }
    if (!PairEvidence.isEdge(pair, weight, minLinkWeight)) {
      // Not an edge: an ungrouped account may still join a group through the group's own wrapper,
      // shared with several of its members (JoinRule#joinsByGroupScaffold).
      if (key.type() == LinkType.SCAFFOLD && (ga == null) != (gb == null)) {
        String joiner = ga == null ? a : b;
        Group g = groups.get(ga == null ? gb : ga);
        if (joinRule.joinsByGroupScaffold(joiner, g, key, weight, minLinkWeight)) {
          return union(a, b, atMillis);
        }
      }
      return null;
    }
    if (!joinRule.dense(a, b, groupOf(a), groupOf(b), weight, minLinkWeight)) {
      return null;
    }
    return union(a, b, atMillis);
  }

  /**
   * Whether a pair's keys make an edge (see {@link PairEvidence#isEdge(Set, ToDoubleFunction,
   * double, int)}).
   */
  public static boolean isEdge(
      Set<LinkKey> keys, ToDoubleFunction<LinkKey> weight, double minLinkWeight, int payloadBands) {
    return PairEvidence.isEdge(keys, weight, minLinkWeight, payloadBands);
  }

  /**
   * Whether a pair's keys link strongly (see {@link PairEvidence#isStrong(Set, ToDoubleFunction,
   * double, int)}).
   */
  public static boolean isStrong(
      Set<LinkKey> keys, ToDoubleFunction<LinkKey> weight, double minLinkWeight, int payloadBands) {
    return PairEvidence.isStrong(keys, weight, minLinkWeight, payloadBands);
  }

  /** The keys recorded for the pair (empty when none). */
  public Set<LinkKey> pair(String a, String b) {
    Map<String, PairEvidence> p = partners.get(a);
    PairEvidence pair = p == null ? null : p.get(b);
    return pair == null ? Set.of() : java.util.Collections.unmodifiableSet(pair.keys());
  }

  /** The group {@code accountId} is in, or null. */
  public Group groupOf(String accountId) {
    String id = groupOf.get(accountId);
    return id == null ? null : groups.get(id);
  }

  /** The group with this id, following merges; null when unknown. */
  public Group group(String id) {
    String current = id;
    for (int i = 0; i < 64 && current != null; i++) {
      Group g = groups.get(current);
      if (g != null) {
        return g;
      }
      current = mergedInto.get(current);
    }
    return null;
  }

  /** Every live group (merged ones excluded). */
  public java.util.Collection<Group> groups() {
    return java.util.Collections.unmodifiableCollection(groups.values());
  }

  /** Partners of an account with their shared keys. */
  Map<String, PairEvidence> partnersOf(String accountId) {
    return partners.getOrDefault(accountId, Map.of());
  }

  /**
   * The pair's record with {@code key} added; a new pair is added before the partners are trimmed.
   */
  private PairEvidence pairOf(String a, String b, LinkKey key, ToDoubleFunction<LinkKey> weight) {
    PairEvidence pair = partnerMap(a).get(b);
    if (pair != null) {
      pair.add(key, weight);
      return pair;
    }
    pair = new PairEvidence(pairs++);
    pair.add(key, weight);
    partnerMap(a).put(b, pair);
    // Both directions share one record, so an edge check from either side sees every key.
    partnerMap(b).put(a, pair);
    trim(a, weight);
    trim(b, weight);
    return pair;
  }

  private Map<String, PairEvidence> partnerMap(String account) {
    return partners.computeIfAbsent(account, k -> new HashMap<>());
  }

  /**
   * Keeps an account's partners within {@value #MAX_PARTNERS}: the weakest pair leaves first
   * ({@link PairEvidence#strength}), the oldest of equally weak ones. So a popular question shared
   * with hundreds of accounts does not push out the partners an account shares a card or a scaffold
   * with, and a new pair lives long enough to gather its second key.
   */
  private void trim(String account, ToDoubleFunction<LinkKey> weight) {
    Map<String, PairEvidence> p = partners.get(account);
    while (p.size() > MAX_PARTNERS) {
      String weakest = null;
      double min = Double.MAX_VALUE;
      long oldest = Long.MAX_VALUE;
      for (Map.Entry<String, PairEvidence> e : p.entrySet()) {
        double strength = e.getValue().strength(weight);
        if (strength < min || (strength == min && e.getValue().seq() < oldest)) {
          min = strength;
          oldest = e.getValue().seq();
          weakest = e.getKey();
        }
      }
      p.remove(weakest);
      Map<String, PairEvidence> other = partners.get(weakest);
      if (other != null) {
        other.remove(account);
      }
    }
  }

  private Change union(String a, String b, long atMillis) {
    Group ga = groupOf(a);
    Group gb = groupOf(b);
    if (ga == null && gb == null) {
      String first = a.compareTo(b) < 0 ? a : b;
      String second = first.equals(a) ? b : a;
      String id =
          "cmp-"
              + String.format(
                  "%016x", Hashing.mix64(Hashing.hash(first + "\u0000" + second) ^ atMillis));
      Group g = new Group(id, atMillis);
      groups.put(id, g);
      join(g, first);
      join(g, second);
      return new Change(id, true, List.of(first, second), List.of());
    }
    if (ga == null || gb == null) {
      Group g = ga == null ? gb : ga;
      String newcomer = ga == null ? a : b;
      join(g, newcomer);
      return new Change(g.id, false, List.of(newcomer), List.of());
    }
    Group survivor = older(ga, gb) ? ga : gb;
    Group absorbed = survivor == ga ? gb : ga;
    List<String> moved = new ArrayList<>(absorbed.members);
    for (String m : moved) {
      survivor.members.add(m);
      groupOf.put(m, survivor.id);
    }
    survivor.membersVersion = ++membershipChanges;
    absorbed.links.forEach(
        (k, on) -> {
          for (String m : on) {
            for (String n : on) {
              if (!m.equals(n)) {
                survivor.addLink(k, m, n);
              }
            }
          }
        });
    for (String m : moved) {
      linkWithinGroup(survivor, m);
    }
    survivor.absorbed.add(absorbed.id);
    survivor.absorbed.addAll(absorbed.absorbed);
    groups.remove(absorbed.id);
    mergedInto.put(absorbed.id, survivor.id);
    return new Change(survivor.id, false, moved, List.of(absorbed.id));
  }

  private static boolean older(Group x, Group y) {
    return x.createdAtMillis != y.createdAtMillis
        ? x.createdAtMillis < y.createdAtMillis
        : x.id.compareTo(y.id) < 0;
  }

  private void join(Group g, String account) {
    g.members.add(account);
    g.membersVersion = ++membershipChanges;
    groupOf.put(account, g.id);
    linkWithinGroup(g, account);
  }

  /** Adds the keys an account shares with members of its group to the group's links. */
  private void linkWithinGroup(Group g, String account) {
    for (Map.Entry<String, PairEvidence> e : partnersOf(account).entrySet()) {
      if (g.id.equals(groupOf.get(e.getKey()))) {
        for (LinkKey k : e.getValue().keys()) {
          g.addLink(k, account, e.getKey());
        }
      }
    }
  }

  /**
   * Forgets an account (it left the grouping's bounds: unseen for the TTL, or the least recently
   * seen of too many): its pair evidence in both directions and its place in its group. A group
   * keeps its id while one member is left, so an account that links to it later joins the same
   * campaign; an emptied group is dropped with the merges that led to it.
   */
  public void forget(String accountId) {
    Map<String, PairEvidence> p = partners.remove(accountId);
    if (p != null) {
      for (String other : p.keySet()) {
        Map<String, PairEvidence> back = partners.get(other);
        if (back != null) {
          back.remove(accountId);
          if (back.isEmpty()) {
            partners.remove(other);
          }
        }
      }
    }
    String id = groupOf.remove(accountId);
    Group g = id == null ? null : groups.get(id);
    if (g == null) {
      return;
    }
    g.members.remove(accountId);
    g.membersVersion = ++membershipChanges;
    g.removeFromLinks(accountId);
    if (g.members.isEmpty()) {
      groups.remove(id);
      mergedInto.keySet().removeIf(merged -> group(merged) == null);
    }
  }

  /** Accounts with pair evidence or a group (what {@link #forget} bounds). */
  public int trackedAccounts() {
    Set<String> all = new HashSet<>(partners.keySet());
    all.addAll(groupOf.keySet());
    return all.size();
  }
}
