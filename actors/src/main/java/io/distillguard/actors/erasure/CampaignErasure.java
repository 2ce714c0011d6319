package io.distillguard.actors.erasure;

import io.distillguard.actors.campaign.CampaignEntity;
import io.distillguard.actors.escalation.CampaignEffectsProjection;
import io.distillguard.actors.escalation.CampaignWithdrawal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.persistence.typed.PersistenceId;

/**
 * The campaign side of an account's erasure. A campaign entity that holds the account persists
 * {@link CampaignEntity.MemberErased} (the campaign restated without it, naming no erased account);
 * then every journal row and snapshot of that campaign before the fact is deleted, and the
 * campaign's {@code dg_campaign} row and outbox payloads stop naming the account ({@link
 * CampaignWithdrawal}). A recovery starts from the fact, so nothing comes back after a restart; the
 * other members stay. The campaign effects projection repeats the deletion and the withdrawal when
 * it passes the fact, which completes an erasure interrupted between the fact and the deletion.
 *
 * <p>Which campaigns: those whose {@code dg_campaign} row lists the account, and those with an
 * event the campaign projection has not passed yet that mentions it (the running service adds the
 * ones its campaign router recorded it in). Blocking methods run on the JDBC executor.
 */
public final class CampaignErasure {

  private CampaignErasure() {}

  /** The journal's persistence id of a campaign. */
  public static String persistenceId(String campaignId) {
    return CampaignEntity.ENTITY_TYPE_KEY.name() + PersistenceId.DefaultSeparator() + campaignId;
  }

  /** The campaigns whose stored data may name {@code accountId} (see the class comment). */
  public static Set<String> campaignsOf(Connection c, String accountId) throws SQLException {
    Set<String> out = new TreeSet<>();
    String prefix = persistenceId("");
    byte[] needle = accountId.getBytes(StandardCharsets.UTF_8);
    // The events not projected yet first: what the projection passes meanwhile is in the rows.
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT j.\"persistence_id\", j.\"event_payload\" FROM \"event_journal\" j"
                + " JOIN \"event_tag\" t ON t.\"event_id\" = j.\"ordering\""
                + " WHERE t.\"tag\" = ? AND j.\"ordering\" > COALESCE("
                + "(SELECT last_ordering FROM dg_projection_offset WHERE name = ?), 0)")) {
      ps.setString(1, CampaignEntity.EFFECTS_TAG);
      ps.setString(2, CampaignEffectsProjection.NAME);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String pid = rs.getString(1);
          if (pid.startsWith(prefix) && contains(rs.getBytes(2), needle)) {
            out.add(pid.substring(prefix.length()));
          }
        }
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT campaign_id, members FROM dg_campaign WHERE members LIKE ? ESCAPE '!'")) {
      ps.setString(1, "%" + accountId.replaceAll("([!%_])", "!$1") + "%");
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (Set.of(rs.getString(2).split("\n")).contains(accountId)) {
            out.add(rs.getString(1));
          }
        }
      }
    }
    return out;
  }

  /**
   * Asks each campaign to erase the account, one after the other; completes with, per campaign, the
   * sequence number of its {@link CampaignEntity.MemberErased} fact (0 where it held nothing of the
   * account).
   *
   * @param eraseIn sends {@link CampaignEntity.EraseMember} to a campaign's entity
   */
  public static CompletionStage<Map<String, Long>> eraseIn(
      Set<String> campaigns, Function<String, CompletionStage<Long>> eraseIn) {
    Map<String, Long> facts = new LinkedHashMap<>();
    CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
    for (String id : campaigns) {
      chain = chain.thenCompose(v -> eraseIn.apply(id)).thenAccept(seq -> facts.put(id, seq));
    }
    return chain.thenApply(v -> facts);
  }

  /**
   * Inside the erasure's transaction: deletes every campaign's journal rows and snapshots before
   * its fact, withdraws the account from every campaign's row and payloads and deletes its member
   * flags. Returns {campaigns erased from, journal events and snapshots deleted, payloads rewritten
   * or deleted}.
   */
  static long[] eraseStored(Connection c, String accountId, Map<String, Long> facts)
      throws SQLException {
    long campaigns = 0;
    long events = 0;
    long deliveries = 0;
    for (Map.Entry<String, Long> f : facts.entrySet()) {
      if (f.getValue() > 0) {
        campaigns++;
        events += deleteBefore(c, persistenceId(f.getKey()), f.getValue());
      }
      deliveries += CampaignWithdrawal.withdraw(c, f.getKey(), m -> !m.equals(accountId));
    }
    // What campaigns decided about the account as a member (its campaign flag, flags on their way
    // to its entity).
    for (String table : new String[] {"dg_member_flag", "dg_campaign_flag"}) {
      try (PreparedStatement ps =
          c.prepareStatement("DELETE FROM " + table + " WHERE account_id = ?")) {
        ps.setString(1, accountId);
        ps.executeUpdate();
      }
    }
    return new long[] {campaigns, events, deliveries};
  }

  /**
   * Deletes the journal events and snapshots of {@code persistenceId} with a sequence number below
   * {@code sequenceNr}; returns how many rows.
   */
  public static long deleteBefore(Connection c, String persistenceId, long sequenceNr)
      throws SQLException {
    long n = 0;
    for (String table : new String[] {"event_journal", "snapshot"}) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "DELETE FROM \""
                  + table
                  + "\" WHERE \"persistence_id\" = ? AND \"sequence_number\" < ?")) {
        ps.setString(1, persistenceId);
        ps.setLong(2, sequenceNr);
        n += ps.executeUpdate();
      }
    }
    return n;
  }

  private static boolean contains(byte[] hay, byte[] needle) {
    if (hay == null) {
      return false;
    }
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
