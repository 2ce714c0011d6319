package io.distillguard.actors.account;

import io.distillguard.actors.StateDatabase;
import io.distillguard.policy.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which accounts exist and, roughly, where they stand: a read model the entities keep up to date
 * (on their first observation, on every level change or review, and every few events) so the API
 * can list accounts without waking every entity. The entity itself stays the source of truth.
 */
public final class AccountIndex {

  /** One row of the index. */
  public record Entry(String accountId, Level level, long queriesObserved, long updatedAtMillis) {}

  private final StateDatabase db;

  public AccountIndex(StateDatabase db) {
    this.db = db;
  }

  /** Records the account's level and count. */
  public void upsert(String accountId, Level level, long queriesObserved, long nowMillis) {
    db.transact(
        c -> {
          upsert(c, accountId, level, queriesObserved, nowMillis);
          return null;
        });
  }

  /** As {@link #upsert(String, Level, long, long)}, inside the caller's transaction. */
  public void upsert(Connection c, String accountId, Level level, long queries, long nowMillis)
      throws SQLException {
    upsert(c, accountId, level, null, queries, nowMillis);
  }

  /**
   * As {@link #upsert(Connection, String, Level, long, long)}, with the account's own level (its
   * rules' or a reviewer's, before its campaign flag raised it); null keeps the one recorded.
   */
  public void upsert(
      Connection c, String accountId, Level level, Level ownLevel, long queries, long nowMillis)
      throws SQLException {
    try (PreparedStatement up =
        c.prepareStatement(
            "UPDATE dg_account SET level = ?, own_level = COALESCE(?, own_level),"
                + " queries_observed = ?, updated_at = ? WHERE account_id = ?")) {
      up.setString(1, level.name());
      up.setString(2, ownLevel == null ? null : ownLevel.name());
      up.setLong(3, queries);
      up.setLong(4, nowMillis);
      up.setString(5, accountId);
      if (up.executeUpdate() > 0) {
        return;
      }
    }
    try (PreparedStatement ins =
        c.prepareStatement(
            "INSERT INTO dg_account (account_id, level, own_level, queries_observed, updated_at)"
                + " VALUES (?, ?, ?, ?, ?)")) {
      ins.setString(1, accountId);
      ins.setString(2, level.name());
      ins.setString(3, ownLevel == null ? null : ownLevel.name());
      ins.setLong(4, queries);
      ins.setLong(5, nowMillis);
      ins.executeUpdate();
    }
  }

  /**
   * The accounts whose own level is an escalation (REVIEW, THROTTLE or a reviewer's CONFIRMED) and
   * that level, at most {@code limit}, most recently updated first: the own levels a starting
   * campaign grouping recovers, since what the effects projection handed a grouping that stopped is
   * not handed again.
   */
  public java.util.Map<String, Level> escalatedOwnLevels(int limit) {
    return db.transact(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT account_id, own_level FROM dg_account"
                      + " WHERE own_level IN ('REVIEW', 'THROTTLE', 'CONFIRMED')"
                      + " ORDER BY updated_at DESC, account_id")) {
            ps.setMaxRows(limit);
            java.util.Map<String, Level> out = new java.util.LinkedHashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.put(rs.getString(1), Level.valueOf(rs.getString(2)));
              }
            }
            return out;
          }
        });
  }

  /**
   * The open cases at {@code level} (REVIEW or THROTTLE), by id, at most {@code limit}. Without
   * {@code campaignMembers}, an account whose own level is not an open case and that only its
   * campaign's flag raised to {@code level} is left out: the queue lists it under its campaign.
   */
  public List<Entry> cases(Level level, boolean campaignMembers, int limit) {
    if (campaignMembers) {
      return list(level, limit);
    }
    return db.transact(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT account_id, level, queries_observed, updated_at FROM dg_account a"
                      + " WHERE level = ? AND NOT (own_level IS NOT NULL"
                      + " AND own_level NOT IN ('REVIEW', 'THROTTLE')"
                      + " AND EXISTS (SELECT 1 FROM dg_campaign_flag f"
                      + " WHERE f.account_id = a.account_id))"
                      + " ORDER BY account_id")) {
            ps.setString(1, level.name());
            ps.setMaxRows(limit);
            return entries(ps);
          }
        });
  }

  /** How many open cases at {@code level} only a campaign's flag made (listed under it). */
  public long campaignOnlyCases(Level level) {
    return db.transact(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT COUNT(*) FROM dg_account a WHERE level = ? AND own_level IS NOT NULL"
                      + " AND own_level NOT IN ('REVIEW', 'THROTTLE')"
                      + " AND EXISTS (SELECT 1 FROM dg_campaign_flag f"
                      + " WHERE f.account_id = a.account_id)")) {
            ps.setString(1, level.name());
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? rs.getLong(1) : 0L;
            }
          }
        });
  }

  private static List<Entry> entries(PreparedStatement ps) throws SQLException {
    List<Entry> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new Entry(
                rs.getString(1), Level.valueOf(rs.getString(2)), rs.getLong(3), rs.getLong(4)));
      }
    }
    return out;
  }

  /** Accounts at {@code level} (all when null), by id, at most {@code limit}. */
  public List<Entry> list(Level level, int limit) {
    return db.transact(
        c -> {
          String sql =
              "SELECT account_id, level, queries_observed, updated_at FROM dg_account"
                  + (level == null ? "" : " WHERE level = ?")
                  + " ORDER BY account_id";
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (level != null) {
              ps.setString(1, level.name());
            }
            ps.setMaxRows(limit);
            List<Entry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new Entry(
                        rs.getString(1),
                        Level.valueOf(rs.getString(2)),
                        rs.getLong(3),
                        rs.getLong(4)));
              }
            }
            return out;
          }
        });
  }

  /** How many accounts are at each level (levels without any are left out). */
  public java.util.Map<Level, Long> counts() {
    return db.transact(
        c -> {
          java.util.Map<Level, Long> out = new java.util.EnumMap<>(Level.class);
          try (PreparedStatement ps =
                  c.prepareStatement("SELECT level, COUNT(*) FROM dg_account GROUP BY level");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.put(Level.valueOf(rs.getString(1)), rs.getLong(2));
            }
          }
          return out;
        });
  }
}
