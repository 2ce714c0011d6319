package io.distillguard.actors.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillguard.actors.ActorService;
import io.distillguard.actors.ActorSettings;
import io.distillguard.actors.ClusterSettings;
import io.distillguard.actors.TestFixtures;
import io.distillguard.actors.api.EvidenceSource;
import io.distillguard.actors.escalation.WebhookReceiver;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Members' cases through their campaign, on the real service (H2, HTTP on 127.0.0.1, a webhook
 * receiver): a swarm's campaign at REVIEW flags every member REVIEW with the campaign's id (API,
 * account index, {@code account.review_requested} with {@code data.campaign_id}), a member joining
 * later too; a reviewer's CONFIRMED throttles the members, CLEARED lifts the flag; the NAT
 * organisation's accounts stay OK; when a reviewer confirms half of them one by one, the account
 * journal's own levels reach their campaign, where an operator's rule on them makes one case.
 */
class CampaignMembersIT {

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void membersAreReviewedThroughTheirCampaignThrottledOnConfirmAndUnflaggedOnClear()
      throws Exception {
    List<AccountObservation> traffic = SwarmTraffic.swarmBesideNatOrganisation();
    try (WebhookReceiver receiver = WebhookReceiver.start(SECRET);
        ActorService service = start(receiver)) {
      for (AccountObservation o : traffic) {
        service.intake().record(o).toCompletableFuture().join();
      }
      String id = service.campaigns().campaignOf("swarm-0").orElseThrow();
      assertThat(service.awaitSettled(Duration.ofSeconds(60))).isTrue();
      // Settled: no campaign effect and no member's flag waits, as /metrics reports too.
      assertThat(service.metrics().scrape())
          .containsPattern("(?m)^distillguard_member_flags_pending 0\\.0$")
          .containsPattern(
              "(?m)^distillguard_projection_behind_events\\{projection=\"campaign-effects\"\\}"
                  + " 0\\.0$");
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + service.httpPort();

      // Every member is REVIEW through the campaign, and its case points at it.
      for (int m = 0; m < 8; m++) {
        JsonNode account = get(http, base + "/v1/accounts/swarm-" + m);
        assertThat(account.path("level").asText()).as("swarm-%d", m).isEqualTo("REVIEW");
        assertThat(account.path("campaign_id").asText()).isEqualTo(id);
        assertThat(account.path("open_case").asBoolean()).isTrue();
      }
      for (int i = 0; i < 10; i++) {
        JsonNode account = get(http, base + "/v1/accounts/nat-" + i);
        assertThat(account.path("level").asText()).isEqualTo("OK");
        assertThat(account.path("campaign_id").isNull()).isTrue();
      }
      JsonNode reviewList = get(http, base + "/v1/accounts?level=REVIEW");
      assertThat(reviewList.findValuesAsText("account_id"))
          .containsExactlyInAnyOrder(
              "swarm-0", "swarm-1", "swarm-2", "swarm-3", "swarm-4", "swarm-5", "swarm-6",
              "swarm-7");

      // Each member's case reached the review system once, naming the campaign.
      List<JsonNode> memberReviews = accountMessages(receiver, "account.review_requested");
      assertThat(memberReviews).hasSize(8);
      assertThat(memberReviews)
          .allSatisfy(
              d -> {
                assertThat(d.path("campaign_id").asText()).isEqualTo(id);
                assertThat(d.path("level").asText()).isEqualTo("REVIEW");
                assertThat(d.path("reasons").findValuesAsText("rule")).contains("split-sweep");
              });

      // A member joining the campaign later is flagged too.
      for (AccountObservation o :
          SwarmTraffic.member("swarm-", 8, 8, 12, TestFixtures.T0 + 3_600_000L)) {
        service.intake().record(o).toCompletableFuture().join();
      }
      assertThat(service.awaitSettled(Duration.ofSeconds(60))).isTrue();
      JsonNode late = get(http, base + "/v1/accounts/swarm-8");
      assertThat(late.path("level").asText()).isEqualTo("REVIEW");
      assertThat(late.path("campaign_id").asText()).isEqualTo(id);

      // A reviewer confirms the campaign: every member is throttled.
      review(service, id, Level.CONFIRMED);
      awaitAccounts(http, base, 9, "THROTTLE", id);
      assertThat(service.awaitSettled(Duration.ofSeconds(60))).isTrue();
      assertThat(service.throttles().active(System.currentTimeMillis()))
          .extracting(d -> d.accountId())
          .hasSize(9)
          .allSatisfy(a -> assertThat(a).startsWith("swarm-"));
      List<JsonNode> throttled = accountMessages(receiver, "account.throttled");
      assertThat(throttled).hasSize(9);
      assertThat(throttled)
          .allSatisfy(d -> assertThat(d.path("campaign_id").asText()).isEqualTo(id));

      // The reviewer clears it after all: the flags are lifted, the throttles withdrawn, and the
      // members are back at their own level.
      review(service, id, Level.CLEARED);
      awaitAccounts(http, base, 9, "OK", null);
      assertThat(service.awaitSettled(Duration.ofSeconds(60))).isTrue();
      assertThat(service.throttles().active(System.currentTimeMillis())).isEmpty();
      assertThat(accountMessages(receiver, "account.throttled"))
          .filteredOn(d -> d.path("throttle").path("categories").isEmpty())
          .hasSize(9);
      assertThat(get(http, base + "/v1/accounts?level=REVIEW").findValuesAsText("account_id"))
          .isEmpty();

      // Each verdict reached the review system once, as its own campaign message.
      for (String type : List.of("campaign.confirmed", "campaign.cleared")) {
        List<JsonNode> verdicts = accountMessages(receiver, type);
        assertThat(verdicts).as(type).hasSize(1);
        JsonNode v = verdicts.get(0);
        assertThat(v.path("campaign_id").asText()).isEqualTo(id);
        assertThat(v.path("level").asText())
            .isEqualTo(type.equals("campaign.confirmed") ? "CONFIRMED" : "CLEARED");
        assertThat(v.path("accounts")).hasSize(9);
        assertThat(v.path("members").asInt()).isEqualTo(9);
        assertThat(v.path("reviewer").asText()).isEqualTo("ana");
        assertThat(v.path("note").asText()).isEqualTo("checked");
        assertThat(v.path("observed_at").asText()).isNotEmpty();
      }

      // Every real delivery validates against its published JSON Schema: the campaign's review
      // requests (decision and follow-up) and verdicts against campaign-webhook.v1, the members'
      // against escalation-webhook.v1.
      assertThat(receiver.bodies().values())
          .anyMatch(b -> b.contains("\"follow_up\":true"))
          .anyMatch(b -> b.contains("\"follow_up\":false"))
          .anyMatch(b -> b.contains("\"campaign_id\"") && b.contains("\"account_id\""));
      for (String body : receiver.bodies().values()) {
        assertThat(WebhookSchemas.errors(body)).as(body).isEmpty();
      }
    }
  }

  @Test
  void afterAConfirmationAFreshLinkedAccountIsFlaggedWithinItsFirstObservations() throws Exception {
    try (WebhookReceiver receiver = WebhookReceiver.start(SECRET);
        ActorService service =
            ActorService.startWith(
                ActorSettings.defaults(dir.resolve("data"))
                    .withWebhook(receiver.url("/review"), SECRET)
                    .withHttp("127.0.0.1", 0, null),
                ClusterSettings.local(),
                new EvidenceSource.Unavailable("not needed here"))) {
      for (AccountObservation o : SwarmTraffic.swarm("swarm-", 8, 12)) {
        service.intake().record(o).toCompletableFuture().join();
      }
      String id = service.campaigns().campaignOf("swarm-0").orElseThrow();
      assertThat(service.awaitSettled(Duration.ofSeconds(60))).isTrue();
      review(service, id, Level.CONFIRMED);
      assertThat(service.awaitSettled(Duration.ofSeconds(60))).isTrue();

      // Days later a fresh account carries on the sweep on the campaign's scaffold, address and
      // sign-up burst; another fresh account asks as broadly, linked to no one.
      long later = TestFixtures.T0 + 2 * 86_400_000L;
      List<AccountObservation> evader = SwarmTraffic.member("swarm-", 9, 8, 10, later);
      List<AccountObservation> loner = SwarmTraffic.loner("loner", 10, later);
      int flaggedAt = -1;
      int throttledAt = -1;
      for (int q = 0; q < evader.size(); q++) {
        service.intake().record(evader.get(q)).toCompletableFuture().join();
        service.intake().record(loner.get(q)).toCompletableFuture().join();
        assertThat(service.awaitSettled(Duration.ofSeconds(60))).isTrue();
        var status = service.status("swarm-9").toCompletableFuture().join();
        if (flaggedAt < 0 && status.campaignId() != null) {
          flaggedAt = q + 1;
          assertThat(status.campaignId()).isEqualTo(id);
        }
        if (throttledAt < 0 && status.level() == Level.THROTTLE) {
          throttledAt = q + 1;
        }
        var lonerStatus = service.status("loner").toCompletableFuture().join();
        assertThat(lonerStatus.level()).as("loner after %d", q + 1).isEqualTo(Level.OK);
        assertThat(lonerStatus.campaignId()).isNull();
      }
      // Flagged on its first observation (address and sign-up burst link it: REVIEW), throttled
      // once its scaffold links it too (content with infrastructure and registration: strong).
      assertThat(flaggedAt).as("observations until flagged").isEqualTo(1);
      assertThat(throttledAt).as("observations until throttled").isEqualTo(3);
      assertThat(service.campaigns().campaignOf("loner")).isEmpty();
      List<JsonNode> reviews = accountMessages(receiver, "account.review_requested");
      assertThat(reviews)
          .filteredOn(d -> d.path("account_id").asText().equals("swarm-9"))
          .isNotEmpty()
          .allSatisfy(d -> assertThat(d.path("campaign_id").asText()).isEqualTo(id));
      assertThat(reviews).noneMatch(d -> d.path("account_id").asText().equals("loner"));
    }
  }

  @Test
  void accountsMovedIntoAConfirmedCampaignByAMergeAreTreatedAsAccountsJoiningItDirectly()
      throws Exception {
    try (WebhookReceiver receiver = WebhookReceiver.start(SECRET);
        ActorService service = start(receiver)) {
      // Two operations, each its own campaign at REVIEW; a reviewer confirms the second (the
      // older group, whose id survives when the two meet).
      List<AccountObservation> before = new ArrayList<>();
      for (int m = 0; m < 8; m++) {
        before.addAll(
            SwarmTraffic.memberWith(
                "swarm-" + m, m, 8, 12, TestFixtures.T0, "e", SwarmTraffic.swarmKeys(m)));
        before.addAll(
            SwarmTraffic.memberWith(
                "twin-" + m, m, 8, 12, TestFixtures.T0, "e", SwarmTraffic.twinKeys(m)));
      }
      before.sort(Comparator.comparingLong(AccountObservation::eventTimeMillis));
      for (AccountObservation o : before) {
        service.intake().record(o).toCompletableFuture().join();
      }
      String x = service.campaigns().campaignOf("swarm-0").orElseThrow();
      String y = service.campaigns().campaignOf("twin-0").orElseThrow();
      assertThat(x).isNotEqualTo(y);
      assertThat(service.awaitSettled(Duration.ofSeconds(60))).isTrue();
      review(service, y, Level.CONFIRMED);
      assertThat(service.awaitSettled(Duration.ofSeconds(60))).isTrue();

      // Directly: a fresh account carries on the second operation's sweep.
      long later = TestFixtures.T0 + 86_400_000L;
      for (AccountObservation o :
          SwarmTraffic.memberWith("twin-9", 9, 8, 10, later, "e", SwarmTraffic.twinKeys(9))) {
        service.intake().record(o).toCompletableFuture().join();
      }
      // By a merge: the first operation's accounts switch to the second one's scaffold and
      // addresses, so one group spans both campaigns and the first merges into the confirmed one.
      List<AccountObservation> bridged = new ArrayList<>();
      for (int m = 0; m < 8; m++) {
        bridged.addAll(
            SwarmTraffic.memberWith(
                "swarm-" + m, m, 8, 6, later + 3_600_000L, "f", SwarmTraffic.twinKeys(m)));
      }
      bridged.sort(Comparator.comparingLong(AccountObservation::eventTimeMillis));
      for (AccountObservation o : bridged) {
        service.intake().record(o).toCompletableFuture().join();
      }
      assertThat(service.awaitSettled(Duration.ofSeconds(60))).isTrue();
      assertThat(service.campaigns().campaignOf("swarm-0")).contains(y);
      assertThat(service.campaign(x).toCompletableFuture().get().mergedInto()).isEqualTo(y);

      // The same member level, campaign and messages either way: THROTTLE under the confirmed
      // campaign, for linking to it strongly.
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + service.httpPort();
      List<String> accounts = new ArrayList<>(List.of("twin-9"));
      for (int m = 0; m < 8; m++) {
        accounts.add("swarm-" + m);
      }
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .untilAsserted(
              () -> {
                for (String a : accounts) {
                  JsonNode account = get(http, base + "/v1/accounts/" + a);
                  assertThat(account.path("level").asText()).as(a).isEqualTo("THROTTLE");
                  assertThat(account.path("campaign_id").asText()).as(a).isEqualTo(y);
                }
              });
      assertThat(service.awaitSettled(Duration.ofSeconds(60))).isTrue();
      java.util.Map<String, List<String>> throttles = new java.util.TreeMap<>();
      for (String type : List.of("account.review_requested", "account.throttled")) {
        for (JsonNode d : accountMessages(receiver, type)) {
          if (d.path("level").asText().equals("THROTTLE")
              || type.equals("account.throttled")
                  && !d.path("throttle").path("categories").isEmpty()) {
            throttles
                .computeIfAbsent(d.path("account_id").asText(), k -> new ArrayList<>())
                .add(
                    type
                        + " "
                        + d.path("campaign_id").asText()
                        + " "
                        + d.path("reasons").findValuesAsText("rule"));
          }
        }
      }
      List<String> direct = throttles.get("twin-9");
      assertThat(direct).isNotEmpty();
      direct.sort(null);
      for (int m = 0; m < 8; m++) {
        List<String> merged = throttles.get("swarm-" + m);
        assertThat(merged).as("swarm-%d", m).isNotNull();
        merged.sort(null);
        assertThat(merged).as("swarm-%d", m).isEqualTo(direct);
      }
      for (String body : receiver.bodies().values()) {
        assertThat(WebhookSchemas.errors(body)).as(body).isEmpty();
      }
    }
  }

  @Test
  void anOperatorsRuleOnEscalatedMembersMakesAccountsConfirmedOneByOneOneCase() throws Exception {
    // The shipped policy with the rule an operator may add (docs/campaigns.md, "Accounts escalated
    // one by one"): linked accounts escalated on their own, half the group, are one case.
    Path policy = dir.resolve("policy.yaml");
    java.nio.file.Files.writeString(
        policy,
        io.distillguard.fixtures.OperatorPolicies.withEscalatedTogether(
            io.distillguard.policy.Policy.defaultText()));
    try (WebhookReceiver receiver = WebhookReceiver.start(SECRET);
        ActorService service = start(settings(receiver).withPolicyFile(policy))) {
      String id = officeWithFiveConfirmedOneByOne(service);
      CampaignEntity.CampaignStatus status = TestFixtures.campaignStatus(service, id);
      assertThat(status.level()).isEqualTo(Level.REVIEW);
      assertThat(status.reasons()).extracting(r -> r.rule()).containsOnly("escalated-together");
      assertThat(status.signals().get(io.distillguard.campaign.CampaignSignals.ESCALATED_MEMBERS))
          .isEqualTo(5.0);
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + service.httpPort();
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .untilAsserted(
              () -> {
                for (int i = 5; i < 10; i++) {
                  JsonNode account = get(http, base + "/v1/accounts/nat-" + i);
                  assertThat(account.path("level").asText()).as("nat-%d", i).isEqualTo("REVIEW");
                  assertThat(account.path("campaign_id").asText()).isEqualTo(id);
                }
              });
      // The confirmed accounts keep their reviewer's verdict.
      assertThat(get(http, base + "/v1/accounts/nat-0").path("level").asText())
          .isEqualTo("CONFIRMED");
    }
  }

  /**
   * The NAT organisation (linked, each account asking its own topic, quiet), then a reviewer who
   * confirms five of its ten accounts one by one on their own evidence (facts of the accounts'
   * journals, which the grouping learns from the effects projection), then two more queries of each
   * account, which carry the members' own levels to their campaign. Returns its id.
   */
  private static String officeWithFiveConfirmedOneByOne(ActorService service) throws Exception {
    TestFixtures.record(service, SwarmTraffic.natOrganisation("nat-", 12));
    assertThat(service.awaitSettled(Duration.ofSeconds(60))).isTrue();
    String id = service.campaigns().campaignOf("nat-0").orElseThrow();
    assertThat(TestFixtures.campaignStatus(service, id).level()).isEqualTo(Level.OK);
    for (int i = 0; i < 5; i++) {
      String account = "nat-" + i;
      ClusterSharding.get(service.system())
          .entityRefFor(io.distillguard.actors.account.AccountEntity.ENTITY_TYPE_KEY, account)
          .<io.distillguard.actors.AccountStatus>askWithStatus(
              replyTo ->
                  new io.distillguard.actors.account.AccountEntity.ReviewAccount(
                      Level.CONFIRMED, "ana", "sweeps on its own", replyTo),
              Duration.ofSeconds(10))
          .toCompletableFuture()
          .join();
    }
    assertThat(service.awaitSettled(Duration.ofSeconds(60))).isTrue();
    List<AccountObservation> next = new ArrayList<>();
    for (AccountObservation o : SwarmTraffic.natOrganisation("nat-", 14)) {
      if (Integer.parseInt(o.eventId().substring(o.eventId().indexOf("-e") + 2)) >= 12) {
        next.add(o);
      }
    }
    TestFixtures.record(service, next);
    assertThat(service.awaitSettled(Duration.ofSeconds(60))).isTrue();
    return id;
  }

  @Test
  void aCampaignShowsItsMembersEscalatedOnTheirOwnWithoutRaisingOnThem() throws Exception {
    try (WebhookReceiver receiver = WebhookReceiver.start(SECRET);
        ActorService service = start(receiver)) {
      String id = officeWithFiveConfirmedOneByOne(service);

      // The shipped rules do not raise a group on its escalated members alone; the reviewer sees
      // them among the campaign's current signals.
      assertThat(TestFixtures.campaignStatus(service, id).level()).isEqualTo(Level.OK);
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + service.httpPort();
      JsonNode campaign = get(http, base + "/v1/campaigns/" + id);
      assertThat(campaign.path("signals").size()).isZero();
      assertThat(campaign.path("current_signals").path("escalated_members").asDouble())
          .isEqualTo(5.0);
      assertThat(campaign.path("current_signals").path("escalated_member_share").asDouble())
          .isEqualTo(0.5);
      assertThat(campaign.path("current_signals").path("members").asDouble()).isEqualTo(10.0);
      assertThat(get(http, base + "/v1/accounts/nat-9").path("level").asText()).isEqualTo("OK");
    }
  }

  /** One service on H2, its webhooks (review and throttle) going to {@code receiver}. */
  private ActorService start(WebhookReceiver receiver) {
    return start(settings(receiver));
  }

  /** The settings of {@link #start(WebhookReceiver)}, for a test that adds one of its own. */
  private ActorSettings settings(WebhookReceiver receiver) {
    return ActorSettings.defaults(dir.resolve("data"))
        .withWebhook(receiver.url("/review"), SECRET)
        .withThrottleUrl(receiver.url("/throttle"))
        .withHttp("127.0.0.1", 0, null);
  }

  private static ActorService start(ActorSettings settings) {
    return ActorService.startWith(
        settings, ClusterSettings.local(), new EvidenceSource.Unavailable("not needed here"));
  }

  private static void review(ActorService service, String id, Level verdict) {
    ClusterSharding.get(service.system())
        .entityRefFor(CampaignEntity.ENTITY_TYPE_KEY, id)
        .<CampaignEntity.CampaignStatus>askWithStatus(
            replyTo -> new CampaignEntity.ReviewCampaign(verdict, "ana", "checked", replyTo),
            Duration.ofSeconds(10))
        .toCompletableFuture()
        .join();
  }

  private static void awaitAccounts(
      HttpClient http, String base, int members, String level, String campaignId) {
    Predicate<JsonNode> expected =
        a ->
            a.path("level").asText().equals(level)
                && (campaignId == null
                    ? a.path("campaign_id").isNull()
                    : a.path("campaign_id").asText().equals(campaignId));
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              for (int m = 0; m < members; m++) {
                JsonNode a = get(http, base + "/v1/accounts/swarm-" + m);
                assertThat(expected.test(a)).as("swarm-%d: %s", m, a).isTrue();
              }
            });
  }

  private static List<JsonNode> accountMessages(WebhookReceiver receiver, String type)
      throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String body : receiver.bodies().values()) {
      JsonNode n = JSON.readTree(body);
      if (n.path("type").asText().equals(type)) {
        out.add(n.path("data"));
      }
    }
    return out;
  }

  static JsonNode get(HttpClient http, String url) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url).isEqualTo(200);
    return JSON.readTree(r.body());
  }
}
