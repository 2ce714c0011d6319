package io.distillguard.campaign;

import io.distillguard.policy.Level;
import io.distillguard.policy.Reason;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The decision state of one campaign: its level, the hysteresis of each campaign rule, and what a
 * reviewer decided. Mutable, owned by one caller (the in-memory detector, a campaign entity);
 * changed only by {@link CampaignDecider}.
 */
public final class CampaignCase {

  /** A rule's run of consecutive holds. */
  static final class Hold {
    int consecutive;
    final long sinceMillis;

    Hold(long sinceMillis) {
      this.sinceMillis = sinceMillis;
    }
  }

  Level level = Level.OK;
  long levelSinceMillis;
  long lastSupportedMillis;
  long clearedAtMembers;
  List<Reason> reasons = List.of();
  final Map<String, Hold> holds = new HashMap<>();

  public Level level() {
    return level;
  }

  public long levelSinceMillis() {
    return levelSinceMillis;
  }

  /** The reasons of the decision that set the current level (empty for a reviewer's verdict). */
  public List<Reason> reasons() {
    return reasons;
  }

  /** Restores a recorded level (an event-sourced owner replaying its journal). */
  public void restore(Level level, long sinceMillis, List<Reason> reasons) {
    this.level = level;
    this.levelSinceMillis = sinceMillis;
    this.lastSupportedMillis = sinceMillis;
    this.reasons = List.copyOf(reasons);
  }
}
