package io.distillguard.actors.escalation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillguard.actors.escalation.Delivery.Destination;
import io.distillguard.campaign.CampaignDetector;
import io.distillguard.campaign.CampaignLink;
import io.distillguard.campaign.CampaignSignals;
import io.distillguard.campaign.LinkKey;
import io.distillguard.policy.Level;
import io.distillguard.policy.Reason;
import io.distillguard.signals.SignalSnapshot;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The campaign side of the effects, inside the caller's transaction: the {@code dg_campaign} row of
 * each campaign (level, members, links: what a follow-up and the API list read) and the {@code
 * campaign.review_requested} messages. Ids are derived from the campaign and the journal event, so
 * projecting an event twice enqueues nothing twice.
 */
public final class CampaignWebhooks {

  public static final String REVIEW_REQUESTED = "campaign.review_requested";

  /** A reviewer CONFIRMED the campaign. */
  public static final String CONFIRMED = "campaign.confirmed";

  /** A reviewer CLEARED the campaign. */
  public static final String CLEARED = "campaign.cleared";

  /** Every campaign message type (what an erasure scrubs). */
  public static final List<String> TYPES = List.of(REVIEW_REQUESTED, CONFIRMED, CLEARED);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Outbox outbox;
  private final boolean reviewUrl;
  private final double followUpGrowth;

  /**
   * A campaign as the projection last wrote it.
   *
   * @param reasons the reasons of the campaign rules' latest decision (rule, signal, value,
   *     threshold), empty before the rules decided anything; a reviewer's verdict keeps them
   * @param mergedInto the campaign it merged into (its members live on there), or null
   */
  public record Row(
      String campaignId,
      Level level,
      List<String> members,
      JsonNode links,
      List<Reason> reasons,
      String mergedInto) {}

  /**
   * @param reviewUrl whether a review webhook URL is configured (else the rows are kept, nothing is
   *     enqueued)
   * @param followUpGrowth by what share of the members its last message listed an escalated
   *     campaign grows before a follow-up names those that joined ({@link FollowUps}; 0: every
   *     join)
   */
  public CampaignWebhooks(Outbox outbox, boolean reviewUrl, double followUpGrowth) {
    if (!(followUpGrowth >= 0)) {
      throw new IllegalArgumentException("followUpGrowth must be >= 0: " + followUpGrowth);
    }
    this.outbox = outbox;
    this.reviewUrl = reviewUrl;
    this.followUpGrowth = followUpGrowth;
  }

  /** The campaign's row, if the projection wrote one. */
  public static Optional<Row> row(Connection c, String campaignId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT level, members, links, reasons, merged_into FROM dg_campaign"
                + " WHERE campaign_id = ?")) {
      ps.setString(1, campaignId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(row(campaignId, rs)) : Optional.empty();
      }
    }
  }

  /**
   * Every live campaign row (not merged into another), at most {@code limit}, by campaign id;
   * {@code level} null for all.
   */
  public static List<Row> list(Connection c, Level level, int limit) throws SQLException {
    List<Row> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT campaign_id, level, members, links, reasons, merged_into FROM dg_campaign"
                + " WHERE merged_into IS NULL"
                + (level == null ? "" : " AND level = ?")
                + " ORDER BY campaign_id LIMIT ?")) {
      int i = 1;
      if (level != null) {
        ps.setString(i++, level.name());
      }
      ps.setInt(i, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(row(rs.getString(1), rs, 2));
        }
      }
    }
    return out;
  }

  private static Row row(String id, ResultSet rs) throws SQLException {
    return row(id, rs, 1);
  }

  private static Row row(String id, ResultSet rs, int from) throws SQLException {
    String members = rs.getString(from + 1);
    try {
      return new Row(
          id,
          Level.valueOf(rs.getString(from)),
          members.isEmpty() ? List.of() : List.of(members.split("\n")),
          JSON.readTree(rs.getString(from + 2)),
          reasons(rs.getString(from + 3)),
          rs.getString(from + 4));
    } catch (JsonProcessingException e) {
      throw new SQLException("unreadable links or reasons of " + id, e);
    }
  }

  private static List<Reason> reasons(String json) throws JsonProcessingException {
    if (json == null) {
      return List.of();
    }
    List<Reason> out = new ArrayList<>();
    for (JsonNode r : JSON.readTree(json)) {
      out.add(
          new Reason(
              r.get("rule").asText(),
              r.get("signal").asText(),
              r.get("value").asDouble(),
              r.get("threshold").asDouble()));
    }
    return List.copyOf(out);
  }

  private static ArrayNode reasonsJson(List<Reason> reasons) {
    ArrayNode out = JSON.createArrayNode();
    for (Reason r : reasons) {
      out.addObject()
          .put("rule", r.rule())
          .put("signal", r.signal())
          .put("value", r.value())
          .put("threshold", r.threshold());
    }
    return out;
  }

  /**
   * Members were recorded: the new ones join the row (with their links) in one write; when some are
   * new to a campaign that is already escalated and the campaign has grown enough since its last
   * message ({@link FollowUps}), a follow-up {@code campaign.review_requested} lists every member
   * and names every account that joined since. Returns true when a message was enqueued.
   */
  public boolean membersJoined(
      Connection c,
      String campaignId,
      List<String> accountIds,
      List<CampaignLink> links,
      long sequenceNr,
      long atMillis)
      throws SQLException {
    Row before = row(c, campaignId).orElse(null);
    LinkedHashSet<String> members =
        new LinkedHashSet<>(before == null ? List.of() : before.members());
    List<String> joined = accountIds.stream().filter(members::add).toList();
    ObjectNode allLinks =
        before == null ? JSON.createObjectNode() : (ObjectNode) before.links().deepCopy();
    for (CampaignLink l : links) {
      allLinks.put(l.key().wire(), l.weight());
    }
    Level level = before == null ? Level.OK : before.level();
    write(c, campaignId, level, members, allLinks, null, atMillis);
    if (joined.isEmpty() || before == null || !(level == Level.WATCH || level == Level.REVIEW)) {
      return false;
    }
    return followUp(
        c, campaignId, level, members, allLinks, joined, "join-" + sequenceNr, atMillis);
  }

  /** A follow-up naming {@code joined} and those waiting, when the campaign has grown enough. */
  private boolean followUp(
      Connection c,
      String campaignId,
      Level level,
      java.util.Collection<String> members,
      ObjectNode links,
      List<String> joined,
      String cause,
      long atMillis)
      throws SQLException {
    Optional<List<String>> named =
        FollowUps.joined(c, campaignId, joined, members.size(), followUpGrowth);
    if (named.isEmpty()) {
      return false;
    }
    ObjectNode data = data(campaignId, level, atMillis, members, links);
    data.put("follow_up", true);
    ArrayNode j = data.putArray("joined");
    named.get().forEach(j::add);
    return enqueue(c, campaignId, cause, level, data, atMillis);
  }

  /**
   * Which live linked campaign each account belongs to, as the rows list them (what the grouping
   * recovers campaign ids from). Merged campaigns are left out: their members are listed by the
   * survivor; so are declared organisations' principals, whose ids are their organisations'.
   */
  public static java.util.Map<String, String> memberships(Connection c) throws SQLException {
    java.util.Map<String, String> out = new java.util.HashMap<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT campaign_id, members FROM dg_campaign WHERE merged_into IS NULL"
                    + " ORDER BY updated_at");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String members = rs.getString(2);
        if (!members.isEmpty() && !CampaignDetector.isPrincipal(rs.getString(1))) {
          for (String m : members.split("\n")) {
            out.put(m, rs.getString(1));
          }
        }
      }
    }
    return out;
  }

  /** The campaign merged into {@code survivorId}: its row says so and leaves the lists. */
  public void mergedInto(Connection c, String campaignId, String survivorId, long atMillis)
      throws SQLException {
    try (PreparedStatement up =
        c.prepareStatement(
            "UPDATE dg_campaign SET merged_into = ?, updated_at = ? WHERE campaign_id = ?")) {
      up.setString(1, survivorId);
      up.setLong(2, atMillis);
      up.setString(3, campaignId);
      up.executeUpdate();
    }
  }

  /**
   * A merged campaign's members joined this one: they join the row (with their links); when any is
   * new to a campaign already escalated, they count toward its next follow-up as joining accounts
   * do ({@link #membersJoined}). Returns true when a message was enqueued.
   */
  public boolean absorbed(
      Connection c,
      String campaignId,
      List<String> accounts,
      List<CampaignLink> links,
      long sequenceNr,
      long atMillis)
      throws SQLException {
    Row before = row(c, campaignId).orElse(null);
    LinkedHashSet<String> members =
        new LinkedHashSet<>(before == null ? List.of() : before.members());
    List<String> joined = new ArrayList<>();
    for (String a : accounts) {
      if (members.add(a)) {
        joined.add(a);
      }
    }
    ObjectNode allLinks =
        before == null ? JSON.createObjectNode() : (ObjectNode) before.links().deepCopy();
    for (CampaignLink l : links) {
      if (!allLinks.has(l.key().wire())) {
        allLinks.put(l.key().wire(), l.weight());
      }
    }
    Level level = before == null ? Level.OK : before.level();
    write(c, campaignId, level, members, allLinks, null, atMillis);
    if (joined.isEmpty() || before == null || !(level == Level.WATCH || level == Level.REVIEW)) {
      return false;
    }
    return followUp(
        c, campaignId, level, members, allLinks, joined, "absorb-" + sequenceNr, atMillis);
  }

  /** The campaign rules changed the level; an escalation enqueues the review request. */
  public boolean levelDecided(
      Connection c,
      String campaignId,
      Level to,
      List<String> members,
      List<CampaignLink> decidedLinks,
      List<Reason> reasons,
      SignalSnapshot signals,
      boolean escalation,
      long sequenceNr,
      long atMillis)
      throws SQLException {
    Row before = row(c, campaignId).orElse(null);
    ObjectNode links =
        before == null ? JSON.createObjectNode() : (ObjectNode) before.links().deepCopy();
    if (decidedLinks != null) {
      for (CampaignLink l : decidedLinks) {
        links.put(l.key().wire(), l.weight());
      }
    }
    ArrayNode decidedReasons = reasonsJson(reasons);
    write(c, campaignId, to, new LinkedHashSet<>(members), links, decidedReasons, atMillis);
    // Its message (if any) lists every member; one that leaves review names no one later.
    FollowUps.announced(c, campaignId, members.size());
    if (!escalation || !(to == Level.WATCH || to == Level.REVIEW)) {
      return false;
    }
    ObjectNode data = data(campaignId, to, signals.eventTimeMillis(), members, links);
    data.put("follow_up", false);
    data.put("union_coverage_breadth", finite(signals.get(CampaignSignals.UNION_COVERAGE_BREADTH)));
    data.put("mean_member_breadth", finite(signals.get(CampaignSignals.MEAN_MEMBER_BREADTH)));
    data.set("reasons", decidedReasons);
    ObjectNode s = data.putObject("signals");
    new TreeMap<>(signals.values())
        .forEach(
            (k, v) -> {
              if (Double.isFinite(v)) {
                s.put(k, v);
              }
            });
    return enqueue(c, campaignId, "decision-" + sequenceNr, to, data, atMillis);
  }

  /**
   * A reviewer's verdict: the row takes the level, and a {@code campaign.confirmed} or {@code
   * campaign.cleared} tells the review system, with every member at that moment, who decided and
   * the note. Returns true when a message was enqueued.
   */
  public boolean reviewed(
      Connection c,
      String campaignId,
      Level verdict,
      String reviewer,
      String note,
      long reviewedAtMillis,
      long sequenceNr,
      long atMillis)
      throws SQLException {
    Row before = row(c, campaignId).orElse(null);
    if (before == null) {
      return false;
    }
    write(
        c,
        campaignId,
        verdict,
        new LinkedHashSet<>(before.members()),
        (ObjectNode) before.links(),
        null,
        atMillis);
    FollowUps.announced(c, campaignId, before.members().size());
    String type =
        verdict == Level.CONFIRMED ? CONFIRMED : verdict == Level.CLEARED ? CLEARED : null;
    if (type == null || !reviewUrl) {
      return false;
    }
    ObjectNode data = JSON.createObjectNode();
    data.put("campaign_id", campaignId);
    data.put("level", verdict.name());
    data.put("observed_at", Escalations.rfc3339(reviewedAtMillis));
    ArrayNode accounts = data.putArray("accounts");
    before.members().forEach(accounts::add);
    ArrayNode hrefs = data.putArray("evidence");
    before.members().forEach(m -> hrefs.add(Escalations.evidenceHref(m)));
    data.put("members", before.members().size());
    data.put("reviewer", reviewer == null || reviewer.isBlank() ? "unknown" : reviewer);
    if (note == null) {
      data.putNull("note");
    } else {
      data.put("note", note);
    }
    String id = Escalations.webhookId(type, campaignId, "review-" + sequenceNr, verdict.name());
    return Escalations.enqueue(
        outbox, c, id, Destination.REVIEW, type, campaignId, verdict, data, atMillis);
  }

  private static double finite(double v) {
    return Double.isFinite(v) ? v : 0.0;
  }

  private boolean enqueue(
      Connection c, String campaignId, String cause, Level level, ObjectNode data, long atMillis)
      throws SQLException {
    if (!reviewUrl) {
      return false;
    }
    String id = Escalations.webhookId(REVIEW_REQUESTED, campaignId, cause, level.name());
    return Escalations.enqueue(
        outbox, c, id, Destination.REVIEW, REVIEW_REQUESTED, campaignId, level, data, atMillis);
  }

  private static ObjectNode data(
      String campaignId,
      Level level,
      long observedAt,
      java.util.Collection<String> members,
      ObjectNode links) {
    ObjectNode data = JSON.createObjectNode();
    data.put("campaign_id", campaignId);
    data.put("level", level.name());
    data.put("observed_at", Escalations.rfc3339(observedAt));
    ArrayNode accounts = data.putArray("accounts");
    members.forEach(accounts::add);
    ArrayNode out = data.putArray("links");
    Iterator<Map.Entry<String, JsonNode>> it = links.fields();
    TreeMap<String, Double> sorted = new TreeMap<>();
    it.forEachRemaining(e -> sorted.put(e.getKey(), e.getValue().asDouble()));
    sorted.forEach(
        (wire, weight) -> {
          LinkKey k = LinkKey.parse(wire);
          out.addObject()
              .put("kind", k.kind().name().toLowerCase(java.util.Locale.ROOT))
              .put("type", k.type().name().toLowerCase(java.util.Locale.ROOT))
              .put("value", k.value())
              .put("weight", weight);
        });
    ArrayNode hrefs = data.putArray("evidence");
    members.forEach(m -> hrefs.add(Escalations.evidenceHref(m)));
    return data;
  }

  /**
   * Writes the campaign's row; {@code reasonsOrNull} null keeps the reasons it holds (only a
   * decision of the campaign rules states new ones).
   */
  static void write(
      Connection c,
      String campaignId,
      Level level,
      java.util.Collection<String> members,
      ObjectNode links,
      ArrayNode reasonsOrNull,
      long atMillis)
      throws SQLException {
    String m = String.join("\n", members);
    String l = links.toString();
    String r = reasonsOrNull == null ? null : reasonsOrNull.toString();
    try (PreparedStatement up =
        c.prepareStatement(
            "UPDATE dg_campaign SET level = ?, members = ?, links = ?,"
                + " reasons = COALESCE(?, reasons), updated_at = ? WHERE campaign_id = ?")) {
      up.setString(1, level.name());
      up.setString(2, m);
      up.setString(3, l);
      up.setString(4, r);
      up.setLong(5, atMillis);
      up.setString(6, campaignId);
      if (up.executeUpdate() > 0) {
        return;
      }
    }
    try (PreparedStatement ins =
        c.prepareStatement(
            "INSERT INTO dg_campaign (campaign_id, level, members, links, reasons, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)")) {
      ins.setString(1, campaignId);
      ins.setString(2, level.name());
      ins.setString(3, m);
      ins.setString(4, l);
      ins.setString(5, r);
      ins.setLong(6, atMillis);
      ins.executeUpdate();
    }
  }
}
