package io.distillguard.actors.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillguard.actors.ActorService;
import io.distillguard.actors.ActorSettings;
import io.distillguard.actors.TestFixtures;
import io.distillguard.actors.api.access.ApiAccessSettings;
import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.embedding.MiniLmEmbedder;
import io.distillguard.store.QueryRecord;
import io.distillguard.store.StoreSettings;
import io.distillguard.store.VectorStore;
import io.distillguard.store.VectorStores;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Roles and every refusal of the HTTP API over real sockets: tokens from a mounted file (rotated
 * while the service runs) and from the environment list, the audit log of evidence reads and
 * reviews, evidence paging, and an API that refuses to start on a non-loopback address without
 * credentials.
 */
class ApiAccessIT {

  private static final String GATEWAY = "gw-token-aaaaaaaaaaaaaaaa";
  private static final String REVIEWER = "rv-token-bbbbbbbbbbbbbbbb";
  private static final String ADMIN = "ad-token-cccccccccccccccc";
  private static final String ENV_REVIEWER = "env-reviewer-dddddddddddd";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path dir;
  private static Path tokensFile;
  private static VectorStore store;
  private static MiniLmEmbedder embedder;
  private static ActorService service;

  @BeforeAll
  static void start() throws Exception {
    tokensFile = writeTokens(dir.resolve("tokens"));
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, TestFixtures.POLICY_YAML);
    store = VectorStores.open(StoreSettings.embedded(dir.resolve("store")));
    embedder = MiniLmEmbedder.create(EmbedderSettings.DEFAULT);
    store.upsert(evidence("acct-c", embedder));
    ActorSettings settings =
        ActorSettings.defaults(dir.resolve("data"))
            .withHttp("127.0.0.1", 0, null)
            .withAccess(
                ApiAccessSettings.DEFAULT.withTokens(
                    "env-reviewer:reviewer:" + ENV_REVIEWER, tokensFile))
            .withPolicyFile(policy);
    service = ActorService.start(settings, store, embedder);
    TestFixtures.record(service, TestFixtures.campaign("acct-c"));
    TestFixtures.record(service, TestFixtures.ordinary("acct-o", 3));
    assertThat(service.awaitSettled(Duration.ofSeconds(30))).isTrue();
  }

  /**
   * The token file: a gateway, a reviewer and an admin token, one {@code name:role:token} a line.
   */
  private static Path writeTokens(Path file) throws Exception {
    return Files.writeString(
        file,
        "# name:role:token\n"
            + "gateway-1:gateway:"
            + GATEWAY
            + "\nreviewer-ana:reviewer:"
            + REVIEWER
            + "\nadmin-ops:admin:"
            + ADMIN
            + "\n");
  }

  /** Five stored queries of {@code account}, a second apart, all with one prompt's vector. */
  private static List<QueryRecord> evidence(String account, MiniLmEmbedder embedder) {
    List<QueryRecord> records = new ArrayList<>();
    float[] v = embedder.embed("What is 17 times 23?");
    for (int i = 0; i < 5; i++) {
      records.add(
          new QueryRecord(
              account + "-e" + i,
              account,
              TestFixtures.T0 + i * 1000L,
              TestFixtures.CATEGORIES.get(0),
              0.1f,
              "prompt " + i,
              v,
              Map.of()));
    }
    return records;
  }

  @AfterAll
  static void stop() {
    service.close();
    store.close();
    embedder.close();
  }

  private static HttpResponse<String> send(
      String method, String path, String token, String contentType, String body, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + path))
            .timeout(Duration.ofSeconds(30));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      b.header("content-type", contentType);
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int get(String path, String token) throws Exception {
    return send("GET", path, token, null, null).statusCode();
  }

  private static int review(String token, String account) throws Exception {
    return send(
            "POST",
            "/v1/accounts/" + account + "/review",
            token,
            "application/json",
            "{\"verdict\":\"CONFIRMED\",\"reviewer\":\"ana\"}")
        .statusCode();
  }

  /** A raw HTTP/1.1 exchange, for the Host header Java's client will not let a caller set. */
  private static int rawGet(String path, String host) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", service.httpPort())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET "
                  + path
                  + " HTTP/1.1\r\nHost: "
                  + host
                  + "\r\nAuthorization: Bearer "
                  + ADMIN
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
        head.write(c);
      }
      return Integer.parseInt(head.toString(StandardCharsets.US_ASCII).split(" ")[1]);
    }
  }

  @Test
  void gatewayReadsThrottlesOnly() throws Exception {
    assertThat(get("/v1/throttles", GATEWAY)).isEqualTo(200);
    for (String path :
        List.of(
            "/v1/cases",
            "/v1/accounts",
            "/v1/accounts/acct-c",
            "/v1/accounts/acct-c/evidence",
            "/v1/deliveries",
            "/v1/audit",
            "/v1/health")) {
      assertThat(get(path, GATEWAY)).as(path).isEqualTo(403);
    }
    assertThat(review(GATEWAY, "acct-c")).isEqualTo(403);
    assertThat(send("DELETE", "/v1/accounts/acct-c/data", GATEWAY, null, null).statusCode())
        .isEqualTo(403);
  }

  @Test
  void reviewerReadsCasesAndEvidenceAndReviewsButNothingElse() throws Exception {
    for (String path :
        List.of(
            "/v1/cases", "/v1/accounts", "/v1/accounts/acct-c", "/v1/accounts/acct-c/evidence")) {
      assertThat(get(path, REVIEWER)).as(path).isEqualTo(200);
      assertThat(get(path, ENV_REVIEWER)).as(path).isEqualTo(200);
    }
    for (String path : List.of("/v1/throttles", "/v1/deliveries", "/v1/audit", "/v1/health")) {
      assertThat(get(path, REVIEWER)).as(path).isEqualTo(403);
    }
    assertThat(send("DELETE", "/v1/accounts/acct-c/data", REVIEWER, null, null).statusCode())
        .isEqualTo(403);
    for (String token : List.of(REVIEWER, GATEWAY)) {
      assertThat(redeliver(token)).as("redeliver").isEqualTo(403);
      assertThat(retryQuarantine(token)).as("quarantine retry").isEqualTo(403);
    }
    assertThat(review(REVIEWER, "acct-o")).isEqualTo(200);
  }

  @Test
  void adminMayDoEverything() throws Exception {
    for (String path :
        List.of(
            "/v1/health",
            "/v1/deliveries",
            "/v1/audit",
            "/v1/throttles",
            "/v1/cases",
            "/v1/accounts/acct-c/evidence")) {
      assertThat(get(path, ADMIN)).as(path).isEqualTo(200);
    }
    assertThat(redeliver(ADMIN)).isEqualTo(200);
    assertThat(retryQuarantine(ADMIN)).isEqualTo(200);
  }

  private static int retryQuarantine(String token) throws Exception {
    return send("POST", "/v1/quarantine/retry", token, "application/json", "{\"all\":true}")
        .statusCode();
  }

  private static int redeliver(String token) throws Exception {
    return send(
            "POST",
            "/v1/deliveries/redeliver",
            token,
            "application/json",
            "{\"status\":\"EXHAUSTED\"}")
        .statusCode();
  }

  @Test
  void noTokenOrAnUnknownOneIsUnauthorizedAndProbesStayOpen() throws Exception {
    HttpResponse<String> none = send("GET", "/v1/cases", null, null, null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("www-authenticate")).contains("Bearer");
    assertThat(get("/v1/cases", "not-a-token-at-all-xxxxxxxx")).isEqualTo(401);
    assertThat(get("/v1/health/live", null)).isEqualTo(200);
    assertThat(get("/v1/health/ready", null)).isEqualTo(200);
  }

  @Test
  void everyAnswerIsNeverCachedNorSniffed() throws Exception {
    HttpResponse<String> r = send("GET", "/v1/cases", REVIEWER, null, null);
    assertThat(r.headers().firstValue("cache-control")).contains("no-store");
    assertThat(r.headers().firstValue("x-content-type-options")).contains("nosniff");
  }

  @Test
  void aForeignHostIsRefused() throws Exception {
    assertThat(rawGet("/v1/health", "127.0.0.1:" + service.httpPort())).isEqualTo(200);
    assertThat(rawGet("/v1/health", "localhost")).isEqualTo(200);
    assertThat(rawGet("/v1/health", "attacker.example:" + service.httpPort())).isEqualTo(403);
    assertThat(rawGet("/v1/accounts/acct-c/evidence", "rebind.attacker.example")).isEqualTo(403);
  }

  @Test
  void aForeignOriginOrACrossSiteRequestIsRefused() throws Exception {
    String path = "/v1/accounts/acct-c/evidence";
    assertThat(
            send("GET", path, REVIEWER, null, null, "Origin", "https://attacker.example")
                .statusCode())
        .isEqualTo(403);
    assertThat(send("GET", path, REVIEWER, null, null, "Origin", "null").statusCode())
        .isEqualTo(403);
    assertThat(send("GET", path, REVIEWER, null, null, "Sec-Fetch-Site", "cross-site").statusCode())
        .isEqualTo(403);
    assertThat(
            send(
                    "POST",
                    "/v1/accounts/acct-o/review",
                    REVIEWER,
                    "application/json",
                    "{\"verdict\":\"CLEARED\",\"reviewer\":\"x\"}",
                    "Origin",
                    "https://attacker.example")
                .statusCode())
        .isEqualTo(403);
    // The API's own origin is fine (a same-origin console).
    assertThat(
            send(
                    "GET",
                    path,
                    REVIEWER,
                    null,
                    null,
                    "Origin",
                    "http://127.0.0.1:" + service.httpPort(),
                    "Sec-Fetch-Site",
                    "same-origin")
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void postWithoutJsonIsRefused() throws Exception {
    String body = "{\"verdict\":\"CONFIRMED\",\"reviewer\":\"ana\"}";
    assertThat(
            send("POST", "/v1/accounts/acct-o/review", REVIEWER, "text/plain", body).statusCode())
        .isEqualTo(415);
    assertThat(
            send(
                    "POST",
                    "/v1/accounts/acct-o/review",
                    REVIEWER,
                    "application/x-www-form-urlencoded",
                    "verdict=CONFIRMED")
                .statusCode())
        .isEqualTo(415);
  }

  /**
   * The service refuses an oversize body by its declared length, before reading any of it, and
   * closes the connection. The request's head alone is sent here and the answer read: a client that
   * goes on writing the body may see the connection reset before it reads the answer (its writes
   * race the close), which is how such a refusal reads on any server that does not drain the body.
   */
  @Test
  void anOversizeBodyIsRefusedByItsDeclaredLength() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", service.httpPort())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v1/accounts/acct-o/review HTTP/1.1\r\nHost: 127.0.0.1:"
                  + service.httpPort()
                  + "\r\nAuthorization: Bearer "
                  + REVIEWER
                  + "\r\nContent-Type: application/json\r\nContent-Length: 100050\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String answer =
          new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);

      assertThat(answer).startsWith("HTTP/1.1 413 ").contains("larger than");
    }
  }

  @Test
  void evidenceIsPagedAndBounded() throws Exception {
    JsonNode first =
        JSON.readTree(
            send("GET", "/v1/accounts/acct-c/evidence?limit=2", REVIEWER, null, null).body());
    assertThat(first.path("records"))
        .extracting(n -> n.path("event_id").asText())
        .containsExactly("acct-c-e4", "acct-c-e3");
    assertThat(first.path("next_offset").asInt()).isEqualTo(2);
    JsonNode last =
        JSON.readTree(
            send("GET", "/v1/accounts/acct-c/evidence?limit=2&offset=4", REVIEWER, null, null)
                .body());
    assertThat(last.path("records"))
        .extracting(n -> n.path("event_id").asText())
        .containsExactly("acct-c-e0");
    assertThat(last.path("next_offset").isNull()).isTrue();
    assertThat(get("/v1/accounts/acct-c/evidence?limit=101", REVIEWER)).isEqualTo(400);
    assertThat(get("/v1/accounts/acct-c/evidence?offset=10001", REVIEWER)).isEqualTo(400);
  }

  @Test
  void evidenceReadsAndReviewsAreAuditedByTokenName() throws Exception {
    assertThat(get("/v1/accounts/acct-c/evidence?near=multiply", REVIEWER)).isEqualTo(200);
    assertThat(review(ENV_REVIEWER, "acct-c")).isEqualTo(200);
    JsonNode audit = JSON.readTree(send("GET", "/v1/audit?limit=1000", ADMIN, null, null).body());
    List<String> lines = new ArrayList<>();
    audit
        .path("entries")
        .forEach(
            e ->
                lines.add(
                    e.path("actor").asText()
                        + " "
                        + e.path("action").asText()
                        + " "
                        + e.path("account_id").asText()));
    assertThat(lines).contains("reviewer-ana evidence.read acct-c", "env-reviewer review acct-c");
    audit.path("entries").forEach(e -> assertThat(e.path("at").asText()).isNotBlank());
  }

  @Test
  void tokensInTheFileAreRotatedWhileTheServiceRuns() throws Exception {
    String rotated = "gw-token-rotated-eeeeeeeeeeee";
    String original = Files.readString(tokensFile);
    try {
      Files.writeString(
          tokensFile,
          original.replace("gateway-1:gateway:" + GATEWAY, "gateway-2:gateway:" + rotated));
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                assertThat(get("/v1/throttles", rotated)).isEqualTo(200);
                assertThat(get("/v1/throttles", GATEWAY)).isEqualTo(401);
              });
    } finally {
      Files.writeString(tokensFile, original);
      await().atMost(Duration.ofSeconds(10)).until(() -> get("/v1/throttles", GATEWAY) == 200);
    }
  }

  @Test
  void refusesToStartOnANonLoopbackAddressWithoutCredentials() {
    ActorSettings open = ActorSettings.defaults(dir.resolve("open")).withHttp("0.0.0.0", 0, null);
    assertThatThrownBy(() -> ActorService.start(open, store, embedder))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("without credentials");
    // With a token but no host name to check requests against, it refuses too.
    ActorSettings noHosts =
        ActorSettings.defaults(dir.resolve("open"))
            .withHttp("0.0.0.0", 0, "admin-token-ffffffffffffff");
    assertThatThrownBy(() -> ActorService.start(noHosts, store, embedder))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("DISTILLGUARD_HTTP_ALLOWED_HOSTS");
  }
}
