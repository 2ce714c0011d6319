package io.distillguard.actors;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The relational side tables of the actor side: the escalation outbox, the throttle directives and
 * the account index. One JDBC connection (H2 file DB under the data dir in the local mode;
 * PostgreSQL works with the same portable SQL), used under a lock: writes are small and rare
 * compared to observations, and one connection keeps every multi-table write a plain transaction.
 *
 * <p>Callers run their statements inside {@link #transact(Work)}, which commits on success and
 * rolls back on failure.
 */
public final class StateDatabase implements AutoCloseable {

  /** A unit of work against the connection. */
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
              + " updated_at BIGINT NOT NULL)");

  private final Connection connection;
  private final ReentrantLock lock = new ReentrantLock();

  private StateDatabase(Connection connection) {
    this.connection = connection;
  }

  /** Opens the database at {@code jdbcUrl} and creates the tables that do not exist yet. */
  public static StateDatabase open(String jdbcUrl, String user, String password) {
    try {
      Connection c = DriverManager.getConnection(jdbcUrl, user, password);
      c.setAutoCommit(false);
      StateDatabase db = new StateDatabase(c);
      db.transact(
          conn -> {
            try (Statement s = conn.createStatement()) {
              for (String ddl : DDL) {
                s.execute(ddl);
              }
            }
            return null;
          });
      return db;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open the state database: " + e.getMessage(), e);
    }
  }

  /** Runs {@code work} in one transaction. */
  public <T> T transact(Work<T> work) {
    lock.lock();
    try {
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
        throw new IllegalStateException("state database: " + e.getMessage(), e);
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      connection.close();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot close the state database", e);
    } finally {
      lock.unlock();
    }
  }
}
