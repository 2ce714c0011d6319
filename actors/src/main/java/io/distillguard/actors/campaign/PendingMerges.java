package io.distillguard.actors.campaign;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.pattern.StatusReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attempts at the merges a {@link CampaignEntity} journaled that it absorbs ({@link
 * CampaignEntity.MergeStarted}) and has not absorbed yet: at most one attempt per merge in flight,
 * a failed one retried after {@link MergeTransport#retryDelay} (woken through {@link MergeWakeUp}
 * where the entity is sharded, so an idle survivor is not passivated before it completes), and the
 * askers waiting for a merge answered once it is absorbed (or its attempt failed). Only the
 * attempts live here, in memory; the intents are in the entity's journal, so a restarted entity
 * starts them again. Owned by the entity (its actor's thread); not thread-safe.
 *
 * @param <C> the entity's command type
 */
final class PendingMerges<C> {

  private static final Logger LOG = LoggerFactory.getLogger(PendingMerges.class);

  private final String campaignId;
  private final MergeTransport transport;
  private final ActorContext<C> context;
  private final BiFunction<String, CampaignEntity.Handover, C> arrived;
  private final BiFunction<String, String, C> failed;
  private final BiConsumer<java.time.Duration, String> retryLater;
  private final Set<String> inFlight = new HashSet<>();
  private final Map<String, Integer> failures = new HashMap<>();
  private final Map<String, List<ActorRef<StatusReply<Done>>>> waiting = new HashMap<>();

  PendingMerges(
      String campaignId,
      MergeTransport transport,
      ActorContext<C> context,
      BiFunction<String, CampaignEntity.Handover, C> arrived,
      BiFunction<String, String, C> failed,
      BiConsumer<java.time.Duration, String> retryLater) {
    this.campaignId = campaignId;
    this.transport = transport;
    this.context = context;
    this.arrived = arrived;
    this.failed = failed;
    this.retryLater = retryLater;
  }

  /** {@code replyTo} is answered when the merge of {@code absorbedId} completes or fails. */
  void await(String absorbedId, ActorRef<StatusReply<Done>> replyTo) {
    waiting.computeIfAbsent(absorbedId, k -> new ArrayList<>()).add(replyTo);
  }

  /** Asks the absorbed campaign to hand over, unless an attempt is in flight already. */
  void attempt(String absorbedId) {
    if (!inFlight.add(absorbedId)) {
      return;
    }
    java.util.concurrent.CompletionStage<CampaignEntity.Handover> asked;
    try {
      asked = transport.mergeInto(absorbedId, campaignId);
    } catch (RuntimeException e) {
      asked = java.util.concurrent.CompletableFuture.failedFuture(e);
    }
    context.pipeToSelf(
        asked,
        (handover, error) ->
            error == null
                ? arrived.apply(absorbedId, handover)
                : failed.apply(absorbedId, String.valueOf(error)));
  }

  /**
   * An attempt failed: the waiting askers hear so, and the merge is tried again later while it is
   * still {@code pending}.
   */
  void failed(String absorbedId, String reason, List<String> pending) {
    inFlight.remove(absorbedId);
    answer(absorbedId, StatusReply.error("merge of " + absorbedId + " pending: " + reason));
    if (!pending.contains(absorbedId)) {
      failures.remove(absorbedId);
      return;
    }
    int n = failures.merge(absorbedId, 1, Integer::sum);
    java.time.Duration delay = MergeTransport.retryDelay(n);
    LOG.warn(
        "campaign {}: absorbing {} failed ({} attempts), retrying in {} ms: {}",
        campaignId,
        absorbedId,
        n,
        delay.toMillis(),
        reason);
    retryLater.accept(delay, absorbedId);
  }

  /** The merge of {@code absorbedId} is absorbed: the askers hear so; the new intents start. */
  void absorbed(String absorbedId, List<String> pending) {
    inFlight.remove(absorbedId);
    failures.remove(absorbedId);
    answer(absorbedId, StatusReply.ack());
    for (String next : pending) {
      attempt(next);
    }
  }

  /** The merge is no longer this campaign's to complete (it merged on itself). */
  void abandoned(String absorbedId, String reason) {
    inFlight.remove(absorbedId);
    failures.remove(absorbedId);
    answer(absorbedId, StatusReply.error(reason));
  }

  private void answer(String absorbedId, StatusReply<Done> reply) {
    List<ActorRef<StatusReply<Done>>> askers = waiting.remove(absorbedId);
    if (askers != null) {
      askers.forEach(a -> a.tell(reply));
    }
  }
}
