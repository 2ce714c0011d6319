package io.distillguard.actors.account;

import io.distillguard.actors.account.AccountEntity.Event;
import io.distillguard.actors.account.AccountEntity.LevelChanged;
import io.distillguard.actors.account.AccountEntity.ObservationRecorded;
import io.distillguard.contract.ContractCodec;
import io.distillguard.detect.AccountDetector;
import io.distillguard.detect.DetectionState;
import io.distillguard.detect.Evaluation;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Decision;
import io.distillguard.policy.Policy;
import io.distillguard.policy.Reason;
import io.distillguard.signals.EventTimeSettings;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an account entity decides on a batch of observations: the events to persist, in order, or
 * why the batch is refused. Decided against a working copy of the state (one copy per batch); the
 * event handler ({@link AccountEvents}) later folds the same events into the state, as on recovery.
 * The only place the policy is read: what it decides here is recorded, never recomputed.
 */
final class ObservationDecisions {

  private static final Logger LOG = LoggerFactory.getLogger(AccountEntity.class);

  private ObservationDecisions() {}

  /** The events to persist (possibly none: every observation was a replay), or a refusal. */
  record Outcome(List<Event> events, String refusal) {}

  static Outcome decide(
      String accountId,
      AccountState state,
      List<AccountObservation> observations,
      AccountDetector detector) {
    for (AccountObservation o : observations) {
      if (!accountId.equals(o.accountId())) {
        return new Outcome(List.of(), "observation for another account: " + o.accountId());
      }
      String invalid = invalidId(o);
      if (invalid != null) {
        return new Outcome(List.of(), invalid);
      }
    }
    Policy policy = detector.currentPolicy();
    SeenEventIds seen = state.seen();
    DetectionState probe = null;
    DetectionState.Hysteresis held = null;
    Decision decided = state.decision();
    String decidedBy = state.policyVersion();
    List<Event> events = new ArrayList<>(observations.size() + 1);
    for (AccountObservation o : observations) {
      if (seen.contains(o.eventId(), o.eventTimeMillis())) {
        continue; // counted before: a replay
      }
      if (seen.beyondHorizon(o.eventTimeMillis())) {
        // Older than the dedupe horizon behind the newest event: it cannot be told from a replay.
        LOG.debug("account {}: event {} is beyond the dedupe horizon", accountId, o.eventId());
        continue;
      }
      if (probe == null) {
        probe = state.detection().copy();
        held = probe.hysteresis();
      }
      Evaluation ev = detector.observe(probe, o, policy);
      if (ev.duplicate()) {
        continue;
      }
      seen = seen.with(o.eventId(), o.eventTimeMillis());
      // A new policy version journals its decision once, even when it decides the same.
      boolean newDecision =
          !sameDecision(ev.decision(), decided) || !policy.version().equals(decidedBy);
      if (newDecision) {
        decided = ev.decision();
        decidedBy = policy.version();
      }
      DetectionState.Hysteresis after = probe.hysteresis();
      boolean hysteresisMoved = !after.equals(held);
      held = after;
      events.add(
          new ObservationRecorded(
              // The account's signals never read the campaign link keys: they stay out of the
              // journal (a few hundred bytes an observation), the hashed client IP stays in.
              o.linkKeys() == null ? o : o.withLinkKeys(null, o.clientIp()),
              probe.queriesObserved(),
              // Folding an observation leaves the hysteresis as it was (AccountEvents), so it is
              // journaled only when the rules moved it, and on the events the effects projection
              // reads (the account index keeps the level they state).
              hysteresisMoved || AccountEffectsTags.projected(probe.queriesObserved())
                  ? after
                  : null,
              newDecision ? ev.decision() : null,
              newDecision ? policy.version() : null,
              // Null stands for the default (AccountEvents), as in most policies.
              EventTimeSettings.DEFAULT.equals(policy.eventTime()) ? null : policy.eventTime(),
              probe.evidenceScore()));
      if (ev.level() != ev.previousLevel()) {
        events.add(
            new LevelChanged(
                ev.previousLevel(),
                ev.level(),
                o.eventId(),
                ev.decision(),
                ev.signals(),
                policy.version(),
                ev.escalated()));
        // The one log line per decision: ids and rule names only, never prompts.
        LOG.info(
            "account {} {} {} -> {} at {} queries (event {}; rules {}; policy {})",
            accountId,
            ev.escalated() ? "escalated" : "changed",
            ev.previousLevel(),
            ev.level(),
            ev.signals().queriesObserved(),
            o.eventId(),
            ev.decision().reasons().stream().map(r -> r.rule()).distinct().toList(),
            policy.version());
      }
    }
    return new Outcome(events, null);
  }

  /**
   * Whether {@code next} decides what {@code recorded} decided: the same level, throttle plan and
   * reasons (rule, signal and threshold, in order). The reasons' values are not compared: they
   * follow the signals, which change with every observation, and journaling the decision for that
   * alone put its reasons (a kilobyte and more) into nearly every event of an escalated account.
   * The recorded decision's values are those of its last change; the status shows current values in
   * its signals.
   */
  static boolean sameDecision(Decision next, Decision recorded) {
    if (recorded == null
        || next.level() != recorded.level()
        || !next.throttle().equals(recorded.throttle())
        || next.reasons().size() != recorded.reasons().size()) {
      return false;
    }
    for (int i = 0; i < next.reasons().size(); i++) {
      Reason a = next.reasons().get(i);
      Reason b = recorded.reasons().get(i);
      if (!a.rule().equals(b.rule())
          || !a.signal().equals(b.signal())
          || Double.compare(a.threshold(), b.threshold()) != 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Why {@code o}'s ids break the contract's identifier length (which the journal's keys rely on),
   * or null. The ingest job dead-letters such events; this guards records that reach the
   * observation topic another way.
   */
  static String invalidId(AccountObservation o) {
    if (o.eventId() == null || o.eventId().isEmpty()) {
      return "event_id is missing";
    }
    for (String[] field :
        new String[][] {{"account_id", o.accountId()}, {"event_id", o.eventId()}}) {
      int chars = field[1].codePointCount(0, field[1].length());
      if (chars > ContractCodec.MAX_ID_CHARS) {
        return field[0] + " is " + chars + " characters, limit " + ContractCodec.MAX_ID_CHARS;
      }
    }
    return null;
  }
}
