package io.distillguard.actors.escalation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * When an escalated campaign that members keep joining sends its next follow-up {@code
 * campaign.review_requested}: once its members have grown by a share of those its last message
 * listed (at least one member), naming every account that joined since. Each message lists every
 * member, so a follow-up per joining account would send a campaign's member list once per member:
 * for a campaign grown one account at a time to 25,000 members, some 17 GB of payloads. Growth by a
 * tenth sends about 90 messages on the way there. Every joining account still gets its own {@code
 * account.review_requested} with the campaign's id, so no account waits for a follow-up to be
 * named. Kept in the campaign's {@code dg_campaign} row, in the projection's transaction, so the
 * cadence is the journal's, whatever a projection restart replays.
 */
final class FollowUps {

  private FollowUps() {}

  /**
   * {@code joined} accounts joined the escalated campaign, which now has {@code members}: the
   * accounts to name in a follow-up now (every one that joined since the last message), or empty
   * when the campaign has not grown enough since; they are kept until then.
   *
   * @param growth the share of the last message's members by which the campaign must grow (0: a
   *     follow-up for every join)
   */
  static Optional<List<String>> joined(
      Connection c, String campaignId, List<String> joined, int members, double growth)
      throws SQLException {
    Waiting before = read(c, campaignId);
    LinkedHashSet<String> pending = new LinkedHashSet<>(before.pending());
    int announced = before.announced();
    pending.addAll(joined);
    int due = announced + (int) Math.max(1, Math.ceil(announced * growth));
    if (announced > 0 && members < due) {
      store(c, campaignId, List.copyOf(pending), announced);
      return Optional.empty();
    }
    store(c, campaignId, List.of(), members);
    return Optional.of(List.copyOf(pending));
  }

  /**
   * A message listed the campaign's {@code members} (a decision, a reviewer's verdict), or the
   * campaign left review: nothing is waiting any more.
   */
  static void announced(Connection c, String campaignId, int members) throws SQLException {
    store(c, campaignId, List.of(), members);
  }

  /** The waiting accounts that are still members (after an erasure restated the campaign). */
  static void retain(Connection c, String campaignId, Set<String> members) throws SQLException {
    Waiting before = read(c, campaignId);
    List<String> kept = new ArrayList<>(before.pending());
    if (kept.removeIf(a -> !members.contains(a))) {
      store(c, campaignId, kept, before.announced());
    }
  }

  /**
   * The accounts waiting to be named, and how many members the last message listed; the row stays
   * locked to the caller's transaction (an erasure's and the projection's do not interleave).
   */
  private record Waiting(List<String> pending, int announced) {}

  private static Waiting read(Connection c, String campaignId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT pending_joined, announced_members FROM dg_campaign WHERE campaign_id = ?"
                + " FOR UPDATE")) {
      ps.setString(1, campaignId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? new Waiting(split(rs.getString(1)), rs.getInt(2))
            : new Waiting(List.of(), 0);
      }
    }
  }

  private static void store(Connection c, String campaignId, List<String> pending, int announced)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE dg_campaign SET pending_joined = ?, announced_members = ?"
                + " WHERE campaign_id = ?")) {
      ps.setString(1, pending.isEmpty() ? null : String.join("\n", pending));
      ps.setInt(2, announced);
      ps.setString(3, campaignId);
      ps.executeUpdate();
    }
  }

  private static List<String> split(String s) {
    return s == null || s.isEmpty() ? List.of() : List.of(s.split("\n"));
  }
}
