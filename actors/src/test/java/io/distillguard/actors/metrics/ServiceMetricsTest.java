package io.distillguard.actors.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.actors.escalation.JournalTail;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The gauges read what they were given for as long as the node runs: Micrometer keeps only weak
 * references to a gauge's state, so a reading function held by nothing else (a lambda, a bound
 * method reference) would be collected with the next garbage collection and the series would read
 * NaN from then on, silently disarming the alerts on it.
 */
class ServiceMetricsTest {

  @Test
  void gaugesAndCountersKeepReadingAfterAGarbageCollection() {
    ServiceMetrics m = new ServiceMetrics(Map::of, Map::of);
    AtomicLong lag = new AtomicLong(7);
    AtomicLong failures = new AtomicLong(3);
    AtomicLong pending = new AtomicLong(2);
    String refused = "rule x: op";
    // Capturing lambdas, referenced from nowhere else once registered.
    m.consumerLag(() -> lag.get());
    m.projection(
        "account-effects",
        () -> new JournalTail.Lag(pending.get() + 3, 1_000),
        () -> failures.get());
    m.memberFlags(() -> pending.get());
    m.retention(() -> lag.get() * 1000, () -> failures.get() + 1);
    m.policyFile(() -> refused.isEmpty() ? null : refused);

    collectGarbage();

    String scrape = m.scrape();
    assertThat(scrape)
        .contains("distillguard_consumer_records_lag_max 7.0")
        .contains("distillguard_projection_behind_events{projection=\"account-effects\"} 5.0")
        .contains("distillguard_projection_failures_total{projection=\"account-effects\"} 3.0")
        .contains("distillguard_member_flags_pending 2.0")
        .contains("distillguard_retention_last_success_seconds 7.0")
        .contains("distillguard_retention_failures_total 4.0")
        .contains("distillguard_policy_file_refused 1.0")
        .doesNotContain("NaN");
  }

  /** Runs the collector until an object reachable only weakly is gone. */
  private static void collectGarbage() {
    WeakReference<Object> sentinel = new WeakReference<>(new Object());
    for (int i = 0; i < 20 && sentinel.get() != null; i++) {
      System.gc();
    }
    assertThat(sentinel.get()).as("a garbage collection ran").isNull();
  }
}
