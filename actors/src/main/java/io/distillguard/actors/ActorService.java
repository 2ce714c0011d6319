package io.distillguard.actors;

import io.distillguard.actors.account.AccountEntity;
import io.distillguard.actors.account.AccountIndex;
import io.distillguard.actors.api.ApiBackend;
import io.distillguard.actors.api.BearerAuth;
import io.distillguard.actors.api.CampaignBackend;
import io.distillguard.actors.api.CampaignRoutes;
import io.distillguard.actors.api.EvidenceSource;
import io.distillguard.actors.api.HttpApi;
import io.distillguard.actors.audit.AuditEntry;
import io.distillguard.actors.audit.AuditLog;
import io.distillguard.actors.campaign.CampaignEntity;
import io.distillguard.actors.campaign.CampaignGrouping;
import io.distillguard.actors.campaign.CampaignRouter;
import io.distillguard.actors.console.BundleSigner;
import io.distillguard.actors.console.ConsoleData;
import io.distillguard.actors.console.ConsoleRoutes;
import io.distillguard.actors.console.JournalHistory;
import io.distillguard.actors.console.ProfileDirectory;
import io.distillguard.actors.erasure.AccountErasure;
import io.distillguard.actors.erasure.CampaignErasure;
import io.distillguard.actors.erasure.ErasureReport;
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
import io.distillguard.actors.metrics.MetricsRoute;
import io.distillguard.actors.metrics.ServiceMetrics;
import io.distillguard.actors.metrics.ServiceMetricsWiring;
import io.distillguard.actors.taxonomy.NodeTaxonomy;
import io.distillguard.actors.taxonomy.TaxonomyGuard;
import io.distillguard.actors.throttle.ThrottleBoard;
import io.distillguard.actors.throttle.ThrottleDirective;
import io.distillguard.detect.AccountDetector;
import io.distillguard.embedding.TextEmbedder;
import io.distillguard.policy.Level;
import io.distillguard.policy.Policy;
import io.distillguard.policy.PolicyReloader;
import io.distillguard.store.VectorStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The actor side of one node: the sharded, event-sourced {@link AccountEntity}, the {@link
 * EffectsProjection} that derives the outbox, throttles and account index from the journal, the
 * webhook dispatcher and the HTTP API, all on one database ({@link StateDatabase}: H2 under the
 * data dir locally, a PostgreSQL shared by every node in a cluster). The launcher's entry point (a
 * one-node cluster) and the cluster service's ({@link
 * io.distillguard.actors.service.ActorServiceMain}).
 *
 * <p>Thread-safe. {@link #close()} stops the HTTP API, the projection, the dispatcher and the actor
 * system; everything stays in the database, and a new instance on it resumes the projection and the
 * pending deliveries.
 */
public final class ActorService implements ApiBackend, CampaignBackend, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ActorService.class);
  private static final int MAX_ACCOUNTS = 1_000_000;

  /** The dispatcher (thread pool) that runs blocking database work, never an actor's thread. */
  public static final String JDBC_DISPATCHER = "distillguard-jdbc-dispatcher";

  private final ActorSettings settings;
  private final ActorSystem<Void> system;
  private final ClusterSharding sharding;
  private final StateDatabase db;
  private final Outbox outbox;
  private final ThrottleBoard throttles;
  private final AccountIndex index;
  private final WebhookDispatcher dispatcher;
  private final EffectsProjection projection;
  private final Executor jdbc;
  private final PolicyReloader reloader;
  private final TaxonomyGuard taxonomy;
  private final NodeReadiness readiness;
  private ObservationIntake intake;
  private Quarantine quarantine;
  private volatile Supplier<Policy> policy;
  private CampaignRouter campaigns;
  private CampaignEffectsProjection campaignProjection;
  private MemberFlags memberFlags;
  private ServiceMetrics metrics;
  private ConsoleData console;
  private volatile VectorStore evidenceStore;
  private AuditLog audit;
  private io.distillguard.actors.retention.RetentionSweeper retention;
  private HttpApi http;

  private ActorService(
      ActorSettings settings,
      ActorSystem<Void> system,
      StateDatabase db,
      Outbox outbox,
      ThrottleBoard throttles,
      AccountIndex index,
      WebhookDispatcher dispatcher,
      EffectsProjection projection,
      Executor jdbc,
      PolicyReloader reloader,
      TaxonomyGuard taxonomy) {
    this.settings = settings;
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.db = db;
    this.outbox = outbox;
    this.throttles = throttles;
    this.index = index;
    this.dispatcher = dispatcher;
    this.projection = projection;
    this.jdbc = jdbc;
    this.reloader = reloader;
    this.taxonomy = taxonomy;
    this.readiness = new NodeReadiness(system, db);
  }

  /**
   * Starts the actor side: opens the database (creating the journal's and the side tables), forms
   * the one-node cluster, starts sharding and the effects projection, resumes pending deliveries
   * and binds the HTTP API.
   *
   * @param store evidence store for the API (not closed by this service); may be null only when the
   *     HTTP API is disabled ({@code httpPort < 0})
   * @param embedder embeds the {@code near} text of evidence queries (not closed by this service);
   *     may be null only when the HTTP API is disabled
   */
  public static ActorService start(
      ActorSettings settings, VectorStore store, TextEmbedder embedder) {
    return start(settings, ClusterSettings.local(), store, embedder);
  }

  /**
   * Starts the actor side as one node of a Pekko cluster: like {@link #start(ActorSettings,
   * VectorStore, TextEmbedder)}, but the node binds and joins as {@code cluster} says (seed nodes,
   * or itself when there are none). Every node must use the same journal (PostgreSQL, or an H2
   * server in tests) so that an entity that moves to another node recovers its state there.
   */
  public static ActorService start(
      ActorSettings settings, ClusterSettings cluster, VectorStore store, TextEmbedder embedder) {
    if (settings.httpPort() >= 0 && (store == null || embedder == null)) {
      throw new IllegalArgumentException("the HTTP API needs a vector store and an embedder");
    }
    return startWith(settings, cluster, EvidenceSource.of(store, embedder));
  }

  /**
   * Starts the actor side as one node of a Pekko cluster, with the HTTP API's evidence endpoint
   * reading {@code evidence}: a store the ingest job writes to, or {@link
   * EvidenceSource.Unavailable} (the endpoint then answers 503 with the reason).
   */
  public static ActorService startWith(
      ActorSettings settings, ClusterSettings cluster, EvidenceSource evidence) {
    LOG.info("starting the actor side: {}", settings);
    if (settings.httpPort() >= 0) {
      // Fail closed before anything starts: no API on another address than loopback without tokens.
      io.distillguard.actors.api.access.ApiAccess.create(
          settings.httpHost(), settings.access(), settings.bearerToken());
    }
    try {
      Files.createDirectories(settings.dataDir().resolve("journal"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot create the data dir " + settings.dataDir(), e);
    }
    String journalUrl = settings.effectiveJournalUrl();
    // One database for the journal and everything derived from it (see StateDatabase).
    StateDatabase db =
        StateDatabase.open(journalUrl, settings.journalUser(), settings.journalPassword());
    Clock clock = Clock.systemUTC();
    Outbox outbox = new Outbox(db);
    ThrottleBoard throttles = new ThrottleBoard(db);
    AccountIndex index = new AccountIndex(db);

    Map<Delivery.Destination, URI> urls = new EnumMap<>(Delivery.Destination.class);
    if (settings.webhookUrl() != null) {
      urls.put(Delivery.Destination.REVIEW, settings.webhookUrl());
    }
    if (settings.throttleUrl() != null) {
      urls.put(Delivery.Destination.THROTTLE, settings.throttleUrl());
    }
    WebhookDispatcher dispatcher =
        urls.isEmpty()
            ? null
            : new WebhookDispatcher(
                outbox,
                urls,
                WebhookSigner.fromSecret(settings.webhookSecret()),
                settings.retry(),
                settings.requestTimeout(),
                settings.maxInFlight(),
                clock);
    Escalations escalations =
        new Escalations(
            outbox, throttles, settings.webhookUrl() != null, settings.throttleUrl() != null);

    PolicyReloader reloader = null;
    Supplier<Policy> policy;
    if (settings.policyFile() != null) {
      reloader = PolicyReloader.watch(settings.policyFile(), Duration.ofSeconds(2));
      policy = reloader;
    } else {
      Policy p = Policy.loadDefault();
      policy = () -> p;
    }
    NodeTaxonomy taxonomy =
        NodeTaxonomy.load(settings.taxonomyFile(), settings.dataDir().resolve("taxonomies"));
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
    AccountEntity.initSharding(system, detector, settings.snapshotEvery(), clock);
    CampaignEntity.initSharding(system, policy, taxonomy.taxonomy().names().size(), clock);
    Executor jdbc = system.dispatchers().lookup(DispatcherSelector.fromConfig(JDBC_DISPATCHER));
    EffectsProjection projection =
        EffectsProjection.start(
            system, db, escalations, index, jdbc, dispatcher == null ? () -> {} : dispatcher::wake);

    ActorService service =
        new ActorService(
            settings,
            system,
            db,
            outbox,
            throttles,
            index,
            dispatcher,
            projection,
            jdbc,
            reloader,
            taxonomy.guard());
    service.readiness.add("taxonomy-consistent", service.taxonomy::consistent);
    service.readiness.shardingStarted();
    service.policy = policy;
    service.campaignProjection =
        CampaignEffectsProjection.start(
            system,
            db,
            new CampaignWebhooks(outbox, settings.webhookUrl() != null),
            jdbc,
            dispatcher == null ? () -> {} : dispatcher::wake);
    service.memberFlags = MemberFlags.start(system, db, jdbc, settings.askTimeout());
    service.campaignProjection.onFlagged(service.memberFlags::wake);
    service.campaigns =
        new CampaignRouter(
            system,
            policy,
            taxonomy.taxonomy().names(),
            CampaignGrouping.DEFAULT_MAX_ACCOUNTS,
            settings.askTimeout());
    service.metrics = ServiceMetricsWiring.wire(index, outbox, projection, dispatcher);
    service.quarantine = new Quarantine(db, clock);
    service.intake =
        new ObservationIntake(
            system,
            db,
            service.taxonomy,
            service.campaigns,
            service.metrics,
            jdbc,
            settings.askTimeout(),
            settings.drainParallelism(),
            settings.batching(),
            service.quarantine);
    service.console =
        new ConsoleData(
            service,
            service,
            new JournalHistory(system, taxonomy.taxonomy().names(), db, jdbc),
            evidence,
            ProfileDirectory.fromEnvironment(),
            jdbc);
    service.audit = new AuditLog(db, clock);
    if (settings.retention() != null || settings.auditRetention() != null) {
      service.retention =
          io.distillguard.actors.retention.RetentionSweeper.start(
              db, settings.retention(), settings.auditRetention(), Duration.ofHours(1), clock);
    }
    service.evidenceStore =
        evidence instanceof EvidenceSource.Served served ? served.store() : null;
    if (dispatcher != null) {
      dispatcher.start();
    }
    if (settings.httpPort() >= 0) {
      // The console and /metrics check the same tokens as the API: the console needs the reviewer
      // role, /metrics admin.
      io.distillguard.actors.api.access.ApiAccess access =
          io.distillguard.actors.api.access.ApiAccess.create(
              settings.httpHost(), settings.access(), settings.bearerToken());
      BearerAuth auth = new BearerAuth(access, io.distillguard.actors.api.access.Role.REVIEWER);
      Route extra =
          new ConsoleRoutes(
                  auth,
                  service.console,
                  () -> BundleSigner.inDirectory(settings.dataDir().resolve("keys")),
                  clock,
                  (who, id, detail) ->
                      service.audit(
                          who, io.distillguard.actors.audit.AuditLog.EVIDENCE_READ, id, detail))
              .routes()
              .orElse(
                  new MetricsRoute(
                          new BearerAuth(access, io.distillguard.actors.api.access.Role.ADMIN),
                          service.metrics,
                          jdbc)
                      .route())
              .orElse(new CampaignRoutes(access, db, service, jdbc).routes());
      service.http = HttpApi.bind(system, service, evidence, settings, jdbc, extra);
    }
    return service;
  }

  private EntityRef<AccountEntity.Command> entity(String accountId) {
    return sharding.entityRefFor(AccountEntity.ENTITY_TYPE_KEY, accountId);
  }

  /** Where observations enter this node (see {@link ObservationIntake}). */
  public ObservationIntake intake() {
    return intake;
  }

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

  /** The current status of one account (an account never observed has 0 queries and level OK). */
  @Override
  public CompletionStage<AccountStatus> status(String accountId) {
    return entity(accountId).ask(AccountEntity.GetStatus::new, settings.askTimeout());
  }

  /** Applies a reviewer's verdict; fails for a verdict other than CLEARED / CONFIRMED. */
  @Override
  public CompletionStage<AccountStatus> review(
      String accountId, Level verdict, String reviewer, String note) {
    return entity(accountId)
        .askWithStatus(
            replyTo -> new AccountEntity.ReviewAccount(verdict, reviewer, note, replyTo),
            settings.askTimeout());
  }

  @Override
  public void audit(String actor, String action, String accountId, String detail) {
    audit.append(actor, action, accountId, detail);
  }

  @Override
  public List<AuditEntry> auditEntries(long afterSeq, int limit) {
    return audit.list(afterSeq, limit);
  }

  @Override
  public List<Quarantine.Entry> quarantined(long afterSeq, int limit) {
    return quarantine.list(afterSeq, limit);
  }

  /**
   * Erases the account: its entity persists an erasure marker (its state starts again from empty),
   * every campaign that holds it persists the campaign restated without it ({@link
   * CampaignErasure}); then the journal rows before those facts, the snapshots, the outbox,
   * throttle and index rows go and the campaign rows and payloads are rewritten in one transaction,
   * audit entries become tombstones, and the vector store (when this node has the evidence store)
   * and the data dir's dead-letter file drop the account's records.
   */
  @Override
  public CompletionStage<ErasureReport> erase(String accountId, String actor) {
    Duration timeout = settings.askTimeout();
    Function<String, CompletionStage<Long>> eraseMember =
        id ->
            sharding
                .entityRefFor(CampaignEntity.ENTITY_TYPE_KEY, id)
                .askWithStatus(r -> new CampaignEntity.EraseMember(accountId, r), timeout);
    return entity(accountId)
        .askWithStatus(AccountEntity.EraseAccount::new, timeout)
        .thenCompose(
            markerSeq ->
                campaignsHolding(accountId)
                    .thenCompose(ids -> CampaignErasure.eraseIn(ids, eraseMember))
                    .thenApplyAsync(
                        facts ->
                            AccountErasure.eraseFiles(
                                AccountErasure.eraseStored(
                                    db, accountId, markerSeq, facts, actor, Clock.systemUTC()),
                                accountId,
                                evidenceStore,
                                settings.dataDir().resolve("dead-letters.jsonl")),
                        jdbc));
  }

  /**
   * The campaigns whose data may hold the account: the database's and the grouping's (which then
   * forgets the account).
   */
  private CompletionStage<Set<String>> campaignsHolding(String accountId) {
    return CompletableFuture.supplyAsync(
        () -> {
          Set<String> ids = new TreeSet<>();
          campaigns.campaignOf(accountId).ifPresent(ids::add);
          // The grouping forgets the account before its campaigns are restated without it, so no
          // other member's next observation records it again.
          campaigns.forget(accountId);
          ids.addAll(db.transact(c -> CampaignErasure.campaignsOf(c, accountId)));
          return ids;
        },
        jdbc);
  }

  /** Every known account's current status, by account id (asks each entity). */
  public List<AccountStatus> accounts() {
    List<CompletableFuture<AccountStatus>> asks = new ArrayList<>();
    for (AccountIndex.Entry e : index.list(null, MAX_ACCOUNTS)) {
      asks.add(status(e.accountId()).toCompletableFuture());
    }
    List<AccountStatus> out = new ArrayList<>(asks.size());
    for (CompletableFuture<AccountStatus> f : asks) {
      out.add(f.join());
    }
    return out;
  }

  /** This node's readiness and liveness checks (the {@code /ready} and {@code /live} probes). */
  public NodeReadiness probes() {
    return readiness;
  }

  @Override
  public Map<String, Boolean> readiness() {
    return readiness.readiness();
  }

  @Override
  public boolean live() {
    return readiness.live();
  }

  /**
   * The version of the detection policy in force on this node. With a policy file it follows the
   * file (reloaded within a few seconds of a change, e.g. a Kubernetes ConfigMap update), and the
   * next observation of every running entity is decided under it, without a restart.
   */
  @Override
  public String policyVersion() {
    return policy.get().version();
  }

  /** This node's capability taxonomy check: its version and the observations it refused. */
  public TaxonomyGuard taxonomy() {
    return taxonomy;
  }

  @Override
  public List<AccountIndex.Entry> indexedAccounts(Level level, int limit) {
    return index.list(level, limit);
  }

  @Override
  public List<ThrottleDirective> activeThrottles(long nowMillis) {
    return throttles.active(nowMillis);
  }

  @Override
  public List<Delivery> deliveries(Delivery.Status status, int limit) {
    return outbox.list(status, limit);
  }

  @Override
  public Map<Delivery.Status, Long> deliveryCounts() {
    return outbox.counts();
  }

  public Outbox outbox() {
    return outbox;
  }

  public ThrottleBoard throttles() {
    return throttles;
  }

  public AccountIndex index() {
    return index;
  }

  /** This node's operator metrics (served at {@code /metrics}). */
  public ServiceMetrics metrics() {
    return metrics;
  }

  /** The status of one campaign (one never recorded has no members). */
  @Override
  public CompletionStage<CampaignEntity.CampaignStatus> campaign(String campaignId) {
    return sharding
        .entityRefFor(CampaignEntity.ENTITY_TYPE_KEY, campaignId)
        .ask(CampaignEntity.GetCampaign::new, settings.askTimeout());
  }

  @Override
  public CompletionStage<CampaignEntity.CampaignStatus> reviewCampaign(
      String campaignId, Level verdict, String reviewer, String note) {
    return sharding
        .entityRefFor(CampaignEntity.ENTITY_TYPE_KEY, campaignId)
        .askWithStatus(
            replyTo -> new CampaignEntity.ReviewCampaign(verdict, reviewer, note, replyTo),
            settings.askTimeout());
  }

  @Override
  public List<String> campaignIds(Level level, int limit) {
    return db.transact(c -> CampaignWebhooks.list(c, level, limit)).stream()
        .map(CampaignWebhooks.Row::campaignId)
        .toList();
  }

  /** This node's campaign grouping, which feeds the campaign entities. */
  public CampaignRouter campaigns() {
    return campaigns;
  }

  /** What the analyst console reads (cases, account cases); also used by the bundle export. */
  public ConsoleData console() {
    return console;
  }

  public ActorSystem<Void> system() {
    return system;
  }

  /** The HTTP API's bound port; -1 when the API is disabled. */
  public int httpPort() {
    return http == null ? -1 : http.port();
  }

  /** The retention sweeper; null without a retention or an audit retention. */
  public io.distillguard.actors.retention.RetentionSweeper retention() {
    return retention;
  }

  @Override
  public void close() {
    if (http != null) {
      http.close();
    }
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
    LOG.info("actor side stopped");
  }
}
