package io.distillguard.actors;

import io.distillguard.actors.account.AccountEntity;
import io.distillguard.actors.account.AccountIndex;
import io.distillguard.actors.api.ApiBackend;
import io.distillguard.actors.api.CampaignBackend;
import io.distillguard.actors.api.EvidenceSource;
import io.distillguard.actors.api.HttpApi;
import io.distillguard.actors.audit.AuditEntry;
import io.distillguard.actors.audit.AuditLog;
import io.distillguard.actors.campaign.CampaignEntity;
import io.distillguard.actors.campaign.CampaignRouter;
import io.distillguard.actors.console.ConsoleData;
import io.distillguard.actors.console.JournalHistory;
import io.distillguard.actors.console.ProfileDirectory;
import io.distillguard.actors.erasure.AccountEraser;
import io.distillguard.actors.erasure.ErasureReport;
import io.distillguard.actors.escalation.CampaignWebhooks;
import io.distillguard.actors.escalation.Delivery;
import io.distillguard.actors.escalation.EffectsProjection;
import io.distillguard.actors.escalation.JournalTail;
import io.distillguard.actors.escalation.Outbox;
import io.distillguard.actors.intake.ObservationIntake;
import io.distillguard.actors.intake.Quarantine;
import io.distillguard.actors.intake.QuarantineRetry;
import io.distillguard.actors.metrics.ServiceMetrics;
import io.distillguard.actors.retention.RetentionSweeper;
import io.distillguard.actors.taxonomy.TaxonomyGuard;
import io.distillguard.actors.throttle.ThrottleBoard;
import io.distillguard.actors.throttle.ThrottleDirective;
import io.distillguard.embedding.TextEmbedder;
import io.distillguard.policy.Level;
import io.distillguard.store.VectorStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The actor side of one node: the sharded, event-sourced {@link AccountEntity}, the {@link
 * EffectsProjection} that derives the outbox, throttles and account index from the journal, the
 * webhook dispatcher and the HTTP API, all on one database ({@link StateDatabase}: H2 under the
 * data dir locally, a PostgreSQL shared by every node in a cluster). The launcher's entry point (a
 * one-node cluster) and the cluster service's ({@link
 * io.distillguard.actors.service.ActorServiceMain}). {@link NodeWiring} starts the parts ({@link
 * NodeParts}), {@link HttpWiring} binds the HTTP API; this class answers the API from them.
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
  private final NodeParts node;
  private final ConsoleData console;
  private final AccountEraser eraser;
  private HttpApi http;

  private ActorService(ActorSettings settings, NodeParts node, EvidenceSource evidence) {
    this.settings = settings;
    this.node = node;
    this.console =
        new ConsoleData(
            this,
            this,
            new JournalHistory(node.system(), node.taxonomyNames(), node.db(), node.jdbc()),
            evidence,
            ProfileDirectory.fromEnvironment(),
            node.jdbc());
    this.eraser =
        new AccountEraser(
            node.sharding(),
            node.db(),
            node.campaigns(),
            node.jdbc(),
            evidence instanceof EvidenceSource.Served served ? served.store() : null,
            settings.dataDir().resolve("dead-letters.jsonl"),
            settings.entity().askTimeout());
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
    if (settings.http().port() >= 0 && (store == null || embedder == null)) {
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
    if (settings.http().port() >= 0) {
      HttpWiring.checkAccess(settings);
    }
    ActorService service =
        new ActorService(settings, NodeWiring.start(settings, cluster), evidence);
    if (service.node.dispatcher() != null) {
      service.node.dispatcher().start();
    }
    if (settings.http().port() >= 0) {
      service.http = HttpWiring.bind(service, service.node, service.console, evidence, settings);
    }
    return service;
  }

  private EntityRef<AccountEntity.Command> entity(String accountId) {
    return node.sharding().entityRefFor(AccountEntity.ENTITY_TYPE_KEY, accountId);
  }

  /** Where observations enter this node (see {@link ObservationIntake}). */
  public ObservationIntake intake() {
    return node.intake();
  }

  /**
   * Waits until every observation handed to the {@link #intake()} is processed and every delivery
   * is settled (delivered, or exhausted and kept). True when that happened within {@code timeout}.
   */
  public boolean awaitSettled(Duration timeout) {
    return node.awaitSettled(timeout);
  }

  /** The current status of one account (an account never observed has 0 queries and level OK). */
  @Override
  public CompletionStage<AccountStatus> status(String accountId) {
    return entity(accountId).ask(AccountEntity.GetStatus::new, settings.entity().askTimeout());
  }

  /** Applies a reviewer's verdict; fails for a verdict other than CLEARED / CONFIRMED. */
  @Override
  public CompletionStage<AccountStatus> review(
      String accountId, Level verdict, String reviewer, String note) {
    return entity(accountId)
        .askWithStatus(
            replyTo -> new AccountEntity.ReviewAccount(verdict, reviewer, note, replyTo),
            settings.entity().askTimeout());
  }

  @Override
  public void audit(String actor, String action, String accountId, String detail) {
    node.audit().append(actor, action, accountId, detail);
  }

  @Override
  public List<AuditEntry> auditEntries(long afterSeq, int limit) {
    return node.audit().list(afterSeq, limit);
  }

  @Override
  public List<Quarantine.Entry> quarantined(long afterSeq, int limit) {
    return node.quarantine().list(afterSeq, limit);
  }

  @Override
  public QuarantineRetry.Outcome retryQuarantined(List<Long> seqs, String actor) {
    return new QuarantineRetry(
            node.quarantine(),
            node.intake(),
            node.db(),
            node.clock(),
            settings.entity().askTimeout().multipliedBy(10))
        .retry(seqs, actor);
  }

  /** Erases the account (see {@link AccountEraser#erase}). */
  @Override
  public CompletionStage<ErasureReport> erase(String accountId, String actor) {
    return eraser.erase(accountId, actor);
  }

  /** Every known account's current status, by account id (asks each entity). */
  public List<AccountStatus> accounts() {
    List<CompletableFuture<AccountStatus>> asks = new ArrayList<>();
    for (AccountIndex.Entry e : node.index().list(null, MAX_ACCOUNTS)) {
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
    return node.readiness();
  }

  @Override
  public Map<String, Boolean> readiness() {
    return node.readiness().readiness();
  }

  @Override
  public boolean live() {
    return node.readiness().live();
  }

  /**
   * The version of the detection policy in force on this node. With a policy file it follows the
   * file (reloaded within a few seconds of a change, e.g. a Kubernetes ConfigMap update), and the
   * next observation of every running entity is decided under it, without a restart.
   */
  @Override
  public String policyVersion() {
    return node.policy().get().version();
  }

  @Override
  public Map<String, Map<String, Number>> effects() {
    Map<String, Map<String, Number>> out = new LinkedHashMap<>();
    long now = System.currentTimeMillis();
    for (JournalTail tail : List.of(node.projection().tail(), node.campaignProjection().tail())) {
      JournalTail.Lag lag = tail.lag();
      Map<String, Number> row = new LinkedHashMap<>();
      row.put("behind_events", lag.events());
      row.put("behind_seconds", lag.seconds(now));
      row.put("failures", tail.failures());
      out.put(tail.name(), row);
    }
    return out;
  }

  @Override
  public String policyError() {
    return node.reloader() == null ? null : node.reloader().lastError();
  }

  /** This node's capability taxonomy check: its version and the observations it refused. */
  public TaxonomyGuard taxonomy() {
    return node.taxonomy();
  }

  @Override
  public List<AccountIndex.Entry> indexedAccounts(Level level, int limit) {
    return node.index().list(level, limit);
  }

  @Override
  public List<AccountIndex.Entry> indexedCases(Level level, boolean campaignMembers, int limit) {
    return node.index().cases(level, campaignMembers, limit);
  }

  @Override
  public List<CampaignWebhooks.Row> openCampaigns(int limit) {
    return node.db().transact(c -> CampaignWebhooks.list(c, Level.REVIEW, limit));
  }

  @Override
  public List<ThrottleDirective> activeThrottles(long nowMillis) {
    return node.throttles().active(nowMillis);
  }

  @Override
  public List<Delivery> deliveries(Delivery.Status status, int limit) {
    return node.outbox().list(status, limit);
  }

  @Override
  public Outbox.Redelivery redeliver(List<String> webhookIds, String actor) {
    long now = node.clock().millis();
    Outbox.Redelivery done =
        node.db()
            .transact(
                c -> {
                  Outbox.Redelivery r = node.outbox().redeliver(c, webhookIds, now);
                  for (Delivery d : r.requeued()) {
                    AuditLog.append(
                        c,
                        now,
                        actor,
                        AuditLog.REDELIVER,
                        d.accountId(),
                        "webhook_id=" + d.webhookId() + " type=" + d.eventType());
                  }
                  return r;
                });
    if (!done.requeued().isEmpty() && node.dispatcher() != null) {
      node.dispatcher().wake();
    }
    return done;
  }

  @Override
  public Map<Delivery.Status, Long> deliveryCounts() {
    return node.outbox().counts();
  }

  public Outbox outbox() {
    return node.outbox();
  }

  public ThrottleBoard throttles() {
    return node.throttles();
  }

  public AccountIndex index() {
    return node.index();
  }

  /** This node's operator metrics (served at {@code /metrics}). */
  public ServiceMetrics metrics() {
    return node.metrics();
  }

  /** The status of one campaign (one never recorded has no members). */
  @Override
  public CompletionStage<CampaignEntity.CampaignStatus> campaign(String campaignId) {
    return node.sharding()
        .entityRefFor(CampaignEntity.ENTITY_TYPE_KEY, campaignId)
        .ask(CampaignEntity.GetCampaign::new, settings.entity().askTimeout());
  }

  @Override
  public CompletionStage<CampaignEntity.CampaignStatus> reviewCampaign(
      String campaignId, Level verdict, String reviewer, String note) {
    return node.sharding()
        .entityRefFor(CampaignEntity.ENTITY_TYPE_KEY, campaignId)
        .askWithStatus(
            replyTo -> new CampaignEntity.ReviewCampaign(verdict, reviewer, note, replyTo),
            settings.entity().askTimeout());
  }

  @Override
  public List<String> campaignIds(Level level, int limit) {
    return node.db().transact(c -> CampaignWebhooks.list(c, level, limit)).stream()
        .map(CampaignWebhooks.Row::campaignId)
        .toList();
  }

  /** This node's campaign grouping, which feeds the campaign entities. */
  public CampaignRouter campaigns() {
    return node.campaigns();
  }

  /** What the analyst console reads (cases, account cases); also used by the bundle export. */
  public ConsoleData console() {
    return console;
  }

  /** This node's started parts, for callers that need one of them rather than this service. */
  public NodeParts node() {
    return node;
  }

  public ActorSystem<Void> system() {
    return node.system();
  }

  /** The HTTP API's bound port; -1 when the API is disabled. */
  public int httpPort() {
    return http == null ? -1 : http.port();
  }

  /** The retention sweeper; null without a retention or an audit retention. */
  public RetentionSweeper retention() {
    return node.retention();
  }

  @Override
  public void close() {
    if (http != null) {
      http.close();
    }
    node.close();
    LOG.info("actor side stopped");
  }
}
