package io.distillguard.actors.account;

import io.distillguard.actors.account.AccountEntity.CampaignFlag;
import io.distillguard.actors.account.AccountEntity.FlagByCampaign;
import io.distillguard.policy.Level;

/**
 * Which campaign flag an account holds after its campaign's word ({@link FlagByCampaign}). Pure:
 * the account entity persists a change only when this returns another flag.
 *
 * <ul>
 *   <li>a word older than (or as old as) the flag the same campaign set is ignored: deliveries may
 *       repeat or arrive out of order;
 *   <li>OK lifts the flag only when the same campaign set it (a campaign cleared by a reviewer
 *       lifts its own flag, never another campaign's);
 *   <li>a flag from another campaign replaces the current one unless the current one is higher (an
 *       account moves to the campaign its group merged into);
 *   <li>the same level again changes nothing.
 * </ul>
 */
final class CampaignFlags {

  private CampaignFlags() {}

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
}
