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
