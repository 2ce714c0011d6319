package io.distillguard.actors.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The published campaign webhook schema tells a reviewer's verdict apart from a review request: a
 * verdict carries its reviewer and a level that matches its type.
 */
class CampaignWebhookSchemaTest {

  private static String verdict(String type, String level, String reviewer) {
    return "{\"type\":\""
        + type
        + "\",\"timestamp\":\"2026-10-06T09:00:00Z\",\"data\":{\"campaign_id\":"
        + "\"cmp-4f0c2a9b1d7e5a31\",\"level\":\""
        + level
        + "\",\"observed_at\":\"2026-10-06T08:59:58Z\",\"accounts\":[\"swarm-0\",\"swarm-1\"],"
        + "\"evidence\":[\"/v1/accounts/swarm-0/evidence\",\"/v1/accounts/swarm-1/evidence\"],"
        + "\"members\":2"
        + (reviewer == null ? "" : ",\"reviewer\":\"" + reviewer + "\"")
        + ",\"note\":null}}";
  }

  @Test
  void aVerdictValidatesWithItsReviewerAndMatchingLevel() {
    assertThat(WebhookSchemas.errors(verdict("campaign.confirmed", "CONFIRMED", "ana"))).isEmpty();
    assertThat(WebhookSchemas.errors(verdict("campaign.cleared", "CLEARED", "ana"))).isEmpty();
  }

  @Test
  void aVerdictWithoutReviewerOrWithTheOtherLevelIsRejected() {
    assertThat(WebhookSchemas.errors(verdict("campaign.confirmed", "CLEARED", "ana"))).isNotEmpty();
    assertThat(WebhookSchemas.errors(verdict("campaign.cleared", "REVIEW", "ana"))).isNotEmpty();
    assertThat(WebhookSchemas.errors(verdict("campaign.confirmed", "CONFIRMED", null)))
        .isNotEmpty();
    // A review request is still held to its own shape.
    assertThat(WebhookSchemas.errors(verdict("campaign.review_requested", "REVIEW", "ana")))
        .isNotEmpty();
  }
}
