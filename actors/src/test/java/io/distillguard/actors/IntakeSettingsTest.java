package io.distillguard.actors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.distillguard.actors.campaign.GroupingBounds;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code distillguard.actors.intake} as read from the configuration, and what it refuses. */
class IntakeSettingsTest {

  @Test
  void theDefaultsHoldTenMinutesForTheCampaignGrouping() {
    IntakeSettings intake = ActorSettings.load().intake();
    assertThat(intake.batching())
        .isEqualTo(new ActorSettings.IntakeBatching(1000, Duration.ofMillis(20)));
    assertThat(intake.campaignOrder()).isEqualTo(IntakeSettings.CampaignOrder.DEFAULT);
    assertThat(intake.campaignOrder().lateness()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void aLiveServiceSetsAShorterLateness() {
    IntakeSettings intake =
        ActorSettings.fromConfig(
                ConfigFactory.parseString(
                        "intake.campaign-order { lateness = 45s, max-held = 20000 }")
                    .withFallback(ConfigFactory.load().getConfig("distillguard.actors")))
            .intake();
    assertThat(intake.campaignOrder())
        .isEqualTo(new IntakeSettings.CampaignOrder(Duration.ofSeconds(45), 20_000));
  }

  @Test
  void theCampaignGroupingHoldsAMillionAccountsUnlessConfiguredOtherwise() {
    assertThat(ActorSettings.load().intake().grouping())
        .isEqualTo(new GroupingBounds(1_000_000, 2_000_000));
    IntakeSettings intake =
        ActorSettings.fromConfig(
                ConfigFactory.parseString(
                        "intake.campaign-grouping { max-accounts = 5000000,"
                            + " max-single-member-keys = 300000 }")
                    .withFallback(ConfigFactory.load().getConfig("distillguard.actors")))
            .intake();
    assertThat(intake.grouping()).isEqualTo(new GroupingBounds(5_000_000, 300_000));
    // Other settings changed later keep it.
    assertThat(
            ActorSettings.load()
                .withCampaignOrder(IntakeSettings.CampaignOrder.DEFAULT)
                .withBatching(ActorSettings.IntakeBatching.PER_OBSERVATION)
                .intake()
                .grouping()
                .maxAccounts())
        .isEqualTo(1_000_000);
    assertThatThrownBy(
            () ->
                ActorSettings.fromConfig(
                    ConfigFactory.parseString("intake.campaign-grouping.max-accounts = 1")
                        .withFallback(ConfigFactory.load().getConfig("distillguard.actors"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("campaign-grouping.max-accounts");
    assertThatThrownBy(
            () ->
                ActorSettings.fromConfig(
                    ConfigFactory.parseString("intake.campaign-grouping.max-single-member-keys = 0")
                        .withFallback(ConfigFactory.load().getConfig("distillguard.actors"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("campaign-grouping.max-single-member-keys");
  }

  @Test
  void aNegativeLatenessOrNoRoomIsRefused() {
    assertThatThrownBy(() -> new IntakeSettings.CampaignOrder(Duration.ofSeconds(-1), 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("campaign-order");
    assertThatThrownBy(() -> new IntakeSettings.CampaignOrder(Duration.ofMinutes(1), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
