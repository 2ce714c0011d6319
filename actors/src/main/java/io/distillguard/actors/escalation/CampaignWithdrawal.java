package io.distillguard.actors.escalation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillguard.actors.campaign.CampaignEntity;
import io.distillguard.actors.campaign.CampaignEntityState;
import io.distillguard.campaign.CampaignLink;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What erasing a member withdraws from a campaign's effects, inside the caller's transaction: the
 * member leaves the {@code dg_campaign} row, and the {@code campaign.review_requested} payloads in
 * the outbox (pending or delivered) stop naming it: it leaves {@code accounts} and its {@code
 * evidence} link goes; a follow-up that announced only its joining is deleted. Used by the erasure
 * (which knows the account) and by the campaign effects projection when it passes the entity's
 * {@link CampaignEntity.MemberErased} fact (which keeps only the members the fact lists, once more,
 * for payloads written by a batch that was in flight during the erasure).
 */
public final class CampaignWithdrawal {

  private static final ObjectMapper JSON = new ObjectMapper();

  private CampaignWithdrawal() {}

  /**
   * Keeps only the members {@code keep} accepts in the campaign's row and payloads; returns how
   * many outbox payloads were rewritten or deleted.
   */
  public static long withdraw(Connection c, String campaignId, Predicate<String> keep)
      throws SQLException {
    CampaignWebhooks.Row row = CampaignWebhooks.row(c, campaignId).orElse(null);
    if (row != null) {
      List<String> kept = row.members().stream().filter(keep).toList();
      if (kept.size() != row.members().size()) {
        if (kept.isEmpty()) {
          deleteRow(c, campaignId);
        } else {
          try (PreparedStatement ps =
              c.prepareStatement("UPDATE dg_campaign SET members = ? WHERE campaign_id = ?")) {
            ps.setString(1, String.join("\n", kept));
            ps.setString(2, campaignId);
            ps.executeUpdate();
          }
          FollowUps.retain(c, campaignId, java.util.Set.copyOf(kept));
        }
      }
    }
    return deliveries(c, campaignId, keep);
  }

  /**
   * The campaign as the entity restated it after an erasure: its row is rewritten from the state
   * (level, members, links; deleted when no member is left) and its payloads keep only the state's
   * members. Returns how many payloads were rewritten or deleted.
   */
  public static long restated(
      Connection c, String campaignId, CampaignEntityState state, long atMillis)
      throws SQLException {
    if (state.members().isEmpty()) {
      deleteRow(c, campaignId);
    } else {
      ObjectNode links = JSON.createObjectNode();
      for (CampaignLink l : state.links()) {
        links.put(l.key().wire(), l.weight());
      }
      CampaignWebhooks.write(
          c,
          campaignId,
          state.level(),
          new LinkedHashSet<>(state.members().keySet()),
          links,
          null,
          atMillis);
      FollowUps.retain(c, campaignId, state.members().keySet());
    }
    Map<String, ?> members = state.members();
    return deliveries(c, campaignId, members::containsKey);
  }

  private static void deleteRow(Connection c, String campaignId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM dg_campaign WHERE campaign_id = ?")) {
      ps.setString(1, campaignId);
      ps.executeUpdate();
    }
  }

  private static long deliveries(Connection c, String campaignId, Predicate<String> keep)
      throws SQLException {
    List<String[]> rows = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT webhook_id, body FROM dg_delivery WHERE account_id = ?"
                + " AND event_type IN (?, ?, ?)")) {
      ps.setString(1, campaignId);
      for (int i = 0; i < CampaignWebhooks.TYPES.size(); i++) {
        ps.setString(2 + i, CampaignWebhooks.TYPES.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(new String[] {rs.getString(1), rs.getString(2)});
        }
      }
    }
    long changed = 0;
    for (String[] r : rows) {
      String body = scrub(r[1], keep);
      if (body == null) {
        try (PreparedStatement ps =
            c.prepareStatement("DELETE FROM dg_delivery WHERE webhook_id = ?")) {
          ps.setString(1, r[0]);
          changed += ps.executeUpdate();
        }
      } else if (!body.equals(r[1])) {
        try (PreparedStatement ps =
            c.prepareStatement("UPDATE dg_delivery SET body = ? WHERE webhook_id = ?")) {
          ps.setString(1, body);
          ps.setString(2, r[0]);
          changed += ps.executeUpdate();
        }
      }
    }
    return changed;
  }

  /**
   * The payload naming only the members {@code keep} accepts; null when nothing is left to say (a
   * follow-up whose joined members are all gone, or a payload with no member left).
   */
  static String scrub(String body, Predicate<String> keep) throws SQLException {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new SQLException("unreadable campaign payload", e);
    }
    if (!(root.path("data") instanceof ObjectNode data)) {
      return body;
    }
    List<String> gone = new ArrayList<>();
    ArrayNode accounts = filter(data, "accounts", keep, gone);
    if (gone.isEmpty()) {
      return body;
    }
    if (data.path("joined") instanceof ArrayNode) {
      ArrayNode joined = filter(data, "joined", keep, new ArrayList<>());
      if (joined.isEmpty()) {
        return null;
      }
    }
    if (accounts.isEmpty()) {
      return null;
    }
    if (data.has("members")) {
      data.put("members", accounts.size());
    }
    if (data.path("evidence") instanceof ArrayNode hrefs) {
      ArrayNode kept = JSON.createArrayNode();
      List<String> goneHrefs = gone.stream().map(Escalations::evidenceHref).toList();
      hrefs.forEach(
          h -> {
            if (!goneHrefs.contains(h.asText())) {
              kept.add(h);
            }
          });
      data.set("evidence", kept);
    }
    return root.toString();
  }

  private static ArrayNode filter(
      ObjectNode data, String field, Predicate<String> keep, List<String> gone) {
    ArrayNode kept = JSON.createArrayNode();
    if (data.path(field) instanceof ArrayNode values) {
      values.forEach(
          v -> {
            if (keep.test(v.asText())) {
              kept.add(v);
            } else {
              gone.add(v.asText());
            }
          });
    }
    data.set(field, kept);
    return kept;
  }
}
