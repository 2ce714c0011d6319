package io.distillguard.actors.campaign;

import io.distillguard.policy.Policy;
import java.time.Clock;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;

/**
 * How a {@link CampaignEntity} is made: alone (tests, the offline erasure), with a transport to the
 * campaigns it absorbs and a wake-up for its retries, or registered with cluster sharding.
 */
public final class CampaignBehaviors {

  private CampaignBehaviors() {}

  /** The behavior of the entity for {@code campaignId}, snapshotted by default. */
  public static Behavior<CampaignEntity.Command> create(
      String campaignId, Supplier<Policy> policy, int categoryCount, Clock clock) {
    return create(campaignId, policy, categoryCount, CampaignEntity.DEFAULT_SNAPSHOT_EVERY, clock);
  }

  /**
   * The behavior of the entity for {@code campaignId}, snapshotted every {@code snapshotEvery}
   * journal events.
   */
  public static Behavior<CampaignEntity.Command> create(
      String campaignId,
      Supplier<Policy> policy,
      int categoryCount,
      int snapshotEvery,
      Clock clock) {
    return create(
        campaignId,
        policy,
        categoryCount,
        snapshotEvery,
        clock,
        (absorbed, survivor) ->
            java.util.concurrent.CompletableFuture.failedFuture(
                new IllegalStateException("no route to campaign " + absorbed)));
  }

  /**
   * The behavior of the entity for {@code campaignId}, reaching the campaigns it absorbs through
   * {@code transport} and retrying a failed attempt by its own timer (which dies with the entity).
   */
  public static Behavior<CampaignEntity.Command> create(
      String campaignId,
      Supplier<Policy> policy,
      int categoryCount,
      int snapshotEvery,
      Clock clock,
      MergeTransport transport) {
    return create(campaignId, policy, categoryCount, snapshotEvery, clock, transport, null);
  }

  /**
   * The behavior of the entity for {@code campaignId}, reaching the campaigns it absorbs through
   * {@code transport} and woken for a retry by {@code wakeUp} (null: its own timer).
   */
  public static Behavior<CampaignEntity.Command> create(
      String campaignId,
      Supplier<Policy> policy,
      int categoryCount,
      int snapshotEvery,
      Clock clock,
      MergeTransport transport,
      MergeWakeUp wakeUp) {
    return Behaviors.setup(
        ctx ->
            new CampaignEntity(
                campaignId, policy, categoryCount, snapshotEvery, clock, transport, wakeUp, ctx));
  }

  /**
   * Registers the entity type with cluster sharding on {@code system}; returns the region. A
   * campaign asks one it absorbs with {@code askTimeout} per attempt, and is woken for the next
   * attempt through sharding ({@link MergeWakeUp#sharded}).
   */
  public static ActorRef<ShardingEnvelope<CampaignEntity.Command>> initSharding(
      ActorSystem<?> system,
      Supplier<Policy> policy,
      int categoryCount,
      int snapshotEvery,
      Clock clock,
      java.time.Duration askTimeout) {
    MergeTransport transport = MergeTransport.sharded(system, askTimeout);
    MergeWakeUp wakeUp = MergeWakeUp.sharded(system);
    return ClusterSharding.get(system)
        .init(
            Entity.of(
                CampaignEntity.ENTITY_TYPE_KEY,
                ctx ->
                    create(
                        ctx.getEntityId(),
                        policy,
                        categoryCount,
                        snapshotEvery,
                        clock,
                        transport,
                        wakeUp)));
  }
}
