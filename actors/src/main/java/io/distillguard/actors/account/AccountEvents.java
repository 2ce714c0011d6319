package io.distillguard.actors.account;

import io.distillguard.actors.account.AccountEntity.AccountErased;
import io.distillguard.actors.account.AccountEntity.CampaignFlagged;
import io.distillguard.actors.account.AccountEntity.Event;
import io.distillguard.actors.account.AccountEntity.LevelChanged;
import io.distillguard.actors.account.AccountEntity.ObservationRecorded;
import io.distillguard.actors.account.AccountEntity.ObservationsRecorded;
import io.distillguard.actors.account.AccountEntity.Reviewed;
import io.distillguard.detect.AccountDetector;
import io.distillguard.detect.DetectionState;
import io.distillguard.policy.Decision;
import io.distillguard.signals.EventTimeSettings;

/**
 * How an account's journal events change its state: pure, and needs no policy (recorded decisions
 * are applied as they are). Used by the entity's event handler, on recovery and live alike.
 */
final class AccountEvents {

  private AccountEvents() {}

  static AccountState apply(AccountState state, Event event, AccountDetector detector) {
    if (event instanceof ObservationRecorded e) {
      return recorded(state, e);
    }
    if (event instanceof ObservationsRecorded e) {
      return chunk(state, e);
    }
    if (event instanceof LevelChanged e) {
      return state.carry(
          new AccountState(
              state.detection(),
              state.seen(),
              state.signals(),
              state.decision(),
              state.policyVersion(),
              e.signals().eventTimeMillis(),
              state.reviewer(),
              state.reviewNote(),
              state.reviewedAtMillis()));
    }
    if (event instanceof Reviewed e) {
      return reviewed(state, e, detector);
    }
    if (event instanceof CampaignFlagged e) {
      return state.withFlag(e.campaignId(), e.flag());
    }
    if (event instanceof AccountErased) {
      return new AccountState(
          detector.newState(), SeenEventIds.empty(), null, null, null, 0L, null, null, null);
    }
    throw new IllegalArgumentException("unknown account event " + event.getClass().getName());
  }

  private static AccountState recorded(AccountState state, ObservationRecorded e) {
    DetectionState next = state.detection().copy();
    AccountDetector.fold(
        next,
        e.observation(),
        e.eventTime() == null ? EventTimeSettings.DEFAULT : e.eventTime(),
        e.evidenceScore());
    if (e.hysteresis() != null) {
      next.restore(e.hysteresis());
    }
    boolean newDecision = e.decision() != null;
    return state.carry(
        new AccountState(
            next,
            state.seen().with(e.observation().eventId(), e.observation().eventTimeMillis()),
            next.signals(),
            newDecision ? e.decision() : state.decision(),
            newDecision ? e.policyVersion() : state.policyVersion(),
            state.levelSinceMillis(),
            state.reviewer(),
            state.reviewNote(),
            state.reviewedAtMillis()));
  }

  /**
   * A chunk's facts folded in order, as {@link #recorded} and the {@link LevelChanged} case would
   * one by one (the same state, bit for bit), on one copy of the detection state: a level change
   * only moves the level's start, and each observation's signals replace the previous ones.
   */
  private static AccountState chunk(AccountState state, ObservationsRecorded e) {
    DetectionState next = null;
    SeenEventIds seen = state.seen();
    Decision decision = state.decision();
    String policyVersion = state.policyVersion();
    long levelSince = state.levelSinceMillis();
    for (Event f : e.facts()) {
      if (f instanceof ObservationRecorded r) {
        if (next == null) {
          next = state.detection().copy();
        }
        AccountDetector.fold(
            next,
            r.observation(),
            r.eventTime() == null ? EventTimeSettings.DEFAULT : r.eventTime(),
            r.evidenceScore());
        if (r.hysteresis() != null) {
          next.restore(r.hysteresis());
        }
        seen = seen.with(r.observation().eventId(), r.observation().eventTimeMillis());
        if (r.decision() != null) {
          decision = r.decision();
          policyVersion = r.policyVersion();
        }
      } else if (f instanceof LevelChanged c) {
        levelSince = c.signals().eventTimeMillis();
      } else {
        throw new IllegalArgumentException("not a fact of a chunk: " + f.getClass().getName());
      }
    }
    return state.carry(
        new AccountState(
            next == null ? state.detection() : next,
            seen,
            next == null ? state.signals() : next.signals(),
            decision,
            policyVersion,
            levelSince,
            state.reviewer(),
            state.reviewNote(),
            state.reviewedAtMillis()));
  }

  private static AccountState reviewed(AccountState state, Reviewed e, AccountDetector detector) {
    DetectionState next = state.detection().copy();
    detector.review(next, e.verdict(), evidenceTime(state));
    return state.carry(
        new AccountState(
            next,
            state.seen(),
            state.signals(),
            state.decision(),
            state.policyVersion(),
            e.atMillis(),
            e.reviewer(),
            e.note(),
            e.atMillis()));
  }

  /** The event time up to which the reviewer saw the evidence. */
  private static long evidenceTime(AccountState state) {
    return state.signals() == null ? 0L : state.signals().eventTimeMillis();
  }
}
