package io.distillguard.actors.retention;

import io.distillguard.actors.StateDatabase;
import io.distillguard.actors.erasure.CampaignErasure;
import io.distillguard.actors.escalation.CampaignEffectsProjection;
import io.distillguard.actors.escalation.EffectsProjection;
import io.distillguard.actors.intake.Quarantine;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention of the actor side's database. The audit log keeps its entries for the audit retention
 * ({@code DISTILLGUARD_AUDIT_RETENTION}, 400 days by default; deleted through {@link
 * io.distillguard.actors.audit.AuditGuard}). With the one retention setting ({@code
 * DISTILLGUARD_RETENTION}): delivered outbox rows (the webhook payloads) are deleted once they were
 * settled longer ago than the retention, and journal events written longer ago than the retention
 * are deleted behind their entity's latest snapshot once its effects projection (the account one,
 * or the campaign one for campaign events) has passed them, and quarantined observations older than
 * the retention go (the snapshot holds the state they built; the projection has written their
 * effects). The event a snapshot was taken at stays, so the journal still knows each entity's
 * highest sequence number. Runs at start and then every {@code every}; one sweep at a time per
 * node, and several nodes sweeping the shared database delete the same rows at most once.
 */
public final class RetentionSweeper implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RetentionSweeper.class);

  /** What one sweep deleted. */
  public record Swept(long deliveries, long journalEvents, long quarantined, long auditEntries) {}

  private final StateDatabase db;
  private final Duration retention;
  private final Duration auditRetention;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final AtomicLong lastSuccessMillis = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();

  private RetentionSweeper(
      StateDatabase db,
      Duration retention,
      Duration auditRetention,
      Clock clock,
      ScheduledExecutorService scheduler) {
    this.db = db;
    this.retention = retention;
    this.auditRetention = auditRetention;
    this.clock = clock;
    this.scheduler = scheduler;
  }

  /** Sweeps the outbox and the journal (not the audit log) now and then every {@code every}. */
  public static RetentionSweeper start(
      StateDatabase db, Duration retention, Duration every, Clock clock) {
    return start(db, retention, null, every, clock);
  }

  /**
   * Sweeps now (in the background) and then every {@code every}.
   *
   * @param retention the retention of the outbox and the journal; null keeps them
   * @param auditRetention the retention of the audit log; null keeps it
   */
  public static RetentionSweeper start(
      StateDatabase db, Duration retention, Duration auditRetention, Duration every, Clock clock) {
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "distillguard-retention");
              t.setDaemon(true);
              return t;
            });
    RetentionSweeper sweeper =
        new RetentionSweeper(db, retention, auditRetention, clock, scheduler);
    scheduler.scheduleWithFixedDelay(
        sweeper::sweepLogged, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    LOG.info(
        "retention {} of delivered webhooks and journal events behind snapshots; {} of the audit"
            + " log",
        retention == null ? "none" : retention,
        auditRetention == null ? "none" : auditRetention);
    return sweeper;
  }

  private void sweepLogged() {
    try {
      Swept s = sweep();
      lastSuccessMillis.set(clock.millis());
      if (s.deliveries() > 0
          || s.journalEvents() > 0
          || s.quarantined() > 0
          || s.auditEntries() > 0) {
        LOG.info(
            "retention: deleted {} delivered webhooks, {} journal events behind snapshots, {}"
                + " quarantined observations and {} audit entries",
            s.deliveries(),
            s.journalEvents(),
            s.quarantined(),
            s.auditEntries());
      }
    } catch (RuntimeException e) {
      failures.incrementAndGet();
      LOG.warn("retention sweep failed, retried at the next one: {}", e.toString());
    }
  }

  /** When a scheduled sweep last completed (epoch milliseconds; 0 before the first). */
  public long lastSuccessMillis() {
    return lastSuccessMillis.get();
  }

  /** Scheduled sweeps that failed since this sweeper started. */
  public long failures() {
    return failures.get();
  }

  /** One sweep, now (blocking). */
  public synchronized Swept sweep() {
    long now = clock.millis();
    return db.transact(
        c -> {
          long audit =
              auditRetention == null
                  ? 0
                  : io.distillguard.actors.audit.AuditLog.expire(
                      c, now - auditRetention.toMillis());
          if (retention == null) {
            return new Swept(0, 0, 0, audit);
          }
          long cutoff = now - retention.toMillis();
          long deliveries;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "DELETE FROM dg_delivery WHERE status = 'DELIVERED' AND settled_at < ?")) {
            ps.setLong(1, cutoff);
            deliveries = ps.executeUpdate();
          }
          // Each entity type's events behind its own projection: campaign events (snapshotted too)
          // wait for the campaign effects projection, every other event for the account one.
          String campaigns = CampaignErasure.persistenceId("");
          long events =
              deleteBehindSnapshots(c, cutoff, EffectsProjection.NAME, "NOT LIKE", campaigns)
                  + deleteBehindSnapshots(
                      c, cutoff, CampaignEffectsProjection.NAME, "LIKE", campaigns);
          long quarantined = Quarantine.expire(c, cutoff);
          return new Swept(deliveries, events, quarantined, audit);
        });
  }

  private static long deleteBehindSnapshots(
      java.sql.Connection c, long cutoff, String projection, String like, String prefix)
      throws java.sql.SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM \"event_journal\" WHERE \"write_timestamp\" < ?"
                + " AND \"persistence_id\" "
                + like
                + " ? ESCAPE '!'"
                + " AND \"ordering\" <="
                + " (SELECT last_ordering FROM dg_projection_offset WHERE name = ?)"
                + " AND \"sequence_number\" < (SELECT MAX(s.\"sequence_number\")"
                + " FROM \"snapshot\" s"
                + " WHERE s.\"persistence_id\" = \"event_journal\".\"persistence_id\")")) {
      ps.setLong(1, cutoff);
      ps.setString(2, prefix.replaceAll("([!%_])", "!$1") + "%");
      ps.setString(3, projection);
      return ps.executeUpdate();
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
