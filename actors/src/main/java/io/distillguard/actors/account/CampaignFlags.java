package io.distillguard.actors.account;

import io.distillguard.actors.account.AccountEntity.CampaignFlag;
import io.distillguard.actors.account.AccountEntity.CampaignFlagged;
import io.distillguard.actors.account.AccountEntity.FlagByCampaign;
import io.distillguard.detect.AccountDetector;
import io.distillguard.policy.Decision;
import io.distillguard.policy.Level;
import java.util.Objects;
import java.util.Optional;

/**
 * Which campaign flags an account holds after a campaign's word ({@link FlagByCampaign}). Pure: the
 * account entity persists a change only when this returns another flag.
 *
 * <p>An account holds at most two flags, each decided on its own by the rules below: its linked
 * campaign's (the group its link keys put it in) and its declared organisation's ({@code org-...},
 * the principal all the organisation's accounts form). Its level is its own raised to the higher of
 * the two, so a reviewer clearing one campaign never lifts what the other decided.
 *
 * <ul>
 *   <li>an account without history takes no flag: it was never observed (a campaign's members are
 *       recorded by their own entity first) or it was erased, and a flag that was on its way when
 *       the erasure ran must not start a new history naming the campaign;
 *   <li>a word older than (or as old as) the flag the same campaign set is ignored: deliveries may
 *       repeat or arrive out of order;
 *   <li>OK lifts the flag only when the same campaign set it (a campaign cleared by a reviewer
 *       lifts its own flag, never another campaign's);
 *   <li>a flag from another campaign replaces the current one unless the current one is higher (an
 *       account moves to the campaign its group merged into);
 *   <li>the same level again changes nothing;
 *   <li>after an erasure, a word of a campaign the account was erased from that is older than the
 *       campaign's erasure fact is about the erased history: ignored, also once the account has a
 *       new history (sent new traffic before the word arrived), and a flag such a word set before
 *       the erasure completed is lifted ({@link #beforeErasure}, {@link #liftErased}).
 * </ul>
 */
final class CampaignFlags {

  private CampaignFlags() {}

  /**
   * What the account entity journals for {@code cmd} in {@code state}: nothing when the flag stays
   * as it is; else the new flag with the account's level before and after, the campaign's reasons
   * and, when the flag throttles an account its own rules do not, the account's own throttle plan.
   */
  static Optional<CampaignFlagged> decide(
      AccountState state, FlagByCampaign cmd, AccountDetector detector) {
    if (state.queriesObserved() == 0) {
      return Optional.empty();
    }
    CampaignFlag current = state.flagFor(cmd.campaignId());
    CampaignFlag next = next(current, cmd);
    if (Objects.equals(next, current)) {
      return Optional.empty();
    }
    CampaignFlag held = state.withFlag(cmd.campaignId(), next).highestFlag();
    Level own = state.ownLevel();
    Level from = state.level();
    Level to = effective(own, held);
    boolean throttles = to == Level.THROTTLE && own != Level.THROTTLE;
    Decision decision =
        new Decision(
            to,
            cmd.reasons(),
            throttles ? Optional.of(detector.throttlePlan(state.detection())) : Optional.empty());
    return Optional.of(
        new CampaignFlagged(
            next, cmd.campaignId(), from, to, decision, state.signals(), to.isAbove(from), held));
  }

  /** The higher of two flags (either may be null; {@code first} on a tie). */
  static CampaignFlag higher(CampaignFlag first, CampaignFlag second) {
    if (first == null) {
      return second;
    }
    return second != null && second.level().isAbove(first.level()) ? second : first;
  }

  /**
   * An account's level with its campaign flag: the higher of the two automatic levels; a reviewer's
   * verdict on the account itself (CLEARED, CONFIRMED) stands.
   */
  static Level effective(Level own, CampaignFlag flag) {
    if (flag == null || !own.isAutomatic()) {
      return own;
    }
    return flag.level().isAbove(own) ? flag.level() : own;
  }

  static CampaignFlag next(CampaignFlag current, FlagByCampaign cmd) {
    Level level = cmd.level();
    if (level != Level.OK && level != Level.REVIEW && level != Level.THROTTLE) {
      return current;
    }
    boolean same = current != null && current.campaignId().equals(cmd.campaignId());
    if (same && cmd.campaignSeq() <= current.seq()) {
      return current;
    }
    if (level == Level.OK) {
      return same ? null : current;
    }
    if (current != null && (current.level().isAbove(level) || same && current.level() == level)) {
      return current;
    }
    return new CampaignFlag(cmd.campaignId(), level, cmd.campaignSeq(), cmd.atMillis());
  }

  /**
   * Whether {@code cmd} was decided before its campaign was restated without the account: {@code
   * erasedFrom} holds, per campaign the account was erased from, the sequence number of that
   * campaign's erasure fact.
   */
  static boolean beforeErasure(java.util.Map<String, Long> erasedFrom, FlagByCampaign cmd) {
    Long fact = erasedFrom.get(cmd.campaignId());
    return fact != null && cmd.campaignSeq() < fact;
  }

  /**
   * The changes that lift the account's flags a campaign it was erased from set before its erasure
   * fact, in order (the linked campaign's first); empty when each flag is another's, newer, or
   * none.
   */
  static java.util.List<CampaignFlagged> liftErased(
      AccountState state,
      java.util.Map<String, Long> erasedFrom,
      long nowMillis,
      AccountDetector detector) {
    java.util.List<CampaignFlagged> out = new java.util.ArrayList<>();
    AccountState s = state;
    for (CampaignFlag current : state.flags()) {
      Long fact = erasedFrom.get(current.campaignId());
      if (fact == null || current.seq() >= fact) {
        continue;
      }
      Optional<CampaignFlagged> lifted =
          decide(
              s,
              new FlagByCampaign(
                  current.campaignId(), Level.OK, fact, java.util.List.of(), nowMillis, null),
              detector);
      if (lifted.isPresent()) {
        out.add(lifted.get());
        s = s.withFlag(current.campaignId(), lifted.get().flag());
      }
    }
    return out;
  }
}
