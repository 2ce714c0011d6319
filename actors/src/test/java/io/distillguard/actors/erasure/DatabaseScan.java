package io.distillguard.actors.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.actors.ActorSettings;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads every row of every table of the service's one database (journal, snapshots, outbox,
 * throttles, index, audit log, campaigns) for a value, as bytes in any column: what an erasure must
 * leave nowhere.
 */
public final class DatabaseScan {

  // Tables the scan must see (it reads every table of the schema).
  private static final List<String> TABLES =
      List.of(
          "event_journal",
          "event_tag",
          "snapshot",
          "dg_delivery",
          "dg_throttle",
          "dg_account",
          "dg_audit",
          "dg_campaign");

  private DatabaseScan() {}

  /** The tables holding {@code needle} (as UTF-8 bytes) in any column of any row. */
  public static List<String> containing(ActorSettings settings, String needle) throws SQLException {
    byte[] bytes = needle.getBytes(StandardCharsets.UTF_8);
    List<String> out = new ArrayList<>();
    try (Connection c =
            DriverManager.getConnection(
                settings.effectiveJournalUrl(),
                settings.journal().user(),
                settings.journal().password());
        Statement s = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet t = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
        while (t.next()) {
          if ("public".equalsIgnoreCase(t.getString("TABLE_SCHEM"))) {
            tables.add(t.getString("TABLE_NAME"));
          }
        }
      }
      assertThat(tables.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList()).containsAll(TABLES);
      for (String table : tables) {
        try (ResultSet rs = s.executeQuery("SELECT * FROM \"" + table + "\"")) {
          int columns = rs.getMetaData().getColumnCount();
          rows:
          while (rs.next()) {
            for (int i = 1; i <= columns; i++) {
              byte[] value = bytes(rs.getObject(i));
              if (value != null && indexOf(value, bytes) >= 0) {
                out.add(table.toLowerCase(Locale.ROOT));
                break rows;
              }
            }
          }
        }
      }
    }
    return out;
  }

  private static byte[] bytes(Object value) throws SQLException {
    if (value == null) {
      return null;
    }
    if (value instanceof byte[] b) {
      return b;
    }
    if (value instanceof java.sql.Blob blob) {
      return blob.getBytes(1, (int) blob.length());
    }
    return String.valueOf(value).getBytes(StandardCharsets.UTF_8);
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
