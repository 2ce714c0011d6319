package io.distillguard.actors.campaign;

import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * How a campaign with a merge pending is woken to try it again after a failed attempt. An entity's
 * own timer dies with the entity: a survivor passivated while idle (its retries are messages to
 * itself, which the shard does not count as activity) or handed to another node would retry only at
 * its next member record. Through cluster sharding the wake-up reaches the entity wherever it
 * lives: it counts as activity, so an entity with a merge pending is not passivated between
 * attempts, and it starts an entity that was stopped anyway, whose recovery resumes every merge its
 * journal says is pending ({@link CampaignEntity.MergeStarted} without its {@link
 * CampaignEntity.Absorbed}).
 */
@FunctionalInterface
public interface MergeWakeUp {

  /** Has campaign {@code campaignId} handle {@code retry} after {@code delay}. */
  void after(Duration delay, String campaignId, CampaignEntity.RetryMerge retry);

  /** Through cluster sharding on {@code system}, from its scheduler. */
  static MergeWakeUp sharded(ActorSystem<?> system) {
    ClusterSharding sharding = ClusterSharding.get(system);
    return (delay, campaignId, retry) ->
        system
            .scheduler()
            .scheduleOnce(
                delay,
                () -> sharding.entityRefFor(CampaignEntity.ENTITY_TYPE_KEY, campaignId).tell(retry),
                system.executionContext());
  }
}
