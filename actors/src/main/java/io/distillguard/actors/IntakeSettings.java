package io.distillguard.actors;

import com.typesafe.config.Config;
import io.distillguard.actors.ActorSettings.IntakeBatching;
import io.distillguard.actors.campaign.GroupingBounds;
import java.time.Duration;

/**
 * How observations come in ({@code drain} and {@code intake} of {@code distillguard.actors}).
 *
 * @param drainParallelism observations in flight while draining a channel
 * @param batching how observations are grouped into one command (and one journal write) per account
 * @param campaignOrder how recorded observations are put back into event-time order for the
 *     campaign grouping
 * @param grouping what bounds the memory of the cluster's campaign grouping ({@code
 *     intake.campaign-grouping}: {@code max-accounts}, {@code max-single-member-keys})
 */
public record IntakeSettings(
    int drainParallelism,
    IntakeBatching batching,
    CampaignOrder campaignOrder,
    GroupingBounds grouping) {

  /** The same settings with another campaign order. */
  IntakeSettings withCampaignOrder(CampaignOrder order) {
    return new IntakeSettings(drainParallelism, batching, order, grouping);
  }

  /** The same settings with another batching. */
  IntakeSettings withBatching(IntakeBatching other) {
    return new IntakeSettings(drainParallelism, other, campaignOrder, grouping);
  }

  /**
   * How long the campaign grouping's input is held to put it back into event-time order ({@code
   * intake.campaign-order}): an observation waits until the newest event time seen has passed its
   * own by {@code lateness}, and at most {@code maxHeld} observations wait (beyond that the
   * earliest go at once). The lateness is the arrival skew between accounts that is absorbed: the
   * minutes a file replay runs one account ahead of the others, seconds in live traffic, where a
   * smaller value makes campaign decisions follow the traffic sooner.
   */
  public record CampaignOrder(Duration lateness, int maxHeld) {
    /** Ten minutes of event time, 100,000 observations: what a file replay needs. */
    public static final CampaignOrder DEFAULT = new CampaignOrder(Duration.ofMinutes(10), 100_000);

    public CampaignOrder {
      if (lateness.isNegative() || maxHeld < 1) {
        throw new IllegalArgumentException(
            "intake.campaign-order: lateness must be >= 0 and max-held positive, got "
                + lateness
                + " and "
                + maxHeld);
      }
    }
  }

  static IntakeSettings fromConfig(Config c) {
    return new IntakeSettings(
        c.getInt("drain.parallelism"),
        new IntakeBatching(c.getInt("intake.max-batch"), c.getDuration("intake.batch-window")),
        new CampaignOrder(
            c.getDuration("intake.campaign-order.lateness"),
            c.getInt("intake.campaign-order.max-held")),
        new GroupingBounds(
            c.getInt("intake.campaign-grouping.max-accounts"),
            c.getInt("intake.campaign-grouping.max-single-member-keys")));
  }
}
