package io.distillguard.campaign;

import io.distillguard.policy.Level;
import io.distillguard.policy.Reason;
import io.distillguard.signals.SignalSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Evaluates a campaign's signals against the campaign rules, with the same hysteresis as account
 * rules: a rule fires once it has held for its evaluations and minutes in a row; the campaign rises
 * to the highest firing level at once; a level is released only after its release time without
 * support (REVIEW is sticky by default); a reviewer's CLEARED holds until the campaign has grown by
 * the re-arm factor, CONFIRMED stays. Stateless and deterministic; time is event time.
 */
public final class CampaignDecider {

  private CampaignDecider() {}

  /** Evaluates {@code signals} under {@code policy} and moves {@code state} accordingly. */
  public static CampaignDecision evaluate(
      CampaignCase state, CampaignPolicy policy, SignalSnapshot signals) {
    return evaluate(state, policy, signals, 1);
  }

  /**
   * {@link #evaluate(CampaignCase, CampaignPolicy, SignalSnapshot)} standing for {@code
   * evaluations} evaluations on these signals: an owner that evaluates once for several
   * observations (a campaign entity, once per intake chunk) counts each of its members'
   * observations toward the rules' {@code hold.evaluations}, as an evaluation after every
   * observation would, so a rule's hold does not depend on how observations were chunked.
   *
   * @param evaluations how many evaluations this one stands for; at least 1
   */
  public static CampaignDecision evaluate(
      CampaignCase state, CampaignPolicy policy, SignalSnapshot signals, int evaluations) {
    if (evaluations < 1) {
      throw new IllegalArgumentException("evaluations must be at least 1: " + evaluations);
    }
    long now = signals.eventTimeMillis();
    Level previous = state.level;
    Level decided = Level.OK;
    List<Reason> reasons = new ArrayList<>();
    List<String> active = new ArrayList<>();
    for (CampaignRule rule : policy.rules()) {
      active.add(rule.name());
      List<Reason> ruleReasons = new ArrayList<>();
      if (!rule.holds(signals, ruleReasons)) {
        state.holds.remove(rule.name());
        continue;
      }
      CampaignCase.Hold hold =
          state.holds.computeIfAbsent(rule.name(), n -> new CampaignCase.Hold(now));
      hold.consecutive = (int) Math.min(Integer.MAX_VALUE, (long) hold.consecutive + evaluations);
      if (hold.consecutive >= rule.holdEvaluations()
          && now - hold.sinceMillis >= rule.holdMinutes() * 60_000L) {
        reasons.addAll(ruleReasons);
        if (rule.level().isAbove(decided)) {
          decided = rule.level();
        }
      }
    }
    state.holds.keySet().retainAll(active);
    transition(state, policy, decided, reasons, now, (long) signals.get(CampaignSignals.MEMBERS));
    return new CampaignDecision(signals, decided, reasons, previous, state.level);
  }

  /** A reviewer's verdict (CLEARED or CONFIRMED) at {@code atMillis}. */
  public static void review(CampaignCase state, Level verdict, long members, long atMillis) {
    switch (verdict) {
      case CLEARED -> {
        state.level = Level.CLEARED;
        state.clearedAtMembers = members;
        state.holds.clear();
      }
      case CONFIRMED -> state.level = Level.CONFIRMED;
      default ->
          throw new IllegalArgumentException(
              "a reviewer's verdict is CLEARED or CONFIRMED, not " + verdict);
    }
    state.reasons = List.of();
    state.levelSinceMillis = atMillis;
    state.lastSupportedMillis = atMillis;
  }

  private static void transition(
      CampaignCase state,
      CampaignPolicy policy,
      Level decided,
      List<Reason> reasons,
      long now,
      long members) {
    Level current = state.level;
    if (current == Level.CONFIRMED) {
      return;
    }
    if (current == Level.CLEARED) {
      if (decided != Level.OK
          && members >= Math.ceil(state.clearedAtMembers * policy.rearmMembersFactor())) {
        enter(state, decided, reasons, now);
      }
      return;
    }
    if (decided.isAbove(current)) {
      enter(state, decided, reasons, now);
    } else if (decided == current) {
      state.lastSupportedMillis = now;
    } else {
      Optional<Duration> release = policy.release(current);
      if (release.isPresent() && now - state.lastSupportedMillis >= release.get().toMillis()) {
        enter(state, decided, reasons, now);
      }
    }
  }

  private static void enter(CampaignCase state, Level level, List<Reason> reasons, long now) {
    state.level = level;
    state.reasons = List.copyOf(reasons);
    state.levelSinceMillis = now;
    state.lastSupportedMillis = now;
  }
}
