package io.distillguard.actors.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillguard.actors.ActorService;
import io.distillguard.actors.ActorSettings;
import io.distillguard.actors.ClusterSettings;
import io.distillguard.actors.ObservationTopic;
import io.distillguard.actors.StateDatabase;
import io.distillguard.actors.TestFixtures;
import io.distillguard.actors.audit.AuditLog;
import io.distillguard.actors.erasure.ErasureReport;
import io.distillguard.actors.retention.RetentionSweeper;
import io.distillguard.actors.service.KafkaSettings;
import io.distillguard.actors.service.ObservationConsumer;
import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.embedding.MiniLmEmbedder;
import io.distillguard.observe.AccountObservation;
import io.distillguard.store.StoreSettings;
import io.distillguard.store.VectorStore;
import io.distillguard.store.VectorStores;
import io.distillguard.testkit.KafkaBrokerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An observation its entity keeps refusing, in the middle of an account's batch on the observation
 * topic: after the bounded retries it lands in the quarantine with the entity's reason, the other
 * observations (of its account and of another) are all recorded, the stream goes on and every
 * offset is committed. The quarantine is listed for admins only, counted in /metrics, erased with
 * its account and expired by the retention.
 */
class QuarantineIT {

  private static final String TOPIC = ObservationTopic.NAME;
  private static final String GROUP = "quarantine-it";
  private static final String ADMIN = "test-token-1234567890";
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension static final KafkaBrokerExtension kafka = ObservationTopic.broker();

  @TempDir static Path dir;

  @Test
  void aRecordTheEntityKeepsRefusingIsQuarantinedAndTheStreamGoesOn() throws Exception {
    // An event id past the contract's 128 characters: the entity refuses any command holding it.
    String longId = "evt-" + "x".repeat(196);
    List<AccountObservation> traffic = new ArrayList<>(TestFixtures.ordinary("acct-q1", 10));
    traffic.add(
        5,
        TestFixtures.observation(
            longId, "acct-q1", TestFixtures.T0 + 5_500, TestFixtures.CATEGORIES.get(0)));
    traffic.addAll(TestFixtures.ordinary("acct-q2", 10));
    traffic.add(
        TestFixtures.observation(
            longId + "-2", "acct-q2", TestFixtures.T0 + 20_000, TestFixtures.CATEGORIES.get(1)));
    traffic.addAll(TestFixtures.ordinary("acct-q3", 5));
    ObservationTopic.publish(kafka, traffic);

    ActorSettings settings =
        ActorSettings.defaults(dir.resolve("data"))
            .withHttp("127.0.0.1", 0, ADMIN)
            .withAskTimeout(Duration.ofSeconds(5));
    HttpClient http = HttpClient.newHttpClient();
    try (VectorStore store = VectorStores.open(StoreSettings.embedded(dir.resolve("store")));
        MiniLmEmbedder embedder = MiniLmEmbedder.create(EmbedderSettings.DEFAULT);
        ActorService service =
            ActorService.start(settings, ClusterSettings.local(), store, embedder)) {
      ObservationConsumer consumer =
          ObservationConsumer.start(
              service, new KafkaSettings(kafka.bootstrapServers(), TOPIC, GROUP, 16, "earliest"));
      Awaitility.await()
          .atMost(Duration.ofSeconds(90))
          .until(
              () ->
                  consumer.recorded() == traffic.size()
                      && ObservationTopic.committedAll(kafka, GROUP));
      assertThat(consumer.running()).isTrue();
      assertThat(service.intake().quarantined()).isEqualTo(2);
      assertThat(service.intake().failed()).isZero();
      assertThat(service.awaitSettled(Duration.ofSeconds(30))).isTrue();
      for (String account : List.of("acct-q1", "acct-q2")) {
        assertThat(service.status(account).toCompletableFuture().get().queriesObserved())
            .as(account)
            .isEqualTo(10);
      }
      assertThat(service.status("acct-q3").toCompletableFuture().get().queriesObserved())
          .isEqualTo(5);

      // Listed for admins, with the entity's reason and the observation.
      HttpResponse<String> listed = get(http, service, "/v1/quarantine?limit=10", ADMIN);
      assertThat(listed.statusCode()).isEqualTo(200);
      JsonNode entries = JSON.readTree(listed.body()).path("entries");
      assertThat(entries).hasSize(2);
      JsonNode first =
          entries.get(0).path("account_id").asText().equals("acct-q1")
              ? entries.get(0)
              : entries.get(1);
      assertThat(first.path("event_id").asText()).isEqualTo(longId);
      assertThat(first.path("reason").asText())
          .contains("not recorded after 3 attempts")
          .contains("event_id is 200 characters, limit 128");
      assertThat(JSON.readTree(first.path("observation").asText()).path("event_id").asText())
          .isEqualTo(longId);
      assertThat(first.path("observation_truncated").asBoolean()).isFalse();
      assertThat(get(http, service, "/v1/quarantine", null).statusCode()).isEqualTo(401);
      assertThat(service.metrics().scrape())
          .containsPattern("(?m)^distillguard_intake_quarantined_total 2\\.0$");

      // Taken back once the cause is fixed: an observation set aside by a passing failure (here
      // put in the quarantine directly) is recorded; the long ids, refused for good, are
      // quarantined anew with the new reason; an unknown entry is left alone.
      service
          .node()
          .quarantine()
          .add(
              TestFixtures.observation(
                  "evt-set-aside",
                  "acct-q3",
                  TestFixtures.T0 + 30_000,
                  TestFixtures.CATEGORIES.get(2)),
              "database unreachable");
      List<Long> seqs =
          new ArrayList<>(service.quarantined(0, 10).stream().map(Quarantine.Entry::seq).toList());
      assertThat(seqs).hasSize(3);
      seqs.add(999_999L);
      HttpResponse<String> retried =
          post(http, service, "/v1/quarantine/retry", "{\"seqs\": " + seqs + "}", ADMIN);
      assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
      JsonNode outcome = JSON.readTree(retried.body());
      assertThat(outcome.path("recorded"))
          .extracting(JsonNode::asLong)
          .containsExactly(seqs.get(2));
      assertThat(outcome.path("quarantined_again"))
          .extracting(JsonNode::asLong)
          .containsExactly(seqs.get(0), seqs.get(1));
      assertThat(outcome.path("skipped").path("999999").asText()).isEqualTo("unknown");
      assertThat(service.awaitSettled(Duration.ofSeconds(30))).isTrue();
      assertThat(service.status("acct-q3").toCompletableFuture().get().queriesObserved())
          .isEqualTo(6);
      assertThat(service.quarantined(0, 10))
          .extracting(Quarantine.Entry::eventId)
          .containsExactlyInAnyOrder(longId, longId + "-2");
      assertThat(service.quarantined(0, 10))
          .allSatisfy(e -> assertThat(e.seq()).isGreaterThan(seqs.get(2)));
      assertThat(service.auditEntries(0, 100))
          .filteredOn(e -> e.action().equals(AuditLog.QUARANTINE_RETRY))
          .hasSize(3);
      assertThat(post(http, service, "/v1/quarantine/retry", "{\"seqs\": []}", ADMIN).statusCode())
          .isEqualTo(400);

      // Erasing the account erases its quarantined observation, and only that.
      ErasureReport erased = service.erase("acct-q1", "it").toCompletableFuture().get();
      assertThat(erased.quarantined()).isEqualTo(1);
      assertThat(service.quarantined(0, 10))
          .extracting(Quarantine.Entry::accountId)
          .containsExactly("acct-q2");
      consumer.stop(Duration.ofSeconds(30));
    }

    // The retention expires what is older than it.
    try (StateDatabase db =
        StateDatabase.open(
            settings.effectiveJournalUrl(),
            settings.journal().user(),
            settings.journal().password())) {
      Clock later = Clock.offset(Clock.systemUTC(), Duration.ofHours(2));
      try (RetentionSweeper sweeper =
          RetentionSweeper.start(db, Duration.ofHours(1), Duration.ofDays(1), later)) {
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> new Quarantine(db, later).list(0, 10).isEmpty());
        assertThat(sweeper.sweep().quarantined()).isZero();
      }
    }
  }

  private static HttpResponse<String> post(
      HttpClient http, ActorService service, String path, String body, String token)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + path))
            .header("Authorization", "Bearer " + token)
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(
      HttpClient http, ActorService service, String path, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + path)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
