package io.distillguard.actors.throttle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillguard.actors.StateDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The throttle directives currently issued, one per account (a newer one replaces the older), kept
 * in the {@link StateDatabase} so the gateway's pull endpoint survives a restart. Expired
 * directives are omitted from {@link #active(long)}.
 */
public final class ThrottleBoard {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<TreeMap<String, Double>> SHARES = new TypeReference<>() {};

  private final StateDatabase db;

  public ThrottleBoard(StateDatabase db) {
    this.db = db;
  }

  /** Issues (or replaces) the account's directive inside the caller's transaction. */
  public void put(Connection c, ThrottleDirective d) throws SQLException {
    remove(c, d.accountId());
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO dg_throttle (account_id, webhook_id, categories, issued_at, expires_at)"
                + " VALUES (?, ?, ?, ?, ?)")) {
      ps.setString(1, d.accountId());
      ps.setString(2, d.webhookId());
      ps.setString(3, JSON.writeValueAsString(new TreeMap<>(d.categories())));
      ps.setLong(4, d.issuedAtMillis());
      ps.setLong(5, d.expiresAtMillis());
      ps.executeUpdate();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Withdraws the account's directive inside the caller's transaction; true if there was one. */
  public boolean remove(Connection c, String accountId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM dg_throttle WHERE account_id = ?")) {
      ps.setString(1, accountId);
      return ps.executeUpdate() > 0;
    }
  }

  /** Directives still in force at {@code nowMillis}, by account id. */
  public List<ThrottleDirective> active(long nowMillis) {
    return db.transact(
        c -> {
          List<ThrottleDirective> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT account_id, webhook_id, categories, issued_at, expires_at"
                      + " FROM dg_throttle WHERE expires_at > ? ORDER BY account_id")) {
            ps.setLong(1, nowMillis);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                Map<String, Double> shares;
                try {
                  shares = JSON.readValue(rs.getString(3), SHARES);
                } catch (JsonProcessingException e) {
                  throw new IllegalStateException("corrupt throttle categories", e);
                }
                out.add(
                    new ThrottleDirective(
                        rs.getString(1), rs.getString(2), shares, rs.getLong(4), rs.getLong(5)));
              }
            }
          }
          return out;
        });
  }
}
