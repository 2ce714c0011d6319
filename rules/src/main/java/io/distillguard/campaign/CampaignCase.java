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

  /**
   * The rules' runs of holds, rule name to {consecutive, since millis}: what an event-sourced owner
   * journals with each evaluation so a recovery resumes the hysteresis as it was.
   */
  public Map<String, long[]> holdsSnapshot() {
    Map<String, long[]> out = new HashMap<>();
    holds.forEach((rule, h) -> out.put(rule, new long[] {h.consecutive, h.sinceMillis}));
    return out;
  }

  /** Replaces the rules' holds with a {@link #holdsSnapshot()}. */
  public void restoreHolds(Map<String, long[]> snapshot) {
    holds.clear();
    snapshot.forEach(
        (rule, v) -> {
          Hold h = new Hold(v[1]);
          h.consecutive = (int) v[0];
          holds.put(rule, h);
        });
  }

  /** Event time the level was last supported by a firing rule (releases count from it). */
  public long lastSupportedMillis() {
    return lastSupportedMillis;
  }

  /** Members the campaign had when a reviewer cleared it (0 when never cleared). */
  public long clearedAtMembers() {
    return clearedAtMembers;
  }

  /** A case with every part given (an event-sourced owner rebuilding it from its state). */
  public static CampaignCase of(
      Level level,
      long levelSinceMillis,
      long lastSupportedMillis,
      long clearedAtMembers,
      List<Reason> reasons,
      Map<String, long[]> holds) {
    CampaignCase c = new CampaignCase();
    c.level = level;
    c.levelSinceMillis = levelSinceMillis;
    c.lastSupportedMillis = lastSupportedMillis;
    c.clearedAtMembers = clearedAtMembers;
    c.reasons = List.copyOf(reasons);
    c.restoreHolds(holds);
    return c;
  }

  /** An independent copy. */
  public CampaignCase copy() {
    CampaignCase c = new CampaignCase();
    c.level = level;
    c.levelSinceMillis = levelSinceMillis;
    c.lastSupportedMillis = lastSupportedMillis;
    c.clearedAtMembers = clearedAtMembers;
    c.reasons = reasons;
    c.restoreHolds(holdsSnapshot());
    return c;
  }

  /** Restores a recorded level (an event-sourced owner replaying its journal). */
  public void restore(Level level, long sinceMillis, List<Reason> reasons) {
    this.level = level;
    this.levelSinceMillis = sinceMillis;
    this.lastSupportedMillis = sinceMillis;
    this.reasons = List.copyOf(reasons);
  }
}
