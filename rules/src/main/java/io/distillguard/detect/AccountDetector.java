package io.distillguard.detect;

import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Decision;
import io.distillguard.policy.Level;
import io.distillguard.policy.Policy;
import io.distillguard.policy.Reason;
import io.distillguard.policy.Rule;
import io.distillguard.policy.ThrottlePlan;
import io.distillguard.signals.EventTimeSettings;
import io.distillguard.signals.Hashing;
import io.distillguard.signals.SignalSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Folds an account's observations into its {@link DetectionState} and evaluates the current policy
 * after each one. Stateless itself (thread-safe; the per-account state is the caller's) and
 * deterministic: the same observations in the same order under the same policy give the same
 * evaluations. Time is the observations' event time; the wall clock is never read.
 *
 * <p>Level transitions:
 *
 * <ul>
 *   <li>a rule <em>holds</em> when its condition is true and the account has its minimum sample; it
 *       <em>fires</em> once it has held for its {@code hold} evaluations and minutes in a row (a
 *       single miss restarts the count);
 *   <li>the decision's level is the highest level of the firing rules; the account rises to it at
 *       once;
 *   <li>a level is released only after no rule at or above it has fired for the policy's {@code
 *       release} time of event time; levels without a release time are sticky (an open REVIEW waits
 *       for a reviewer). Released, it falls to the highest firing level, but not below the highest
 *       sticky level under it (a lapsed THROTTLE leaves the case in REVIEW);
 *   <li>a reviewer's CLEARED resets every rule's hold; the account is escalated again only when its
 *       volume has grown by the policy's re-arm factor (and minimum) since the clear and a rule
 *       fires on holds built entirely after the clear; CONFIRMED stays until a reviewer changes it.
 * </ul>
 */
public final class AccountDetector {

  private final Supplier<Policy> policy;
  private final List<String> categories;

  public AccountDetector(Supplier<Policy> policy, List<String> categories) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.categories = List.copyOf(categories);
  }

  /** The category names new states count. */
  public List<String> categories() {
    return categories;
  }

  /** A fresh state for an account not seen before (level OK). */
  public DetectionState newState() {
    return new DetectionState(categories);
  }

  /**
   * Folds {@code o} into {@code state} and evaluates the current policy, unless its id is among the
   * account's recent ids ({@link Evaluation#duplicate()}: nothing changes). Event time does not
   * decide what is a duplicate: an event late by up to the policy's {@code event_time} lateness is
   * counted into the buckets of its own time, a later one into the totals and the sequential score
   * only ({@code late_events}), and a single event dated far in the future is undone as soon as the
   * next event is back on the account's real timeline ({@code future_dated_events}). The ring of
   * recent ids only catches redeliveries of the last few hundred events: exact dedupe of older
   * replays is the caller's.
   */
  public Evaluation observe(DetectionState state, AccountObservation o) {
    return observe(state, o, policy.get());
  }

  /**
   * The policy in force now (the one {@link #observe(DetectionState, AccountObservation)} uses).
   */
  public Policy currentPolicy() {
    return policy.get();
  }

  /** As {@link #observe(DetectionState, AccountObservation)}, under the policy {@code p}. */
  public Evaluation observe(DetectionState state, AccountObservation o, Policy p) {
    Level previous = state.level;
    if (state.recentIds.seenOrAdd(Hashing.hash(o.eventId()))) {
      return new Evaluation(true, state.signals.snapshot(), Decision.ok(), previous, previous);
    }
    int features = state.signals.record(o, p.eventTime());
    state.signals.addEvidence(p.evidence().weight(features));
    SignalSnapshot snapshot = state.signals.snapshot();
    Decision decision = decide(state, p, snapshot);
    transition(state, p, decision.level(), snapshot.eventTimeMillis());
    return new Evaluation(false, snapshot, decision, previous, state.level);
  }

  /**
   * The policy-free half of {@link #observe}: folds {@code o} into the signals as {@link #observe}
   * did when it decided on it, from what that decision recorded (the event-time settings it used
   * and the sequential score it reached); the level and the rules' hysteresis are left as they are.
   * An event-sourced caller replays an event with this and then restores the recorded {@link
   * DetectionState.Hysteresis}, so a replay never re-decides under another policy.
   *
   * @param time the event-time settings of the policy that decided on {@code o}
   * @param evidenceScore the sequential score after {@code o}, as {@link
   *     DetectionState#evidenceScore()} read it then
   * @return true when the observation was counted (false: a redelivery among the recent ids)
   */
  public static boolean fold(
      DetectionState state, AccountObservation o, EventTimeSettings time, double evidenceScore) {
    if (state.recentIds.seenOrAdd(Hashing.hash(o.eventId()))) {
      return false;
    }
    state.signals.record(o, time);
    state.signals.restoreEvidence(evidenceScore);
    return true;
  }

  /**
   * Records a reviewer's verdict at {@code atMillis}: {@link Level#CLEARED} (false positive:
   * suppresses re-escalation on the evidence seen so far) or {@link Level#CONFIRMED}.
   */
  public void review(DetectionState state, Level verdict, long atMillis) {
    switch (verdict) {
      case CLEARED -> {
        state.level = Level.CLEARED;
        state.clearedAtQueries = state.queriesObserved();
        state.clearedAtMillis = atMillis;
        state.holds.clear();
      }
      case CONFIRMED -> state.level = Level.CONFIRMED;
      default ->
          throw new IllegalArgumentException(
              "a reviewer's verdict is CLEARED or CONFIRMED, not " + verdict);
    }
    state.levelSinceMillis = atMillis;
    state.lastSupportedMillis = atMillis;
  }

  private Decision decide(DetectionState state, Policy p, SignalSnapshot snapshot) {
    long now = snapshot.eventTimeMillis();
    Level level = Level.OK;
    List<Reason> reasons = new ArrayList<>();
    int held = 0;
    for (Rule rule : p.rules()) {
      int mark = reasons.size();
      if (!rule.holds(snapshot, reasons)) {
        if (!state.holds.isEmpty()) {
          state.holds.remove(rule.name());
        }
        continue;
      }
      DetectionState.Hold hold =
          state.holds.computeIfAbsent(rule.name(), n -> new DetectionState.Hold(0, now));
      held++;
      hold.consecutive = (int) Math.min(Integer.MAX_VALUE, hold.consecutive + 1L);
      boolean fires =
          hold.consecutive >= rule.holdEvaluations()
              && now - hold.sinceMillis >= rule.holdMinutes() * 60_000L;
      if (fires) {
        if (rule.level().isAbove(level)) {
          level = rule.level();
        }
      } else {
        // Held but not fired yet: its reasons are not the decision's.
        reasons.subList(mark, reasons.size()).clear();
      }
    }
    // Rules removed by a policy reload must not leave hysteresis state behind.
    if (state.holds.size() > held) {
      state.holds.keySet().retainAll(p.ruleNames());
    }
    Optional<ThrottlePlan> plan =
        level == Level.THROTTLE ? Optional.of(throttlePlan(state, p)) : Optional.empty();
    return new Decision(level, reasons, plan);
  }

  /**
   * The throttle an account would get now under the current policy: its off-stated-use categories
   * cut to the policy's share (every category evenly without a stated use). Used when the account
   * is throttled through its campaign rather than by its own rules.
   */
  public ThrottlePlan throttlePlan(DetectionState state) {
    return throttlePlan(state, policy.get());
  }

  private ThrottlePlan throttlePlan(DetectionState state, Policy p) {
    Policy.ThrottleSettings t = p.throttle();
    List<String> names = state.signals.categories();
    float[] expected = state.signals.statedUseShares();
    Map<String, Double> shares = new LinkedHashMap<>();
    if (expected != null) {
      double total = 0;
      for (float e : expected) {
        total += Math.max(0f, e);
      }
      for (int i = 0; i < names.size(); i++) {
        double e = total > 0 ? Math.max(0f, expected[i]) / total : 0.0;
        if (e < t.statedUseMinShare()) {
          shares.put(names.get(i), t.offStatedUseShare());
        }
      }
    }
    if (shares.isEmpty()) {
      // No profile, or a stated use that covers every category: throttle the account evenly.
      for (String name : names) {
        shares.put(name, t.noProfileShare());
      }
    }
    return new ThrottlePlan(shares, t.ttl());
  }

  private static void transition(DetectionState state, Policy p, Level decided, long now) {
    Level current = state.level;
    if (current == Level.CONFIRMED) {
      return;
    }
    if (current == Level.CLEARED) {
      if (decided != Level.OK && rearmed(state, p)) {
        enter(state, decided, now);
      }
      return;
    }
    if (decided.isAbove(current)) {
      enter(state, decided, now);
    } else if (decided == current) {
      state.lastSupportedMillis = now;
    } else {
      Optional<java.time.Duration> release = p.releaseAfter(current);
      if (release.isPresent() && now - state.lastSupportedMillis >= release.get().toMillis()) {
        Level floor = Level.OK;
        for (Level l : Level.values()) {
          if (l.isAutomatic()
              && l != Level.OK
              && current.isAbove(l)
              && p.releaseAfter(l).isEmpty()) {
            floor = l;
          }
        }
        enter(state, floor.isAbove(decided) ? floor : decided, now);
      }
    }
  }

  private static boolean rearmed(DetectionState state, Policy p) {
    long at = state.clearedAtQueries;
    long q = state.queriesObserved();
    Policy.RearmSettings r = p.rearm();
    return q >= Math.ceil(at * r.volumeFactor()) && q >= at + r.minNewQueries();
  }

  private static void enter(DetectionState state, Level level, long now) {
    state.level = level;
    state.levelSinceMillis = now;
    state.lastSupportedMillis = now;
  }
}
