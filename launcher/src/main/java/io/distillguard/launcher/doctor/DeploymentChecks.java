package io.distillguard.launcher.doctor;

import io.distillguard.actors.ActorSettings;
import io.distillguard.actors.account.AccountEntity;
import io.distillguard.actors.campaign.CampaignEntity;
import io.distillguard.actors.escalation.CampaignEffectsProjection;
import io.distillguard.actors.escalation.Delivery;
import io.distillguard.actors.escalation.EffectsProjection;
import io.distillguard.actors.escalation.JournalTail;
import io.distillguard.actors.escalation.Outbox;
import io.distillguard.ingest.KafkaTopics;
import io.distillguard.store.StoreSettings;
import io.distillguard.store.VectorStore;
import io.distillguard.store.VectorStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a deployment needs before traffic flows, checked against the same configuration the job and
 * the service read: Kafka reachable and every topic present, the vector store reachable, the
 * journal database with its schema, how far the effects projections are behind it and whether the
 * outbox holds deliveries given up on, the webhook endpoints answering. Each check gives one {@link
 * Check}; none changes anything (no topic, table or webhook is created or sent).
 *
 * @param kafkaBootstrap Kafka bootstrap servers, or null when nothing uses Kafka
 * @param topics the topics the ingest job and the actor service use, each with how to create it
 * @param store the vector store
 * @param actors the actor service's settings (journal, webhook URLs)
 * @param timeout how long each network check waits
 * @param kafkaClientProperties Kafka client properties (security protocol, SASL, TLS) for the check
 */
public record DeploymentChecks(
    String kafkaBootstrap,
    List<KafkaTopics.Topic> topics,
    StoreSettings store,
    ActorSettings actors,
    Duration timeout,
    Map<String, String> kafkaClientProperties) {

  /** Checks of a PLAINTEXT Kafka. */
  public DeploymentChecks(
      String kafkaBootstrap,
      List<KafkaTopics.Topic> topics,
      StoreSettings store,
      ActorSettings actors,
      Duration timeout) {
    this(kafkaBootstrap, topics, store, actors, timeout, Map.of());
  }

  /** The tables pekko-persistence-jdbc needs. */
  static final List<String> JOURNAL_TABLES = List.of("event_journal", "event_tag", "snapshot");

  /** Runs every check, in order. */
  public List<Check> run() {
    List<Check> out = new ArrayList<>();
    out.addAll(kafka());
    out.add(vectorStore());
    out.addAll(journal());
    out.add(webhook("webhook", actors.webhook().url(), true));
    out.add(webhook("throttle-hook", actors.webhook().throttleUrl(), false));
    return out;
  }

  List<Check> kafka() {
    if (kafkaBootstrap == null) {
      return List.of(Check.warn("kafka", "not configured (file input, in-process channel)"));
    }
    Set<String> existing;
    try {
      existing = KafkaTopics.existing(kafkaBootstrap, kafkaClientProperties, timeout);
    } catch (IllegalStateException e) {
      return List.of(
          Check.fail("kafka", e.getMessage()),
          Check.fail("kafka-topics", "not checked: Kafka is unreachable"));
    }
    List<Check> out = new ArrayList<>();
    out.add(Check.ok("kafka", kafkaBootstrap + " answers (" + existing.size() + " topics)"));
    Map<String, KafkaTopics.Topic> wanted = new LinkedHashMap<>();
    topics.forEach(t -> wanted.putIfAbsent(t.name(), t));
    List<String> missing = new ArrayList<>();
    for (String name : wanted.keySet()) {
      if (!existing.contains(name)) {
        missing.add(name);
      }
    }
    if (missing.isEmpty()) {
      out.add(Check.ok("kafka-topics", "present: " + String.join(", ", wanted.keySet())));
    } else {
      StringBuilder b = new StringBuilder("missing: ").append(String.join(", ", missing));
      for (String name : missing) {
        b.append("\n      create: ")
            .append(wanted.get(name).createCommand(kafkaBootstrap, (short) -1));
      }
      b.append("\n      or start the ingest job with kafka.create-topics=true");
      out.add(Check.fail("kafka-topics", b.toString()));
    }
    return out;
  }

  Check vectorStore() {
    try (VectorStore s = VectorStores.open(store)) {
      if (store.backend() == StoreSettings.Backend.MILVUS) {
        return Check.ok("vector-store", "Milvus " + store.target() + " answers");
      }
      return Check.warn(
          "vector-store",
          "embedded store at "
              + store.dataDir()
              + " opens; it is not shared across processes: on a cluster set MILVUS_URI for the"
              + " job and the actor service, or evidence answers 503");
    } catch (RuntimeException e) {
      return Check.fail("vector-store", store.target() + ": " + e.getMessage());
    }
  }

  /** The journal database and its schema, then how far the effects are behind it. */
  List<Check> journal() {
    String url = actors.effectiveJournalUrl();
    boolean h2 = url.startsWith("jdbc:h2:");
    String shown = url.replaceAll("password=[^;&]*", "password=***");
    String connectUrl = h2 && !url.contains("IFEXISTS") ? url + ";IFEXISTS=TRUE" : url;
    try (Connection c =
        DriverManager.getConnection(
            connectUrl, actors.journal().user(), actors.journal().password())) {
      Set<String> tables = tables(c.getMetaData());
      List<String> missing = JOURNAL_TABLES.stream().filter(t -> !tables.contains(t)).toList();
      if (missing.isEmpty()) {
        return List.of(
            Check.ok("journal", shown + " has " + String.join(", ", JOURNAL_TABLES)),
            effects(c, tables),
            outbox(c, tables));
      }
      String what = shown + " lacks table(s) " + String.join(", ", missing);
      // The service creates every table at start, from the one schema it ships.
      return List.of(
          h2
              ? Check.warn("journal", what + "; the actor service creates them in H2 at start")
              : Check.warn(
                  "journal",
                  what
                      + "; the actor service creates them at start (its database user needs the"
                      + " right to create tables)"),
          NOTHING_PROJECTED);
    } catch (SQLException e) {
      if (h2 && e.getErrorCode() == 90146) { // DATABASE_NOT_FOUND_WITH_IF_EXISTS_1
        return List.of(
            Check.warn(
                "journal", shown + " does not exist yet; the actor service creates it at start"),
            NOTHING_PROJECTED);
      }
      return List.of(
          Check.fail("journal", shown + ": " + e.getMessage()),
          Check.fail("effects", "not checked: the journal is unreachable"));
    }
  }

  private static final Check NOTHING_PROJECTED =
      Check.ok("effects", "nothing journaled yet: the actor service has not run on this database");

  /** The effects projections and the journal tag each follows. */
  static final Map<String, String> EFFECTS =
      Map.of(
          EffectsProjection.NAME, AccountEntity.EFFECTS_TAG,
          CampaignEffectsProjection.NAME, CampaignEntity.EFFECTS_TAG);

  /**
   * A running actor service writes the effects of an event within seconds of its journaling; an
   * event waiting longer than this says its projections are stopped or stalled.
   */
  static final long STALLED_SECONDS = 120;

  /** How far each effects projection is behind the journal (read inside {@code c}). */
  static Check effects(Connection c, Set<String> tables) throws SQLException {
    if (!tables.contains("dg_projection_offset")) {
      return NOTHING_PROJECTED;
    }
    long now = System.currentTimeMillis();
    List<String> parts = new ArrayList<>();
    boolean stalled = false;
    for (String name : new TreeSet<>(EFFECTS.keySet())) {
      JournalTail.Lag lag = JournalTail.lag(c, name, EFFECTS.get(name));
      if (lag.events() == 0) {
        parts.add(name + " caught up");
        continue;
      }
      double age = lag.seconds(now);
      stalled |= age > STALLED_SECONDS;
      parts.add(
          String.format(
              Locale.ROOT,
              "%s %s%d event(s) behind, the first journaled %.0f s ago",
              name,
              lag.events() >= JournalTail.LAG_COUNT_LIMIT ? "at least " : "",
              lag.events(),
              age));
    }
    String text = String.join("; ", parts);
    return stalled
        ? Check.warn(
            "effects",
            text
                + ": their webhooks, throttle directives and index rows wait. If the actor service"
                + " runs, its log says why (\"<projection> failed ... restarts after offset N\")")
        : Check.ok("effects", text);
  }

  /** The webhook outbox: how many deliveries wait, and a warning for any given up on. */
  static Check outbox(Connection c, Set<String> tables) throws SQLException {
    if (!tables.contains("dg_delivery")) {
      return Check.ok("outbox", "no webhook enqueued yet");
    }
    Map<Delivery.Status, Long> counts = Outbox.counts(c);
    long exhausted = counts.get(Delivery.Status.EXHAUSTED);
    String text =
        counts.get(Delivery.Status.PENDING)
            + " pending, "
            + counts.get(Delivery.Status.DELIVERED)
            + " delivered, "
            + exhausted
            + " exhausted";
    return exhausted == 0
        ? Check.ok("outbox", text)
        : Check.warn(
            "outbox",
            text
                + ": their receiver did not take them within the retries (GET"
                + " /v1/deliveries?status=EXHAUSTED); once it answers, POST"
                + " /v1/deliveries/redeliver sends them again");
  }

  private static Set<String> tables(DatabaseMetaData meta) throws SQLException {
    Set<String> out = new TreeSet<>();
    try (ResultSet rs = meta.getTables(null, null, "%", new String[] {"TABLE"})) {
      while (rs.next()) {
        out.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
      }
    }
    return out;
  }

  Check webhook(String name, URI url, boolean expected) {
    if (url == null) {
      return expected
          ? Check.warn(name, "no URL set: escalations wait in the outbox (GET /v1/deliveries)")
          : Check.ok(name, "no URL set: gateways poll GET /v1/throttles");
    }
    // HEAD sends nothing a receiver could take for a delivery; any HTTP answer means it listens.
    HttpRequest probe =
        HttpRequest.newBuilder(url)
            .method("HEAD", HttpRequest.BodyPublishers.noBody())
            .timeout(timeout)
            .build();
    try {
      HttpResponse<Void> r =
          HttpClient.newBuilder()
              .connectTimeout(timeout)
              .build()
              .send(probe, HttpResponse.BodyHandlers.discarding());
      String detail = url + " answers HTTP " + r.statusCode();
      return r.statusCode() >= 500
          ? Check.warn(name, detail + " (a server error: deliveries will be retried)")
          : Check.ok(name, detail);
    } catch (java.io.IOException e) {
      return Check.fail(
          name, url + " does not answer: " + e.getClass().getSimpleName() + message(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Check.fail(name, url + ": interrupted");
    }
  }

  private static String message(Exception e) {
    return e.getMessage() == null ? "" : " (" + e.getMessage() + ")";
  }
}
