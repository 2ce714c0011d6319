package io.distillguard.actors.escalation;

import io.distillguard.actors.StateDatabase;
import io.distillguard.actors.escalation.Delivery.Destination;
import io.distillguard.actors.escalation.Delivery.Status;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The durable escalation outbox: a table in the {@link StateDatabase}, beside the journal. A
 * message is written by the {@link EffectsProjection} in the same transaction that advances the
 * projection's offset past the event that caused it, so a message exists exactly for the persisted
 * decisions; any node's {@link WebhookDispatcher} claims due PENDING rows and records every
 * attempt. Enqueueing is idempotent by {@code webhook-id}: a message that is already there is left
 * as it is.
 */
public final class Outbox {

  private static final String COLUMNS =
      "webhook_id, destination, event_type, account_id, level, body, status, attempts, created_at,"
          + " next_attempt_at, last_attempt_at, last_status, last_error, settled_at";

  private final StateDatabase db;

  public Outbox(StateDatabase db) {
    this.db = db;
  }

  /** Adds a new PENDING message due now; returns false when that webhook-id is already there. */
  public boolean enqueue(
      Connection c,
      String webhookId,
      Destination destination,
      String eventType,
      String accountId,
      String level,
      String body,
      long nowMillis)
      throws SQLException {
    try (PreparedStatement exists =
        c.prepareStatement("SELECT 1 FROM dg_delivery WHERE webhook_id = ?")) {
      exists.setString(1, webhookId);
      try (ResultSet rs = exists.executeQuery()) {
        if (rs.next()) {
          return false;
        }
      }
    }
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO dg_delivery ("
                + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, NULL, NULL, NULL, NULL)")) {
      insert.setString(1, webhookId);
      insert.setString(2, destination.name());
      insert.setString(3, eventType);
      insert.setString(4, accountId);
      insert.setString(5, level);
      insert.setString(6, body);
      insert.setString(7, Status.PENDING.name());
      insert.setLong(8, nowMillis);
      insert.setLong(9, nowMillis);
      insert.executeUpdate();
    }
    return true;
  }

  /**
   * Claims up to {@code limit} PENDING messages due at {@code nowMillis}, oldest first, for one
   * attempt each: their next attempt is moved to {@code leaseUntilMillis}, so no other node (or
   * loop) takes them meanwhile, and a node that dies during the attempt leaves them due again when
   * the lease runs out. Rows another node is claiming at the same moment are skipped ({@code FOR
   * UPDATE SKIP LOCKED}, on PostgreSQL and H2 alike), so claims never wait on each other.
   */
  public List<Delivery> claim(long nowMillis, int limit, long leaseUntilMillis) {
    return db.transact(
        c -> {
          List<Delivery> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM dg_delivery WHERE status = 'PENDING' AND next_attempt_at <= ?"
                      + " ORDER BY next_attempt_at, created_at LIMIT ? FOR UPDATE SKIP LOCKED")) {
            ps.setLong(1, nowMillis);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(read(rs));
              }
            }
          }
          try (PreparedStatement lease =
              c.prepareStatement(
                  "UPDATE dg_delivery SET next_attempt_at = ? WHERE webhook_id = ?")) {
            for (Delivery d : out) {
              lease.setLong(1, leaseUntilMillis);
              lease.setString(2, d.webhookId());
              lease.addBatch();
            }
            if (!out.isEmpty()) {
              lease.executeBatch();
            }
          }
          return out;
        });
  }

  /** The earliest next_attempt_at of any PENDING message; {@code Long.MAX_VALUE} when none. */
  public long nextDueMillis() {
    return db.transact(
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT MIN(next_attempt_at) FROM dg_delivery WHERE status = 'PENDING'");
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            long v = rs.getLong(1);
            return rs.wasNull() ? Long.MAX_VALUE : v;
          }
        });
  }

  /** Records a successful attempt. */
  public void markDelivered(String webhookId, int attempts, int httpStatus, long nowMillis) {
    update(
        webhookId, Status.DELIVERED, attempts, nowMillis, nowMillis, httpStatus, null, nowMillis);
  }

  /** Records a failed attempt after which another is due at {@code nextAttemptAtMillis}. */
  public void markRetry(
      String webhookId,
      int attempts,
      Integer httpStatus,
      String error,
      long nowMillis,
      long nextAttemptAtMillis) {
    update(
        webhookId,
        Status.PENDING,
        attempts,
        nextAttemptAtMillis,
        nowMillis,
        httpStatus,
        error,
        null);
  }

  /** Records a failed attempt after which the delivery is given up and kept as EXHAUSTED. */
  public void markExhausted(
      String webhookId, int attempts, Integer httpStatus, String error, long nowMillis) {
    update(
        webhookId, Status.EXHAUSTED, attempts, nowMillis, nowMillis, httpStatus, error, nowMillis);
  }

  private void update(
      String webhookId,
      Status status,
      int attempts,
      long nextAttemptAt,
      long lastAttemptAt,
      Integer httpStatus,
      String error,
      Long settledAt) {
    db.transact(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE dg_delivery SET status = ?, attempts = ?, next_attempt_at = ?,"
                      + " last_attempt_at = ?, last_status = ?, last_error = ?, settled_at = ?"
                      + " WHERE webhook_id = ?")) {
            ps.setString(1, status.name());
            ps.setInt(2, attempts);
            ps.setLong(3, nextAttemptAt);
            ps.setLong(4, lastAttemptAt);
            if (httpStatus == null) {
              ps.setNull(5, Types.INTEGER);
            } else {
              ps.setInt(5, httpStatus);
            }
            ps.setString(
                6, error == null ? null : error.substring(0, Math.min(error.length(), 1000)));
            if (settledAt == null) {
              ps.setNull(7, Types.BIGINT);
            } else {
              ps.setLong(7, settledAt);
            }
            ps.setString(8, webhookId);
            ps.executeUpdate();
          }
          return null;
        });
  }

  /**
   * What {@link #redeliver} did.
   *
   * @param requeued the deliveries put back to PENDING, as they were before (EXHAUSTED)
   * @param skipped every other id asked for, with why: its status, or {@code unknown}
   */
  public record Redelivery(List<Delivery> requeued, Map<String, String> skipped) {}

  /**
   * Puts the EXHAUSTED deliveries among {@code webhookIds} back to PENDING inside {@code c}, due at
   * {@code nowMillis} with their attempts and retry window started afresh ({@code created_at}
   * becomes {@code nowMillis}: the retry policy's maximum age counts from the redelivery, and the
   * delivery latency from it too). Each keeps its webhook id and body, so a receiver that got the
   * message after all drops the copy. Deliveries in another status, and unknown ids, are left as
   * they are.
   */
  public Redelivery redeliver(Connection c, Collection<String> webhookIds, long nowMillis)
      throws SQLException {
    List<Delivery> requeued = new ArrayList<>();
    Map<String, String> skipped = new LinkedHashMap<>();
    try (PreparedStatement read =
            c.prepareStatement(
                "SELECT " + COLUMNS + " FROM dg_delivery WHERE webhook_id = ? FOR UPDATE");
        PreparedStatement requeue =
            c.prepareStatement(
                "UPDATE dg_delivery SET status = 'PENDING', attempts = 0, created_at = ?,"
                    + " next_attempt_at = ?, settled_at = NULL"
                    + " WHERE webhook_id = ? AND status = 'EXHAUSTED'")) {
      for (String id : new LinkedHashSet<>(webhookIds)) {
        read.setString(1, id);
        Delivery d;
        try (ResultSet rs = read.executeQuery()) {
          d = rs.next() ? read(rs) : null;
        }
        if (d == null || d.status() != Status.EXHAUSTED) {
          skipped.put(id, d == null ? "unknown" : d.status().name());
          continue;
        }
        requeue.setLong(1, nowMillis);
        requeue.setLong(2, nowMillis);
        requeue.setString(3, id);
        requeue.executeUpdate();
        requeued.add(d);
      }
    }
    return new Redelivery(List.copyOf(requeued), skipped);
  }

  /** Deliveries in a status (all when null), newest first, at most {@code limit}. */
  public List<Delivery> list(Status status, int limit) {
    return db.transact(
        c -> {
          String sql =
              "SELECT "
                  + COLUMNS
                  + " FROM dg_delivery"
                  + (status == null ? "" : " WHERE status = ?")
                  + " ORDER BY created_at DESC, webhook_id";
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (status != null) {
              ps.setString(1, status.name());
            }
            ps.setMaxRows(limit);
            List<Delivery> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(read(rs));
              }
            }
            return out;
          }
        });
  }

  /** How many deliveries are in each status. */
  public Map<Status, Long> counts() {
    return db.transact(Outbox::counts);
  }

  /** How many deliveries are in each status, read inside {@code c} (every status present). */
  public static Map<Status, Long> counts(Connection c) throws SQLException {
    Map<Status, Long> out = new EnumMap<>(Status.class);
    for (Status s : Status.values()) {
      out.put(s, 0L);
    }
    try (PreparedStatement ps =
            c.prepareStatement("SELECT status, COUNT(*) FROM dg_delivery GROUP BY status");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.put(Status.valueOf(rs.getString(1)), rs.getLong(2));
      }
    }
    return out;
  }

  /** Number of PENDING deliveries. */
  public long pendingCount() {
    return counts().get(Status.PENDING);
  }

  private static Delivery read(ResultSet rs) throws SQLException {
    long lastAttempt = rs.getLong(11);
    Long lastAttemptAt = rs.wasNull() ? null : lastAttempt;
    int lastStatus = rs.getInt(12);
    Integer lastStatusOrNull = rs.wasNull() ? null : lastStatus;
    long settled = rs.getLong(14);
    Long settledAt = rs.wasNull() ? null : settled;
    return new Delivery(
        rs.getString(1),
        Destination.valueOf(rs.getString(2)),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        Status.valueOf(rs.getString(7)),
        rs.getInt(8),
        rs.getLong(9),
        rs.getLong(10),
        lastAttemptAt,
        lastStatusOrNull,
        rs.getString(13),
        settledAt);
  }
}
