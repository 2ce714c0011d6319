package io.distillguard.actors.escalation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RepeatedFailuresTest {

  private final AtomicLong now = new AtomicLong(1_000_000L);
  private final RepeatedFailures failures = new RepeatedFailures(300_000L, 2, now::get);

  @Test
  void aFailureRetriedEverySecondIsLoggedFirstThenOncePerIntervalWithItsRepeats() {
    assertThat(failures.failed("acct-1")).isEqualTo(new RepeatedFailures.Verdict(true, 0));
    for (int second = 1; second < 300; second++) {
      now.addAndGet(1_000L);
      assertThat(failures.failed("acct-1").log()).isFalse();
    }
    now.addAndGet(1_000L);
    assertThat(failures.failed("acct-1")).isEqualTo(new RepeatedFailures.Verdict(true, 299));
    now.addAndGet(1_000L);
    assertThat(failures.failed("acct-1")).isEqualTo(new RepeatedFailures.Verdict(false, 1));
  }

  @Test
  void anotherKeyIsLoggedAtOnceAndASuccessStartsAfresh() {
    failures.failed("acct-1");
    assertThat(failures.failed("acct-2").log()).isTrue();
    assertThat(failures.failed("acct-1").log()).isFalse();
    failures.succeeded("acct-1");
    assertThat(failures.failed("acct-1")).isEqualTo(new RepeatedFailures.Verdict(true, 0));
  }

  @Test
  void remembersABoundedNumberOfKeys() {
    failures.failed("acct-1");
    failures.failed("acct-2");
    failures.failed("acct-3"); // acct-1 leaves: it failed least recently
    assertThat(failures.failed("acct-1").log()).isTrue();
    assertThat(failures.failed("acct-3").log()).isFalse();
  }
}
