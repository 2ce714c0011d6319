package io.distillguard.actors.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's server side and {@code /metrics} over real HTTP: what the pages are served with
 * (CSP), what the data routes require (the token), the case queue and page JSON, the signed case
 * bundle, and the Prometheus series an operator scrapes.
 */
class ConsoleApiIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path dir;
  private static ConsoleScenario scenario;

  @BeforeAll
  static void start() throws Exception {
    scenario = ConsoleScenario.start(dir);
  }

  @AfterAll
  static void stop() {
    scenario.close();
  }

  private static HttpResponse<byte[]> get(String path, boolean token) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(scenario.baseUrl() + path))
            .timeout(Duration.ofSeconds(30));
    if (token) {
      b.header("Authorization", "Bearer " + ConsoleScenario.TOKEN);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  @Test
  void pagesAreServedWithAStrictPolicyAndDataNeedsTheToken() throws Exception {
    HttpResponse<byte[]> page = get("/console/", false);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(text(page)).contains("<script type=\"module\" src=\"cases.js\">");
    String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(csp)
        .contains("script-src 'self'")
        .contains("object-src 'none'")
        .contains("base-uri 'none'")
        .contains("frame-ancestors 'none'")
        .contains("require-trusted-types-for 'script'")
        .doesNotContain("unsafe");
    assertThat(get("/console/cases.js", false).statusCode()).isEqualTo(200);
    assertThat(get("/console/no-such.js", false).statusCode()).isEqualTo(404);
    assertThat(get("/", false).headers().firstValue("Location")).hasValue("/console/");

    assertThat(get("/console/api/cases", false).statusCode()).isEqualTo(401);
    assertThat(get("/console/api/accounts/" + ConsoleScenario.SWEEP, false).statusCode())
        .isEqualTo(401);
    assertThat(get("/metrics", false).statusCode()).isEqualTo(401);
  }

  @Test
  void theQueueListsOpenCasesMostSevereFirstWithAOneLineWhy() throws Exception {
    JsonNode cases = JSON.readTree(get("/console/api/cases", true).body()).path("cases");
    assertThat(cases).hasSize(2);
    assertThat(cases.get(0).path("account_id").asText()).isEqualTo(ConsoleScenario.SWEEP);
    assertThat(cases.get(0).path("level").asText()).isEqualTo("THROTTLE");
    assertThat(cases.get(0).path("why").asText())
        .isEqualTo(
            "distinct_categories 4.00 ≥ 2.00 · rules: two-categories, three-categories,"
                + " four-categories");
    assertThat(cases.get(0).path("why_full").asText())
        .contains("four-categories: distinct_categories 4.00 ≥ 4.00");
    assertThat(cases.get(0).path("stated_use_category").asText()).isEqualTo(ConsoleScenario.HOME);
    assertThat(cases.get(1).path("account_id").asText()).isEqualTo(ConsoleScenario.SECOND);
  }

  @Test
  void theAccountPageHoldsTheCase() throws Exception {
    JsonNode page =
        JSON.readTree(get("/console/api/accounts/" + ConsoleScenario.SWEEP, true).body());
    assertThat(page.path("profile").path("stated_use").asText())
        .isEqualTo(ConsoleScenario.STATED_USE);
    JsonNode coverage = page.path("coverage").path("categories");
    int highlighted = 0;
    for (JsonNode c : coverage) {
      if (c.path("off_use_highlight").asBoolean()) {
        highlighted++;
        assertThat(c.path("category").asText()).isNotEqualTo(ConsoleScenario.HOME);
        assertThat(c.path("off_use").asLong()).isEqualTo(2);
      }
    }
    assertThat(highlighted).isEqualTo(3);
    assertThat(page.path("timeline").path("level_changes")).hasSize(3);
    assertThat(page.path("timeline").path("verified_at").asText())
        .isEqualTo("2026-10-05T00:00:02.500Z");
    JsonNode prompts = page.path("evidence").path("prompts");
    assertThat(prompts).hasSize(8);
    // The two in-domain prompts weigh least.
    assertThat(prompts.get(6).path("prompt").asText() + prompts.get(7).path("prompt").asText())
        .contains("running shoes")
        .contains("boots");
    assertThat(get("/console/api/accounts/acct-nobody", true).statusCode()).isEqualTo(404);

    // The page shows evidence prompts: the read is in the audit log, with who read it.
    boolean audited = false;
    for (JsonNode e : JSON.readTree(get("/v1/audit?limit=100", true).body()).path("entries")) {
      audited |=
          e.path("action").asText().equals("evidence.read")
              && e.path("account_id").asText().equals(ConsoleScenario.SWEEP)
              && e.path("detail").asText().equals("console account page")
              && !e.path("actor").asText().isEmpty();
    }
    assertThat(audited).as("the account page's evidence read is audited").isTrue();
  }

  @Test
  void theBundleIsSignedAndHashesEveryFile() throws Exception {
    HttpResponse<byte[]> r =
        get("/console/api/accounts/" + ConsoleScenario.SECOND + "/bundle", true);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Disposition").orElseThrow())
        .startsWith("attachment; filename=\"case-acct-second-");
    Map<String, byte[]> files = new HashMap<>();
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(r.body()))) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        files.put(e.getName().substring(e.getName().indexOf('/') + 1), zip.readAllBytes());
      }
    }
    assertThat(files)
        .containsKeys(
            "manifest.json",
            "manifest.sig",
            "signing-key.pem",
            "report.html",
            "decisions.json",
            "evidence.csv");
    byte[] manifest = files.get("manifest.json");
    String pem = new String(files.get("signing-key.pem"), StandardCharsets.US_ASCII);
    PublicKey key =
        KeyFactory.getInstance("Ed25519")
            .generatePublic(
                new X509EncodedKeySpec(
                    Base64.getMimeDecoder()
                        .decode(pem.replaceAll("-----[A-Z ]+-----", "").strip())));
    assertThat(BundleSigner.verify(key, manifest, files.get("manifest.sig"))).isTrue();
    for (JsonNode f : JSON.readTree(manifest).path("files")) {
      assertThat(BundleSigner.sha256Hex(files.get(f.path("path").asText())))
          .as(f.path("path").asText())
          .isEqualTo(f.path("sha256").asText());
    }
    // The same key signs the next bundle (it is kept under the data dir).
    HttpResponse<byte[]> again =
        get("/console/api/accounts/" + ConsoleScenario.SECOND + "/bundle", true);
    assertThat(again.statusCode()).isEqualTo(200);
  }

  @Test
  void metricsExposeTheOperatorSeries() throws Exception {
    // The deliveries of the scenario's escalations settle asynchronously.
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(text(get("/metrics", true)))
                    .contains(
                        "distillguard_delivery_latency_seconds_count{type=\"account.throttled\"}"));
    HttpResponse<byte[]> r = get("/metrics", true);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
    String body = text(r);
    assertThat(body)
        .contains("distillguard_accounts{level=\"THROTTLE\"} 1.0")
        .contains("distillguard_accounts{level=\"REVIEW\"} 1.0")
        .contains("distillguard_accounts{level=\"OK\"} 1.0")
        .contains("distillguard_decisions_total{level=\"THROTTLE\",rule=\"four-categories\"} 1.0")
        .contains("distillguard_decisions_total{level=\"WATCH\",rule=\"two-categories\"} 2.0")
        .contains("distillguard_deliveries{status=\"PENDING\"}")
        .contains("distillguard_deliveries{status=\"EXHAUSTED\"} 0.0")
        .contains("distillguard_deliveries_exhausted_total 0.0")
        .contains("distillguard_delivery_latency_seconds_bucket")
        .contains("distillguard_decision_lag_seconds_count 18")
        .contains("jvm_memory_used_bytes")
        .contains("jvm_gc_")
        .contains("process_uptime_seconds");
  }
}
