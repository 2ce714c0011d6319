package io.distillguard.actors.console;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.security.MessageDigest;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's campaign side over real HTTP: the campaign case in the queue with its one-line why,
 * the campaign page's data (members with their own levels, the link graph with hashed values only,
 * union coverage against each member's, decisions), the signed campaign bundle with the members'
 * evidence (each member's read audited), and the campaign review route (refusals, the audit entry
 * before the verdict, the verdict on the page). The review runs last: it closes the case.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CampaignConsoleIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path dir;
  private static CampaignScenario scenario;

  @BeforeAll
  static void start() throws Exception {
    scenario = CampaignScenario.start(dir);
  }

  @AfterAll
  static void stop() {
    if (scenario != null) {
      scenario.close();
    }
  }

  @Test
  @Order(1)
  void theQueueListsTheCampaignWithAOneLineWhy() throws Exception {
    JsonNode cases = getJson("/console/api/cases").path("cases");
    List<JsonNode> campaigns = new ArrayList<>();
    cases.forEach(
        c -> {
          if (c.has("campaign_id")) {
            campaigns.add(c);
          }
        });
    assertThat(campaigns).hasSize(1);
    JsonNode row = campaigns.get(0);
    assertThat(row.path("campaign_id").asText()).isEqualTo(scenario.campaignId);
    assertThat(row.path("kind").asText()).isEqualTo("campaign ×8");
    assertThat(row.path("level").asText()).isEqualTo("REVIEW");
    assertThat(row.path("why").asText()).contains(" ≥ ").contains("rules: ");
    assertThat(row.path("rules").findValuesAsText("")).isEmpty();
    assertThat(JSON.convertValue(row.path("rules"), List.class)).contains("split-sweep");
    assertThat(row.path("top_observed_category").asText()).isNotEmpty();
    // No member of the NAT organisation is a case.
    assertThat(cases.findValuesAsText("account_id")).noneMatch(a -> a.startsWith("nat-"));
  }

  @Test
  @Order(1)
  void aCampaignIsOneCaseAndItsMembersAreListedOnlyOnRequest() throws Exception {
    // The queue: the campaign's one row with its member count, none of the members only it
    // flagged (they hold no case of their own).
    JsonNode cases = getJson("/console/api/cases").path("cases");
    assertThat(cases.findValuesAsText("account_id")).noneMatch(a -> a.startsWith("swarm-"));
    List<JsonNode> campaigns = new ArrayList<>();
    cases.forEach(
        c -> {
          if (c.path("campaign_id").asText().equals(scenario.campaignId)) {
            campaigns.add(c);
          }
        });
    assertThat(campaigns).singleElement();
    assertThat(campaigns.get(0).path("members").asInt()).isEqualTo(CampaignScenario.MEMBERS);
    // Asked for, each member is listed as a campaign member pointing at its campaign.
    List<JsonNode> members = new ArrayList<>();
    getJson("/console/api/cases?members=true")
        .path("cases")
        .forEach(
            c -> {
              if (c.path("account_id").asText().startsWith(CampaignScenario.PREFIX)) {
                members.add(c);
              }
            });
    assertThat(members).hasSize(CampaignScenario.MEMBERS);
    assertThat(members)
        .allSatisfy(
            m -> {
              assertThat(m.path("kind").asText()).isEqualTo("campaign member");
              assertThat(m.path("member_of").asText()).isEqualTo(scenario.campaignId);
              assertThat(m.path("level").asText()).isEqualTo("REVIEW");
            });
    // The API's case list reads the same: one campaign row, the members on request.
    JsonNode api = getJson("/v1/cases").path("cases");
    assertThat(api.findValuesAsText("account_id")).noneMatch(a -> a.startsWith("swarm-"));
    List<JsonNode> campaignRows = new ArrayList<>();
    api.forEach(
        c -> {
          if (c.path("kind").asText().equals("campaign")) {
            campaignRows.add(c);
          }
        });
    assertThat(campaignRows).singleElement();
    assertThat(campaignRows.get(0).path("campaign_id").asText()).isEqualTo(scenario.campaignId);
    assertThat(campaignRows.get(0).path("members").asInt()).isEqualTo(CampaignScenario.MEMBERS);
    assertThat(getJson("/v1/cases?members=true").path("cases").findValuesAsText("account_id"))
        .filteredOn(a -> a.startsWith("swarm-"))
        .hasSize(CampaignScenario.MEMBERS);
    assertThat(get("/v1/cases?members=maybe", true).statusCode()).isEqualTo(400);
  }

  @Test
  @Order(2)
  void theCampaignPageHoldsMembersLinksAndCoverage() throws Exception {
    JsonNode page = getJson("/console/api/campaigns/" + scenario.campaignId);
    assertThat(page.path("level").asText()).isEqualTo("REVIEW");
    assertThat(page.path("members_total").asInt()).isEqualTo(CampaignScenario.MEMBERS);
    JsonNode members = page.path("members");
    assertThat(members).hasSize(CampaignScenario.MEMBERS);
    for (JsonNode m : members) {
      assertThat(m.path("account_id").asText()).startsWith(CampaignScenario.PREFIX);
      assertThat(m.path("level").asText()).isNotEmpty();
      assertThat(m.path("queries").asLong()).isPositive();
    }
    // The graph: every member a node labelled by its index, link keys with hashed values only.
    JsonNode nodes = page.path("graph").path("nodes");
    List<JsonNode> keys = new ArrayList<>();
    nodes.forEach(
        n -> {
          if (!n.path("kind").asText().equals("account")) {
            keys.add(n);
          }
        });
    assertThat(nodes.size() - keys.size()).isEqualTo(CampaignScenario.MEMBERS);
    assertThat(keys).isNotEmpty();
    assertThat(keys).allSatisfy(k -> assertThat(k.path("value").asText()).matches("[0-9a-f]{16}"));
    assertThat(keys).extracting(k -> k.path("kind").asText()).contains("content", "registration");
    assertThat(page.path("graph").path("edges")).isNotEmpty();
    assertThat(page.path("graph").toString()).doesNotContain("203.0.113.");
    // Union coverage against each member's: each member narrow, together broad.
    JsonNode coverage = page.path("coverage");
    assertThat(coverage.path("members")).hasSize(CampaignScenario.MEMBERS);
    int union = coverage.path("union_categories").asInt();
    for (JsonNode m : coverage.path("members")) {
      long asked = 0;
      for (JsonNode share : m.path("shares")) {
        asked += share.asDouble() > 0 ? 1 : 0;
      }
      assertThat(asked).isLessThan(union);
    }
    assertThat(page.path("reasons").findValuesAsText("rule")).contains("split-sweep");
    assertThat(page.path("signals").path("complementarity").asDouble()).isGreaterThan(2.5);
    assertThat(page.path("decisions")).anyMatch(d -> d.path("to").asText().equals("REVIEW"));
    assertThat(page.path("audit")).isEmpty();
    assertThat(get("/console/api/campaigns/cmp-none", true).statusCode()).isEqualTo(404);
    assertThat(get("/console/api/campaigns/" + scenario.campaignId, false).statusCode())
        .isEqualTo(401);
    // The page itself is served for any campaign id, under the console's policy.
    HttpResponse<byte[]> html = get("/console/campaigns/" + scenario.campaignId, false);
    assertThat(html.statusCode()).isEqualTo(200);
    assertThat(new String(html.body(), StandardCharsets.UTF_8)).contains("/console/campaign.js");
    assertThat(html.headers().firstValue("Content-Security-Policy")).contains(ConsoleRoutes.CSP);
  }

  @Test
  @Order(3)
  void theCampaignBundleIsSignedAndItsEvidenceReadsAudited() throws Exception {
    HttpResponse<byte[]> r = get("/console/api/campaigns/" + scenario.campaignId + "/bundle", true);
    assertThat(r.statusCode()).isEqualTo(200);
    Map<String, byte[]> files = new HashMap<>();
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(r.body()))) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        files.put(e.getName().substring(e.getName().indexOf('/') + 1), zip.readAllBytes());
      }
    }
    byte[] manifest = files.get(CaseBundle.MANIFEST);
    String pem = new String(files.get(CaseBundle.PUBLIC_KEY), StandardCharsets.UTF_8);
    var key =
        KeyFactory.getInstance("Ed25519")
            .generatePublic(
                new X509EncodedKeySpec(
                    Base64.getMimeDecoder()
                        .decode(pem.replaceAll("-----[A-Z ]+-----", "").strip())));
    assertThat(BundleSigner.verify(key, manifest, files.get(CaseBundle.SIGNATURE))).isTrue();
    JsonNode m = JSON.readTree(manifest);
    assertThat(m.path("format").asText()).isEqualTo(CampaignBundle.FORMAT);
    assertThat(m.path("campaign_id").asText()).isEqualTo(scenario.campaignId);
    for (JsonNode f : m.path("files")) {
      assertThat(
              HexFormat.of()
                  .formatHex(
                      MessageDigest.getInstance("SHA-256")
                          .digest(files.get(f.path("path").asText()))))
          .as(f.path("path").asText())
          .isEqualTo(f.path("sha256").asText());
    }
    assertThat(m.path("files").findValuesAsText("path"))
        .contains("report.html", "members.json", "links.json", "decisions.json", "evidence.json");
    assertThat(JSON.readTree(files.get("members.json"))).hasSize(CampaignScenario.MEMBERS);
    JsonNode evidence = JSON.readTree(files.get("evidence.json")).path("members");
    assertThat(evidence.size()).isEqualTo(CampaignScenario.MEMBERS);
    assertThat(evidence.path(CampaignScenario.PREFIX + "0")).hasSize(2);
    assertThat(new String(files.get("report.html"), StandardCharsets.UTF_8))
        .contains("Practice item for the study bank")
        .contains("<th>at its last decision</th><th>now</th>")
        .contains("<td>escalated_members</td>")
        .doesNotContain("<script");
    // Every member's evidence read is in the audit log, after the campaign's own entry.
    JsonNode audit = getJson("/v1/audit?limit=1000").path("entries");
    List<String> read = new ArrayList<>();
    audit.forEach(
        e -> {
          if (e.path("action").asText().equals("evidence.read")
              && e.path("detail").asText().contains("campaign bundle")) {
            read.add(e.path("account_id").asText());
          }
        });
    assertThat(read).contains(scenario.campaignId);
    for (int i = 0; i < CampaignScenario.MEMBERS; i++) {
      assertThat(read).contains(CampaignScenario.PREFIX + i);
    }
  }

  @Test
  @Order(4)
  void aReviewerConfirmsTheCampaignThroughTheApi() throws Exception {
    String path = "/v1/campaigns/" + scenario.campaignId + "/review";
    assertThat(post(path, "{\"verdict\":\"REVIEW\",\"reviewer\":\"ana\"}").statusCode())
        .isEqualTo(400);
    assertThat(post(path, "{\"verdict\":\"CONFIRMED\"}").statusCode()).isEqualTo(400);
    assertThat(
            post("/v1/campaigns/cmp-none/review", "{\"verdict\":\"CLEARED\",\"reviewer\":\"a\"}")
                .statusCode())
        .isEqualTo(404);
    HttpResponse<String> ok =
        post(
            path,
            "{\"verdict\":\"CONFIRMED\",\"reviewer\":\"rev-ana\","
                + "\"note\":\"One scaffold, one sign-up burst, complementary slices\"}");
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(JSON.readTree(ok.body()).path("level").asText()).isEqualTo("CONFIRMED");
    JsonNode entries = getJson("/v1/audit?limit=1000").path("entries");
    List<JsonNode> reviews = new ArrayList<>();
    entries.forEach(
        e -> {
          if (e.path("action").asText().equals("campaign.review")) {
            reviews.add(e);
          }
        });
    // The unknown campaign's attempt is audited too: the entry is written before the verdict.
    assertThat(reviews)
        .extracting(e -> e.path("account_id").asText())
        .containsExactly("cmp-none", scenario.campaignId);
    assertThat(reviews.get(1).path("detail").asText()).contains("CONFIRMED").contains("rev-ana");
    JsonNode page = getJson("/console/api/campaigns/" + scenario.campaignId);
    assertThat(page.path("level").asText()).isEqualTo("CONFIRMED");
    assertThat(page.path("audit")).hasSize(1);
    assertThat(page.path("audit").get(0).path("note").asText())
        .isEqualTo("One scaffold, one sign-up burst, complementary slices");
    assertThat(page.path("audit").get(0).path("members").asInt())
        .isEqualTo(CampaignScenario.MEMBERS);
    // The decided campaign leaves the queue.
    assertThat(getJson("/console/api/cases").path("cases").findValuesAsText("campaign_id"))
        .isEmpty();
  }

  private static HttpResponse<byte[]> get(String path, boolean token) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(scenario.baseUrl() + path))
            .timeout(Duration.ofSeconds(30));
    if (token) {
      b.header("Authorization", "Bearer " + CampaignScenario.TOKEN);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static JsonNode getJson(String path) throws Exception {
    HttpResponse<byte[]> r = get(path, true);
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(scenario.baseUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + CampaignScenario.TOKEN)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
