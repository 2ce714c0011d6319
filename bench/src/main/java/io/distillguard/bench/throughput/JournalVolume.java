package io.distillguard.bench.throughput;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What a replay left in its local H2 journal (read after the replay, with the actor side stopped):
 * the account journal's events and their payload bytes, and the database files on disk.
 */
record JournalVolume(long accountEvents, long accountPayloadBytes, long fileBytes) {

  static JournalVolume of(Path dataDir) {
    Path dir = dataDir.resolve("journal");
    String url = "jdbc:h2:file:" + dir.resolve("journal").toAbsolutePath() + ";ACCESS_MODE_DATA=r";
    long events;
    long bytes;
    try (Connection c = DriverManager.getConnection(url, "sa", "");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT COUNT(*), COALESCE(SUM(OCTET_LENGTH(\"event_payload\")), 0)"
                    + " FROM \"event_journal\" WHERE \"persistence_id\" LIKE 'Account|%'")) {
      rs.next();
      events = rs.getLong(1);
      bytes = rs.getLong(2);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the journal in " + dir, e);
    }
    try (Stream<Path> files = Files.walk(dir)) {
      long size = files.filter(Files::isRegularFile).mapToLong(JournalVolume::size).sum();
      return new JournalVolume(events, bytes, size);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String describe(long observations) {
    return String.format(
        Locale.ROOT,
        "account journal %,d events, payload %.0f bytes per observation, database files %.1f MB"
            + " (%.0f bytes per observation)",
        accountEvents,
        accountPayloadBytes / (double) observations,
        fileBytes / 1e6,
        fileBytes / (double) observations);
  }
}
