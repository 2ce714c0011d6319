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
    try (PreparedStatement up =
        c.prepareStatement(
            "UPDATE dg_account SET level = ?, queries_observed = ?, updated_at = ?"
                + " WHERE account_id = ?")) {
      up.setString(1, level.name());
      up.setLong(2, queries);
      up.setLong(3, nowMillis);
      up.setString(4, accountId);
      if (up.executeUpdate() > 0) {
        return;
      }
    }
    try (PreparedStatement ins =
        c.prepareStatement(
            "INSERT INTO dg_account (account_id, level, queries_observed, updated_at)"
                + " VALUES (?, ?, ?, ?)")) {
      ins.setString(1, accountId);
      ins.setString(2, level.name());
      ins.setLong(3, queries);
      ins.setLong(4, nowMillis);
      ins.executeUpdate();
    }
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
