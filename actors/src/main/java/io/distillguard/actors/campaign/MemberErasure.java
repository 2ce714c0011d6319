package io.distillguard.actors.campaign;

import io.distillguard.campaign.CampaignLink;
import io.distillguard.campaign.MemberSummary;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

/**
 * A campaign's state without one account, for its erasure: the account leaves the members and the
 * late joiners, and every link loses it; a link that then ties fewer than two members goes (it was
 * evidence about the erased account). The decision state (level, holds, reasons, signals) stays as
 * decided: it names no account, and the next member recorded re-evaluates the campaign. Pure
 * functions.
 */
public final class MemberErasure {

  private MemberErasure() {}

  /** True when {@code state} names {@code accountId}: as a member or in a link. */
  public static boolean mentions(CampaignEntityState state, String accountId) {
    if (state.members().containsKey(accountId) || state.lateJoiners().containsKey(accountId)) {
      return true;
    }
    for (CampaignLink l : state.links()) {
      if (l.members().contains(accountId)) {
        return true;
      }
    }
    return false;
  }

  /** {@code state} without {@code accountId}; {@code state} itself is left untouched. */
  public static CampaignEntityState without(CampaignEntityState state, String accountId) {
    LinkedHashMap<String, MemberSummary> members = new LinkedHashMap<>(state.members());
    members.remove(accountId);
    java.util.Map<String, Boolean> lateJoiners = new java.util.HashMap<>(state.lateJoiners());
    lateJoiners.remove(accountId);
    List<CampaignLink> links = new ArrayList<>(state.links().size());
    for (CampaignLink l : state.links()) {
      if (!l.members().contains(accountId)) {
        links.add(l);
        continue;
      }
      Set<String> rest = new HashSet<>(l.members());
      rest.remove(accountId);
      if (rest.size() >= 2) {
        links.add(new CampaignLink(l.key(), l.weight(), rest));
      }
    }
    return state.withMembers(members, List.copyOf(links)).withLateJoiners(lateJoiners);
  }
}
