package io.distillguard.actors.console;

import io.distillguard.actors.AccountStatus;
import io.distillguard.actors.campaign.CampaignEntity.CampaignStatus;
import java.util.List;
import java.util.Map;

/**
 * Everything a reviewer decides one campaign on: the entity's status (level, members, links,
 * reasons, signals), its journal folded ({@link CampaignHistory}: member summaries, decisions,
 * reviews), the members' own account status (the first {@link ConsoleData#MEMBERS_ASKED}), and, for
 * a bundle, the members' evidence prompts.
 *
 * @param memberStatus account status by member id (members past the bound are absent)
 * @param evidence the evidence prompts per member (empty on the page; the bundle reads them)
 * @param evidenceError why the evidence could not be read; null when read or not asked for
 */
public record CampaignCase(
    CampaignStatus status,
    CampaignHistory history,
    Map<String, AccountStatus> memberStatus,
    List<String> categories,
    Map<String, List<EvidenceRanking.Ranked>> evidence,
    String evidenceError) {

  public CampaignCase {
    memberStatus = Map.copyOf(memberStatus);
    categories = List.copyOf(categories);
    evidence = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(evidence));
  }

  public String campaignId() {
    return status.campaignId();
  }
}
