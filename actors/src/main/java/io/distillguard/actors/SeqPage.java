package io.distillguard.actors;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One page of an append-only table read by its {@code seq} column: the rows after a cursor, oldest
 * first (what {@code GET /v1/audit} and {@code GET /v1/quarantine} page through). Blocking: call it
 * on the JDBC executor.
 */
public final class SeqPage {

  /** Reads one row of the page; {@code seq} is its first column. */
  @FunctionalInterface
  public interface Row<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private SeqPage() {}

  /**
   * The rows of {@code table} with {@code seq} above {@code afterSeq}, in {@code seq} order, at
   * most {@code limit}, each read from {@code seq} followed by {@code columns}.
   *
   * @param table and {@code columns}: constants of the caller, never request input
   */
  public static <T> List<T> after(
      StateDatabase db, String table, String columns, long afterSeq, int limit, Row<T> row) {
    return db.transact(
        c -> {
          List<T> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT seq, "
                      + columns
                      + " FROM "
                      + table
                      + " WHERE seq > ? ORDER BY seq LIMIT ?")) {
            ps.setLong(1, afterSeq);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(row.read(rs));
              }
            }
          }
          return out;
        });
  }
}
