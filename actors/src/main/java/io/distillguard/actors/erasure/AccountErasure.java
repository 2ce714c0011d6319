package io.distillguard.actors.erasure;

import io.distillguard.actors.StateDatabase;
import io.distillguard.actors.account.AccountEntity;
import io.distillguard.actors.audit.AuditLog;
import io.distillguard.actors.intake.Quarantine;
import io.distillguard.store.VectorStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;

/**
 * Erasure of one account from everything the actor side stores, in one database transaction: the
 * journal events and snapshots of its entity, its outbox rows (the webhook payloads), its throttle
 * directive and index row, its quarantined observations; its audit entries become tombstones (who,
 * what, when) and the erasure itself is audited with the SHA-256 of the account id (to prove an
 * erasure later without keeping the id); the campaigns it was a member of lose it ({@link
 * CampaignErasure}). Then the vector store and the dead-letter file.
 *
 * <p>With the service running, the entity is first asked to persist {@link
 * AccountEntity.AccountErased} (which resets its state in memory), and only the journal rows before
 * that marker are deleted here, so an observation that arrives during the erasure starts a new,
 * empty history instead of resurrecting the old one. The effects projection deletes the marker when
 * it reaches it, after withdrawing the account's effects once more (an escalation it was applying
 * at that moment cannot outlive the erasure). Offline ({@code ./distillguard erase}) there is no
 * entity and every row goes at once.
 */
public final class AccountErasure {

  private AccountErasure() {}

  /**
   * Deletes the account's rows; journal events and snapshots with a sequence number below {@code
   * beforeSequenceNr} ({@link Long#MAX_VALUE}: all); and its campaign data ({@link
   * CampaignErasure#eraseStored}: {@code campaignFacts} are the sequence numbers of the campaigns'
   * {@code MemberErased} facts). Blocking.
   */
  public static ErasureReport eraseStored(
      StateDatabase db,
      String accountId,
      long beforeSequenceNr,
      Map<String, Long> campaignFacts,
      String actor,
      Clock clock) {
    String pid = AccountEntity.persistenceId(accountId).id();
    return db.transact(
        c -> {
          long events =
              delete(
                  c,
                  "DELETE FROM \"event_journal\" WHERE \"persistence_id\" = ?"
                      + " AND \"sequence_number\" < ?",
                  pid,
                  beforeSequenceNr);
          long snapshots =
              delete(
                  c,
                  // A snapshot at the marker itself holds the emptied state; its key still names
                  // the account.
                  "DELETE FROM \"snapshot\" WHERE \"persistence_id\" = ?"
                      + " AND \"sequence_number\" <= ?",
                  pid,
                  beforeSequenceNr);
          long[] effects = deleteEffects(c, accountId);
          long[] campaigns = CampaignErasure.eraseStored(c, accountId, campaignFacts);
          long audit = AuditLog.tombstone(c, accountId);
          long quarantined = Quarantine.erase(c, accountId);
          AuditLog.append(
              c,
              clock.millis(),
              actor,
              AuditLog.ERASE,
              null,
              "account sha256=" + sha256(accountId));
          return new ErasureReport(
              events,
              snapshots,
              effects[0],
              effects[1],
              effects[2],
              audit,
              campaigns[0],
              campaigns[1],
              campaigns[2],
              -1,
              0,
              quarantined);
        });
  }

  /**
   * Deletes the account's outbox rows, throttle directive and index row inside {@code c}; returns
   * the three counts.
   */
  public static long[] deleteEffects(Connection c, String accountId) throws SQLException {
    // The campaign flag row is derived state of the account's journal too (not counted).
    delete(c, "DELETE FROM dg_campaign_flag WHERE account_id = ?", accountId, null);
    return new long[] {
      delete(c, "DELETE FROM dg_delivery WHERE account_id = ?", accountId, null),
      delete(c, "DELETE FROM dg_throttle WHERE account_id = ?", accountId, null),
      delete(c, "DELETE FROM dg_account WHERE account_id = ?", accountId, null)
    };
  }

  /**
   * Erases the account from the vector store (when there is one here) and the dead-letter file
   * (when it exists), adding both counts to {@code stored}.
   */
  public static ErasureReport eraseFiles(
      ErasureReport stored, String accountId, VectorStore store, Path deadLetters) {
    long vectors = -1;
    if (store != null) {
      vectors = store.deleteAccount(accountId);
    }
    long letters = deadLetters == null ? 0 : DeadLetterFiles.erase(deadLetters, accountId);
    return stored.withStores(vectors, letters);
  }

  private static long delete(Connection c, String sql, String key, Long below) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, key);
      if (below != null) {
        ps.setLong(2, below);
      }
      return ps.executeUpdate();
    }
  }

  static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
