package io.distillguard.bench;

import io.distillguard.detect.AccountDetector;
import io.distillguard.detect.DetectionState;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Policy;
import io.distillguard.taxonomy.CapabilityTaxonomy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The work {@link RulesBuildComparison} times in each build of the rules: {@code
 * AccountDetector.observe} over the same accounts' streams as {@link AccountStateBenchmark}'s
 * throughput, interleaved as a keyed stream delivers them. Entered by reflection from another class
 * loader, hence static and typed with JDK types only.
 */
public final class ObserveRounds {

  private static AccountDetector detector;
  private static List<AccountObservation> interleaved;

  private ObserveRounds() {}

  /** Builds the detector and the streams: {@code accounts} of {@code perAccount} observations. */
  public static void setup(int accounts, int perAccount) {
    List<String> categories = CapabilityTaxonomy.loadDefault().names();
    Policy policy = Policy.loadDefault();
    detector = new AccountDetector(() -> policy, categories);
    interleaved = AccountStateBenchmark.interleaved(categories, accounts, perAccount);
  }

  /** One round from fresh states: the nanoseconds it took, and the observations it folded in. */
  public static long[] round() {
    Map<String, DetectionState> states = new HashMap<>();
    long start = System.nanoTime();
    for (AccountObservation o : interleaved) {
      detector.observe(states.computeIfAbsent(o.accountId(), id -> detector.newState()), o);
    }
    return new long[] {System.nanoTime() - start, interleaved.size()};
  }
}
