package io.distillguard.actors.campaign;

import io.distillguard.actors.campaign.CampaignEntity.CampaignStatus;
import io.distillguard.actors.campaign.CampaignEntity.EraseMember;
import io.distillguard.actors.campaign.CampaignEntity.Event;
import io.distillguard.actors.campaign.CampaignEntity.MemberErased;
import io.distillguard.actors.campaign.CampaignEntity.ReviewCampaign;
import io.distillguard.actors.campaign.CampaignEntity.Reviewed;
import io.distillguard.policy.Level;
import java.time.Clock;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link CampaignEntity}'s commands from people: a reviewer's verdict ({@link ReviewCampaign},
 * journaled as {@link Reviewed}) and an account's erasure ({@link EraseMember}, journaled as {@link
 * MemberErased}). Owned by the entity, on its thread.
 */
final class OperatorCommands {

  private static final Logger LOG = LoggerFactory.getLogger(CampaignEntity.class);

  private final String campaignId;
  private final Clock clock;
  private final LongSupplier lastSequenceNumber;
  private final Function<CampaignEntityState, CampaignStatus> status;
  private final EffectFactories<Event, CampaignEntityState> effect;

  OperatorCommands(
      String campaignId,
      Clock clock,
      LongSupplier lastSequenceNumber,
      Function<CampaignEntityState, CampaignStatus> status,
      EffectFactories<Event, CampaignEntityState> effect) {
    this.campaignId = campaignId;
    this.clock = clock;
    this.lastSequenceNumber = lastSequenceNumber;
    this.status = status;
    this.effect = effect;
  }

  ReplyEffect<Event, CampaignEntityState> onReview(CampaignEntityState state, ReviewCampaign cmd) {
    if (state.mergedInto() != null) {
      return effect.reply(
          cmd.replyTo(),
          StatusReply.error("campaign merged into " + state.mergedInto() + ": review that"));
    }
    if (cmd.verdict() != Level.CLEARED && cmd.verdict() != Level.CONFIRMED) {
      return effect.reply(cmd.replyTo(), StatusReply.error("verdict must be CLEARED or CONFIRMED"));
    }
    if (state.members().isEmpty()) {
      return effect.reply(cmd.replyTo(), StatusReply.error("no campaign " + campaignId));
    }
    return effect
        .persist(
            new Reviewed(
                cmd.verdict(), cmd.reviewer(), cmd.note(), clock.millis(), state.members().size()))
        .thenReply(cmd.replyTo(), s -> StatusReply.success(status.apply(s)));
  }

  ReplyEffect<Event, CampaignEntityState> onErase(CampaignEntityState state, EraseMember cmd) {
    if (!MemberErasure.mentions(state, cmd.accountId())) {
      return effect.reply(cmd.replyTo(), StatusReply.success(0L));
    }
    LOG.info("campaign {}: a member was erased", campaignId);
    long factSeq = lastSequenceNumber.getAsLong() + 1;
    CampaignEntityState without = MemberErasure.without(state, cmd.accountId());
    return effect
        .persist(
            new MemberErased(
                without.withErasures(without.erasures().erased(cmd.accountId(), factSeq)),
                clock.millis()))
        .thenReply(cmd.replyTo(), s -> StatusReply.success(lastSequenceNumber.getAsLong()));
  }
}
