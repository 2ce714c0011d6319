package io.distillguard.actors;

import io.distillguard.actors.campaign.CampaignEntity;
import io.distillguard.actors.escalation.RetryPolicy;
import io.distillguard.detect.AccountDetector;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Policy;
import io.distillguard.taxonomy.CapabilityTaxonomy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Shared test inputs: a small policy whose levels follow the number of supported categories (2
 * categories = WATCH, 3 = REVIEW, 4 = THROTTLE; each category needs two queries), so a handful of
 * observations walks an account through the whole lifecycle.
 */
public final class TestFixtures {

  public static final String POLICY_YAML =
      """
      version: "test-ladder-1"
      min_queries: 3
      rules:
        - name: two-categories
          level: WATCH
          hold: {evaluations: 1}
          all_of:
            - {signal: distinct_categories, op: ">=", threshold: 2}
        - name: three-categories
          level: REVIEW
          hold: {evaluations: 1}
          all_of:
            - {signal: distinct_categories, op: ">=", threshold: 3}
        - name: four-categories
          level: THROTTLE
          hold: {evaluations: 1}
          all_of:
            - {signal: distinct_categories, op: ">=", threshold: 4}
      throttle:
        ttl_minutes: 60
        off_stated_use_share: 0.1
        stated_use_min_share: 0.05
        no_profile_share: 0.25
      rearm_after_clear:
        volume_factor: 2.0
        min_new_queries: 1000
      """;

  public static final Policy POLICY = Policy.parse(POLICY_YAML, "test");

  public static final List<String> CATEGORIES = CapabilityTaxonomy.loadDefault().names();

  /** 2026-10-05T00:00:00Z. */
  public static final long T0 = 1_791_158_400_000L;

  /**
   * Quick delivery retries for the ITs: five attempts 50 to 200 ms apart (with a 5 s request
   * timeout, {@code withRetry(QUICK_RETRY, Duration.ofSeconds(5))}).
   */
  public static final RetryPolicy QUICK_RETRY =
      new RetryPolicy(5, Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofHours(1), 0.5);

  private TestFixtures() {}

  public static AccountDetector detector() {
    return new AccountDetector(() -> POLICY, CATEGORIES);
  }

  public static AccountObservation observation(
      String eventId, String accountId, long eventTimeMillis, String category) {
    return new AccountObservation(
        eventId,
        accountId,
        eventTimeMillis,
        category,
        0.8f,
        0.1f,
        eventId.hashCode() * 0x9E3779B97F4A7C15L,
        eventId.hashCode(),
        120,
        40,
        200,
        1.2,
        "key-1",
        "10.0.0.1",
        "bench/1.0",
        "org-1",
        null,
        null,
        null,
        null,
        null);
  }

  /**
   * Observations that take {@code accountId} to THROTTLE: two queries in each of the first four
   * categories, one second apart. Level after observation 4: WATCH; 6: REVIEW; 8: THROTTLE.
   */
  public static List<AccountObservation> campaign(String accountId) {
    List<AccountObservation> out = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      out.add(observation(accountId + "-e" + i, accountId, T0 + i * 1000L, CATEGORIES.get(i / 2)));
    }
    return out;
  }

  /** Ordinary traffic that stays OK: one category only. */
  public static List<AccountObservation> ordinary(String accountId, int n) {
    List<AccountObservation> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(observation(accountId + "-o" + i, accountId, T0 + i * 1000L, CATEGORIES.get(0)));
    }
    return out;
  }

  /**
   * Records {@code observations} in {@code service} one by one, in order, each acknowledged (within
   * 60 s) before the next is sent.
   */
  public static void record(ActorService service, Iterable<AccountObservation> observations)
      throws Exception {
    for (AccountObservation o : observations) {
      service.intake().record(o).toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  /** Campaign {@code id}'s status, asked of its entity through {@code service}'s sharding. */
  public static CampaignEntity.CampaignStatus campaignStatus(ActorService service, String id)
      throws Exception {
    return ClusterSharding.get(service.system())
        .entityRefFor(CampaignEntity.ENTITY_TYPE_KEY, id)
        .ask(CampaignEntity.GetCampaign::new, Duration.ofSeconds(10))
        .toCompletableFuture()
        .get(15, TimeUnit.SECONDS);
  }
}
