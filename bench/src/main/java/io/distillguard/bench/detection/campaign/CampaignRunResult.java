package io.distillguard.bench.detection.campaign;

import java.util.List;
import java.util.Map;

/**
 * What one replay of a split through the campaign detector produced.
 *
 * @param flags per account, its first REVIEW-or-above through a campaign
 * @param detected every campaign the detector raised to REVIEW or above, at the end of the replay
 * @param confirmations campaigns the simulated reviewer confirmed (0 without a reviewer)
 * @param trackedKeys link keys tracked at the end
 * @param approxKeyBytes the detector's own estimate of the link tables' heap bytes at the end
 * @param seconds wall time of the replay
 */
public record CampaignRunResult(
    Map<String, CampaignScorer.Flag> flags,
    List<Detected> detected,
    int confirmations,
    long trackedKeys,
    long approxKeyBytes,
    double seconds) {

  /**
   * One raised campaign as a reviewer would get it.
   *
   * @param id the detector's campaign id
   * @param grouping how it was formed (linked accounts or a declared organisation)
   * @param level its level at the end
   * @param members its members at the end
   * @param truth the ground-truth group most of its members belong to (or the kind of account)
   * @param truthKind the kind of those members
   * @param purity the share of its members in that group
   * @param reasons the rules behind its level
   */
  public record Detected(
      String id,
      String grouping,
      String level,
      int members,
      String truth,
      CampaignKind truthKind,
      double purity,
      String reasons) {}
}
