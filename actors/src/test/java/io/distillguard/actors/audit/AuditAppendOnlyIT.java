package io.distillguard.actors.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distillguard.actors.PostgresServer;
import io.distillguard.actors.StateDatabase;
import io.distillguard.actors.retention.RetentionSweeper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database keeps the audit log append-only, on H2 and on PostgreSQL: a plain UPDATE, DELETE (or
 * TRUNCATE, PostgreSQL) of {@code dg_audit} is refused, even on a connection of its own; the
 * erasure's tombstones and the retention sweep's deletes pass, and nothing else passes even with
 * the guard opened (an update that rewrites who or what). The audit retention deletes exactly the
 * entries older than it.
 */
class AuditAppendOnlyIT {

  private static final long NOW = 1_791_158_400_000L;
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);

  @TempDir Path dir;

  @Test
  void h2RefusesEveryChangeButTombstonesAndRetention() throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("audit") + ";DB_CLOSE_DELAY=-1";
    check(url, "sa", false);
  }

  @Test
  void postgresRefusesEveryChangeButTombstonesAndRetention() throws Exception {
    try (PostgresServer pg = PostgresServer.start()) {
      check(pg.jdbcUrl(), PostgresServer.USER, true);
    }
  }

  private static void check(String url, String user, boolean postgres) throws Exception {
    try (StateDatabase db = StateDatabase.open(url, user, "")) {
      db.transact(
          c -> {
            AuditLog.append(c, NOW - Duration.ofDays(500).toMillis(), "ana", "review", "a-1", "x");
            AuditLog.append(c, NOW - Duration.ofDays(10).toMillis(), "ana", "review", "a-2", "y");
            AuditLog.append(c, NOW, "bo", AuditLog.EVIDENCE_READ, "a-1", "near=plan");
            return null;
          });

      // Any other client of the database: refused.
      for (String sql :
          List.of(
              "UPDATE dg_audit SET detail = 'forged'",
              "UPDATE dg_audit SET account_id = NULL, detail = NULL, erased = TRUE",
              "DELETE FROM dg_audit WHERE actor = 'bo'")) {
        try (Connection c = DriverManager.getConnection(url, user, "");
            Statement s = c.createStatement()) {
          assertThatThrownBy(() -> s.executeUpdate(sql))
              .as(sql)
              .hasMessageContaining("append-only");
        }
      }
      if (postgres) {
        try (Connection c = DriverManager.getConnection(url, user, "");
            Statement s = c.createStatement()) {
          assertThatThrownBy(() -> s.execute("TRUNCATE dg_audit"))
              .hasMessageContaining("append-only");
        }
      }
      // The guard opened for tombstones still refuses to rewrite who or what.
      assertThatThrownBy(
              () ->
                  db.transact(
                      c ->
                          AuditGuard.permit(
                              c,
                              AuditGuard.ERASURE,
                              conn -> {
                                try (Statement s = conn.createStatement()) {
                                  return s.executeUpdate(
                                      "UPDATE dg_audit SET actor = 'someone', account_id = NULL,"
                                          + " detail = NULL, erased = TRUE");
                                }
                              })))
          .hasMessageContaining("append-only");

      // The two allowed changes.
      int tombstoned = db.transact(c -> AuditLog.tombstone(c, "a-1"));
      assertThat(tombstoned).isEqualTo(2);
      // The guard is closed again on the same connection: a pooled connection carries nothing.
      assertThatThrownBy(
              () ->
                  db.transact(
                      c -> {
                        try (Statement s = c.createStatement()) {
                          return s.executeUpdate("DELETE FROM dg_audit");
                        }
                      }))
          .hasMessageContaining("append-only");
      RetentionSweeper sweeper =
          RetentionSweeper.start(db, null, Duration.ofDays(400), Duration.ofHours(1), CLOCK);
      try {
        sweeper.sweep();
      } finally {
        sweeper.close();
      }
      List<AuditEntry> left = new AuditLog(db, CLOCK).list(0, 10);
      assertThat(left)
          .extracting(AuditEntry::actor, AuditEntry::accountId, AuditEntry::erased)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("ana", "a-2", false),
              org.assertj.core.groups.Tuple.tuple("bo", null, true));
    }
  }
}
