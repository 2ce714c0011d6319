package io.distillguard.actors.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.distillguard.actors.ActorService;
import io.distillguard.actors.ActorSettings;
import io.distillguard.actors.TestFixtures;
import io.distillguard.actors.escalation.WebhookReceiver;
import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.embedding.MiniLmEmbedder;
import io.distillguard.store.QueryRecord;
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
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every endpoint of the HTTP API over real sockets, with the single admin token of earlier versions
 * ({@code DISTILLGUARD_API_TOKEN}) enforced. Roles and refusals: {@code ApiAccessIT}.
 */
class HttpApiIT {

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String TOKEN = "test-token-1234567890";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  private static WebhookReceiver receiver;
  private static VectorStore store;
  private static MiniLmEmbedder embedder;
  private static ActorService service;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    receiver = WebhookReceiver.start(SECRET);
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, TestFixtures.POLICY_YAML);
    store = VectorStores.open(StoreSettings.embedded(dir.resolve("store")));
    embedder = MiniLmEmbedder.create(EmbedderSettings.DEFAULT);
    List<String> prompts =
        List.of(
            "What is 17 times 23?",
            "Write a Python function that sorts a list of dictionaries by a key",
            "Translate 'good morning' into French");
    List<float[]> vectors = embedder.embedAll(prompts);
    List<QueryRecord> records = new ArrayList<>();
    for (int i = 0; i < prompts.size(); i++) {
      records.add(
          new QueryRecord(
              "acct-c-e" + i,
              "acct-c",
              TestFixtures.T0 + i * 1000L,
              TestFixtures.CATEGORIES.get(i),
              0.1f,
              prompts.get(i),
              vectors.get(i),
              Map.of()));
    }
    store.upsert(records);
    ActorSettings settings =
        ActorSettings.defaults(dir.resolve("data"))
            .withWebhook(receiver.url("/review"), SECRET)
            .withThrottleUrl(receiver.url("/throttle"))
            .withHttp("127.0.0.1", 0, TOKEN)
            .withRetry(TestFixtures.QUICK_RETRY, Duration.ofSeconds(5))
            .withPolicyFile(policy);
    service = ActorService.start(settings, store, embedder);
    TestFixtures.record(service, TestFixtures.campaign("acct-c"));
    TestFixtures.record(service, TestFixtures.ordinary("acct-o", 5));
    // Reviewed by the OpenAPI walk, so the other tests see acct-c and acct-o untouched.
    TestFixtures.record(service, TestFixtures.ordinary("acct-x", 3));
    assertThat(service.awaitSettled(Duration.ofSeconds(30))).isTrue();
  }

  @AfterAll
  static void stop() {
    service.close();
    store.close();
    embedder.close();
    receiver.close();
  }

  private static HttpResponse<String> send(String method, String path, String token, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + path))
            .timeout(Duration.ofSeconds(30));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      b.header("content-type", "application/json");
      b.method(method, HttpRequest.BodyPublishers.ofString(body));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode get(String path) throws Exception {
    HttpResponse<String> r = send("GET", path, TOKEN, null);
    assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).contains("application/json");
    return JSON.readTree(r.body());
  }

  @Test
  void probesAreOpenAndEverythingElseNeedsTheToken() throws Exception {
    assertThat(send("GET", "/v1/health/live", null, null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/v1/health/ready", null, null).statusCode()).isEqualTo(200);
    JsonNode health = get("/v1/health");
    assertThat(health.path("status").asText()).isEqualTo("UP");
    // The watched policy file is the policy in force: no refusal to report.
    assertThat(health.has("policy_error")).isTrue();
    assertThat(health.path("policy_error").isNull()).isTrue();
    // Both effects projections report their lag (nothing behind once settled) and failures.
    assertThat(service.awaitSettled(java.time.Duration.ofSeconds(30))).isTrue();
    JsonNode effects = get("/v1/health").path("effects");
    assertThat(effects.fieldNames())
        .toIterable()
        .containsExactly("account-effects", "campaign-effects");
    assertThat(effects.path("account-effects").path("behind_events").asLong()).isZero();
    assertThat(effects.path("account-effects").path("behind_seconds").asDouble()).isZero();
    assertThat(effects.path("campaign-effects").path("failures").asLong()).isZero();
    for (String path :
        List.of(
            "/v1/health",
            "/v1/audit",
            "/v1/accounts",
            "/v1/accounts/acct-c",
            "/v1/cases",
            "/v1/throttles",
            "/v1/deliveries")) {
      HttpResponse<String> none = send("GET", path, null, null);
      assertThat(none.statusCode()).as(path).isEqualTo(401);
      assertThat(none.headers().firstValue("www-authenticate")).contains("Bearer");
      assertThat(send("GET", path, "wrong", null).statusCode()).as(path).isEqualTo(401);
    }
    assertThat(send("POST", "/v1/accounts/acct-c/review", null, "{}").statusCode()).isEqualTo(401);
    assertThat(send("DELETE", "/v1/accounts/acct-c/data", null, null).statusCode()).isEqualTo(401);
  }

  @Test
  void accountsByLevelAndOneAccountWithSignalsAndReasons() throws Exception {
    JsonNode all = get("/v1/accounts");
    assertThat(all.path("accounts")).hasSize(3);
    JsonNode throttled = get("/v1/accounts?level=THROTTLE");
    assertThat(throttled.path("accounts")).hasSize(1);
    assertThat(throttled.path("accounts").get(0).path("account_id").asText()).isEqualTo("acct-c");
    assertThat(send("GET", "/v1/accounts?level=BOGUS", TOKEN, null).statusCode()).isEqualTo(400);
    assertThat(send("GET", "/v1/accounts?limit=0", TOKEN, null).statusCode()).isEqualTo(400);

    JsonNode c = get("/v1/accounts/acct-c");
    assertThat(c.path("level").asText()).isEqualTo("THROTTLE");
    assertThat(c.path("queries_observed").asLong()).isEqualTo(8);
    assertThat(c.path("signals").path("distinct_categories").asDouble()).isEqualTo(4.0);
    assertThat(c.path("reasons").get(0).path("rule").asText()).isNotBlank();
    assertThat(c.path("evidence").path("href").asText()).isEqualTo("/v1/accounts/acct-c/evidence");
    assertThat(send("GET", "/v1/accounts/nobody", TOKEN, null).statusCode()).isEqualTo(404);
  }

  @Test
  void casesThrottlesAndDeliveries() throws Exception {
    JsonNode cases = get("/v1/cases");
    assertThat(cases.path("cases"))
        .extracting(n -> n.path("account_id").asText())
        .containsExactly("acct-c");
    assertThat(cases.path("cases").get(0).path("open_case").asBoolean()).isTrue();

    JsonNode throttles = get("/v1/throttles");
    assertThat(throttles.path("throttles")).hasSize(1);
    JsonNode t = throttles.path("throttles").get(0);
    assertThat(t.path("account_id").asText()).isEqualTo("acct-c");
    assertThat(t.path("categories").size()).isPositive();
    t.path("categories").forEach(share -> assertThat(share.asDouble()).isBetween(0.0, 1.0));
    assertThat(java.time.Instant.parse(t.path("expires_at").asText()))
        .isAfter(java.time.Instant.now());

    JsonNode delivered = get("/v1/deliveries?status=DELIVERED");
    assertThat(delivered.path("deliveries").size()).isGreaterThanOrEqualTo(4);
    assertThat(delivered.path("counts").path("DELIVERED").asLong()).isGreaterThanOrEqualTo(4);
    assertThat(delivered.path("deliveries").get(0).path("webhook_id").asText()).startsWith("msg_");
    assertThat(get("/v1/deliveries?status=EXHAUSTED").path("deliveries")).isEmpty();
    assertThat(send("GET", "/v1/deliveries?status=LOST", TOKEN, null).statusCode()).isEqualTo(400);
  }

  @Test
  void evidenceNewestFirstAndNearestToAText() throws Exception {
    JsonNode newest = get("/v1/accounts/acct-c/evidence");
    assertThat(newest.path("records"))
        .extracting(n -> n.path("event_id").asText())
        .containsExactly("acct-c-e2", "acct-c-e1", "acct-c-e0");
    JsonNode near =
        get(
            "/v1/accounts/acct-c/evidence?limit=1&near="
                + URLEncoder.encode("python code to sort records", StandardCharsets.UTF_8));
    assertThat(near.path("records")).hasSize(1);
    assertThat(near.path("records").get(0).path("event_id").asText()).isEqualTo("acct-c-e1");
    assertThat(near.path("records").get(0).path("score").asDouble()).isPositive();
    JsonNode window =
        get(
            "/v1/accounts/acct-c/evidence?from="
                + (TestFixtures.T0 + 500)
                + "&to="
                + URLEncoder.encode(
                    io.distillguard.actors.escalation.Escalations.rfc3339(TestFixtures.T0 + 1500),
                    StandardCharsets.UTF_8));
    assertThat(window.path("records"))
        .extracting(n -> n.path("event_id").asText())
        .containsExactly("acct-c-e1");
    assertThat(send("GET", "/v1/accounts/acct-c/evidence?from=yesterday", TOKEN, null).statusCode())
        .isEqualTo(400);
  }

  @Test
  void reviewerDecisions() throws Exception {
    assertThat(
            send(
                    "POST",
                    "/v1/accounts/acct-c/review",
                    TOKEN,
                    "{\"verdict\":\"MAYBE\",\"reviewer\":\"ana\"}")
                .statusCode())
        .isEqualTo(400);
    assertThat(send("POST", "/v1/accounts/acct-c/review", TOKEN, "not json").statusCode())
        .isEqualTo(400);
    assertThat(
            send(
                    "POST",
                    "/v1/accounts/nobody/review",
                    TOKEN,
                    "{\"verdict\":\"CLEARED\",\"reviewer\":\"ana\"}")
                .statusCode())
        .isEqualTo(404);
    HttpResponse<String> ok =
        send(
            "POST",
            "/v1/accounts/acct-o/review",
            TOKEN,
            "{\"verdict\":\"CONFIRMED\",\"reviewer\":\"ana\",\"note\":\"abuse\"}");
    assertThat(ok.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(ok.body());
    assertThat(body.path("level").asText()).isEqualTo("CONFIRMED");
    assertThat(body.path("review").path("reviewer").asText()).isEqualTo("ana");
    assertThat(body.path("review").path("note").asText()).isEqualTo("abuse");
    // The index follows the journal (the effects projection), a moment behind the entity.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(get("/v1/accounts?level=CONFIRMED").path("accounts")).hasSize(1));
  }

  @Test
  void everyPathOfTheOpenApiDescriptionIsServed() throws Exception {
    JsonNode spec;
    try (InputStream in = HttpApi.class.getResourceAsStream("/openapi.yaml")) {
      spec = new ObjectMapper(new YAMLFactory()).readTree(in);
    }
    List<String> served = new ArrayList<>();
    for (Iterator<String> it = spec.path("paths").fieldNames(); it.hasNext(); ) {
      String template = it.next();
      // Erasure is walked on an account of its own, so the other tests keep theirs.
      String path = template.replace("{id}", template.endsWith("/data") ? "acct-gone" : "acct-x");
      for (Iterator<String> methods = spec.path("paths").path(template).fieldNames();
          methods.hasNext(); ) {
        String method = methods.next().toUpperCase(java.util.Locale.ROOT);
        HttpResponse<String> r =
            send(
                method,
                path,
                TOKEN,
                !method.equals("POST")
                    ? null
                    : template.endsWith("/redeliver")
                        ? "{\"status\":\"EXHAUSTED\"}"
                        : template.endsWith("/quarantine/retry")
                            ? "{\"all\":true}"
                            : "{\"verdict\":\"CLEARED\",\"reviewer\":\"ana\"}");
        // No campaign has an account's id: the campaign route answers, with 404.
        assertThat(r.statusCode())
            .as("%s %s", method, template)
            .isEqualTo(template.startsWith("/v1/campaigns/") ? 404 : 200);
        served.add(method + " " + template);
      }
    }
    assertThat(served)
        .containsExactlyInAnyOrderElementsOf(
            ApiEndpoint.ALL.stream().map(ApiEndpoint::toString).toList());
    // An undocumented path is not served.
    assertThat(send("GET", "/v1/secrets", TOKEN, null).statusCode()).isEqualTo(404);
  }

  @Test
  void everyRouteTakesItsDocumentedParametersAndRefusesAnyOther() throws Exception {
    Map<String, String> samples =
        Map.of(
            "level", "REVIEW",
            "limit", "5",
            "near", "multiply two numbers",
            "from", "2026-10-05T00:00:00Z",
            "to", "2099-01-01T00:00:00Z",
            "status", "DELIVERED",
            "offset", "0",
            "after", "0",
            "members", "true");
    for (ApiEndpoint e : ApiEndpoint.ALL) {
      String path = e.path().replace("{id}", e.method().equals("DELETE") ? "acct-gone" : "acct-o");
      String body = e.method().equals("POST") ? "{\"verdict\":\"BOGUS\",\"reviewer\":\"a\"}" : null;
      StringBuilder query = new StringBuilder();
      for (String name : e.queryParameters()) {
        query.append(query.length() == 0 ? "?" : "&").append(name).append('=');
        query.append(URLEncoder.encode(samples.get(name), StandardCharsets.UTF_8));
      }
      HttpResponse<String> documented = send(e.method(), path + query, TOKEN, body);
      assertThat(documented.statusCode())
          .as("%s%s: %s", e, query, documented.body())
          .isEqualTo(e.method().equals("POST") ? 400 : e == ApiEndpoint.CAMPAIGN ? 404 : 200);

      String bogus = query + (query.length() == 0 ? "?" : "&") + "sate=REVIEW";
      HttpResponse<String> refused = send(e.method(), path + bogus, TOKEN, body);
      assertThat(refused.statusCode()).as("%s%s", e, bogus).isEqualTo(400);
      JsonNode error = JSON.readTree(refused.body());
      assertThat(error.path("error").asText())
          .as("%s", e)
          .contains("unknown query parameter sate")
          .contains("accepted: ");
      List<String> accepted = new ArrayList<>();
      error.path("accepted").forEach(n -> accepted.add(n.asText()));
      assertThat(accepted).as("%s", e).isEqualTo(e.queryParameters());
    }
  }

  @Test
  void accountsByLevelAsReadmeDocumentsIt() throws Exception {
    JsonNode all = get("/v1/accounts");
    JsonNode throttled = get("/v1/accounts?level=throttle");
    assertThat(throttled.path("accounts"))
        .isNotEmpty()
        .hasSizeLessThan(all.path("accounts").size());
    throttled
        .path("accounts")
        .forEach(a -> assertThat(a.path("level").asText()).isEqualTo("THROTTLE"));
    // The old name is refused rather than silently ignored.
    HttpResponse<String> old = send("GET", "/v1/accounts?state=THROTTLE", TOKEN, null);
    assertThat(old.statusCode()).isEqualTo(400);
    assertThat(old.body()).contains("accepted: level, limit");
  }
}
