package io.distillguard.actors.campaign;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * How a campaign that absorbs another reaches it: asks the absorbed campaign's entity to {@link
 * CampaignEntity.MergeInto merge into} the survivor and completes with what it hands over. The
 * survivor calls it for every merge it has journaled an intent for and not completed, again after a
 * failure (with {@link #retryDelay backing off}), so the absorbed side must be idempotent: it is
 * ({@code MergeInto} asked again replies the same handover).
 */
@FunctionalInterface
public interface MergeTransport {

  /** The first retry waits this long; each next one twice as long, up to {@link #MAX_DELAY}. */
  Duration FIRST_DELAY = Duration.ofMillis(200);

  /** The longest wait between two attempts at one merge. */
  Duration MAX_DELAY = Duration.ofSeconds(30);

  /** Asks {@code absorbedId} to merge into {@code survivorId}; completes with its handover. */
  CompletionStage<CampaignEntity.Handover> mergeInto(String absorbedId, String survivorId);

  /** Through cluster sharding, each attempt allowed {@code timeout}. */
  static MergeTransport sharded(ActorSystem<?> system, Duration timeout) {
    ClusterSharding sharding = ClusterSharding.get(system);
    return (absorbedId, survivorId) ->
        sharding
            .entityRefFor(CampaignEntity.ENTITY_TYPE_KEY, absorbedId)
            .askWithStatus(replyTo -> new CampaignEntity.MergeInto(survivorId, replyTo), timeout);
  }

  /** How long to wait before attempt {@code failures + 1} after {@code failures} failed ones. */
  static Duration retryDelay(int failures) {
    int doublings = Math.max(0, Math.min(failures - 1, 20));
    Duration d = FIRST_DELAY.multipliedBy(1L << doublings);
    return d.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : d;
  }
}
