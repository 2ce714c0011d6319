package io.distillguard.actors.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillguard.actors.ActorService;
import io.distillguard.actors.TestFixtures;
import io.distillguard.actors.escalation.WebhookReceiver;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime feed: observations recorded by the actor service reach the campaign entity of the
 * group their link keys put the account in, and the entity decides. A swarm splitting a sweep is
 * one campaign at REVIEW with every member and raises one {@code campaign.review_requested}
 * Standard Webhook (signed, through the outbox) naming its members; a NAT organisation stays quiet.
 */
class CampaignFeedIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void aSwarmRaisesOneCampaignReviewRequestWhileANatOrganisationStaysQuiet() throws Exception {
    List<AccountObservation> traffic = SwarmTraffic.swarmBesideNatOrganisation();
    try (WebhookReceiver receiver = CampaignService.receiver();
        ActorService service = CampaignService.start(dir.resolve("data"), receiver)) {
      for (AccountObservation o : traffic) {
        service.intake().record(o).toCompletableFuture().join();
      }
      String id = service.campaigns().campaignOf("swarm-0").orElseThrow();
      for (int m = 1; m < 8; m++) {
        assertThat(service.campaigns().campaignOf("swarm-" + m)).contains(id);
      }
      CampaignEntity.CampaignStatus swarm = TestFixtures.campaignStatus(service, id);
      assertThat(swarm.members())
          .containsExactlyInAnyOrder(
              "swarm-0", "swarm-1", "swarm-2", "swarm-3", "swarm-4", "swarm-5", "swarm-6",
              "swarm-7");
      assertThat(swarm.level()).isEqualTo(Level.REVIEW);
      assertThat(swarm.reasons()).extracting(r -> r.rule()).contains("split-sweep");

      // The NAT organisation is linked (one IP, one sign-up burst) and judged, but stays OK.
      String nat = service.campaigns().campaignOf("nat-0").orElseThrow();
      assertThat(nat).isNotEqualTo(id);
      CampaignEntity.CampaignStatus natStatus = TestFixtures.campaignStatus(service, nat);
      assertThat(natStatus.members()).hasSizeGreaterThanOrEqualTo(2);
      assertThat(natStatus.level()).isEqualTo(Level.OK);

      // The journaled decisions reach the review system through the outbox: one review request
      // per decision (plus follow-ups as members join) naming the swarm, none for the NAT.
      assertThat(service.awaitSettled(Duration.ofSeconds(60))).isTrue();
      List<JsonNode> campaign = CampaignService.messages(receiver, "campaign.review_requested");
      assertThat(campaign).isNotEmpty();
      assertThat(campaign)
          .allSatisfy(d -> assertThat(d.path("campaign_id").asText()).isEqualTo(id));
      List<JsonNode> reviews =
          campaign.stream()
              .filter(d -> !d.path("follow_up").asBoolean())
              .filter(d -> d.path("level").asText().equals("REVIEW"))
              .toList();
      assertThat(reviews).hasSize(1);
      JsonNode review = reviews.get(0);
      assertThat(review.path("reasons").findValuesAsText("rule")).contains("split-sweep");
      assertThat(review.path("union_coverage_breadth").asDouble()).isGreaterThanOrEqualTo(0.5);
      assertThat(review.path("links").findValuesAsText("kind")).contains("content", "registration");
      assertThat(review.path("links").findValuesAsText("value"))
          .allSatisfy(v -> assertThat(v).matches("[0-9a-f]{16}"));
      assertThat(review.path("observed_at").asText()).endsWith("Z");
      Set<String> named = new TreeSet<>();
      for (JsonNode d : campaign) {
        d.path("accounts").forEach(a -> named.add(a.asText()));
      }
      assertThat(named).allSatisfy(a -> assertThat(a).startsWith("swarm-"));
      assertThat(named).hasSize(8);
      assertThat(service.intake().failed()).isZero();

      // A ninth account joins the escalated campaign: one follow-up lists all nine.
      for (AccountObservation o :
          SwarmTraffic.member("swarm-", 8, 8, 12, TestFixtures.T0 + 3_600_000L)) {
        service.intake().record(o).toCompletableFuture().join();
      }
      assertThat(service.awaitSettled(Duration.ofSeconds(60))).isTrue();
      List<JsonNode> followUps =
          CampaignService.messages(receiver, "campaign.review_requested").stream()
              .filter(d -> d.path("joined").toString().contains("swarm-8"))
              .toList();
      assertThat(followUps).hasSize(1);
      assertThat(followUps.get(0).path("follow_up").asBoolean()).isTrue();
      assertThat(followUps.get(0).path("accounts")).hasSize(9);

      // The API shows the campaign: in the list at REVIEW, and in detail with hashed links.
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + service.httpPort();
      JsonNode list = get(http, base + "/v1/campaigns?level=REVIEW");
      assertThat(list.path("campaigns").findValuesAsText("campaign_id")).containsExactly(id);
      assertThat(list.path("campaigns").get(0).path("members").asInt()).isEqualTo(9);
      JsonNode detail = get(http, base + "/v1/campaigns/" + id);
      assertThat(detail.path("level").asText()).isEqualTo("REVIEW");
      assertThat(detail.path("members").findValuesAsText("account_id")).hasSize(9);
      assertThat(detail.path("members").findValuesAsText("evidence"))
          .allSatisfy(h -> assertThat(h).startsWith("/v1/accounts/swarm-"));
      assertThat(detail.path("links").findValuesAsText("value"))
          .isNotEmpty()
          .allSatisfy(v -> assertThat(v).matches("[0-9a-f]{16}"));
      assertThat(detail.path("signals").path("complementarity").asDouble()).isGreaterThan(2.5);
      assertThat(
              http.send(
                      HttpRequest.newBuilder(URI.create(base + "/v1/campaigns/cmp-none")).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(404);
    }

    // A restart on the same database projects nothing twice: no campaign message is sent again,
    // and the campaign is still listed.
    try (WebhookReceiver receiver = CampaignService.receiver();
        ActorService service = CampaignService.start(dir.resolve("data"), receiver)) {
      assertThat(service.awaitSettled(Duration.ofSeconds(60))).isTrue();
      assertThat(CampaignService.messages(receiver, "campaign.review_requested")).isEmpty();
      JsonNode list =
          get(
              HttpClient.newHttpClient(),
              "http://127.0.0.1:" + service.httpPort() + "/v1/campaigns?level=REVIEW");
      assertThat(list.path("campaigns").get(0).path("members").asInt()).isEqualTo(9);
    }
  }

  private static JsonNode get(HttpClient http, String url) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url).isEqualTo(200);
    return JSON.readTree(r.body());
  }
}
