package io.distillguard.campaign;

import io.distillguard.policy.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The policy's {@code campaign_rules} section: the rules over campaign signals, when a campaign
 * level is released, when a cleared campaign re-arms, and how link keys are tracked. A policy file
 * without the section has no campaign rules ({@link #NONE}): groups are still formed and shown, but
 * never escalated.
 *
 * @param rules evaluated in order on every evaluation of a group
 * @param releaseAfter event time a level must go unsupported before it is released; absent = sticky
 *     (an open REVIEW waits for a reviewer)
 * @param rearmMembersFactor a CLEARED campaign is escalated again only once it has this many times
 *     the members it had when cleared
 * @param links how link keys are tracked and weighed
 */
public record CampaignPolicy(
    List<CampaignRule> rules,
    Map<Level, Duration> releaseAfter,
    double rearmMembersFactor,
    LinkSettings links) {

  /** No campaign rules, default link settings. */
  public static final CampaignPolicy NONE =
      new CampaignPolicy(List.of(), Map.of(), 2.0, LinkSettings.DEFAULT);

  public CampaignPolicy {
    rules = List.copyOf(rules);
    releaseAfter = Map.copyOf(releaseAfter);
    if (rearmMembersFactor < 1) {
      throw new IllegalArgumentException("rearm members factor must be >= 1");
    }
  }

  public Optional<Duration> release(Level level) {
    return Optional.ofNullable(releaseAfter.get(level));
  }
}
