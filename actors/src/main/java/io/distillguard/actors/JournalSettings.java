package io.distillguard.actors;

import static io.distillguard.settings.SettingValues.blankToNull;

import com.typesafe.config.Config;
import java.nio.file.Path;

/**
 * The one database: event journal, snapshots, outbox, throttles, index, campaigns and audit log
 * ({@code journal} of {@code distillguard.actors}). The URL and password are redacted by {@link
 * #toString()}.
 *
 * @param url JDBC URL of the event journal; null = H2 file DB under {@code <dataDir>/journal}
 * @param user journal DB user
 * @param password journal DB password
 */
public record JournalSettings(String url, String user, String password) {

  /** The largest binary value the local H2 journal keeps inside its row (events, not snapshots). */
  static final int H2_INPLACE_LOB_BYTES = 32768;

  static JournalSettings fromConfig(Config c) {
    return new JournalSettings(
        blankToNull(c.getString("journal.url")),
        c.getString("journal.user"),
        c.getString("journal.password"));
  }

  /** The journal's JDBC URL: the configured one, or the H2 file DB under {@code dataDir}. */
  String effectiveUrl(Path dataDir) {
    return url != null ? url : h2Url(dataDir.resolve("journal").resolve("journal"));
  }

  private static String h2Url(Path file) {
    // AUTO_SERVER off: one JVM owns the files; DB_CLOSE_DELAY keeps it open between connections;
    // WRITE_DELAY=0: a commit reaches the file before it returns (H2's default delays it 500 ms).
    // MAX_LENGTH_INPLACE_LOB: journal events up to 32 KB stay in their row (an account's chunk
    // event holds its observations of a chunk, ~0.5 KB each); past H2's default of 256 bytes each
    // was a separate LOB (its own map, reference and cleanup), ~3x the cost of the row. Values
    // written before stay readable where they are.
    return "jdbc:h2:file:"
        + file.toAbsolutePath()
        + ";DB_CLOSE_DELAY=-1;WRITE_DELAY=0;MAX_LENGTH_INPLACE_LOB="
        + H2_INPLACE_LOB_BYTES;
  }

  @Override
  public String toString() {
    return "JournalSettings[url="
        + (url == null ? "h2 under data dir" : "<configured>")
        + ", user="
        + user
        + ", password="
        + (password == null ? "unset" : "<redacted>")
        + ']';
  }
}
