package io.distillguard.actors.audit;

import io.distillguard.actors.StateDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The database's guard of the audit log's append-only rule: a trigger on {@code dg_audit} refuses
 * every UPDATE and DELETE unless the transaction opened the guard for one of the two changes the
 * log allows, the erasure's tombstones ({@link #ERASURE}: who, what and when unchanged, account and
 * detail removed) and the retention sweep's deletes ({@link #RETENTION}). On PostgreSQL a PL/pgSQL
 * trigger reads the transaction-local setting {@value #PG_SETTING} (TRUNCATE is refused as well);
 * on H2 {@link AuditAppendOnlyTrigger} reads the session variable {@value #H2_VARIABLE}, which
 * {@link #permit} clears again before it returns.
 *
 * <p>What it stops: any other statement of the service (a bug, an injected statement) and any
 * client that does not know to open the guard. What it does not: a database user with the service's
 * rights can open the guard too, and the table's owner can drop the trigger; an audit log that a
 * database administrator cannot edit needs a store outside the database.
 */
public final class AuditGuard {

  /** The guard opened for the erasure's tombstones. */
  public static final String ERASURE = "erasure";

  /** The guard opened for the retention sweep's deletes. */
  public static final String RETENTION = "retention";

  static final String PG_SETTING = "distillguard.audit_write";
  static final String H2_VARIABLE = "@DISTILLGUARD_AUDIT_WRITE";

  private AuditGuard() {}

  /** The statements that install the trigger (idempotent; run at every start with the schema). */
  public static List<String> ddl(boolean postgres) {
    if (!postgres) {
      return List.of(
          "CREATE TRIGGER IF NOT EXISTS dg_audit_append_only BEFORE UPDATE, DELETE ON dg_audit"
              + " FOR EACH ROW CALL '"
              + AuditAppendOnlyTrigger.class.getName()
              + "'");
    }
    return List.of(
        "CREATE OR REPLACE FUNCTION dg_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$"
            + " DECLARE permit text := current_setting('"
            + PG_SETTING
            + "', true);"
            + " BEGIN"
            + "  IF TG_OP = 'DELETE' AND permit = '"
            + RETENTION
            + "' THEN RETURN OLD; END IF;"
            + "  IF TG_OP = 'UPDATE' AND permit = '"
            + ERASURE
            + "' AND NEW.seq = OLD.seq AND NEW.at_millis = OLD.at_millis"
            + "   AND NEW.actor = OLD.actor AND NEW.action = OLD.action"
            + "   AND NEW.account_id IS NULL AND NEW.detail IS NULL AND NEW.erased"
            + "  THEN RETURN NEW; END IF;"
            + "  RAISE EXCEPTION 'dg_audit is append-only: % refused', TG_OP"
            + "   USING ERRCODE = 'insufficient_privilege';"
            + " END $$",
        "DROP TRIGGER IF EXISTS dg_audit_append_only ON dg_audit",
        "CREATE TRIGGER dg_audit_append_only BEFORE UPDATE OR DELETE ON dg_audit"
            + " FOR EACH ROW EXECUTE FUNCTION dg_audit_append_only()",
        "DROP TRIGGER IF EXISTS dg_audit_no_truncate ON dg_audit",
        "CREATE TRIGGER dg_audit_no_truncate BEFORE TRUNCATE ON dg_audit"
            + " FOR EACH STATEMENT EXECUTE FUNCTION dg_audit_append_only()");
  }

  /**
   * Runs {@code work} inside the caller's transaction on {@code c} with the guard opened for {@code
   * change} ({@link #ERASURE} or {@link #RETENTION}), and closes it again.
   */
  public static <T> T permit(Connection c, String change, StateDatabase.Work<T> work)
      throws SQLException {
    boolean postgres = c.getMetaData().getURL().startsWith("jdbc:postgresql:");
    set(c, postgres, change);
    T result;
    try {
      result = work.run(c);
    } catch (SQLException | RuntimeException e) {
      // PostgreSQL's setting ends with the transaction's rollback (and a failed transaction takes
      // no more statements); H2's session variable must be cleared here.
      if (!postgres) {
        try {
          set(c, false, null);
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
    set(c, postgres, null);
    return result;
  }

  private static void set(Connection c, boolean postgres, String value) throws SQLException {
    if (postgres) {
      // Transaction-local: gone at commit or rollback whatever happens here.
      try (PreparedStatement ps = c.prepareStatement("SELECT set_config(?, ?, true)")) {
        ps.setString(1, PG_SETTING);
        ps.setString(2, value == null ? "" : value);
        ps.execute();
      }
    } else {
      try (Statement s = c.createStatement()) {
        s.execute("SET " + H2_VARIABLE + " = " + (value == null ? "NULL" : "'" + value + "'"));
      }
    }
  }
}
