package io.distillguard.campaign;

import io.distillguard.signals.Hashing;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Declared organisations, each judged as one principal: every account with its {@code org_id},
 * under the principal id {@link #principalId} ({@code org-...}), and the prompt scaffolds that
 * dominate its accounts' traffic, so the principal's signals can tell an organisation whose
 * accounts all wrap their queries in one harness. Not thread-safe.
 */
final class Organisations {

  /** Dominant scaffolds kept per account (what {@link ScaffoldTracker} can name at once). */
  static final int SCAFFOLDS_PER_ACCOUNT = ScaffoldTracker.SLOTS;

  private final Map<String, Set<String>> members = new LinkedHashMap<>();
  private final Map<String, String> orgOf = new HashMap<>();
  private final Map<String, String> byPrincipal = new HashMap<>();
  private final Map<String, Set<LinkKey>> scaffoldsOf = new HashMap<>();

  /** The principal id of a declared organisation. */
  static String principalId(String org) {
    String hex = Long.toHexString(Hashing.hash(org));
    return "org-" + "0".repeat(16 - hex.length()) + hex;
  }

  static boolean isPrincipal(String campaignId) {
    return campaignId.startsWith("org-");
  }

  /** Records {@code accountId}'s organisation (null: none), moving it out of a previous one. */
  void set(String accountId, String org) {
    String before = orgOf.get(accountId);
    if (before != null && !before.equals(org)) {
      remove(accountId, before);
    }
    if (org == null) {
      orgOf.remove(accountId);
      scaffoldsOf.remove(accountId);
      return;
    }
    orgOf.put(accountId, org);
    members.computeIfAbsent(org, k -> new LinkedHashSet<>()).add(accountId);
    byPrincipal.putIfAbsent(principalId(org), org);
  }

  /** The declared organisation of an account, or null. */
  String orgOf(String accountId) {
    return orgOf.get(accountId);
  }

  /** Members of the organisation an account declares (0 when none). */
  int size(String org) {
    Set<String> m = members.get(org);
    return m == null ? 0 : m.size();
  }

  /** Members of the principal {@code principalId}, in the order they declared it. */
  List<String> members(String principalId) {
    String org = byPrincipal.get(principalId);
    return org == null ? List.of() : List.copyOf(members.getOrDefault(org, Set.of()));
  }

  /**
   * Records that {@code scaffold} dominates the traffic of {@code accountId} (see {@link
   * ScaffoldTracker}); ignored for an account without an organisation, and beyond {@link
   * #SCAFFOLDS_PER_ACCOUNT} scaffolds of one account.
   */
  void scaffold(String accountId, LinkKey scaffold) {
    if (!orgOf.containsKey(accountId)) {
      return;
    }
    Set<LinkKey> own = scaffoldsOf.computeIfAbsent(accountId, k -> new LinkedHashSet<>());
    if (own.size() < SCAFFOLDS_PER_ACCOUNT) {
      own.add(scaffold);
    }
  }

  /**
   * The scaffolds that dominate the traffic of at least two members of the principal {@code
   * principalId}, each with those members.
   */
  Map<LinkKey, Set<String>> sharedScaffolds(String principalId) {
    Map<LinkKey, Set<String>> on = new LinkedHashMap<>();
    for (String m : members(principalId)) {
      for (LinkKey k : scaffoldsOf.getOrDefault(m, Set.of())) {
        on.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(m);
      }
    }
    on.values().removeIf(s -> s.size() < 2);
    return on;
  }

  /** Principal ids of organisations with at least two members. */
  List<String> principals() {
    return members.entrySet().stream()
        .filter(e -> e.getValue().size() >= 2)
        .map(e -> principalId(e.getKey()))
        .toList();
  }

  /**
   * Forgets an account; returns the principal id of its organisation when that is now empty (its
   * decision state goes with it), else null.
   */
  String forget(String accountId) {
    scaffoldsOf.remove(accountId);
    String org = orgOf.remove(accountId);
    return org == null ? null : remove(accountId, org);
  }

  private String remove(String accountId, String org) {
    Set<String> m = members.get(org);
    if (m == null) {
      return null;
    }
    m.remove(accountId);
    if (!m.isEmpty()) {
      return null;
    }
    members.remove(org);
    byPrincipal.remove(principalId(org));
    return principalId(org);
  }
}
