package io.distillguard.actors.erasure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillguard.actors.ActorService;
import io.distillguard.actors.ActorSettings;
import io.distillguard.actors.PostgresServer;
import io.distillguard.actors.TestFixtures;
import io.distillguard.actors.campaign.SwarmTraffic;
import io.distillguard.actors.escalation.WebhookReceiver;
import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.embedding.MiniLmEmbedder;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Policy;
import io.distillguard.store.QueryRecord;
import io.distillguard.store.RecordFilter;
import io.distillguard.store.StoreSettings;
import io.distillguard.store.VectorStore;
import io.distillguard.store.VectorStores;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Erasure of one account end to end through {@code DELETE /v1/accounts/{id}/data}: afterwards no
 * byte of the account (its id, its event ids, its prompts, its id as the webhooks' evidence links
 * spell it) is left in any table of the database (every table is read: journal, tags, snapshots,
 * outbox, throttles, index, audit, campaigns), in the vector store or in the dead-letter file; its
 * audit entries remain as tombstones; another account is untouched; the swarm campaign both were
 * members of goes on with every other member; and a restarted service does not bring the account
 * back.
 */
class AccountErasureIT {

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String ADMIN = "admin-token-0123456789";
  // A reserved character of Pekko's persistence ids, to erase what a framework maps.
  private static final String GONE = "acct-erase|me";
  private static final String KEPT = "acct-kept";
  // How the evidence links of webhook payloads spell it.
  private static final String ENCODED = URLEncoder.encode(GONE, StandardCharsets.UTF_8);
  private static final int SWARM = 8;
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
    Files.writeString(policy, TestFixtures.POLICY_YAML + "\n" + defaultCampaignRules());
    Path dataDir = dir.resolve("data");
    Files.createDirectories(dataDir);
    Path deadLetters = writeDeadLetters(dataDir.resolve("dead-letters.jsonl"));
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
                  .withRetry(TestFixtures.QUICK_RETRY, Duration.ofSeconds(5))
                  .withSnapshotEvery(3)
                  .withPolicyFile(policy));
      String campaign;
      try (ActorService service = ActorService.start(settings, store, embedder)) {
        TestFixtures.record(service, TestFixtures.campaign(GONE));
        TestFixtures.record(service, TestFixtures.campaign(KEPT));
        // Both accounts, two hours later, are members of a swarm that splits a sweep.
        TestFixtures.record(service, swarmTraffic());
        campaign = service.campaigns().campaignOf(KEPT).orElseThrow();
        assertThat(service.campaigns().campaignOf(GONE)).contains(campaign);
        assertThat(service.awaitSettled(Duration.ofSeconds(30))).isTrue();
        assertThat(campaignRequests(receiver)).anySatisfy(b -> assertThat(b).contains(GONE));
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
        assertThat(DatabaseScan.containing(settings, GONE)).as("before").contains("dg_campaign");
        JsonNode keptBefore = JSON.readTree(send(port, "GET", "/v1/accounts/" + KEPT).body());
        assertThat(keptBefore.path("queries_observed").asLong()).isPositive();

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
        // The swarm, and the principal of the organisation both accounts declare (the fixtures'
        // org-1).
        assertThat(counts.path("campaigns").asLong()).isEqualTo(2);
        assertThat(counts.path("campaign_events").asLong()).isPositive();
        assertThat(counts.path("campaign_deliveries").asLong()).isPositive();
        // The cluster's grouping forgot the account; the other member stays grouped.
        assertThat(service.campaigns().campaignOf(GONE)).isEmpty();
        assertThat(service.campaigns().campaignOf(KEPT)).contains(campaign);

        // The erasure marker goes once the effects projection has passed it.
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () -> {
                  assertThat(DatabaseScan.containing(settings, GONE)).isEmpty();
                  assertThat(DatabaseScan.containing(settings, ENCODED)).isEmpty();
                });
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
        assertThat(DatabaseScan.containing(settings, KEPT))
            .contains("event_journal", "dg_delivery", "dg_campaign");
        assertThat(store.count(RecordFilter.account(KEPT))).isEqualTo(3);
        // (Reading the erased account's evidence now would be a new, audited read of nothing.)
        JsonNode keptAfter = JSON.readTree(send(port, "GET", "/v1/accounts/" + KEPT).body());
        assertThat(keptAfter.path("queries_observed"))
            .isEqualTo(keptBefore.path("queries_observed"));
        assertThat(keptAfter.path("level")).isEqualTo(keptBefore.path("level"));
        // The campaign goes on without the erased member, in the entity and in the projection.
        assertThat(campaignMembers(port, campaign)).isEqualTo(othersOfTheSwarm());
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () ->
                    assertThat(
                            JSON.readTree(send(port, "GET", "/v1/campaigns").body())
                                .path("campaigns")
                                .get(0)
                                .path("members")
                                .asInt())
                        .isEqualTo(SWARM - 1));
      }
      // A restart recovers every entity from the journal: the erased one has nothing to recover.
      try (ActorService again = ActorService.start(settings, store, embedder)) {
        String path = "/v1/accounts/" + URLEncoder.encode(GONE, StandardCharsets.UTF_8);
        assertThat(send(again.httpPort(), "GET", path).statusCode()).isEqualTo(404);
        assertThat(campaignMembers(again.httpPort(), campaign)).isEqualTo(othersOfTheSwarm());
        assertThat(again.awaitSettled(Duration.ofSeconds(30))).isTrue();
        assertThat(DatabaseScan.containing(settings, GONE)).isEmpty();
        assertThat(DatabaseScan.containing(settings, ENCODED)).isEmpty();
      }
    }
  }

  /** Eight swarm members, the erased account and the kept one among them. */
  private static List<String> swarm() {
    List<String> members = new ArrayList<>(List.of(GONE, KEPT));
    for (int m = 2; m < SWARM; m++) {
      members.add("acct-swarm-" + m);
    }
    return members;
  }

  private static List<String> othersOfTheSwarm() {
    return swarm().stream().filter(m -> !m.equals(GONE)).sorted().toList();
  }

  private static List<AccountObservation> swarmTraffic() {
    List<AccountObservation> traffic = new ArrayList<>();
    List<String> members = swarm();
    for (int m = 0; m < SWARM; m++) {
      traffic.addAll(
          SwarmTraffic.memberNamed(members.get(m), m, SWARM, 12, TestFixtures.T0 + 7_200_000L));
    }
    traffic.sort(Comparator.comparingLong(AccountObservation::eventTimeMillis));
    return traffic;
  }

  /** The shipped policy's campaign rules, after the test's account rules. */
  private static String defaultCampaignRules() throws Exception {
    try (InputStream in = Policy.class.getResourceAsStream("/policy/default-policy.yaml")) {
      String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return yaml.substring(yaml.indexOf("\ncampaign_rules:") + 1);
    }
  }

  /** The campaign.review_requested bodies the review system received. */
  private static List<String> campaignRequests(WebhookReceiver receiver) {
    return receiver.bodies().values().stream()
        .filter(b -> b.contains("\"campaign.review_requested\""))
        .toList();
  }

  private static List<String> campaignMembers(int port, String campaign) throws Exception {
    HttpResponse<String> r = send(port, "GET", "/v1/campaigns/" + campaign);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<String> out = new ArrayList<>();
    JSON.readTree(r.body()).path("members").forEach(m -> out.add(m.path("account_id").asText()));
    return out.stream().sorted().toList();
  }

  /** Two dead letters of the erased account (one with a prompt) and one of the kept account. */
  private static Path writeDeadLetters(Path file) throws Exception {
    return Files.writeString(
        file,
        letter("{\"event_id\":\"x1\",\"account_id\":\"acct-erase|me\",\"prompt\":\"secret plan\"}")
            + letter("{\"event_id\":\"x2\",\"account_id\":\"acct-erase|me\",\"timestamp\":\"bad")
            + letter("{\"event_id\":\"x3\",\"account_id\":\"acct-kept\"}"));
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
}
