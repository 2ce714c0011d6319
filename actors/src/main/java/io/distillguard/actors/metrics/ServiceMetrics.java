package io.distillguard.actors.metrics;

import io.distillguard.actors.escalation.Delivery;
import io.distillguard.actors.escalation.JournalTail;
import io.distillguard.policy.Level;
import io.distillguard.policy.Reason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The actor service's operator metrics in one Micrometer registry, rendered in the Prometheus text
 * format at {@code GET /metrics}:
 *
 * <ul>
 *   <li>{@code distillguard_accounts{level}}: accounts in the index by level (shared database);
 *   <li>{@code distillguard_decisions_total{level,rule}}: level changes this node projected, per
 *       rule that fired (a change with no rule, e.g. a release, counts as {@code rule="none"});
 *   <li>{@code distillguard_deliveries{status}}: outbox messages by status (PENDING, DELIVERED,
 *       EXHAUSTED; shared database), and {@code distillguard_deliveries_exhausted_total} on this
 *       node;
 *   <li>{@code distillguard_delivery_latency_seconds{type}}: from a message's creation to its
 *       {@code 2xx};
 *   <li>{@code distillguard_decision_lag_seconds}: from an event's own time to its observation
 *       being journalled and decided (event-time lag; in a replay of old files it is the files'
 *       age);
 *   <li>{@code distillguard_intake_quarantined_total}: observations this node could not record
 *       after its retries and kept in the quarantine instead ({@code GET /v1/quarantine});
 *   <li>{@code distillguard_campaign_order_late_total}: observations this node handed the campaign
 *       grouping out of event-time order (they arrived more than {@code
 *       intake.campaign-order.lateness} behind the newest seen, or after an idle flush): a rising
 *       count says the lateness is shorter than the arrival skew of this node's input;
 *   <li>{@code distillguard_consumer_records_lag_max}: the Kafka consumer's largest partition lag,
 *       when the node consumes Kafka;
 *   <li>{@code distillguard_projection_behind_events{projection}} and {@code
 *       distillguard_projection_behind_seconds{projection}}: journaled events whose effects
 *       (webhooks, throttles, the index) are not yet written, and the age of the oldest of them,
 *       per effects projection (shared database); {@code distillguard_projection_failures_total
 *       {projection}}: how often this node's projection failed and restarted;
 *   <li>{@code distillguard_member_flags_pending}: campaign flags written for members and not yet
 *       acknowledged by their account entity (shared database; drained within seconds);
 *   <li>{@code distillguard_policy_file_refused}: 1 while the watched policy file is refused (the
 *       last good policy decides), where a policy file is watched;
 *   <li>{@code distillguard_retention_last_success_seconds} and {@code
 *       distillguard_retention_failures_total}: when this node's retention sweep last completed,
 *       and how many failed, where a retention is configured;
 *   <li>JVM memory, GC, threads, class loading, CPU and uptime.
 * </ul>
 *
 * The database-backed gauges are read once per scrape ({@link #scrape()}), not per series.
 * Thread-safe.
 */
public final class ServiceMetrics {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceMetrics.class);

  /** The Prometheus text format's content type. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;
  private final Supplier<Map<Level, Long>> levelCounts;
  private final Supplier<Map<Delivery.Status, Long>> deliveryCounts;
  private final AtomicReference<Map<Level, Long>> levels = new AtomicReference<>(Map.of());
  private final AtomicReference<Map<Delivery.Status, Long>> deliveries =
      new AtomicReference<>(Map.of());

  /** The database reads behind gauges, run once per scrape ({@link #scrape}). */
  private final List<Runnable> databaseReads = new CopyOnWriteArrayList<>();

  /**
   * What the function counters read. Micrometer keeps only a weak reference to a meter's state, so
   * a reading function held by nothing else would be collected and its series read NaN; gauges are
   * built from suppliers, which Micrometer holds strongly.
   */
  private final List<LongSupplier> counted = new CopyOnWriteArrayList<>();

  private final Timer decisionLag;
  private final Counter exhausted;
  private final Counter quarantined;
  private final Counter campaignOrderLate;

  /**
   * @param levelCounts accounts per level (a database read, called once per scrape)
   * @param deliveryCounts outbox messages per status (a database read, called once per scrape)
   */
  public ServiceMetrics(
      Supplier<Map<Level, Long>> levelCounts, Supplier<Map<Delivery.Status, Long>> deliveryCounts) {
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.levelCounts = levelCounts;
    this.deliveryCounts = deliveryCounts;
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    for (Level level : Level.values()) {
      Gauge.builder("distillguard.accounts", levels, m -> m.get().getOrDefault(level, 0L))
          .description("Accounts in the index at this level")
          .tag("level", level.name())
          .register(registry);
    }
    for (Delivery.Status status : Delivery.Status.values()) {
      Gauge.builder("distillguard.deliveries", deliveries, m -> m.get().getOrDefault(status, 0L))
          .description("Webhook messages in the outbox by status")
          .tag("status", status.name())
          .register(registry);
    }
    this.decisionLag =
        Timer.builder("distillguard.decision.lag")
            .description("From an event's own time to its observation being journalled and decided")
            .publishPercentileHistogram()
            .maximumExpectedValue(Duration.ofDays(1))
            .register(registry);
    this.exhausted =
        Counter.builder("distillguard.deliveries.exhausted")
            .description("Deliveries this node gave up on (kept as EXHAUSTED)")
            .register(registry);
    this.quarantined =
        Counter.builder("distillguard.intake.quarantined")
            .description("Observations this node could not record after its retries (quarantined)")
            .register(registry);
    this.campaignOrderLate =
        Counter.builder("distillguard.campaign.order.late")
            .description(
                "Observations handed to the campaign grouping behind later ones already released")
            .register(registry);
  }

  /** A level change this node projected from the journal, with the rules that fired. */
  public void levelChanged(Level to, List<Reason> reasons) {
    List<String> rules = reasons.stream().map(Reason::rule).distinct().toList();
    for (String rule : rules.isEmpty() ? List.of("none") : rules) {
      Counter.builder("distillguard.decisions")
          .description("Level changes, per level reached and rule that fired")
          .tag("level", to.name())
          .tag("rule", rule)
          .register(registry)
          .increment();
    }
  }

  /** A message was answered 2xx at {@code nowMillis}. */
  public void delivered(Delivery d, long nowMillis) {
    Timer.builder("distillguard.delivery.latency")
        .description("From a webhook message's creation to its 2xx")
        .tag("type", d.eventType())
        .publishPercentileHistogram()
        .maximumExpectedValue(Duration.ofHours(24))
        .register(registry)
        .record(Duration.ofMillis(Math.max(0, nowMillis - d.createdAtMillis())));
  }

  /** An observation could not be recorded and went to the quarantine. */
  public void quarantined() {
    quarantined.increment();
  }

  /** {@code n} observations went to the campaign grouping out of event-time order. */
  public void campaignOrderLate(long n) {
    if (n > 0) {
      campaignOrderLate.increment(n);
    }
  }

  /** A message exhausted its retries. */
  public void exhausted() {
    exhausted.increment();
  }

  /** An observation with event time {@code eventTimeMillis} was decided at {@code nowMillis}. */
  public void decided(long eventTimeMillis, long nowMillis) {
    decisionLag.record(Duration.ofMillis(Math.max(0, nowMillis - eventTimeMillis)));
  }

  /** Reports the Kafka consumer's largest partition lag (records) read from {@code lag}. */
  public void consumerLag(DoubleSupplier lag) {
    Gauge.builder("distillguard.consumer.records.lag.max", lag::getAsDouble)
        .description("The observation consumer's largest partition lag, in records")
        .register(registry);
  }

  /**
   * Reports how far the effects projection {@code name} is behind the journal ({@code lag}, a
   * database read, called once per scrape) and how often it failed on this node ({@code failures}).
   */
  public void projection(String name, Supplier<JournalTail.Lag> lag, LongSupplier failures) {
    AtomicReference<JournalTail.Lag> last = new AtomicReference<>(JournalTail.Lag.NONE);
    databaseReads.add(() -> last.set(lag.get()));
    Gauge.builder("distillguard.projection.behind.events", () -> last.get().events())
        .description("Journaled events whose effects are not yet written")
        .tag("projection", name)
        .register(registry);
    Gauge.builder(
            "distillguard.projection.behind.seconds",
            () -> last.get().seconds(System.currentTimeMillis()))
        .description("Age of the first journaled event whose effects are not yet written")
        .tag("projection", name)
        .register(registry);
    count(
        "distillguard.projection.failures",
        "Failures (and restarts) of this node's effects projection",
        failures,
        "projection",
        name);
  }

  /**
   * Reports the campaign flags waiting for their member's account entity ({@code pending}, a
   * database read, called once per scrape).
   */
  public void memberFlags(LongSupplier pending) {
    AtomicLong last = new AtomicLong();
    databaseReads.add(() -> last.set(pending.getAsLong()));
    Gauge.builder("distillguard.member.flags.pending", last::get)
        .description("Campaign flags not yet acknowledged by their member's account entity")
        .register(registry);
  }

  /**
   * Reports when this node's retention sweep last completed ({@code lastSuccessMillis}, epoch
   * milliseconds, 0 before the first) and how many of its sweeps failed.
   */
  public void retention(LongSupplier lastSuccessMillis, LongSupplier failures) {
    Gauge.builder(
            "distillguard.retention.last.success.seconds",
            () -> lastSuccessMillis.getAsLong() / 1000.0)
        .description("When this node's retention sweep last completed (Unix time)")
        .register(registry);
    count("distillguard.retention.failures", "Retention sweeps of this node that failed", failures);
  }

  /**
   * Reports whether the watched policy file is refused ({@code error} gives why, null when the file
   * is the policy in force): 1 while the last good policy stays in force in its place.
   */
  public void policyFile(Supplier<String> error) {
    Gauge.builder("distillguard.policy.file.refused", () -> error.get() == null ? 0 : 1)
        .description("1 while the policy file on disk is refused and the last good policy decides")
        .register(registry);
  }

  /** Registers a counter read from {@code reads}, kept reachable ({@link #counted}). */
  private void count(String name, String description, LongSupplier reads, String... tags) {
    counted.add(reads);
    FunctionCounter.builder(name, reads, LongSupplier::getAsLong)
        .description(description)
        .tags(tags)
        .register(registry);
  }

  /** The registry, for binders of other components. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Reads the database-backed gauges once, then renders every series (Prometheus text). */
  public String scrape() {
    try {
      levels.set(Map.copyOf(levelCounts.get()));
      deliveries.set(Map.copyOf(deliveryCounts.get()));
      databaseReads.forEach(Runnable::run);
    } catch (RuntimeException e) {
      // The database is down: the JVM and counter series still help; readiness says the rest.
      LOG.warn("metrics: cannot read the database gauges ({})", e.toString());
    }
    return registry.scrape();
  }
}
