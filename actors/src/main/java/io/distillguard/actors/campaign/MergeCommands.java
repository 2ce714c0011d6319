package io.distillguard.actors.campaign;

import io.distillguard.actors.campaign.CampaignEntity.AbsorbCampaign;
import io.distillguard.actors.campaign.CampaignEntity.Command;
import io.distillguard.actors.campaign.CampaignEntity.Event;
import io.distillguard.actors.campaign.CampaignEntity.Handover;
import io.distillguard.actors.campaign.CampaignEntity.HandoverArrived;
import io.distillguard.actors.campaign.CampaignEntity.HandoverFailed;
import io.distillguard.actors.campaign.CampaignEntity.MergeFrom;
import io.distillguard.actors.campaign.CampaignEntity.MergeInto;
import io.distillguard.actors.campaign.CampaignEntity.MergeStarted;
import io.distillguard.actors.campaign.CampaignEntity.MergedInto;
import io.distillguard.actors.campaign.CampaignEntity.RetryMerge;
import io.distillguard.campaign.CampaignState;
import io.distillguard.policy.Policy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link CampaignEntity}'s merge commands, on both sides of a merge: the absorbed campaign's
 * {@link MergeInto} (journal {@link MergedInto} once, hand over), and the survivor's intent ({@link
 * MergeFrom}: journal {@link MergeStarted}, then attempts through {@link PendingMerges} until the
 * handover arrives) and absorption ({@link CampaignMerges}). Owned by the entity, on its thread.
 */
final class MergeCommands {

  private static final Logger LOG = LoggerFactory.getLogger(MergeCommands.class);

  private final String campaignId;
  private final Supplier<Policy> policy;
  private final int categoryCount;
  private final Clock clock;
  private final PendingMerges<Command> merges;
  private final EffectFactories<Event, CampaignEntityState> effect;

  MergeCommands(
      String campaignId,
      Supplier<Policy> policy,
      int categoryCount,
      Clock clock,
      PendingMerges<Command> merges,
      EffectFactories<Event, CampaignEntityState> effect) {
    this.campaignId = campaignId;
    this.policy = policy;
    this.categoryCount = categoryCount;
    this.clock = clock;
    this.merges = merges;
    this.effect = effect;
  }

  /** After a recovery: the merges the journal says were started and not completed go on. */
  void resume(CampaignEntityState state) {
    if (state.mergedInto() == null) {
      state.pendingMerges().forEach(merges::attempt);
    }
  }

  ReplyEffect<Event, CampaignEntityState> onHandoverFailed(
      CampaignEntityState state, HandoverFailed cmd) {
    merges.failed(cmd.absorbedId(), cmd.reason(), state.pendingMerges());
    return effect.noReply();
  }

  ReplyEffect<Event, CampaignEntityState> onRetry(CampaignEntityState state, RetryMerge cmd) {
    if (state.mergedInto() == null && state.pendingMerges().contains(cmd.absorbedId())) {
      merges.attempt(cmd.absorbedId());
    }
    return effect.noReply();
  }

  ReplyEffect<Event, CampaignEntityState> onAbsorb(CampaignEntityState state, AbsorbCampaign cmd) {
    if (state.mergedInto() != null) {
      return effect.reply(cmd.replyTo(), StatusReply.error("merged into " + state.mergedInto()));
    }
    if (state.absorbed().contains(cmd.fromId())
        || cmd.handover().members().isEmpty() && !state.pendingMerges().contains(cmd.fromId())) {
      return effect.reply(cmd.replyTo(), StatusReply.ack());
    }
    return effect
        .persist(absorb(state, cmd.fromId(), cmd.handover()))
        .thenRun(s -> merges.absorbed(cmd.fromId(), s.pendingMerges()))
        .thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }

  /**
   * Journals the intent to absorb {@code absorbedId} (unless it is journaled already), then drives
   * it; the reply waits for the absorption (or the first failed attempt).
   */
  ReplyEffect<Event, CampaignEntityState> onMergeFrom(CampaignEntityState state, MergeFrom cmd) {
    String from = cmd.absorbedId();
    if (state.mergedInto() != null || from.equals(campaignId)) {
      return effect.reply(
          cmd.replyTo(), StatusReply.error("cannot absorb " + from + " into " + campaignId));
    }
    if (state.absorbed().contains(from)) {
      return effect.reply(cmd.replyTo(), StatusReply.ack());
    }
    merges.await(from, cmd.replyTo());
    if (state.pendingMerges().contains(from)) {
      merges.attempt(from);
      return effect.noReply();
    }
    LOG.info("campaign {} starts absorbing {}", campaignId, from);
    return effect
        .persist(new MergeStarted(from, clock.millis()))
        .thenRun(s -> merges.attempt(from))
        .thenNoReply();
  }

  /** An attempt got the absorbed campaign's handover: absorbs it (once) and answers the waiters. */
  ReplyEffect<Event, CampaignEntityState> onHandoverArrived(
      CampaignEntityState state, HandoverArrived cmd) {
    String from = cmd.absorbedId();
    if (state.mergedInto() != null) {
      // This campaign merged on meanwhile: its own survivor carries the merge on
      // (Handover.pending).
      merges.abandoned(from, "merged into " + state.mergedInto());
      return effect.noReply();
    }
    if (!state.pendingMerges().contains(from)) {
      merges.absorbed(from, state.pendingMerges());
      return effect.noReply();
    }
    return effect
        .persist(absorb(state, from, cmd.handover()))
        .thenRun(s -> merges.absorbed(from, s.pendingMerges()))
        .thenNoReply();
  }

  /**
   * What absorbing {@code fromId}'s handover journals: the members, links and carried case ({@link
   * CampaignMerges#absorb}), and the intents to absorb the merges it had not completed.
   */
  private List<Event> absorb(CampaignEntityState state, String fromId, Handover handover) {
    Policy p = policy.get();
    List<Event> events =
        new ArrayList<>(
            CampaignMerges.absorb(
                state,
                fromId,
                handover,
                clock.millis(),
                p.version(),
                merged ->
                    CampaignState.signals(
                        merged.members().values(),
                        merged.links(),
                        categoryCount,
                        p.campaigns().links().minLinkWeight()),
                p.campaigns().links().minLinkWeight()));
    for (String next : handover.pending()) {
      if (!next.equals(campaignId)
          && !state.absorbed().contains(next)
          && !state.pendingMerges().contains(next)) {
        events.add(new MergeStarted(next, clock.millis()));
      }
    }
    LOG.info(
        "campaign {} absorbed {} with {} members", campaignId, fromId, handover.members().size());
    return events;
  }

  ReplyEffect<Event, CampaignEntityState> onMergeInto(CampaignEntityState state, MergeInto cmd) {
    Handover handover =
        new Handover(
            List.copyOf(state.members().values()),
            state.links(),
            state.level(),
            state.pendingMerges());
    if (cmd.survivorId().equals(campaignId)) {
      return effect.reply(cmd.replyTo(), StatusReply.error("cannot merge into itself"));
    }
    // Merged already (into this survivor, or into one that merged on into it): the same handover,
    // so a survivor's retry, or the survivor of its survivor, completes the merge.
    if (state.mergedInto() != null
        || state.members().isEmpty() && state.pendingMerges().isEmpty()) {
      return effect.reply(cmd.replyTo(), StatusReply.success(handover));
    }
    LOG.info(
        "campaign {} merges into {} with {} members",
        campaignId,
        cmd.survivorId(),
        state.members().size());
    return effect
        .persist(new MergedInto(cmd.survivorId(), clock.millis()))
        .thenReply(cmd.replyTo(), s -> StatusReply.success(handover));
  }
}
