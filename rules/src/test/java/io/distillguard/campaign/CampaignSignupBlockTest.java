package io.distillguard.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.contract.AccountProfile;
import io.distillguard.contract.QueryEvent;
import io.distillguard.enrich.Enrichment;
import io.distillguard.enrich.QueryEnricher;
import io.distillguard.fixtures.PromptSamples;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Policy;
import io.distillguard.taxonomy.CapabilityTaxonomy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sign-up block on the actor service's path: observations from the ingest job carry hashed keys
 * only, and the detector derives an account's {@link LinkType#SIGNUP_BLOCK} keys from the address
 * block of its queries and the sign-up time its joined profile brought.
 */
class CampaignSignupBlockTest {

  private static final Instant T0 = CampaignTraffic.T0;
  private static final LinkExtractor EXTRACTOR =
      new LinkExtractor(new LinkHasher("a-deployment-secret"));

  private final CampaignDetector detector =
      new CampaignDetector(Policy::loadDefault, CapabilityTaxonomy.loadDefault().names());
  private final List<String> prompts = PromptSamples.texts("mt_bench", 80);
  private final List<String> categories = CapabilityTaxonomy.loadDefault().names();
  private static final List<String> STATED_USES =
      List.of(
          "Drafting replies for our bakery's customer inbox.",
          "Homework hints for a middle-school algebra club.",
          "Summaries of city council minutes for local readers.",
          "Recipe scaling and shopping lists for a meal planner.",
          "Ticket triage for a bicycle repair shop.");

  @Test
  void accountsOfOneBlockSignedUpTogetherAreLinkedByTheirSignupBlockThroughObservations() {
    // Four accounts opened 25 minutes apart, each querying from its own address in one /24; a
    // fifth account of the same block signed up five days earlier.
    for (int a = 0; a < 4; a++) {
      feed("burst-" + a, T0.plus(Duration.ofMinutes(25L * a)), "198.51.100." + (10 + a), a);
    }
    feed("neighbour", T0.minus(Duration.ofDays(5)), "198.51.100.77", 4);

    String campaign = detector.campaignOf("burst-0").orElseThrow();
    for (int a = 0; a < 4; a++) {
      assertThat(detector.campaignOf("burst-" + a)).contains(campaign);
      assertThat(detector.linksOf(campaign, "burst-" + a))
          .filteredOn(l -> l.key().type() == LinkType.SIGNUP_BLOCK)
          .isNotEmpty();
    }
    // Sharing the block alone is one kind of link: the neighbour stays outside the campaign.
    assertThat(detector.campaignOf("neighbour")).isEmpty();
  }

  private void feed(String accountId, Instant created, String ip, int offset) {
    AccountProfile profile =
        new AccountProfile(
            accountId,
            STATED_USES.get(offset),
            null,
            null,
            created,
            created.plus(Duration.ofMinutes(4)),
            null,
            null,
            null);
    for (int q = 0; q < 12; q++) {
      QueryEvent e =
          new QueryEvent(
              accountId + "-e" + q,
              accountId,
              T0.plus(Duration.ofHours(6)).plus(Duration.ofMinutes(7L * q + offset)),
              prompts.get(offset * 12 + q),
              null,
              null,
              null,
              null,
              null,
              null,
              new QueryEvent.ClientInfo(ip, "Mozilla/5.0 (X11; Linux) writer/" + offset));
      AccountObservation o =
          QueryEnricher.observation(
              e, profile, null, new Enrichment(categories.get(q % 5), 0f, 0f, 0L, 0L, null));
      detector.observe(ObservationLinks.attach(o, e, profile, EXTRACTOR));
    }
  }
}
