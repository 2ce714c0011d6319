package io.distillguard.actors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDatabaseTest {

  @TempDir Path dir;

  private static String setting(StateDatabase db, String name) {
    return db.transact(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                      + " WHERE SETTING_NAME = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? rs.getString(1) : null;
            }
          }
        });
  }

  @Test
  void journalEventsWrittenOutOfTheirRowsBeforeStillRead() {
    // A journal of an earlier release: H2's default moved every event past 256 bytes to a LOB.
    String url = ActorSettings.defaults(dir).effectiveJournalUrl();
    String before = url.replaceAll(";MAX_LENGTH_INPLACE_LOB=\\d+", "");
    assertThat(before).isNotEqualTo(url);
    byte[] big = new byte[3000];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 31);
    }
    try (StateDatabase db = StateDatabase.open(before, "sa", "")) {
      // H2 lists the setting only when it is set: here its default, 256 bytes.
      assertThat(setting(db, "MAX_LENGTH_INPLACE_LOB")).isNull();
      db.transact(
          c -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "INSERT INTO \"snapshot\" (\"persistence_id\", \"sequence_number\","
                        + " \"created\", \"snapshot_ser_id\", \"snapshot_ser_manifest\","
                        + " \"snapshot_payload\") VALUES ('Account|a', 1, 0, 1, '', ?)")) {
              ps.setBytes(1, big);
              return ps.executeUpdate();
            }
          });
    }
    try (StateDatabase db = StateDatabase.open(url, "sa", "")) {
      byte[] read =
          db.transact(
              c -> {
                try (PreparedStatement ps =
                        c.prepareStatement("SELECT \"snapshot_payload\" FROM \"snapshot\"");
                    ResultSet rs = ps.executeQuery()) {
                  return rs.next() ? rs.getBytes(1) : null;
                }
              });
      assertThat(read).isEqualTo(big);
    }
  }

  @Test
  void theLocalDatabaseHoldsTheJournalAndItsSideTablesWithDurableCommits() {
    String url = ActorSettings.defaults(dir).effectiveJournalUrl();
    try (StateDatabase db = StateDatabase.open(url, "sa", "")) {
      assertThat(db.postgres()).isFalse();
      assertThat(db.reachable()).isTrue();
      String writeDelay =
          db.transact(
              c -> {
                try (PreparedStatement ps =
                        c.prepareStatement(
                            "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                                + " WHERE SETTING_NAME = 'WRITE_DELAY'");
                    ResultSet rs = ps.executeQuery()) {
                  return rs.next() ? rs.getString(1) : null;
                }
              });
      // H2 delays a commit's write by 500 ms unless told otherwise.
      assertThat(writeDelay).isEqualTo("0");
      // Journal events stay inside their rows (H2 moves a BLOB past 256 bytes out by default).
      assertThat(setting(db, "MAX_LENGTH_INPLACE_LOB"))
          .isEqualTo(String.valueOf(JournalSettings.H2_INPLACE_LOB_BYTES));
      List<String> tables =
          db.transact(
              c -> {
                List<String> out = new ArrayList<>();
                try (ResultSet rs =
                    c.getMetaData().getTables(null, "PUBLIC", "%", new String[] {"TABLE"})) {
                  while (rs.next()) {
                    out.add(rs.getString("TABLE_NAME").toLowerCase(java.util.Locale.ROOT));
                  }
                }
                return out;
              });
      assertThat(tables)
          .contains(
              "event_journal",
              "event_tag",
              "snapshot",
              "dg_delivery",
              "dg_throttle",
              "dg_account",
              "dg_projection_offset");
    }
    // Opening it again (every start does) changes nothing.
    try (StateDatabase again = StateDatabase.open(url, "sa", "")) {
      assertThat(again.reachable()).isTrue();
    }
  }
}
