package io.distillguard.actors;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The one database of the actor side: the event journal and snapshots (pekko-persistence-jdbc's
 * tables) and beside them the escalation outbox, the throttle directives, the account index and the
 * effects projection's offset. PostgreSQL in a cluster, where every node shares it; an H2 file
 * database under the data dir in the local mode, opened with durable commits ({@code
 * WRITE_DELAY=0}: a committed transaction is written to the file before the commit returns).
 *
 * <p>A small connection pool (HikariCP) that re-connects by itself after the database was
 * unreachable. Callers run their statements inside {@link #transact(Work)}, which commits on
 * success and rolls back on failure; it blocks, so callers run it on a dedicated executor, never on
 * an actor's thread.
 */
public final class StateDatabase implements AutoCloseable {

  /** A unit of work against a connection. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private static final List<String> DDL =
      List.of(
          "CREATE TABLE IF NOT EXISTS dg_delivery ("
              + " webhook_id VARCHAR(100) PRIMARY KEY,"
              + " destination VARCHAR(32) NOT NULL,"
              + " event_type VARCHAR(64) NOT NULL,"
              + " account_id VARCHAR(255) NOT NULL,"
              + " level VARCHAR(16) NOT NULL,"
              + " body VARCHAR(1000000) NOT NULL,"
              + " status VARCHAR(16) NOT NULL,"
              + " attempts INT NOT NULL,"
              + " created_at BIGINT NOT NULL,"
              + " next_attempt_at BIGINT NOT NULL,"
              + " last_attempt_at BIGINT,"
              + " last_status INT,"
              + " last_error VARCHAR(1000),"
              + " settled_at BIGINT)",
          "CREATE INDEX IF NOT EXISTS dg_delivery_due ON dg_delivery (status, next_attempt_at)",
          "CREATE TABLE IF NOT EXISTS dg_throttle ("
              + " account_id VARCHAR(255) PRIMARY KEY,"
              + " webhook_id VARCHAR(100) NOT NULL,"
              + " categories VARCHAR(100000) NOT NULL,"
              + " issued_at BIGINT NOT NULL,"
              + " expires_at BIGINT NOT NULL)",
          "CREATE TABLE IF NOT EXISTS dg_account ("
              + " account_id VARCHAR(255) PRIMARY KEY,"
              + " level VARCHAR(16) NOT NULL,"
              + " queries_observed BIGINT NOT NULL,"
              + " updated_at BIGINT NOT NULL)",
          "CREATE TABLE IF NOT EXISTS dg_projection_offset ("
              + " name VARCHAR(100) PRIMARY KEY,"
              + " last_ordering BIGINT NOT NULL,"
              + " updated_at BIGINT NOT NULL)");

  private final HikariDataSource pool;
  private final boolean postgres;

  private StateDatabase(HikariDataSource pool, boolean postgres) {
    this.pool = pool;
    this.postgres = postgres;
  }

  /**
   * Opens the database at {@code jdbcUrl} ({@code jdbc:h2:...} or {@code jdbc:postgresql:...}) and
   * creates the journal's and the side tables that do not exist yet (on PostgreSQL under an
   * advisory lock, so nodes starting together do not race).
   *
   * @throws IllegalStateException when the database cannot be reached or the schema not created
   */
  public static StateDatabase open(String jdbcUrl, String user, String password) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(user);
    config.setPassword(password);
    config.setAutoCommit(false);
    config.setPoolName("distillguard-state");
    config.setMaximumPoolSize(8);
    config.setMinimumIdle(1);
    // Fail a borrow fast while the database is unreachable; callers retry.
    config.setConnectionTimeout(2_000);
    config.setValidationTimeout(1_000);
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot open the database: " + e.getMessage(), e);
    }
    StateDatabase db = new StateDatabase(pool, jdbcUrl.startsWith("jdbc:postgresql:"));
    try {
      db.createSchema();
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    return db;
  }

  private void createSchema() {
    List<String> statements = new ArrayList<>();
    String script =
        postgres ? "/schema/postgres-journal-schema.sql" : "/schema/h2-journal-schema.sql";
    try (InputStream in = StateDatabase.class.getResourceAsStream(script)) {
      if (in == null) {
        throw new IllegalStateException("journal schema script missing: " + script);
      }
      for (String stmt : new String(in.readAllBytes(), StandardCharsets.UTF_8).split(";")) {
        String sql = stripComments(stmt);
        if (!sql.isBlank()) {
          statements.add(sql);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + script, e);
    }
    statements.addAll(DDL);
    transact(
        c -> {
          try (Statement s = c.createStatement()) {
            if (postgres) {
              // Any constant: serialises schema creation between nodes starting at once.
              s.execute("SELECT pg_advisory_xact_lock(2069944931)");
            }
            for (String sql : statements) {
              s.execute(sql);
            }
          }
          return null;
        });
  }

  private static String stripComments(String sql) {
    StringBuilder out = new StringBuilder();
    for (String line : sql.split("\n")) {
      if (!line.strip().startsWith("--")) {
        out.append(line).append('\n');
      }
    }
    return out.toString();
  }

  /** True for PostgreSQL, false for H2. */
  public boolean postgres() {
    return postgres;
  }

  /** Runs {@code work} in one transaction on a pooled connection. */
  public <T> T transact(Work<T> work) {
    try (Connection connection = pool.getConnection()) {
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          connection.rollback();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        if (e instanceof RuntimeException re) {
          throw re;
        }
        throw new IllegalStateException("database: " + e.getMessage(), e);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("database unreachable: " + e.getMessage(), e);
    }
  }

  /** True when a connection can be had and answers within a second or two. */
  public boolean reachable() {
    try (Connection c = pool.getConnection()) {
      return c.isValid(1);
    } catch (SQLException | RuntimeException e) {
      return false;
    }
  }

  @Override
  public void close() {
    pool.close();
  }
}
