package io.distillguard.actors.api;

import io.distillguard.actors.campaign.CampaignEntity.CampaignStatus;
import io.distillguard.policy.Level;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** What {@link CampaignRoutes} needs from the actor side: the campaign entities and the audit. */
public interface CampaignBackend {

  /** The status of one campaign (one never recorded has no members). */
  CompletionStage<CampaignStatus> campaign(String campaignId);

  /**
   * Journals a reviewer's verdict on a campaign; fails with a {@code StatusReply} error for an
   * unknown campaign or a verdict other than CLEARED / CONFIRMED.
   */
  CompletionStage<CampaignStatus> reviewCampaign(
      String campaignId, Level verdict, String reviewer, String note);

  /**
   * The ids of the campaigns the effects projection has at {@code level}, at most {@code limit}
   * (blocking).
   */
  List<String> campaignIds(Level level, int limit);

  /** Appends to the audit log; returns once it is durable (blocking). */
  void audit(String actor, String action, String subjectId, String detail);
}
