package io.distillguard.actors.escalation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillguard.actors.ActorService;
import io.distillguard.actors.ActorSettings;
import io.distillguard.actors.LocalServiceSetup;
import io.distillguard.actors.TestFixtures;
import io.distillguard.actors.audit.AuditEntry;
import io.distillguard.actors.audit.AuditLog;
import io.distillguard.actors.escalation.Delivery.Status;
import io.distillguard.actors.escalation.WebhookReceiver.Answer;
import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.embedding.MiniLmEmbedder;
import io.distillguard.store.StoreSettings;
import io.distillguard.store.VectorStore;
import io.distillguard.store.VectorStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A review system that was down past the retries: its escalations are kept as EXHAUSTED, and once
 * it is back an admin sends them again through the API, one by id and then all the others, with the
 * same webhook ids; each redelivery is audited, and what is not exhausted is left alone.
 */
class RedeliveryIT {

  private static final String ADMIN = "admin-token-1234567890";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @RegisterExtension final LocalServiceSetup local = new LocalServiceSetup();

  @TempDir Path dir;

  @Test
  void exhaustedDeliveriesAreSentAgainOnAnAdminsRequest() throws Exception {
    WebhookReceiver receiver = local.receiver();
    receiver.answers(n -> new Answer(503, null));
    ActorSettings settings =
        local
            .settings()
            .withHttp("127.0.0.1", 0, ADMIN)
            .withRetry(
                new RetryPolicy(
                    2, Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofHours(1), 0.0),
                Duration.ofSeconds(5));
    // The HTTP API serves evidence too, so it starts with a store and the embedding model.
    try (VectorStore store = VectorStores.open(StoreSettings.embedded(dir.resolve("store")));
        MiniLmEmbedder embedder = MiniLmEmbedder.create(EmbedderSettings.DEFAULT);
        ActorService service = ActorService.start(settings, store, embedder)) {
      TestFixtures.record(service, TestFixtures.campaign("acct-r"));
      // WATCH, REVIEW, THROTTLE and the throttle directive: all given up on.
      assertThat(service.awaitSettled(Duration.ofSeconds(30))).isTrue();
      List<Delivery> exhausted = service.deliveries(Status.EXHAUSTED, 10);
      assertThat(exhausted).hasSize(4);
      assertThat(receiver.acknowledged()).isEmpty();

      receiver.answers(n -> Answer.ok()); // the review system is back
      String first = exhausted.get(0).webhookId();
      JsonNode one = post(service, "{\"webhook_ids\": [\"" + first + "\", \"msg_unknown\"]}", 200);
      assertThat(one.path("redelivered")).extracting(JsonNode::asText).containsExactly(first);
      assertThat(one.path("skipped").path("msg_unknown").asText()).isEqualTo("unknown");
      assertThat(one.path("exhausted_left").asLong()).isEqualTo(3);
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> receiver.acknowledged().containsKey(first));

      JsonNode rest = post(service, "{\"status\": \"EXHAUSTED\"}", 200);
      assertThat(rest.path("redelivered")).hasSize(3);
      assertThat(service.awaitSettled(Duration.ofSeconds(30))).isTrue();
      // Each message once, under the webhook id it had when it was first tried.
      Map<String, Integer> expected = new java.util.TreeMap<>();
      exhausted.forEach(d -> expected.put(d.webhookId(), 1));
      assertThat(receiver.acknowledged()).isEqualTo(expected);
      assertThat(service.deliveryCounts()).containsEntry(Status.EXHAUSTED, 0L);

      // Asked again, a delivered message is left alone.
      JsonNode again = post(service, "{\"webhook_ids\": [\"" + first + "\"]}", 200);
      assertThat(again.path("redelivered")).isEmpty();
      assertThat(again.path("skipped").path(first).asText()).isEqualTo("DELIVERED");

      // Every redelivery is in the audit log, with its account and webhook id.
      List<String> audited = new ArrayList<>();
      for (AuditEntry e : service.auditEntries(0, 100)) {
        if (e.action().equals(AuditLog.REDELIVER)) {
          assertThat(e.accountId()).isEqualTo("acct-r");
          audited.add(e.detail());
        }
      }
      assertThat(audited).hasSize(4).anySatisfy(d -> assertThat(d).contains(first));

      post(service, "{\"webhook_ids\": []}", 400);
      post(service, "{\"status\": \"DELIVERED\"}", 400);
    }
  }

  private static JsonNode post(ActorService service, String body, int expectedStatus)
      throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:" + service.httpPort() + "/v1/deliveries/redeliver"))
                .header("Authorization", "Bearer " + ADMIN)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(expectedStatus);
    return JSON.readTree(r.body());
  }
}
