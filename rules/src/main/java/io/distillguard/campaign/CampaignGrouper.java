package io.distillguard.campaign;

import io.distillguard.signals.Hashing;
import java.util.ArrayList;
import java.util.EnumMap;
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
 * strongest current weight reaches the minimum, one of them content or registration. Edges join
 * groups (union-find): two ungrouped accounts found a new group, an ungrouped account joins its
 * partner's group, and two groups merge into the older one (earlier creation, then the smaller id),
 * whose id survives; the younger id is remembered as merged into it. A group's id is derived from
 * its founding pair and time, so a replay of the same traffic gives the same ids.
 *
 * <p>Bounded: an account keeps evidence for at most {@value #MAX_PARTNERS} partners (the one with
 * the fewest keys leaves first) and a pair at most {@value #MAX_PAIR_KEYS} keys; a group remembers
 * at most {@value #MAX_GROUP_KEYS} linking keys (the one on fewest members leaves first). Groups
 * never split: when a link later becomes common, the group stays but its link weights, and so its
 * campaign signals, fall. Not thread-safe.
 */
public final class CampaignGrouper {

  static final int MAX_PARTNERS = 64;
  static final int MAX_PAIR_KEYS = 16;
  static final int MAX_GROUP_KEYS = 512;

  /** A group of linked accounts. */
  public static final class Group {
    private final String id;
    private final long createdAtMillis;
    private final Set<String> members = new LinkedHashSet<>();
    private final Map<LinkKey, Set<String>> links = new HashMap<>();
    private final List<String> absorbed = new ArrayList<>();

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

    /** Members in the order they joined. */
    public Set<String> members() {
      return java.util.Collections.unmodifiableSet(members);
    }

    /** Keys that tie at least two members, with the members seen on each. */
    public Map<LinkKey, Set<String>> links() {
      return java.util.Collections.unmodifiableMap(links);
    }

    /** Ids of younger groups merged into this one. */
    public List<String> absorbed() {
      return java.util.Collections.unmodifiableList(absorbed);
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
        }
        on = new HashSet<>();
        links.put(key, on);
      }
      on.add(a);
      on.add(b);
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

  private final Map<String, Map<String, Set<LinkKey>>> partners = new HashMap<>();
  private final Map<String, String> groupOf = new HashMap<>();
  private final Map<String, Group> groups = new HashMap<>();
  private final Map<String, String> mergedInto = new HashMap<>();

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
    Set<LinkKey> pair = pairKeys(a, b);
    if (pair.size() < MAX_PAIR_KEYS) {
      pair.add(key);
    }
    String ga = groupOf.get(a);
    String gb = groupOf.get(b);
    if (ga != null && ga.equals(gb)) {
      groups.get(ga).addLink(key, a, b);
      return null;
    }
    if (!isEdge(pair, weight, minLinkWeight)) {
      return null;
    }
    return union(a, b, atMillis);
  }

  /** Whether a pair's keys make an edge (see the class comment). */
  public static boolean isEdge(
      Set<LinkKey> keys, ToDoubleFunction<LinkKey> weight, double minLinkWeight) {
    Map<LinkKind, Double> best = new EnumMap<>(LinkKind.class);
    for (LinkKey k : keys) {
      best.merge(k.kind(), weight.applyAsDouble(k), Math::max);
    }
    int kinds = 0;
    boolean anchored = false;
    for (Map.Entry<LinkKind, Double> e : best.entrySet()) {
      if (e.getValue() >= minLinkWeight && e.getValue() > 0) {
        kinds++;
        anchored |= e.getKey() != LinkKind.INFRASTRUCTURE;
      }
    }
    return kinds >= 2 && anchored;
  }

  /**
   * Whether a pair's keys link strongly: a content link together with an infrastructure or
   * registration link (what flags a fresh account joining a confirmed campaign at once).
   */
  public static boolean isStrong(
      Set<LinkKey> keys, ToDoubleFunction<LinkKey> weight, double minLinkWeight) {
    Set<LinkKind> kinds = new HashSet<>();
    for (LinkKey k : keys) {
      double w = weight.applyAsDouble(k);
      if (w >= minLinkWeight && w > 0) {
        kinds.add(k.kind());
      }
    }
    return kinds.contains(LinkKind.CONTENT) && kinds.size() >= 2;
  }

  /** The keys recorded for the pair (empty when none). */
  public Set<LinkKey> pair(String a, String b) {
    Map<String, Set<LinkKey>> p = partners.get(a);
    Set<LinkKey> keys = p == null ? null : p.get(b);
    return keys == null ? Set.of() : java.util.Collections.unmodifiableSet(keys);
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
  Map<String, Set<LinkKey>> partnersOf(String accountId) {
    return partners.getOrDefault(accountId, Map.of());
  }

  private Set<LinkKey> pairKeys(String a, String b) {
    Set<LinkKey> keys = partnerMap(a).get(b);
    if (keys == null) {
      keys = new HashSet<>();
      partnerMap(a).put(b, keys);
      // Both directions share one set, so an edge check from either side sees every key.
      partnerMap(b).put(a, keys);
      trim(a);
      trim(b);
    }
    return keys;
  }

  private Map<String, Set<LinkKey>> partnerMap(String account) {
    return partners.computeIfAbsent(account, k -> new HashMap<>());
  }

  private void trim(String account) {
    Map<String, Set<LinkKey>> p = partners.get(account);
    while (p.size() > MAX_PARTNERS) {
      String weakest = null;
      int min = Integer.MAX_VALUE;
      for (Map.Entry<String, Set<LinkKey>> e : p.entrySet()) {
        if (e.getValue().size() < min) {
          min = e.getValue().size();
          weakest = e.getKey();
        }
      }
      p.remove(weakest);
      Map<String, Set<LinkKey>> other = partners.get(weakest);
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
    groupOf.put(account, g.id);
    linkWithinGroup(g, account);
  }

  /** Adds the keys an account shares with members of its group to the group's links. */
  private void linkWithinGroup(Group g, String account) {
    for (Map.Entry<String, Set<LinkKey>> e : partnersOf(account).entrySet()) {
      if (g.id.equals(groupOf.get(e.getKey()))) {
        for (LinkKey k : e.getValue()) {
          g.addLink(k, account, e.getKey());
        }
      }
    }
  }
}
