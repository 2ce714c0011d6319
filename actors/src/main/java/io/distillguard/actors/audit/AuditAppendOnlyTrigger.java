package io.distillguard.actors.audit;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import org.h2.api.Trigger;

/**
 * H2's half of {@link AuditGuard}: fired before every UPDATE and DELETE of a {@code dg_audit} row,
 * it refuses the change unless the transaction opened the guard for it (the session variable
 * {@value AuditGuard#H2_VARIABLE}): an update only as the erasure's tombstone (who, what and when
 * unchanged; account and detail removed), a delete only by the retention sweep.
 */
public final class AuditAppendOnlyTrigger implements Trigger {

  // dg_audit's columns: seq, at_millis, actor, action, account_id, detail, erased.
  private static final int ACCOUNT = 4;
  private static final int DETAIL = 5;
  private static final int ERASED = 6;

  @Override
  public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
    String permit = permit(conn);
    if (newRow == null) {
      if (!AuditGuard.RETENTION.equals(permit)) {
        throw new SQLException("dg_audit is append-only: DELETE refused", "45000");
      }
      return;
    }
    boolean tombstone =
        AuditGuard.ERASURE.equals(permit)
            && newRow[ACCOUNT] == null
            && newRow[DETAIL] == null
            && Boolean.TRUE.equals(newRow[ERASED]);
    for (int i = 0; tombstone && i < ACCOUNT; i++) {
      tombstone = Objects.equals(oldRow[i], newRow[i]);
    }
    if (!tombstone) {
      throw new SQLException("dg_audit is append-only: UPDATE refused", "45000");
    }
  }

  private static String permit(Connection conn) throws SQLException {
    try (Statement s = conn.createStatement();
        ResultSet rs = s.executeQuery("SELECT " + AuditGuard.H2_VARIABLE)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }
}
