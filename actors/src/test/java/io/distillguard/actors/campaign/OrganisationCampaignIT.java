package io.distillguard.actors.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.distillguard.actors.AccountStatus;
import io.distillguard.actors.ActorService;
import io.distillguard.actors.TestFixtures;
import io.distillguard.actors.escalation.WebhookReceiver;
import io.distillguard.campaign.CampaignDetector;
import io.distillguard.campaign.CampaignSignals;
import io.distillguard.campaign.LinkType;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A declared organisation is one principal in the running service: its members' observations reach
 * the campaign entity {@code org-...}, which judges the organisation's merged traffic against the
 * union of its members' stated uses. One that sweeps far beyond them is one campaign case at REVIEW
 * ({@code organisation-off-stated-use}) with a {@code campaign.review_requested} webhook naming its
 * members, each of whom is REVIEW through it; one whose members keep to their stated uses stays
 * quiet; a member also linked to a swarm holds both campaigns' flags, and a reviewer clearing the
 * swarm leaves the organisation's.
 */
class OrganisationCampaignIT {

  @TempDir Path dir;

  @Test
  void anOrganisationSweepingBeyondItsStatedUsesIsOneCampaignCase() throws Exception {
    String sweeping = CampaignDetector.orgId("sweep-corp");
    String calm = CampaignDetector.orgId("calm-corp");
    List<AccountObservation> traffic = new ArrayList<>();
    traffic.addAll(
        SwarmTraffic.declaredOrganisation("sweep-", "sweep-corp", 5, 60, true, TestFixtures.T0));
    traffic.addAll(
        SwarmTraffic.declaredOrganisation("calm-", "calm-corp", 5, 60, false, TestFixtures.T0));
    // swarm-0 also declares sweep-corp: linked to its swarm and a member of the organisation.
    for (AccountObservation o : SwarmTraffic.swarm("swarm-", 8, 12)) {
      traffic.add(o.accountId().equals("swarm-0") ? SwarmTraffic.declaring(o, "sweep-corp") : o);
    }
    traffic.sort(Comparator.comparingLong(AccountObservation::eventTimeMillis));

    try (WebhookReceiver receiver = CampaignService.receiver();
        ActorService service = CampaignService.start(dir.resolve("data"), receiver)) {
      TestFixtures.record(service, traffic);

      CampaignEntity.CampaignStatus org = TestFixtures.campaignStatus(service, sweeping);
      assertThat(org.members())
          .containsExactlyInAnyOrder(
              "sweep-0", "sweep-1", "sweep-2", "sweep-3", "sweep-4", "swarm-0");
      assertThat(org.level()).isEqualTo(Level.REVIEW);
      // Off the union of its members' stated uses (and, where two of its accounts were escalated
      // on their own, each account off its own).
      assertThat(org.reasons())
          .extracting(r -> r.rule())
          .contains("organisation-off-stated-use")
          .allMatch(r -> r.startsWith("organisation-"));

      CampaignEntity.CampaignStatus quiet = TestFixtures.campaignStatus(service, calm);
      assertThat(quiet.members()).hasSize(5);
      assertThat(quiet.level()).isEqualTo(Level.OK);

      // The swarm is its own campaign, with the same id as if no organisation were declared.
      String swarm = service.campaigns().campaignOf("swarm-0").orElseThrow();
      assertThat(swarm).startsWith("cmp-");
      assertThat(service.campaigns().campaignOf("swarm-1")).contains(swarm);
      assertThat(TestFixtures.campaignStatus(service, swarm).level()).isEqualTo(Level.REVIEW);

      // The organisation's decision reaches its members and the review system.
      assertThat(service.awaitSettled(Duration.ofSeconds(60))).isTrue();
      for (int i = 0; i < 5; i++) {
        AccountStatus member = service.status("sweep-" + i).toCompletableFuture().join();
        assertThat(member.level()).as("sweep-" + i).isEqualTo(Level.REVIEW);
        assertThat(member.campaignId()).isEqualTo(sweeping);
        assertThat(service.status("calm-" + i).toCompletableFuture().join().level())
            .isEqualTo(Level.OK);
      }
      List<JsonNode> reviews =
          CampaignService.messages(receiver, "campaign.review_requested").stream()
              .filter(d -> d.path("campaign_id").asText().equals(sweeping))
              .filter(d -> !d.path("follow_up").asBoolean())
              .toList();
      assertThat(reviews).hasSize(1);
      assertThat(reviews.get(0).path("level").asText()).isEqualTo("REVIEW");
      assertThat(reviews.get(0).path("reasons").findValuesAsText("rule"))
          .contains("organisation-off-stated-use");
      Set<String> named = new TreeSet<>();
      reviews.get(0).path("accounts").forEach(a -> named.add(a.asText()));
      assertThat(named).contains("sweep-0", "sweep-4", "swarm-0");
      assertThat(CampaignService.messages(receiver, "campaign.review_requested"))
          .noneSatisfy(d -> assertThat(d.path("campaign_id").asText()).isEqualTo(calm));

      // A reviewer clears the swarm: swarm-0 keeps the organisation's REVIEW.
      service
          .reviewCampaign(swarm, Level.CLEARED, "ana", "a study group")
          .toCompletableFuture()
          .join();
      assertThat(service.awaitSettled(Duration.ofSeconds(60))).isTrue();
      AccountStatus both = service.status("swarm-0").toCompletableFuture().join();
      assertThat(both.level()).isEqualTo(Level.REVIEW);
      assertThat(both.campaignId()).isEqualTo(sweeping);
      assertThat(service.status("swarm-1").toCompletableFuture().join().level())
          .isEqualTo(Level.OK);
      assertThat(service.intake().failed()).isZero();
    }

    // A restart recovers the swarm's id for its members, not the organisation's.
    try (WebhookReceiver receiver = CampaignService.receiver();
        ActorService service = CampaignService.start(dir.resolve("data"), receiver)) {
      List<AccountObservation> more = new ArrayList<>();
      for (int m = 0; m < 8; m++) {
        for (AccountObservation o :
            SwarmTraffic.memberWith(
                "swarm-" + m,
                m,
                8,
                2,
                TestFixtures.T0 + 7_200_000L,
                "again",
                SwarmTraffic.swarmKeys(m))) {
          more.add(m == 0 ? SwarmTraffic.declaring(o, "sweep-corp") : o);
        }
      }
      more.sort(Comparator.comparingLong(AccountObservation::eventTimeMillis));
      TestFixtures.record(service, more);
      String swarm = service.campaigns().campaignOf("swarm-0").orElseThrow();
      assertThat(swarm).startsWith("cmp-");
      assertThat(TestFixtures.campaignStatus(service, sweeping).members()).contains("swarm-0");
      assertThat(TestFixtures.campaignStatus(service, swarm).members()).contains("swarm-0");
    }
  }

  @Test
  void anOrganisationWhoseAccountsAllWrapTheirQueriesInOneHarnessCarriesThatLink()
      throws Exception {
    // The grouping tells the principal's entity which scaffold dominates two or more of its
    // accounts' traffic; an organisation sweeping through one harness is raised on it, one whose
    // accounts keep to their stated uses behind one internal gateway is not.
    String harness = CampaignDetector.orgId("harness-corp");
    String gateway = CampaignDetector.orgId("gateway-corp");
    List<AccountObservation> traffic = new ArrayList<>();
    traffic.addAll(
        SwarmTraffic.declaredOrganisation(
            "harness-", "harness-corp", 5, 60, true, TestFixtures.T0, "Grade yourself: %s"));
    traffic.addAll(
        SwarmTraffic.declaredOrganisation(
            "gateway-", "gateway-corp", 5, 60, false, TestFixtures.T0, "Via the gateway: %s"));
    traffic.sort(Comparator.comparingLong(AccountObservation::eventTimeMillis));

    try (WebhookReceiver receiver = CampaignService.receiver();
        ActorService service = CampaignService.start(dir.resolve("data"), receiver)) {
      TestFixtures.record(service, traffic);

      CampaignEntity.CampaignStatus org = TestFixtures.campaignStatus(service, harness);
      assertThat(org.links())
          .singleElement()
          .satisfies(
              l -> {
                assertThat(l.key().type()).isEqualTo(LinkType.SCAFFOLD);
                assertThat(l.members()).hasSize(5);
              });
      assertThat(org.currentSignals().get(CampaignSignals.SCAFFOLD_LINK_WEIGHT)).isGreaterThan(0.7);
      assertThat(org.level()).isEqualTo(Level.REVIEW);
      assertThat(org.reasons()).extracting(r -> r.rule()).contains("organisation-wrapped-sweep");

      CampaignEntity.CampaignStatus quiet = TestFixtures.campaignStatus(service, gateway);
      assertThat(quiet.currentSignals().get(CampaignSignals.SCAFFOLD_LINK_WEIGHT))
          .isGreaterThan(0.7);
      assertThat(quiet.level()).isEqualTo(Level.OK);
      assertThat(service.intake().failed()).isZero();
    }
  }
}
