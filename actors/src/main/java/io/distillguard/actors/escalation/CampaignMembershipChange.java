package io.distillguard.actors.escalation;

import io.distillguard.actors.campaign.CampaignEntity;
import io.distillguard.campaign.MemberSummary;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one campaign journal event does to which accounts belong to which campaign: the one reading
 * of the campaign events for membership, shared by the {@link CampaignEffectsProjection} (which
 * writes it into the campaign rows) and {@link CampaignMemberships} (which brings those rows up to
 * date with the events the projection has not passed yet). Pure.
 */
public sealed interface CampaignMembershipChange {

  /** The campaign the event was persisted by. */
  String campaignId();

  /** {@code memberships} (account to campaign) with this change applied. */
  void applyTo(Map<String, String> memberships);

  /**
   * Accounts became members of the campaign: a member that joined, a merged campaign's members
   * absorbed, or the members a level decision lists.
   */
  record Joined(String campaignId, List<String> accounts) implements CampaignMembershipChange {
    @Override
    public void applyTo(Map<String, String> memberships) {
      accounts.forEach(a -> memberships.put(a, campaignId));
    }
  }

  /** The campaign merged into {@code survivorId}: its members belong to the survivor. */
  record Merged(String campaignId, String survivorId) implements CampaignMembershipChange {
    @Override
    public void applyTo(Map<String, String> memberships) {
      memberships.replaceAll((account, c) -> c.equals(campaignId) ? survivorId : c);
    }
  }

  /** A member was erased: of the campaign's members, only {@code kept} remain. */
  record Erased(String campaignId, Set<String> kept) implements CampaignMembershipChange {
    @Override
    public void applyTo(Map<String, String> memberships) {
      memberships
          .entrySet()
          .removeIf(m -> m.getValue().equals(campaignId) && !kept.contains(m.getKey()));
    }
  }

  /** The prefix of a campaign entity's persistence id. */
  String PREFIX = CampaignEntity.ENTITY_TYPE_KEY.name() + "|";

  /** The campaign id of a campaign entity's persistence id; empty for another entity's. */
  static Optional<String> campaignId(String persistenceId) {
    return persistenceId.startsWith(PREFIX)
        ? Optional.of(persistenceId.substring(PREFIX.length()))
        : Optional.empty();
  }

  /**
   * The accounts {@code event} makes members of its campaign, in order (see {@link Joined}): the
   * member that joined, the merged campaign's members, the members a decision lists; empty for any
   * other event.
   */
  static List<String> joining(Object event) {
    if (event instanceof CampaignEntity.MembersRecorded e) {
      return e.joined();
    }
    if (event instanceof CampaignEntity.MemberRecorded e && e.joined()) {
      return List.of(e.summary().accountId());
    }
    if (event instanceof CampaignEntity.LevelDecided e) {
      return e.members();
    }
    if (event instanceof CampaignEntity.Absorbed e) {
      return e.members().stream().map(MemberSummary::accountId).toList();
    }
    return List.of();
  }

  /**
   * What {@code event}, persisted by campaign {@code campaignId}, changes in the memberships; empty
   * for an event that changes none (a review; an account joining a confirmed campaign, which is
   * also recorded as its own member event).
   */
  static Optional<CampaignMembershipChange> of(String campaignId, Object event) {
    List<String> joining = joining(event);
    if (!joining.isEmpty()) {
      return Optional.of(new Joined(campaignId, joining));
    }
    if (event instanceof CampaignEntity.MergedInto e) {
      return Optional.of(new Merged(campaignId, e.survivorId()));
    }
    if (event instanceof CampaignEntity.MemberErased e) {
      return Optional.of(new Erased(campaignId, e.campaign().members().keySet()));
    }
    return Optional.empty();
  }
}
