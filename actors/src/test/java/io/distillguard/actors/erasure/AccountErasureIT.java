package io.distillguard.actors.erasure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillguard.actors.ActorService;
import io.distillguard.actors.ActorSettings;
import io.distillguard.actors.PostgresServer;
import io.distillguard.actors.TestFixtures;
import io.distillguard.actors.escalation.RetryPolicy;
import io.distillguard.actors.escalation.WebhookReceiver;
import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.embedding.MiniLmEmbedder;
import io.distillguard.observe.AccountObservation;
import io.distillguard.store.QueryRecord;
import io.distillguard.store.RecordFilter;
import io.distillguard.store.StoreSettings;
import io.distillguard.store.VectorStore;
import io.distillguard.store.VectorStores;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Erasure of one account end to end through {@code DELETE /v1/accounts/{id}/data}: afterwards no
 * byte of the account (its id, its event ids, its prompts) is left in any table of the database
 * (journal, tags, snapshots, outbox, throttles, index, audit), in the vector store or in the
 * dead-letter file; its audit entries remain as tombstones; another account is untouched; and a
 * restarted service does not bring the account back.
 */
class AccountErasureIT {

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String ADMIN = "admin-token-0123456789";
  // A reserved character of Pekko's persistence ids, to erase what a framework maps.
  private static final String GONE = "acct-erase|me";
  private static final String KEPT = "acct-kept";
  private static final List<String> TABLES =
      List.of(
          "event_journal",
          "event_tag",
          "snapshot",
          "dg_delivery",
          "dg_throttle",
          "dg_account",
          "dg_audit");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  @Test
  void nothingOfAnErasedAccountRemainsReadableOnH2() throws Exception {
    eraseEndToEnd(settings -> settings);
  }

  @Test
  void nothingOfAnErasedAccountRemainsReadableOnPostgres() throws Exception {
    try (PostgresServer database = PostgresServer.start()) {
      eraseEndToEnd(settings -> settings.withJournal(database.jdbcUrl(), PostgresServer.USER, ""));
    }
  }

  private void eraseEndToEnd(UnaryOperator<ActorSettings> journal) throws Exception {
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, TestFixtures.POLICY_YAML);
    Path dataDir = dir.resolve("data");
    Files.createDirectories(dataDir);
    Path deadLetters = dataDir.resolve("dead-letters.jsonl");
    Files.writeString(
        deadLetters,
        letter("{\"event_id\":\"x1\",\"account_id\":\"acct-erase|me\",\"prompt\":\"secret plan\"}")
            + letter("{\"event_id\":\"x2\",\"account_id\":\"acct-erase|me\",\"timestamp\":\"bad")
            + letter("{\"event_id\":\"x3\",\"account_id\":\"acct-kept\"}"));
    try (WebhookReceiver receiver = WebhookReceiver.start(SECRET);
        MiniLmEmbedder embedder = MiniLmEmbedder.create(EmbedderSettings.DEFAULT);
        VectorStore store = VectorStores.open(StoreSettings.embedded(dir.resolve("store")))) {
      store.upsert(records(GONE, embedder));
      store.upsert(records(KEPT, embedder));
      ActorSettings settings =
          journal.apply(
              ActorSettings.defaults(dataDir)
                  .withWebhook(receiver.url("/review"), SECRET)
                  .withThrottleUrl(receiver.url("/throttle"))
                  .withHttp("127.0.0.1", 0, ADMIN)
                  .withRetry(
                      new RetryPolicy(
                          5,
                          Duration.ofMillis(50),
                          Duration.ofMillis(200),
                          Duration.ofHours(1),
                          0.5),
                      Duration.ofSeconds(5))
                  .withSnapshotEvery(3)
                  .withPolicyFile(policy));
      try (ActorService service = ActorService.start(settings, store, embedder)) {
        for (AccountObservation o : TestFixtures.campaign(GONE)) {
          service.intake().record(o).toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
        for (AccountObservation o : TestFixtures.campaign(KEPT)) {
          service.intake().record(o).toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
        assertThat(service.awaitSettled(Duration.ofSeconds(30))).isTrue();
        int port = service.httpPort();
        String path = "/v1/accounts/" + URLEncoder.encode(GONE, StandardCharsets.UTF_8);
        assertThat(send(port, "GET", path + "/evidence?near=plan").statusCode()).isEqualTo(200);
        assertThat(
                send(
                        port,
                        "POST",
                        path + "/review",
                        "{\"verdict\":\"CONFIRMED\",\"reviewer\":\"a\"}")
                    .statusCode())
            .isEqualTo(200);
        assertThat(containing(settings, GONE)).as("before").isNotEmpty();

        HttpResponse<String> erased = send(port, "DELETE", path + "/data");
        assertThat(erased.statusCode()).as(erased.body()).isEqualTo(200);
        JsonNode counts = JSON.readTree(erased.body()).path("erased");
        assertThat(counts.path("journal_events").asLong()).isPositive();
        assertThat(counts.path("snapshots").asLong()).isPositive();
        assertThat(counts.path("deliveries").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(counts.path("throttles").asLong()).isEqualTo(1);
        assertThat(counts.path("audit_tombstoned").asLong()).isEqualTo(2);
        assertThat(counts.path("vector_records").asLong()).isEqualTo(3);
        assertThat(counts.path("dead_letters").asLong()).isEqualTo(2);

        // The erasure marker goes once the effects projection has passed it.
        await()
            .atMost(Duration.ofSeconds(20))
            .untilAsserted(() -> assertThat(containing(settings, GONE)).isEmpty());
        assertThat(send(port, "GET", path).statusCode()).isEqualTo(404);
        assertThat(store.count(RecordFilter.account(GONE))).isZero();
        assertThat(Files.readString(deadLetters)).doesNotContain("acct-erase").contains(KEPT);

        JsonNode audit = JSON.readTree(send(port, "GET", "/v1/audit").body()).path("entries");
        List<String> actions = new ArrayList<>();
        audit.forEach(
            e -> {
              assertThat(e.toString()).doesNotContain("acct-erase");
              actions.add(e.path("action").asText() + ":" + e.path("erased").asBoolean());
            });
        assertThat(actions).containsExactly("evidence.read:true", "review:true", "erase:false");
        assertThat(audit.get(2).path("detail").asText())
            .isEqualTo("account sha256=" + AccountErasure.sha256(GONE));

        // The other account is untouched.
        assertThat(containing(settings, KEPT)).contains("event_journal", "dg_delivery");
        assertThat(store.count(RecordFilter.account(KEPT))).isEqualTo(3);
        // (Reading the erased account's evidence now would be a new, audited read of nothing.)
        assertThat(
                JSON.readTree(send(port, "GET", "/v1/accounts/" + KEPT).body())
                    .path("queries_observed")
                    .asLong())
            .isEqualTo(8);
      }
      // A restart recovers every entity from the journal: the erased one has nothing to recover.
      try (ActorService again = ActorService.start(settings, store, embedder)) {
        String path = "/v1/accounts/" + URLEncoder.encode(GONE, StandardCharsets.UTF_8);
        assertThat(send(again.httpPort(), "GET", path).statusCode()).isEqualTo(404);
        assertThat(containing(settings, GONE)).isEmpty();
      }
    }
  }

  private static String letter(String line) throws Exception {
    return JSON.writeValueAsString(
            Map.of(
                "source", "events.jsonl",
                "reason", "test",
                "line", line,
                "received_at", "2026-10-05T00:00:00Z"))
        + "\n";
  }

  private static List<QueryRecord> records(String account, MiniLmEmbedder embedder) {
    List<QueryRecord> out = new ArrayList<>();
    float[] v = embedder.embed("a secret plan");
    for (int i = 0; i < 3; i++) {
      out.add(
          new QueryRecord(
              account + "-e" + i,
              account,
              TestFixtures.T0 + i,
              TestFixtures.CATEGORIES.get(0),
              0.1f,
              "secret plan " + i + " of " + account,
              v,
              Map.of()));
    }
    return out;
  }

  private static HttpResponse<String> send(int port, String method, String path) throws Exception {
    return send(port, method, path, null);
  }

  private static HttpResponse<String> send(int port, String method, String path, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Authorization", "Bearer " + ADMIN)
            .timeout(Duration.ofSeconds(30));
    if (body != null) {
      b.header("content-type", "application/json");
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The tables holding {@code needle} (as UTF-8 bytes) in any column of any row. */
  static List<String> containing(ActorSettings settings, String needle) throws SQLException {
    byte[] bytes = needle.getBytes(StandardCharsets.UTF_8);
    List<String> out = new ArrayList<>();
    try (Connection c =
            DriverManager.getConnection(
                settings.effectiveJournalUrl(),
                settings.journalUser(),
                settings.journalPassword());
        Statement s = c.createStatement()) {
      for (String table : TABLES) {
        // The journal's tables are created with quoted lower-case names, ours unquoted.
        String name = table.startsWith("dg_") ? table : "\"" + table + "\"";
        try (ResultSet rs = s.executeQuery("SELECT * FROM " + name)) {
          int columns = rs.getMetaData().getColumnCount();
          rows:
          while (rs.next()) {
            for (int i = 1; i <= columns; i++) {
              byte[] value = bytes(rs.getObject(i));
              if (value != null && indexOf(value, bytes) >= 0) {
                out.add(table);
                break rows;
              }
            }
          }
        }
      }
    }
    return out;
  }

  private static byte[] bytes(Object value) throws SQLException {
    if (value == null) {
      return null;
    }
    if (value instanceof byte[] b) {
      return b;
    }
    if (value instanceof java.sql.Blob blob) {
      return blob.getBytes(1, (int) blob.length());
    }
    return String.valueOf(value).getBytes(StandardCharsets.UTF_8);
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
