package io.distillguard.actors.audit;

import io.distillguard.actors.SeqPage;
import io.distillguard.actors.StateDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

/**
 * The append-only audit log of the actor side (table {@code dg_audit} in the {@link
 * StateDatabase}): every evidence read and every review, with the token name that made it, and
 * every erasure. Entries are only ever added; the one change an entry undergoes is erasure of its
 * account, which keeps it as a tombstone (who, what, when) and removes the account id and the
 * detail; entries older than the audit retention are deleted. The database enforces this too
 * ({@link AuditGuard}). Blocking: call it on the JDBC executor.
 */
public final class AuditLog {

  public static final String EVIDENCE_READ = "evidence.read";
  public static final String REVIEW = "review";

  /** A reviewer's verdict on a campaign; the entry's account id column holds the campaign id. */
  public static final String CAMPAIGN_REVIEW = "campaign.review";

  public static final String ERASE = "erase";

  /** An admin took an observation back from the quarantine; the detail says what came of it. */
  public static final String QUARANTINE_RETRY = "quarantine.retry";

  /** An admin put an exhausted webhook delivery back in the outbox; the detail names it. */
  public static final String REDELIVER = "delivery.redeliver";

  /** The longest detail kept (longer ones are cut). */
  public static final int MAX_DETAIL = 2_000;

  private final StateDatabase db;
  private final Clock clock;

  public AuditLog(StateDatabase db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** Appends an entry; returns once it is committed. */
  public void append(String actor, String action, String accountId, String detail) {
    db.transact(
        c -> {
          append(c, clock.millis(), actor, action, accountId, detail);
          return null;
        });
  }

  /** Appends an entry inside the caller's transaction. */
  public static void append(
      Connection c, long atMillis, String actor, String action, String accountId, String detail)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO dg_audit (at_millis, actor, action, account_id, detail, erased)"
                + " VALUES (?, ?, ?, ?, ?, FALSE)")) {
      ps.setLong(1, atMillis);
      ps.setString(2, cut(actor, 128));
      ps.setString(3, action);
      ps.setString(4, accountId);
      ps.setString(5, detail == null ? null : cut(detail, MAX_DETAIL));
      ps.executeUpdate();
    }
  }

  /** Entries after {@code afterSeq}, oldest first, at most {@code limit}. */
  public List<AuditEntry> list(long afterSeq, int limit) {
    return SeqPage.after(
        db,
        "dg_audit",
        "at_millis, actor, action, account_id, detail, erased",
        afterSeq,
        limit,
        rs ->
            new AuditEntry(
                rs.getLong(1),
                rs.getLong(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getBoolean(7)));
  }

  /**
   * Turns every entry about {@code accountId} into a tombstone (inside the caller's erasure
   * transaction); returns how many.
   */
  public static int tombstone(Connection c, String accountId) throws SQLException {
    return AuditGuard.permit(
        c,
        AuditGuard.ERASURE,
        conn -> {
          try (PreparedStatement ps =
              conn.prepareStatement(
                  "UPDATE dg_audit SET account_id = NULL, detail = NULL, erased = TRUE"
                      + " WHERE account_id = ?")) {
            ps.setString(1, accountId);
            return ps.executeUpdate();
          }
        });
  }

  /**
   * Deletes the entries written before {@code beforeMillis} (the retention sweep, inside the
   * caller's transaction); returns how many.
   */
  public static int expire(Connection c, long beforeMillis) throws SQLException {
    return AuditGuard.permit(
        c,
        AuditGuard.RETENTION,
        conn -> {
          try (PreparedStatement ps =
              conn.prepareStatement("DELETE FROM dg_audit WHERE at_millis < ?")) {
            ps.setLong(1, beforeMillis);
            return ps.executeUpdate();
          }
        });
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }
}
