package io.distillguard.bench.detection.campaign;

import io.distillguard.detect.AccountDetector;
import io.distillguard.detect.DetectionState;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Level;
import io.distillguard.policy.Policy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-account detector (the shipped policy's account rules, {@link AccountDetector}) over the
 * same observations: the first REVIEW-or-above of every account, next to which the campaign
 * detector is reported; and, one observation at a time, the own level the campaign replay hands the
 * campaign detector after each query (as the runtime's account effects hand it to the grouping).
 */
final class PerAccountBaseline {

  private final AccountDetector detector;
  private final Map<String, DetectionState> states = new HashMap<>();

  PerAccountBaseline(List<String> categories, Policy policy) {
    this.detector = new AccountDetector(() -> policy, categories);
  }

  /** The account's own level after {@code o} (observations in the split's order). */
  Level observe(AccountObservation o) {
    DetectionState state = states.computeIfAbsent(o.accountId(), k -> detector.newState());
    return detector.observe(state, o).level();
  }

  /** Queries the account's own detector has counted. */
  long queries(String accountId) {
    DetectionState state = states.get(accountId);
    return state == null ? 0 : state.queriesObserved();
  }

  static Map<String, CampaignScorer.Flag> run(
      List<AccountObservation> observations, List<String> categories, Policy policy) {
    PerAccountBaseline own = new PerAccountBaseline(categories, policy);
    Map<String, CampaignScorer.Flag> flags = new HashMap<>();
    long processed = 0;
    for (AccountObservation o : observations) {
      Level level = own.observe(o);
      processed++;
      if (level.isAbove(Level.WATCH) && !flags.containsKey(o.accountId())) {
        flags.put(o.accountId(), new CampaignScorer.Flag(processed, own.queries(o.accountId())));
      }
    }
    return flags;
  }
}
