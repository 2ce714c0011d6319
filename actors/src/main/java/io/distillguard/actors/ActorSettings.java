package io.distillguard.actors;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.distillguard.actors.api.access.ApiAccessSettings;
import io.distillguard.actors.escalation.RetryPolicy;
import io.distillguard.actors.escalation.WebhookPolicy;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Everything the actor side is configured with, read once from HOCON ({@code distillguard.actors}
 * in {@code reference.conf} / {@code application.conf}, each key overridable by an environment
 * variable, see {@code reference.conf}), grouped by concern. Secrets (the webhook secret, the
 * bearer token) come only from configuration or the environment and are redacted by {@link
 * #toString()}.
 *
 * @param dataDir where the H2 database (journal, outbox, throttles, index) lives in the local mode
 * @param webhook where and how escalations are delivered
 * @param http the HTTP API's address and access
 * @param detection the policy and taxonomy files
 * @param entity how the entities are run
 * @param intake how observations come in
 * @param journal the one database
 * @param retention how long what is stored is kept
 */
public record ActorSettings(
    Path dataDir,
    WebhookSettings webhook,
    HttpSettings http,
    DetectionFiles detection,
    EntitySettings entity,
    IntakeSettings intake,
    JournalSettings journal,
    RetentionSettings retention) {

  public ActorSettings {
    URI webhookUrl = webhook.url();
    URI throttleUrl = webhook.throttleUrl();
    String webhookSecret = webhook.secret();
    if ((webhookUrl != null || throttleUrl != null)
        && (webhookSecret == null || webhookSecret.isBlank())) {
      throw new IllegalArgumentException(
          "a webhook secret (whsec_...) is required when a webhook or throttle URL is set");
    }
    if (webhookUrl != null) {
      WebhookPolicy.checkUrl("the webhook URL", webhookUrl);
    }
    if (throttleUrl != null) {
      WebhookPolicy.checkUrl("the throttle URL", throttleUrl);
    }
    if (webhookUrl != null || throttleUrl != null) {
      WebhookPolicy.checkSecret(webhookSecret);
    }
    if (entity.snapshotEvery() < 1 || intake.drainParallelism() < 1 || webhook.maxInFlight() < 1) {
      throw new IllegalArgumentException(
          "snapshot-every, drain parallelism and max-in-flight must be positive");
    }
  }

  /** Reads {@code distillguard.actors} from the application's configuration. */
  public static ActorSettings load() {
    return fromConfig(ConfigFactory.load().getConfig("distillguard.actors"));
  }

  /** The defaults of {@code reference.conf} (with environment overrides) and this data dir. */
  public static ActorSettings defaults(Path dataDir) {
    return load().withDataDir(dataDir);
  }

  /** Reads a {@code distillguard.actors} block. */
  public static ActorSettings fromConfig(Config c) {
    return new ActorSettings(
        Path.of(c.getString("data-dir")),
        WebhookSettings.fromConfig(c),
        HttpSettings.fromConfig(c),
        DetectionFiles.fromConfig(c),
        EntitySettings.fromConfig(c),
        IntakeSettings.fromConfig(c),
        JournalSettings.fromConfig(c),
        RetentionSettings.fromConfig(c));
  }

  /** The journal's JDBC URL: the configured one, or the H2 file DB under the data dir. */
  public String effectiveJournalUrl() {
    return journal.effectiveUrl(dataDir);
  }

  public ActorSettings withDataDir(Path dir) {
    return with(b -> b.dataDir = dir);
  }

  /** Sets the review webhook URL and signing secret (either may be null to unset). */
  public ActorSettings withWebhook(URI url, String secret) {
    return with(b -> b.webhook = webhook.withUrls(url, secret, webhook.throttleUrl()));
  }

  public ActorSettings withThrottleUrl(URI url) {
    return with(b -> b.webhook = webhook.withUrls(webhook.url(), webhook.secret(), url));
  }

  public ActorSettings withHttp(String host, int port, String token) {
    return with(b -> b.http = new HttpSettings(host, port, token, http.access()));
  }

  /** Sets the API's token sources, allowed hosts and body limit. */
  public ActorSettings withAccess(ApiAccessSettings newAccess) {
    return with(
        b -> b.http = new HttpSettings(http.host(), http.port(), http.bearerToken(), newAccess));
  }

  public ActorSettings withRetry(RetryPolicy policy, Duration timeout) {
    return with(b -> b.webhook = webhook.withRetry(policy, timeout));
  }

  /** Sets the campaign follow-up growth ({@link WebhookSettings#campaignFollowUpGrowth}). */
  public ActorSettings withCampaignFollowUpGrowth(double growth) {
    return with(b -> b.webhook = webhook.withCampaignFollowUpGrowth(growth));
  }

  public ActorSettings withPolicyFile(Path file) {
    return with(b -> b.detection = new DetectionFiles(file, detection.taxonomyFile()));
  }

  public ActorSettings withTaxonomyFile(Path file) {
    return with(b -> b.detection = new DetectionFiles(detection.policyFile(), file));
  }

  public ActorSettings withPassivateAfter(Duration idle) {
    return with(
        b -> b.entity = new EntitySettings(entity.snapshotEvery(), idle, entity.askTimeout()));
  }

  public ActorSettings withSnapshotEvery(int events) {
    return with(
        b -> b.entity = new EntitySettings(events, entity.passivateAfter(), entity.askTimeout()));
  }

  /** Sets how long one command to an entity may take. */
  public ActorSettings withAskTimeout(Duration timeout) {
    return with(
        b ->
            b.entity =
                new EntitySettings(entity.snapshotEvery(), entity.passivateAfter(), timeout));
  }

  /**
   * Sets the event journal's JDBC URL and credentials (url null = the H2 file DB under the data
   * dir). Every node of a cluster must use the same journal.
   */
  public ActorSettings withJournal(String url, String user, String password) {
    return with(b -> b.journal = new JournalSettings(url, user, password));
  }

  /**
   * Sets how observations are batched per account ({@link IntakeBatching#PER_OBSERVATION}: not).
   */
  public ActorSettings withBatching(IntakeBatching batching) {
    return with(b -> b.intake = intake.withBatching(batching));
  }

  /** Sets how the campaign grouping's input is put back into event-time order. */
  public ActorSettings withCampaignOrder(IntakeSettings.CampaignOrder order) {
    return with(b -> b.intake = intake.withCampaignOrder(order));
  }

  /** Sets the retention (null: keep everything). */
  public ActorSettings withRetention(Duration keep) {
    return with(b -> b.retention = new RetentionSettings(keep, retention.audit()));
  }

  /** Sets how long audit entries are kept (null: for ever). */
  public ActorSettings withAuditRetention(Duration keep) {
    return with(b -> b.retention = new RetentionSettings(retention.data(), keep));
  }

  /**
   * How the intake groups observations: up to {@code maxBatch} consecutive observations (of all
   * accounts) are collected for at most {@code window}, then each account's share goes to its
   * entity as one command, persisted in one journal write. {@code maxBatch} 1 sends every
   * observation on its own, as earlier versions did.
   */
  public record IntakeBatching(int maxBatch, Duration window) {
    public static final IntakeBatching PER_OBSERVATION = new IntakeBatching(1, Duration.ZERO);

    public IntakeBatching {
      if (maxBatch < 1 || window.isNegative()) {
        throw new IllegalArgumentException("intake max-batch must be positive, the window >= 0");
      }
    }
  }

  /** A copy of these settings with {@code change} applied (the constructor validates it again). */
  private ActorSettings with(Consumer<Builder> change) {
    Builder b = new Builder(this);
    change.accept(b);
    return b.build();
  }

  /** The mutable twin of the record, for the {@code with...} copies. */
  private static final class Builder {
    private Path dataDir;
    private WebhookSettings webhook;
    private HttpSettings http;
    private DetectionFiles detection;
    private EntitySettings entity;
    private IntakeSettings intake;
    private JournalSettings journal;
    private RetentionSettings retention;

    private Builder(ActorSettings s) {
      dataDir = s.dataDir;
      webhook = s.webhook;
      http = s.http;
      detection = s.detection;
      entity = s.entity;
      intake = s.intake;
      journal = s.journal;
      retention = s.retention;
    }

    private ActorSettings build() {
      return new ActorSettings(
          dataDir, webhook, http, detection, entity, intake, journal, retention);
    }
  }

  @Override
  public String toString() {
    return "ActorSettings[dataDir="
        + dataDir
        + ", webhookUrl="
        + webhook.url()
        + ", webhookSecret="
        + (webhook.secret() == null ? "unset" : "<redacted>")
        + ", throttleUrl="
        + webhook.throttleUrl()
        + ", http="
        + http.host()
        + ':'
        + http.port()
        + ", bearerToken="
        + (http.bearerToken() == null ? "unset" : "<redacted>")
        + ", access="
        + http.access()
        + ", retry="
        + webhook.retry()
        + ", policyFile="
        + detection.policyFile()
        + ", taxonomyFile="
        + (detection.taxonomyFile() == null ? "shipped default" : detection.taxonomyFile())
        + ", snapshotEvery="
        + entity.snapshotEvery()
        + ", passivateAfter="
        + entity.passivateAfter()
        + ", journalUrl="
        + (journal.url() == null ? "h2 under data dir" : "<configured>")
        + ", retention="
        + (retention.data() == null ? "none" : retention.data())
        + ", auditRetention="
        + (retention.audit() == null ? "none" : retention.audit())
        + ']';
  }
}
