package io.distillguard.actors.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.distillguard.actors.SeqPage;
import io.distillguard.actors.StateDatabase;
import io.distillguard.contract.Json;
import io.distillguard.observe.AccountObservation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Observations the actor side could not record (table {@code dg_quarantine} in the {@link
 * StateDatabase}): after the intake's bounded retries an observation is kept here with the reason,
 * so the stream goes on instead of failing or restarting onto it. The observation is kept as JSON,
 * capped like the ingest job's dead letters: a longer one is cut to {@link #KEPT_CHARS} characters,
 * with its full length and SHA-256. Erased with its account and expired by the retention. Blocking:
 * call it on the JDBC executor.
 */
public final class Quarantine {

  /** Characters of an observation's JSON that are kept. */
  public static final int KEPT_CHARS = 64 * 1024;

  /** Characters of an account or event id that are kept (a longer one is cut). */
  public static final int MAX_ID_CHARS = 1_000;

  /** Longest reason kept. */
  public static final int MAX_REASON_CHARS = 1_000;

  /**
   * One quarantined observation.
   *
   * @param observation its JSON, cut to {@link #KEPT_CHARS}
   * @param observationChars the length of the whole JSON
   * @param observationSha256 hex SHA-256 of the whole JSON's UTF-8
   */
  public record Entry(
      long seq,
      long atMillis,
      String accountId,
      String eventId,
      String reason,
      String observation,
      long observationChars,
      String observationSha256) {

    public boolean truncated() {
      return observation.length() < observationChars;
    }
  }

  private final StateDatabase db;
  private final Clock clock;

  public Quarantine(StateDatabase db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** Keeps {@code o} with {@code reason}; returns once it is committed. */
  public void add(AccountObservation o, String reason) {
    String json;
    try {
      json = Json.mapper().writeValueAsString(o);
    } catch (JsonProcessingException e) {
      json = String.valueOf(o);
    }
    String whole = json;
    db.transact(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO dg_quarantine (at_millis, account_id, event_id, reason,"
                      + " observation, observation_chars, observation_sha256)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, clock.millis());
            ps.setString(2, cut(String.valueOf(o.accountId()), MAX_ID_CHARS));
            ps.setString(3, cut(String.valueOf(o.eventId()), MAX_ID_CHARS));
            ps.setString(4, cut(reason == null ? "unknown" : reason, MAX_REASON_CHARS));
            ps.setString(5, cut(whole, KEPT_CHARS));
            ps.setLong(6, whole.length());
            ps.setString(7, sha256(whole));
            ps.executeUpdate();
          }
          return null;
        });
  }

  /** Entries after {@code afterSeq}, oldest first, at most {@code limit}. */
  public List<Entry> list(long afterSeq, int limit) {
    return SeqPage.after(
        db,
        "dg_quarantine",
        "at_millis, account_id, event_id, reason, observation, observation_chars,"
            + " observation_sha256",
        afterSeq,
        limit,
        rs ->
            new Entry(
                rs.getLong(1),
                rs.getLong(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getLong(7),
                rs.getString(8)));
  }

  /** The entries with these sequence numbers that are still kept, in the order asked. */
  public List<Entry> get(List<Long> seqs) {
    List<Entry> out = new ArrayList<>();
    for (long seq : new LinkedHashSet<>(seqs)) {
      List<Entry> one = list(seq - 1, 1);
      if (!one.isEmpty() && one.get(0).seq() == seq) {
        out.add(one.get(0));
      }
    }
    return out;
  }

  /** Deletes one entry inside the caller's transaction (it was recorded or quarantined anew). */
  public static void delete(Connection c, long seq) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM dg_quarantine WHERE seq = ?")) {
      ps.setLong(1, seq);
      ps.executeUpdate();
    }
  }

  /** The observation an entry kept, or empty when it was cut short or cannot be read. */
  public static Optional<AccountObservation> observation(Entry e) {
    if (e.truncated()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Json.mapper().readValue(e.observation(), AccountObservation.class));
    } catch (JsonProcessingException | IllegalArgumentException ex) {
      return Optional.empty();
    }
  }

  /** Deletes the account's entries inside the caller's (erasure) transaction; returns how many. */
  public static int erase(Connection c, String accountId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM dg_quarantine WHERE account_id = ?")) {
      ps.setString(1, cut(accountId, MAX_ID_CHARS));
      return ps.executeUpdate();
    }
  }

  /**
   * Deletes entries quarantined before {@code cutoffMillis} inside the caller's (retention)
   * transaction; returns how many.
   */
  public static int expire(Connection c, long cutoffMillis) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM dg_quarantine WHERE at_millis < ?")) {
      ps.setLong(1, cutoffMillis);
      return ps.executeUpdate();
    }
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
