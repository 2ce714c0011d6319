package io.distillguard.actors.campaign;

import io.distillguard.actors.campaign.CampaignEntity.Event;
import io.distillguard.actors.campaign.CampaignEntity.Member;
import io.distillguard.policy.Policy;
import java.util.List;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * A {@link CampaignEntity}'s member records ({@link CampaignEntity.RecordMembers}, {@link
 * CampaignEntity.RecordMember}): decided by {@link MemberRecords}, the campaign evaluated when it
 * is due ({@link io.distillguard.campaign.EvaluationCadence}). Owned by the entity, on its thread.
 */
final class RecordCommands {

  private final String campaignId;
  private final Supplier<Policy> policy;
  private final int categoryCount;
  private final EffectFactories<Event, CampaignEntityState> effect;

  /**
   * Observations of members recorded since the campaign's last evaluation, in memory: a restarted
   * campaign counts from zero (its next evaluation comes that much later; what was decided is in
   * the journal).
   */
  private long pendingObservations;

  RecordCommands(
      String campaignId,
      Supplier<Policy> policy,
      int categoryCount,
      EffectFactories<Event, CampaignEntityState> effect) {
    this.campaignId = campaignId;
    this.policy = policy;
    this.categoryCount = categoryCount;
    this.effect = effect;
  }

  ReplyEffect<Event, CampaignEntityState> onRecord(
      CampaignEntityState state, List<Member> members, ActorRef<StatusReply<Done>> replyTo) {
    if (state.mergedInto() != null) {
      return effect.reply(replyTo, StatusReply.error("merged into " + state.mergedInto()));
    }
    MemberRecords.Outcome outcome =
        MemberRecords.decide(
            campaignId, state, members, policy.get(), categoryCount, pendingObservations);
    pendingObservations = outcome.pendingObservations();
    List<Event> events = outcome.events();
    if (events.isEmpty()) {
      // Nothing decided and nothing that matters changed: the members' next summaries restate it.
      return effect.reply(replyTo, StatusReply.ack());
    }
    return effect.persist(events).thenReply(replyTo, s -> StatusReply.ack());
  }
}
