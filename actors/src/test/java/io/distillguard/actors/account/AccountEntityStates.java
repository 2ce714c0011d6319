package io.distillguard.actors.account;

import io.distillguard.detect.AccountDetector;
import io.distillguard.detect.DetectionState;
import io.distillguard.detect.Evaluation;

/** Builds entity states for tests outside the package (the constructor is package-private). */
public final class AccountEntityStates {

  public AccountState empty(AccountDetector detector) {
    return new AccountState(
        detector.newState(), SeenEventIds.empty(), null, null, null, 0L, null, null, null);
  }

  public AccountState of(DetectionState d, Evaluation last) {
    return new AccountState(
        d,
        SeenEventIds.empty().with("e-1", last.signals().eventTimeMillis()),
        last.signals(),
        last.decision(),
        "test-ladder-1",
        last.signals().eventTimeMillis(),
        "ana",
        "n",
        9L);
  }
}
