package io.distillguard.bench.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Matching webhooks to the observations that tipped them, on a tiny run of the real traffic. */
class LatencyLedgerTest {

  private static final List<String> CATEGORIES =
      List.of("math", "code", "law", "medicine", "finance", "travel", "poetry", "chemistry");

  @Test
  void aWebhookMatchesTheAccountsNthObservationAndIsTimedFromItsProduce() {
    LatencyLedger ledger = new LatencyLedger();
    ledger.producedAt("r100", "acct-1", 1, 1_000L, 10_000_000L);
    ledger.producedAt("r100", "acct-1", 2, 3_000L, 10_010_000L);
    ledger.producedAt("r100", "acct-2", 2, 3_000L, 10_020_000L);

    LatencyLedger.Match m =
        ledger.received("account.review_requested", "acct-1", 2, 3_000L, 10_300L, 10_510_000L);

    assertThat(m).isNotNull();
    assertThat(m.phase()).isEqualTo("r100");
    assertThat(m.totalMillis()).isCloseTo(500.0, within(1e-9));
    assertThat(m.toDecisionMillis()).isCloseTo(290.0, within(1e-9));
    assertThat(m.deliveryMillis()).isCloseTo(210.0, within(1e-9));
    assertThat(ledger.matches("r100")).containsExactly(m);
    assertThat(ledger.matches("r1000")).isEmpty();
    assertThat(ledger.unmatched()).isEmpty();
  }

  @Test
  void aWebhookWhoseCountOrEventTimeNoProducedObservationHasIsUnmatched() {
    LatencyLedger ledger = new LatencyLedger();
    ledger.producedAt("r100", "acct-1", 1, 1_000L, 10_000_000L);

    assertThat(ledger.received("t", "acct-1", 2, 1_000L, 0, 0)).isNull();
    assertThat(ledger.received("t", "acct-1", 1, 1_001L, 0, 0)).isNull();
    assertThat(ledger.received("t", "acct-9", 1, 1_000L, 0, 0)).isNull();
    assertThat(ledger.received("t", null, 1, 1_000L, 0, 0)).isNull();
    assertThat(ledger.unmatched()).hasSize(4);
    assertThat(ledger.matches()).isEmpty();
  }

  @Test
  void theTrafficsCountsAreEachAccountsRunningCountWithDistinctEventTimes() {
    LatencyTraffic traffic = new LatencyTraffic("r10", 5, 0.5, CATEGORIES, 3);
    LatencyLedger ledger = new LatencyLedger();
    Map<String, Long> counts = new HashMap<>();
    Map<String, Long> lastTime = new HashMap<>();
    for (int i = 0; i < 2_000; i++) {
      LatencyTraffic.Next n = traffic.next();
      String account = n.observation().accountId();
      long expected = counts.merge(account, 1L, Long::sum);
      assertThat(n.count()).isEqualTo(expected);
      assertThat(n.observation().eventId()).isEqualTo(account + "-e" + expected);
      assertThat(n.observation().eventTimeMillis())
          .isGreaterThan(lastTime.getOrDefault(account, 0L));
      lastTime.put(account, n.observation().eventTimeMillis());
      assertThat(account).startsWith(n.campaign() ? "r10-sweep-" : "r10-app-");
      ledger.producedAt("r10", account, n.count(), n.observation().eventTimeMillis(), i);
    }
    // Accounts leave after their quota and new ones take their place.
    assertThat(traffic.accountsStarted()).isGreaterThan(5);
    assertThat(counts).hasSize((int) traffic.accountsStarted());
    // Every produced observation is found again by the fields a webhook carries.
    counts.forEach(
        (account, n) ->
            assertThat(ledger.received("t", account, n, lastTime.get(account), 0, 1)).isNotNull());
    assertThat(ledger.unmatched()).isEmpty();
  }

  @Test
  void theSameSeedGivesTheSameTraffic() {
    LatencyTraffic a = new LatencyTraffic("r", 4, 0.2, CATEGORIES, 11);
    LatencyTraffic b = new LatencyTraffic("r", 4, 0.2, CATEGORIES, 11);
    for (int i = 0; i < 500; i++) {
      LatencyTraffic.Next x = a.next();
      LatencyTraffic.Next y = b.next();
      assertThat(x.observation().eventId()).isEqualTo(y.observation().eventId());
      assertThat(x.observation().category()).isEqualTo(y.observation().category());
      assertThat(x.observation().eventTimeMillis()).isEqualTo(y.observation().eventTimeMillis());
    }
  }

  @Test
  void percentilesAreNearestRank() {
    List<Double> values = new java.util.ArrayList<>();
    for (int i = 1; i <= 200; i++) {
      values.add((double) i);
    }
    Percentiles p = Percentiles.of(values, v -> v);
    assertThat(p.n()).isEqualTo(200);
    assertThat(p.p50()).isEqualTo(100.0);
    assertThat(p.p99()).isEqualTo(198.0);
    assertThat(p.max()).isEqualTo(200.0);
    assertThat(Percentiles.of(List.<Double>of(), v -> v).p99()).isNaN();
  }
}
