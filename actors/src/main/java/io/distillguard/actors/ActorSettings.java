package io.distillguard.actors;

import static io.distillguard.settings.SettingValues.blankToNull;
import static io.distillguard.settings.SettingValues.optionalDuration;
import static io.distillguard.settings.SettingValues.optionalPath;
import static io.distillguard.settings.SettingValues.optionalUri;

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
 * variable, see {@code reference.conf}). Secrets (the webhook secret, the bearer token) come only
 * from configuration or the environment and are redacted by {@link #toString()}.
 *
 * @param dataDir where the H2 database (journal, outbox, throttles, index) lives in the local mode
 * @param webhookUrl review system URL for escalations; null = no push delivery
 * @param webhookSecret {@code whsec_...} signing secret; required when any URL is set
 * @param throttleUrl gateway URL for {@code account.throttled}; null = pull endpoint only
 * @param httpHost HTTP API bind address
 * @param httpPort HTTP API port; 0 = ephemeral, negative = no HTTP API
 * @param bearerToken the single API token of earlier versions ({@code DISTILLGUARD_API_TOKEN}): an
 *     admin token named {@code api-token}; null = none
 * @param access the API's token list and file, allowed hosts and body limit (see {@code ApiAccess})
 * @param retry delivery retry schedule
 * @param requestTimeout per-attempt HTTP timeout
 * @param maxInFlight concurrent delivery attempts
 * @param policyFile detection policy file (reloaded on change); null = the built-in default
 * @param taxonomyFile capability taxonomy file, the same file the ingest job enriches with ({@code
 *     taxonomy.file}); null = the shipped default. Read once at start: observations made with a
 *     taxonomy this node never ran with are refused (see {@code TaxonomyGuard})
 * @param snapshotEvery events between entity snapshots
 * @param passivateAfter idle time after which an entity is stopped (its state stays in the journal)
 * @param askTimeout how long one command to an entity may take
 * @param drainParallelism observations in flight while draining a channel
 * @param batching how observations are grouped into one command (and one journal write) per account
 * @param journalUrl JDBC URL of the event journal; null = H2 file DB under {@code
 *     <dataDir>/journal}
 * @param journalUser journal DB user
 * @param journalPassword journal DB password
 * @param retention how long delivered webhooks are kept (and, when set, journal events behind
 *     snapshots are deleted); null = kept ({@code DISTILLGUARD_RETENTION}, the one retention
 *     setting of every store)
 * @param auditRetention how long audit entries are kept ({@code DISTILLGUARD_AUDIT_RETENTION},
 *     default 400 days); null = kept for ever
 */
public record ActorSettings(
    Path dataDir,
    URI webhookUrl,
    String webhookSecret,
    URI throttleUrl,
    String httpHost,
    int httpPort,
    String bearerToken,
    ApiAccessSettings access,
    RetryPolicy retry,
    Duration requestTimeout,
    int maxInFlight,
    Path policyFile,
    Path taxonomyFile,
    int snapshotEvery,
    Duration passivateAfter,
    Duration askTimeout,
    int drainParallelism,
    IntakeBatching batching,
    String journalUrl,
    String journalUser,
    String journalPassword,
    Duration retention,
    Duration auditRetention) {

  public ActorSettings {
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
    if (snapshotEvery < 1 || drainParallelism < 1 || maxInFlight < 1) {
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
        optionalUri(c.getString("webhook.url")),
        webhookSecret(c),
        optionalUri(c.getString("webhook.throttle-url")),
        c.getString("http.host"),
        c.getInt("http.port"),
        blankToNull(c.getString("http.bearer-token")),
        ApiAccessSettings.fromConfig(c.getConfig("http")),
        new RetryPolicy(
            c.getInt("retry.max-attempts"),
            c.getDuration("retry.initial-backoff"),
            c.getDuration("retry.max-backoff"),
            c.getDuration("retry.max-age"),
            c.getDouble("retry.jitter")),
        c.getDuration("webhook.request-timeout"),
        c.getInt("webhook.max-in-flight"),
        optionalPath(c.getString("policy-file")),
        optionalPath(c.getString("taxonomy-file")),
        c.getInt("entity.snapshot-every"),
        c.getDuration("entity.passivate-after"),
        c.getDuration("entity.ask-timeout"),
        c.getInt("drain.parallelism"),
        new IntakeBatching(c.getInt("intake.max-batch"), c.getDuration("intake.batch-window")),
        blankToNull(c.getString("journal.url")),
        c.getString("journal.user"),
        c.getString("journal.password"),
        optionalDuration(c.getString("retention")),
        optionalDuration(c.getString("audit-retention")));
  }

  public ActorSettings withDataDir(Path dir) {
    return with(b -> b.dataDir = dir);
  }

  /** Sets the review webhook URL and signing secret (either may be null to unset). */
  public ActorSettings withWebhook(URI url, String secret) {
    return with(
        b -> {
          b.webhookUrl = url;
          b.webhookSecret = secret;
        });
  }

  public ActorSettings withThrottleUrl(URI url) {
    return with(b -> b.throttleUrl = url);
  }

  public ActorSettings withHttp(String host, int port, String token) {
    return with(
        b -> {
          b.httpHost = host;
          b.httpPort = port;
          b.bearerToken = token;
        });
  }

  /** Sets the API's token sources, allowed hosts and body limit. */
  public ActorSettings withAccess(ApiAccessSettings newAccess) {
    return with(b -> b.access = newAccess);
  }

  public ActorSettings withRetry(RetryPolicy policy, Duration timeout) {
    return with(
        b -> {
          b.retry = policy;
          b.requestTimeout = timeout;
        });
  }

  public ActorSettings withPolicyFile(Path file) {
    return with(b -> b.policyFile = file);
  }

  public ActorSettings withTaxonomyFile(Path file) {
    return with(b -> b.taxonomyFile = file);
  }

  public ActorSettings withPassivateAfter(Duration idle) {
    return with(b -> b.passivateAfter = idle);
  }

  public ActorSettings withSnapshotEvery(int events) {
    return with(b -> b.snapshotEvery = events);
  }

  /**
   * Sets the event journal's JDBC URL and credentials (url null = the H2 file DB under the data
   * dir). Every node of a cluster must use the same journal.
   */
  public ActorSettings withJournal(String url, String user, String password) {
    return with(
        b -> {
          b.journalUrl = url;
          b.journalUser = user;
          b.journalPassword = password;
        });
  }

  /**
   * Sets how observations are batched per account ({@link IntakeBatching#PER_OBSERVATION}: not).
   */
  public ActorSettings withBatching(IntakeBatching b) {
    return with(builder -> builder.batching = b);
  }

  /** Sets how long one command to an entity may take. */
  public ActorSettings withAskTimeout(Duration timeout) {
    return with(b -> b.askTimeout = timeout);
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

  /** Sets the retention (null: keep everything). */
  public ActorSettings withRetention(Duration keep) {
    return with(b -> b.retention = keep);
  }

  /** Sets how long audit entries are kept (null: for ever). */
  public ActorSettings withAuditRetention(Duration keep) {
    return with(b -> b.auditRetention = keep);
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
    private URI webhookUrl;
    private String webhookSecret;
    private URI throttleUrl;
    private String httpHost;
    private int httpPort;
    private String bearerToken;
    private ApiAccessSettings access;
    private RetryPolicy retry;
    private Duration requestTimeout;
    private int maxInFlight;
    private Path policyFile;
    private Path taxonomyFile;
    private int snapshotEvery;
    private Duration passivateAfter;
    private Duration askTimeout;
    private int drainParallelism;
    private IntakeBatching batching;
    private String journalUrl;
    private String journalUser;
    private String journalPassword;
    private Duration retention;
    private Duration auditRetention;

    private Builder(ActorSettings s) {
      dataDir = s.dataDir;
      webhookUrl = s.webhookUrl;
      webhookSecret = s.webhookSecret;
      throttleUrl = s.throttleUrl;
      httpHost = s.httpHost;
      httpPort = s.httpPort;
      bearerToken = s.bearerToken;
      access = s.access;
      retry = s.retry;
      requestTimeout = s.requestTimeout;
      maxInFlight = s.maxInFlight;
      policyFile = s.policyFile;
      taxonomyFile = s.taxonomyFile;
      snapshotEvery = s.snapshotEvery;
      passivateAfter = s.passivateAfter;
      askTimeout = s.askTimeout;
      drainParallelism = s.drainParallelism;
      batching = s.batching;
      journalUrl = s.journalUrl;
      journalUser = s.journalUser;
      journalPassword = s.journalPassword;
      retention = s.retention;
      auditRetention = s.auditRetention;
    }

    private ActorSettings build() {
      return new ActorSettings(
          dataDir,
          webhookUrl,
          webhookSecret,
          throttleUrl,
          httpHost,
          httpPort,
          bearerToken,
          access,
          retry,
          requestTimeout,
          maxInFlight,
          policyFile,
          taxonomyFile,
          snapshotEvery,
          passivateAfter,
          askTimeout,
          drainParallelism,
          batching,
          journalUrl,
          journalUser,
          journalPassword,
          retention,
          auditRetention);
    }
  }

  /** The largest binary value the local H2 journal keeps inside its row (events, not snapshots). */
  static final int H2_INPLACE_LOB_BYTES = 32768;

  /** The journal's JDBC URL: the configured one, or the H2 file DB under the data dir. */
  public String effectiveJournalUrl() {
    return journalUrl != null ? journalUrl : h2Url(dataDir.resolve("journal").resolve("journal"));
  }

  private static String h2Url(Path file) {
    // AUTO_SERVER off: one JVM owns the files; DB_CLOSE_DELAY keeps it open between connections;
    // WRITE_DELAY=0: a commit reaches the file before it returns (H2's default delays it 500 ms).
    // MAX_LENGTH_INPLACE_LOB: journal events up to 32 KB stay in their row (an account's chunk
    // event holds its observations of a chunk, ~0.5 KB each); past H2's default of 256 bytes each
    // was a separate LOB (its own map, reference and cleanup), ~3x the cost of the row. Values
    // written before stay readable where they are.
    return "jdbc:h2:file:"
        + file.toAbsolutePath()
        + ";DB_CLOSE_DELAY=-1;WRITE_DELAY=0;MAX_LENGTH_INPLACE_LOB="
        + H2_INPLACE_LOB_BYTES;
  }

  /** The secret from the environment, or from the file {@code webhook.secret-file} names. */
  private static String webhookSecret(Config c) {
    String file = blankToNull(c.getString("webhook.secret-file"));
    if (file == null) {
      return blankToNull(c.getString("webhook.secret"));
    }
    try {
      return blankToNull(java.nio.file.Files.readString(Path.of(file)).strip());
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("cannot read the webhook secret file " + file, e);
    }
  }

  @Override
  public String toString() {
    return "ActorSettings[dataDir="
        + dataDir
        + ", webhookUrl="
        + webhookUrl
        + ", webhookSecret="
        + (webhookSecret == null ? "unset" : "<redacted>")
        + ", throttleUrl="
        + throttleUrl
        + ", http="
        + httpHost
        + ':'
        + httpPort
        + ", bearerToken="
        + (bearerToken == null ? "unset" : "<redacted>")
        + ", access="
        + access
        + ", retry="
        + retry
        + ", policyFile="
        + policyFile
        + ", taxonomyFile="
        + (taxonomyFile == null ? "shipped default" : taxonomyFile)
        + ", snapshotEvery="
        + snapshotEvery
        + ", passivateAfter="
        + passivateAfter
        + ", journalUrl="
        + (journalUrl == null ? "h2 under data dir" : "<configured>")
        + ", retention="
        + (retention == null ? "none" : retention)
        + ", auditRetention="
        + (auditRetention == null ? "none" : auditRetention)
        + ']';
  }
}
