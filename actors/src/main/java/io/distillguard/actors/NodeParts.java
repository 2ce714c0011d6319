package io.distillguard.actors;

import io.distillguard.actors.account.AccountIndex;
import io.distillguard.actors.audit.AuditLog;
import io.distillguard.actors.campaign.CampaignRouter;
import io.distillguard.actors.escalation.CampaignEffectsProjection;
import io.distillguard.actors.escalation.EffectsProjection;
import io.distillguard.actors.escalation.MemberFlags;
import io.distillguard.actors.escalation.Outbox;
import io.distillguard.actors.escalation.WebhookDispatcher;
import io.distillguard.actors.intake.ObservationIntake;
import io.distillguard.actors.intake.Quarantine;
import io.distillguard.actors.metrics.ServiceMetrics;
import io.distillguard.actors.retention.RetentionSweeper;
import io.distillguard.actors.taxonomy.TaxonomyGuard;
import io.distillguard.actors.throttle.ThrottleBoard;
import io.distillguard.policy.Policy;
import io.distillguard.policy.PolicyReloader;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The started parts of one node's actor side, as {@link NodeWiring} built them: the journal's
 * database, the actor system with its sharded entities, the effects projections and what they write
 * (outbox, throttles, account index), the webhook dispatcher, the campaign grouping, the
 * observation intake, the audit log and the retention sweeper.
 *
 * @param dispatcher null when no webhook URL is configured
 * @param reloader null without a policy file
 * @param retention null without a retention or an audit retention
 */
public record NodeParts(
    ActorSystem<Void> system,
    ClusterSharding sharding,
    StateDatabase db,
    Clock clock,
    Executor jdbc,
    Supplier<Policy> policy,
    PolicyReloader reloader,
    List<String> taxonomyNames,
    TaxonomyGuard taxonomy,
    NodeReadiness readiness,
    Outbox outbox,
    ThrottleBoard throttles,
    AccountIndex index,
    WebhookDispatcher dispatcher,
    EffectsProjection projection,
    CampaignEffectsProjection campaignProjection,
    MemberFlags memberFlags,
    CampaignRouter campaigns,
    ServiceMetrics metrics,
    Quarantine quarantine,
    ObservationIntake intake,
    AuditLog audit,
    RetentionSweeper retention) {

  private static final Logger LOG = LoggerFactory.getLogger(NodeParts.class);

  /**
   * Waits until every observation handed to the {@link #intake()} is processed and every delivery
   * is settled (delivered, or exhausted and kept). True when that happened within {@code timeout}.
   */
  public boolean awaitSettled(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      // In the order effects flow: campaign decisions flag members, whose flags are account
      // events with effects of their own.
      if (intake.pending() == 0
          && campaignProjection.caughtUp()
          && memberFlags.pending() == 0
          && projection.caughtUp()
          && outbox.pendingCount() == 0
          && (dispatcher == null || dispatcher.inFlight() == 0)) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /**
   * Stops the retention sweeper, the projections, the dispatcher and the actor system, then the
   * policy watch and the database; everything stays in the database.
   */
  void close() {
    if (retention != null) {
      retention.close();
    }
    projection.close();
    campaignProjection.close();
    memberFlags.close();
    if (dispatcher != null) {
      dispatcher.close();
    }
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("actor system did not terminate in time", e);
    }
    if (reloader != null) {
      reloader.close();
    }
    db.close();
  }
}
