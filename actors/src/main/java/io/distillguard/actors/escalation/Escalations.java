package io.distillguard.actors.escalation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillguard.actors.escalation.Delivery.Destination;
import io.distillguard.actors.throttle.ThrottleBoard;
import io.distillguard.actors.throttle.ThrottleDirective;
import io.distillguard.policy.Decision;
import io.distillguard.policy.Level;
import io.distillguard.policy.Reason;
import io.distillguard.policy.ThrottlePlan;
import io.distillguard.signals.SignalSnapshot;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Turns an account's recorded level changes and reviews into outbox messages (the webhook envelope)
 * and throttle directives, inside the caller's transaction. Called by the {@link EffectsProjection}
 * for events read back from the journal, so a message exists only for a persisted decision; ids are
 * derived from the account, the tipping event and the level, and the outbox ignores an id it
 * already holds, so projecting an event twice enqueues nothing twice.
 *
 * <p>Message types: {@code account.review_requested} (level WATCH, REVIEW or THROTTLE, to the
 * review URL), {@code account.throttled} (THROTTLE, to the throttle URL, with {@code
 * data.throttle}), {@code account.cleared} (a reviewer cleared the account, to the review URL; an
 * active throttle is withdrawn and the gateway told so with an {@code account.throttled} whose
 * categories are empty). Timestamps are the journal write time of the event, so a message's body
 * does not depend on when it was projected.
 */
public final class Escalations {

  public static final String REVIEW_REQUESTED = "account.review_requested";
  public static final String THROTTLED = "account.throttled";
  public static final String CLEARED = "account.cleared";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Outbox outbox;
  private final ThrottleBoard throttles;
  private final boolean reviewUrl;
  private final boolean throttleUrl;

  /**
   * @param reviewUrl whether a review webhook URL is configured (messages for a destination without
   *     a URL are not enqueued; the API still shows the account's level and case)
   * @param throttleUrl whether a throttle webhook URL is configured
   */
  public Escalations(
      Outbox outbox, ThrottleBoard throttles, boolean reviewUrl, boolean throttleUrl) {
    this.outbox = outbox;
    this.throttles = throttles;
    this.reviewUrl = reviewUrl;
    this.throttleUrl = throttleUrl;
  }

  /**
   * Records, in {@code c}'s transaction, that the rule set raised {@code accountId} to {@code
   * level} on event {@code tippingEventId} at {@code atMillis}: a review request, and for THROTTLE
   * a directive plus its webhook. Returns true when a new message was enqueued.
   */
  public boolean escalate(
      Connection c,
      String accountId,
      String tippingEventId,
      Level level,
      Decision decision,
      SignalSnapshot s,
      long atMillis)
      throws SQLException {
    return escalate(c, accountId, null, tippingEventId, level, decision, s, atMillis);
  }

  /**
   * As {@link #escalate(Connection, String, String, Level, Decision, SignalSnapshot, long)} for an
   * account its campaign raised: the messages carry {@code data.campaign_id}, the reasons are the
   * campaign's, and {@code cause} (the campaign and its deciding event) keeps the ids stable.
   */
  public boolean escalateThroughCampaign(
      Connection c,
      String accountId,
      String campaignId,
      String cause,
      Level level,
      Decision decision,
      SignalSnapshot s,
      long atMillis)
      throws SQLException {
    return escalate(c, accountId, campaignId, cause, level, decision, s, atMillis);
  }

  /**
   * The campaign that throttled {@code accountId} no longer does (a reviewer cleared the campaign)
   * and the account's own rules do not: the directive is withdrawn and the gateway told so with an
   * {@code account.throttled} whose categories are empty. Returns true when a message was enqueued.
   */
  public boolean campaignThrottleLifted(
      Connection c,
      String accountId,
      String campaignId,
      String cause,
      Level level,
      SignalSnapshot s,
      long atMillis)
      throws SQLException {
    if (!throttles.remove(c, accountId) || !throttleUrl) {
      return false;
    }
    ObjectNode lift = data(accountId, level, s);
    lift.put("campaign_id", campaignId);
    lift.putArray("reasons");
    putSignals(lift, s);
    putThrottle(lift, Map.of(), atMillis);
    return enqueue(
        outbox,
        c,
        webhookId(THROTTLED, accountId, cause, level.name()),
        Destination.THROTTLE,
        THROTTLED,
        accountId,
        level,
        lift,
        atMillis);
  }

  private boolean escalate(
      Connection c,
      String accountId,
      String campaignId,
      String tippingEventId,
      Level level,
      Decision decision,
      SignalSnapshot s,
      long atMillis)
      throws SQLException {
    long now = atMillis;
    String reviewId = webhookId(REVIEW_REQUESTED, accountId, tippingEventId, level.name());
    ObjectNode data = data(accountId, level, s);
    if (campaignId != null) {
      data.put("campaign_id", campaignId);
    }
    ArrayNode reasons = data.putArray("reasons");
    for (Reason r : decision.reasons()) {
      reasons
          .addObject()
          .put("rule", r.rule())
          .put("signal", r.signal())
          .put("value", r.value())
          .put("threshold", r.threshold());
    }
    putSignals(data, s);
    data.putObject("evidence").put("href", evidenceHref(accountId));
    boolean any = false;
    if (reviewUrl) {
      any |=
          enqueue(
              outbox,
              c,
              reviewId,
              Destination.REVIEW,
              REVIEW_REQUESTED,
              accountId,
              level,
              data,
              now);
    }
    if (level == Level.THROTTLE && decision.throttle().isPresent()) {
      ThrottlePlan plan = decision.throttle().get();
      String throttleId = webhookId(THROTTLED, accountId, tippingEventId, level.name());
      long expires = now + plan.ttl().toMillis();
      throttles.put(
          c, new ThrottleDirective(accountId, throttleId, plan.categoryShares(), now, expires));
      if (throttleUrl) {
        ObjectNode tdata = data(accountId, level, s);
        if (campaignId != null) {
          tdata.put("campaign_id", campaignId);
        }
        // As the schema has it for every message: the reasons and signals of the decision.
        tdata.set("reasons", data.get("reasons").deepCopy());
        putSignals(tdata, s);
        putThrottle(tdata, plan.categoryShares(), expires);
        any |=
            enqueue(
                outbox,
                c,
                throttleId,
                Destination.THROTTLE,
                THROTTLED,
                accountId,
                level,
                tdata,
                now);
      }
    }
    return any;
  }

  /**
   * Records, in {@code c}'s transaction, that a reviewer cleared {@code accountId} on the evidence
   * of {@code reviewSeq} queries (which keeps the message id stable for that review). Returns true
   * when a new message was enqueued.
   */
  public boolean cleared(
      Connection c,
      String accountId,
      long reviewSeq,
      String reviewer,
      SignalSnapshot s,
      long atMillis)
      throws SQLException {
    long now = atMillis;
    String id = webhookId(CLEARED, accountId, Long.toString(reviewSeq), Level.CLEARED.name());
    ObjectNode data = data(accountId, Level.CLEARED, s);
    data.putArray("reasons");
    putSignals(data, s);
    data.putObject("evidence").put("href", evidenceHref(accountId));
    data.putObject("review").put("verdict", Level.CLEARED.name()).put("reviewer", reviewer);
    boolean any = false;
    if (reviewUrl) {
      any |=
          enqueue(outbox, c, id, Destination.REVIEW, CLEARED, accountId, Level.CLEARED, data, now);
    }
    boolean hadThrottle = throttles.remove(c, accountId);
    if (hadThrottle && throttleUrl) {
      String liftId =
          webhookId(THROTTLED, accountId, Long.toString(reviewSeq), Level.CLEARED.name());
      ObjectNode lift = data(accountId, Level.CLEARED, s);
      lift.putArray("reasons");
      putSignals(lift, s);
      putThrottle(lift, Map.of(), now);
      any |=
          enqueue(
              outbox,
              c,
              liftId,
              Destination.THROTTLE,
              THROTTLED,
              accountId,
              Level.CLEARED,
              lift,
              now);
    }
    return any;
  }

  /**
   * The relative evidence link of an account, as put into every message. The id is one path
   * segment: every reserved character is percent-encoded, a space as {@code %20} (form encoding's
   * {@code +} would read back as a plus sign in a path).
   */
  public static String evidenceHref(String accountId) {
    return "/v1/accounts/"
        + URLEncoder.encode(accountId, StandardCharsets.UTF_8).replace("+", "%20")
        + "/evidence";
  }

  /** Deterministic {@code webhook-id}: the same inputs always give the same id. */
  static String webhookId(String type, String accountId, String cause, String level) {
    String key = type + '\u0000' + accountId + '\u0000' + cause + '\u0000' + level;
    return "msg_"
        + UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
  }

  private static ObjectNode data(String accountId, Level level, SignalSnapshot s) {
    ObjectNode data = JSON.createObjectNode();
    data.put("account_id", accountId);
    data.put("level", level.name());
    if (s != null) {
      data.put("observed_at", rfc3339(s.eventTimeMillis()));
      data.put("queries_observed", s.queriesObserved());
    }
    return data;
  }

  private static void putSignals(ObjectNode data, SignalSnapshot s) {
    ObjectNode signals = data.putObject("signals");
    if (s != null) {
      new TreeMap<>(s.values())
          .forEach(
              (k, v) -> {
                if (Double.isFinite(v)) {
                  signals.put(k, v);
                }
              });
    }
  }

  private static void putThrottle(ObjectNode data, Map<String, Double> shares, long expiresAt) {
    ObjectNode throttle = data.putObject("throttle");
    ObjectNode categories = throttle.putObject("categories");
    new TreeMap<>(shares).forEach(categories::put);
    throttle.put("expires_at", rfc3339(expiresAt));
  }

  /**
   * Enqueues a message of {@code type} about {@code subject} (an account or a campaign) at {@code
   * level}, in {@code c}'s transaction and in the envelope every message has; false when that
   * webhook-id is already there.
   */
  static boolean enqueue(
      Outbox outbox,
      Connection c,
      String webhookId,
      Destination destination,
      String type,
      String subject,
      Level level,
      ObjectNode data,
      long atMillis)
      throws SQLException {
    return outbox.enqueue(
        c,
        webhookId,
        destination,
        type,
        subject,
        level.name(),
        envelope(type, atMillis, data),
        atMillis);
  }

  static String envelope(String type, long nowMillis, ObjectNode data) {
    ObjectNode root = JSON.createObjectNode();
    root.put("type", type);
    root.put("timestamp", rfc3339(nowMillis));
    root.set("data", data);
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** RFC 3339 with millisecond precision, e.g. {@code 2026-10-05T03:12:44.120Z}. */
  public static String rfc3339(long epochMillis) {
    Instant i = Instant.ofEpochMilli(epochMillis).truncatedTo(ChronoUnit.MILLIS);
    String s = i.toString();
    // Instant.toString drops a zero millisecond part; keep a fixed shape for receivers.
    return i.getNano() == 0 ? s.replace("Z", ".000Z") : s;
  }
}
