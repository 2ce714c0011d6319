package io.distillguard.bench.detection.campaign;

import io.distillguard.detect.AccountDetector;
import io.distillguard.detect.DetectionState;
import io.distillguard.detect.Evaluation;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Level;
import io.distillguard.policy.Policy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-account detector (the shipped policy's account rules, {@link AccountDetector}) over the
 * same observations: the first REVIEW-or-above of every account, next to which the campaign
 * detector is reported.
 */
final class PerAccountBaseline {

  private PerAccountBaseline() {}

  static Map<String, CampaignScorer.Flag> run(
      List<AccountObservation> observations, List<String> categories, Policy policy) {
    AccountDetector detector = new AccountDetector(() -> policy, categories);
    Map<String, DetectionState> states = new HashMap<>();
    Map<String, CampaignScorer.Flag> flags = new HashMap<>();
    long processed = 0;
    for (AccountObservation o : observations) {
      DetectionState state = states.computeIfAbsent(o.accountId(), k -> detector.newState());
      Evaluation ev = detector.observe(state, o);
      processed++;
      if (ev.level().isAbove(Level.WATCH) && !flags.containsKey(o.accountId())) {
        flags.put(o.accountId(), new CampaignScorer.Flag(processed, state.queriesObserved()));
      }
    }
    return flags;
  }
}
