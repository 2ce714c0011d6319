package io.distillguard.actors.campaign;

import io.distillguard.campaign.CampaignDetector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Durable campaign ids over the detector's re-formable groups. The detector names a group when it
 * forms; the grouping keeps which campaign each account was recorded in (recovered from the
 * persisted campaign rows at start) and maps each group to a campaign: the group's alias if it has
 * one, else the campaign of its earliest member that belongs to one, else the group's own id (a new
 * campaign). When a group's members belong to several campaigns, the others merge into that one: a
 * {@link CampaignGrouping.Merge} per absorbed campaign, and their accounts and aliases move.
 *
 * <p>Bounded: at most {@code maxMembers} account memberships (the least recently used go first; a
 * campaign entity keeps its members regardless), one alias per live group and one forwarding entry
 * per merge. Not thread-safe: owned by the {@link CampaignGrouping} actor.
 */
final class CampaignIdentity {

  /** Loops in the merge chain are impossible; this only bounds a corrupted one. */
  private static final int MAX_CHAIN = 64;

  /** The campaign of a group and the merges resolving it called for (usually none). */
  record Resolved(String campaignId, List<CampaignGrouping.Merge> merges) {}

  private final int maxMembers;
  private final LinkedHashMap<String, String> memberOf = new LinkedHashMap<>(16, 0.75f, true);
  private final Map<String, String> aliasOf = new HashMap<>();
  private final Map<String, String> mergedInto = new HashMap<>();

  CampaignIdentity(int maxMembers) {
    this.maxMembers = maxMembers;
  }

  /**
   * Records that {@code campaignId}'s entity holds {@code accountId}. A declared organisation's
   * principal ({@code org-...}) is no linked campaign: its id is its organisation's, it never
   * merges, and an account in it keeps the linked campaign it is in.
   */
  void remember(String accountId, String campaignId) {
    if (CampaignDetector.isPrincipal(campaignId)) {
      return;
    }
    memberOf.put(accountId, follow(campaignId));
    if (memberOf.size() > maxMembers) {
      memberOf.remove(memberOf.keySet().iterator().next());
    }
  }

  /** Forgets an account's membership (its erasure). */
  void forget(String accountId) {
    memberOf.remove(accountId);
  }

  /** Drops the alias of a group the detector no longer holds. */
  void groupGone(String groupId) {
    aliasOf.remove(groupId);
  }

  /** The campaign an account was recorded in (following merges), or null. */
  String campaignOf(String accountId) {
    String c = memberOf.get(accountId);
    return c == null ? null : follow(c);
  }

  /** The campaign of a detector group (its own id until it is resolved). */
  String campaignOfGroup(String groupId) {
    return follow(aliasOf.getOrDefault(groupId, groupId));
  }

  /** The campaign {@code campaignId} is now (itself, or the one it merged into). */
  String current(String campaignId) {
    return follow(campaignId);
  }

  /** Accounts whose campaign is known. */
  int memberships() {
    return memberOf.size();
  }

  /**
   * The campaign of group {@code groupId} with {@code members} (in the order they joined), and the
   * campaigns that merge into it now because some of those members belong to them.
   */
  Resolved resolve(String groupId, List<String> members) {
    String id = aliasOf.get(groupId);
    if (id == null) {
      for (String m : members) {
        id = memberOf.get(m);
        if (id != null) {
          break;
        }
      }
      id = id == null ? groupId : id;
    }
    id = follow(id);
    aliasOf.put(groupId, id);
    Set<String> absorbed = new LinkedHashSet<>();
    for (String m : members) {
      String c = memberOf.get(m);
      if (c != null) {
        c = follow(c);
        if (!c.equals(id)) {
          absorbed.add(c);
        }
      }
    }
    if (absorbed.isEmpty()) {
      return new Resolved(id, List.of());
    }
    List<CampaignGrouping.Merge> merges = new ArrayList<>();
    for (String a : absorbed) {
      mergedInto.put(a, id);
      merges.add(new CampaignGrouping.Merge(a, id));
    }
    String survivor = id;
    memberOf.replaceAll((account, c) -> absorbed.contains(c) ? survivor : c);
    aliasOf.replaceAll((group, c) -> absorbed.contains(c) ? survivor : c);
    return new Resolved(id, merges);
  }

  private String follow(String campaignId) {
    String current = campaignId;
    for (int i = 0; i < MAX_CHAIN; i++) {
      String next = mergedInto.get(current);
      if (next == null) {
        return current;
      }
      current = next;
    }
    return current;
  }
}
