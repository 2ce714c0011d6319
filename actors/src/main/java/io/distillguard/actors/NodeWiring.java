package io.distillguard.actors;

import io.distillguard.actors.account.AccountEntity;
import io.distillguard.actors.account.AccountIndex;
import io.distillguard.actors.audit.AuditLog;
import io.distillguard.actors.campaign.CampaignBehaviors;
import io.distillguard.actors.campaign.CampaignRouter;
import io.distillguard.actors.escalation.CampaignEffectsProjection;
import io.distillguard.actors.escalation.CampaignWebhooks;
import io.distillguard.actors.escalation.Delivery;
import io.distillguard.actors.escalation.EffectsProjection;
import io.distillguard.actors.escalation.Escalations;
import io.distillguard.actors.escalation.MemberFlags;
import io.distillguard.actors.escalation.Outbox;
import io.distillguard.actors.escalation.WebhookDispatcher;
import io.distillguard.actors.escalation.WebhookSigner;
import io.distillguard.actors.intake.ObservationIntake;
import io.distillguard.actors.intake.Quarantine;
import io.distillguard.actors.metrics.ServiceMetrics;
import io.distillguard.actors.metrics.ServiceMetricsWiring;
import io.distillguard.actors.retention.RetentionSweeper;
import io.distillguard.actors.taxonomy.NodeTaxonomy;
import io.distillguard.actors.throttle.ThrottleBoard;
import io.distillguard.detect.AccountDetector;
import io.distillguard.policy.Policy;
import io.distillguard.policy.PolicyReloader;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

/**
 * Starts the actor side of one node, up to but without the HTTP API: opens the database (creating
 * the journal's and the side tables), forms or joins the cluster, starts sharding for the account
 * and campaign entities, the effects projections, the member flags, the campaign grouping, the
 * observation intake and the retention sweeper. The webhook dispatcher is built but not started
 * (see {@link ActorService}).
 */
final class NodeWiring {

  private NodeWiring() {}

  static NodeParts start(ActorSettings settings, ClusterSettings cluster) {
    try {
      Files.createDirectories(settings.dataDir().resolve("journal"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot create the data dir " + settings.dataDir(), e);
    }
    String journalUrl = settings.effectiveJournalUrl();
    // One database for the journal and everything derived from it (see StateDatabase).
    StateDatabase db =
        StateDatabase.open(journalUrl, settings.journal().user(), settings.journal().password());
    Clock clock = Clock.systemUTC();
    Outbox outbox = new Outbox(db);
    ThrottleBoard throttles = new ThrottleBoard(db);
    AccountIndex index = new AccountIndex(db);
    WebhookDispatcher dispatcher = dispatcher(settings, outbox, clock);
    Escalations escalations =
        new Escalations(
            outbox,
            throttles,
            settings.webhook().url() != null,
            settings.webhook().throttleUrl() != null);

    PolicyReloader reloader = null;
    Supplier<Policy> policy;
    if (settings.detection().policyFile() != null) {
      reloader = PolicyReloader.watch(settings.detection().policyFile(), Duration.ofSeconds(2));
      policy = reloader;
    } else {
      Policy p = Policy.loadDefault();
      policy = () -> p;
    }
    NodeTaxonomy taxonomy =
        NodeTaxonomy.load(
            settings.detection().taxonomyFile(), settings.dataDir().resolve("taxonomies"));
    AccountDetector detector = new AccountDetector(policy, taxonomy.taxonomy().names());

    ActorSystem<Void> system =
        ActorSystem.create(
            Behaviors.empty(),
            ClusterSettings.SYSTEM_NAME,
            PekkoConfig.of(settings, cluster, journalUrl));
    Cluster node = Cluster.get(system);
    if (cluster.joinsItself()) {
      node.manager().tell(Join.create(node.selfMember().address()));
    }
    // With seed nodes, Pekko joins them by itself (pekko.cluster.seed-nodes).
    AccountEntity.initSharding(system, detector, settings.entity().snapshotEvery(), clock);
    CampaignBehaviors.initSharding(
        system,
        policy,
        taxonomy.taxonomy().names().size(),
        settings.entity().snapshotEvery(),
        clock,
        settings.entity().askTimeout());
    Executor jdbc =
        system.dispatchers().lookup(DispatcherSelector.fromConfig(ActorService.JDBC_DISPATCHER));
    Runnable wake = dispatcher == null ? () -> {} : dispatcher::wake;
    EffectsProjection projection =
        EffectsProjection.start(system, db, escalations, index, jdbc, wake);

    NodeReadiness readiness = new NodeReadiness(system, db);
    readiness.add("taxonomy-consistent", taxonomy.guard()::consistent);
    readiness.shardingStarted();
    CampaignEffectsProjection campaignProjection =
        CampaignEffectsProjection.start(
            system,
            db,
            new CampaignWebhooks(
                outbox,
                settings.webhook().url() != null,
                settings.webhook().campaignFollowUpGrowth()),
            jdbc,
            wake);
    MemberFlags memberFlags = MemberFlags.start(system, db, jdbc, settings.entity().askTimeout());
    campaignProjection.onFlagged(memberFlags::wake);
    CampaignRouter campaigns =
        new CampaignRouter(
            system,
            policy,
            taxonomy.taxonomy().names(),
            settings.intake().grouping(),
            io.distillguard.actors.escalation.CampaignMemberships.source(system, db, jdbc),
            settings.entity().askTimeout());
    // Effects follow facts: the own levels the account journal commits reach the grouping.
    projection.onOwnLevels(campaigns::ownLevels);
    ServiceMetrics metrics =
        ServiceMetricsWiring.wire(
            index, outbox, projection, campaignProjection, memberFlags, dispatcher);
    if (reloader != null) {
      metrics.policyFile(reloader::lastError);
    }
    Quarantine quarantine = new Quarantine(db, clock);
    ObservationIntake intake =
        new ObservationIntake(
            system,
            db,
            taxonomy.guard(),
            campaigns,
            metrics,
            jdbc,
            settings.entity().askTimeout(),
            settings.intake(),
            quarantine);
    AuditLog audit = new AuditLog(db, clock);
    RetentionSweeper retention = null;
    if (settings.retention().data() != null || settings.retention().audit() != null) {
      retention =
          RetentionSweeper.start(
              db,
              settings.retention().data(),
              settings.retention().audit(),
              Duration.ofHours(1),
              clock);
      metrics.retention(retention::lastSuccessMillis, retention::failures);
    }
    return new NodeParts(
        system,
        ClusterSharding.get(system),
        db,
        clock,
        jdbc,
        policy,
        reloader,
        taxonomy.taxonomy().names(),
        taxonomy.guard(),
        readiness,
        outbox,
        throttles,
        index,
        dispatcher,
        projection,
        campaignProjection,
        memberFlags,
        campaigns,
        metrics,
        quarantine,
        intake,
        audit,
        retention);
  }

  /** The webhook dispatcher for the configured destinations; null when none is configured. */
  private static WebhookDispatcher dispatcher(ActorSettings settings, Outbox outbox, Clock clock) {
    Map<Delivery.Destination, URI> urls = new EnumMap<>(Delivery.Destination.class);
    if (settings.webhook().url() != null) {
      urls.put(Delivery.Destination.REVIEW, settings.webhook().url());
    }
    if (settings.webhook().throttleUrl() != null) {
      urls.put(Delivery.Destination.THROTTLE, settings.webhook().throttleUrl());
    }
    return urls.isEmpty()
        ? null
        : new WebhookDispatcher(
            outbox,
            urls,
            WebhookSigner.fromSecret(settings.webhook().secret()),
            settings.webhook().retry(),
            settings.webhook().requestTimeout(),
            settings.webhook().maxInFlight(),
            clock);
  }
}
