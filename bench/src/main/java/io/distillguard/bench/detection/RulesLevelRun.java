package io.distillguard.bench.detection;

import io.distillguard.detect.AccountDetector;
import io.distillguard.detect.DetectionState;
import io.distillguard.detect.Evaluation;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Level;
import io.distillguard.policy.Policy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores the scored split with the rules-level detector ({@link AccountDetector} under the policy,
 * one thread) over the split's cached payload observations ({@link SplitObservations}, written by
 * {@code --prepare}): the same observations the ingest job would send, without the replay's
 * pipeline around them. The first REVIEW-or-above and WATCH-or-above query of each account.
 */
final class RulesLevelRun {

  private RulesLevelRun() {}

  /** First flags of one run: account to the query count of its first REVIEW+ and WATCH+. */
  record FirstFlags(Map<String, Long> review, Map<String, Long> watch) {}

  static FirstFlags run(Path splitDir, Policy policy) throws IOException {
    SplitObservations split = SplitObservations.read(splitDir);
    return run(split.observations(), split.categories(), policy);
  }

  static FirstFlags run(List<AccountObservation> observations, List<String> categories, Policy p) {
    AccountDetector detector = new AccountDetector(() -> p, categories);
    Map<String, DetectionState> states = new HashMap<>();
    Map<String, Long> review = new HashMap<>();
    Map<String, Long> watch = new HashMap<>();
    for (AccountObservation o : observations) {
      DetectionState state = states.computeIfAbsent(o.accountId(), k -> detector.newState());
      Evaluation ev = detector.observe(state, o);
      Level level = ev.level();
      if (level.isAutomatic() && level != Level.OK) {
        watch.putIfAbsent(o.accountId(), state.queriesObserved());
        if (level.isAbove(Level.WATCH)) {
          review.putIfAbsent(o.accountId(), state.queriesObserved());
        }
      }
    }
    return new FirstFlags(review, watch);
  }
}
