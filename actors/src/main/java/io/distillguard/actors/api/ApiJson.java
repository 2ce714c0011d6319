package io.distillguard.actors.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillguard.actors.AccountStatus;
import io.distillguard.actors.escalation.Delivery;
import io.distillguard.actors.escalation.Escalations;
import io.distillguard.policy.Reason;
import io.distillguard.store.QueryRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The HTTP API's JSON shapes (snake_case, as in {@code openapi.yaml}). */
public final class ApiJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ApiJson() {}

  /** {@code body} as JSON bytes. */
  public static byte[] bytes(Object body) {
    try {
      return JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The JSON of {@code GET /v1/accounts/{id}}. */
  public static Map<String, Object> statusJson(AccountStatus s) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("account_id", s.accountId());
    out.put("level", s.level().name());
    out.put("open_case", s.openCase());
    out.put("campaign_id", s.campaignId());
    out.put("queries_observed", s.queriesObserved());
    out.put(
        "last_event_at",
        s.lastEventAtMillis() == 0 ? null : Escalations.rfc3339(s.lastEventAtMillis()));
    out.put(
        "level_since",
        s.levelSinceMillis() == 0 ? null : Escalations.rfc3339(s.levelSinceMillis()));
    Map<String, Double> signals = new TreeMap<>();
    s.signals().forEach((k, v) -> signals.put(k, Double.isFinite(v) ? v : null));
    out.put("signals", signals);
    List<Map<String, Object>> reasons = new ArrayList<>();
    for (Reason r : s.reasons()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("rule", r.rule());
      m.put("signal", r.signal());
      m.put("value", r.value());
      m.put("threshold", r.threshold());
      reasons.add(m);
    }
    out.put("reasons", reasons);
    if (s.reviewer() != null) {
      Map<String, Object> review = new LinkedHashMap<>();
      review.put("reviewer", s.reviewer());
      review.put("note", s.reviewNote());
      review.put("reviewed_at", Escalations.rfc3339(s.reviewedAtMillis()));
      out.put("review", review);
    }
    out.put("evidence", Map.of("href", Escalations.evidenceHref(s.accountId())));
    return out;
  }

  /** One evidence row of {@code GET /v1/accounts/{id}/evidence}. */
  public static Map<String, Object> recordJson(QueryRecord r) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("event_id", r.eventId());
    row.put("timestamp", Escalations.rfc3339(r.timestampMillis()));
    row.put("category", r.category());
    row.put("stated_use_similarity", r.statedUseSimilarity());
    row.put("prompt", r.prompt());
    row.put("metadata", r.metadata());
    return row;
  }

  static Map<String, Object> deliveryJson(Delivery d) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("webhook_id", d.webhookId());
    row.put("destination", d.destination().name());
    row.put("type", d.eventType());
    row.put("account_id", d.accountId());
    row.put("level", d.level());
    row.put("status", d.status().name());
    row.put("attempts", d.attempts());
    row.put("created_at", Escalations.rfc3339(d.createdAtMillis()));
    row.put(
        "next_attempt_at",
        d.status() == Delivery.Status.PENDING
            ? Escalations.rfc3339(d.nextAttemptAtMillis())
            : null);
    row.put("last_status", d.lastStatus());
    row.put("last_error", d.lastError());
    row.put(
        "settled_at",
        d.settledAtMillis() == null ? null : Escalations.rfc3339(d.settledAtMillis()));
    return row;
  }

  static Map<String, Object> auditJson(io.distillguard.actors.audit.AuditEntry e) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("seq", e.seq());
    row.put("at", Escalations.rfc3339(e.atMillis()));
    row.put("actor", e.actor());
    row.put("action", e.action());
    row.put("account_id", e.accountId());
    row.put("detail", e.detail());
    row.put("erased", e.erased());
    return row;
  }

  static Map<String, Object> quarantineJson(io.distillguard.actors.intake.Quarantine.Entry e) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("seq", e.seq());
    row.put("at", Escalations.rfc3339(e.atMillis()));
    row.put("account_id", e.accountId());
    row.put("event_id", e.eventId());
    row.put("reason", e.reason());
    row.put("observation", e.observation());
    row.put("observation_truncated", e.truncated());
    row.put("observation_length", e.observationChars());
    row.put("observation_sha256", e.observationSha256());
    return row;
  }

  static Map<String, Object> erasureJson(
      String accountId, io.distillguard.actors.erasure.ErasureReport r) {
    Map<String, Object> erased = new LinkedHashMap<>();
    erased.put("journal_events", r.journalEvents());
    erased.put("snapshots", r.snapshots());
    erased.put("deliveries", r.deliveries());
    erased.put("throttles", r.throttles());
    erased.put("index_rows", r.indexRows());
    erased.put("audit_tombstoned", r.auditTombstoned());
    erased.put("campaigns", r.campaigns());
    erased.put("campaign_events", r.campaignEvents());
    erased.put("campaign_deliveries", r.campaignDeliveries());
    erased.put("vector_records", r.vectorRecords() < 0 ? null : r.vectorRecords());
    erased.put("dead_letters", r.deadLetters());
    erased.put("quarantined", r.quarantined());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("account_id", accountId);
    out.put("erased", erased);
    if (r.vectorRecords() < 0) {
      out.put(
          "warning",
          "this service has no vector store: erase the evidence with ./distillguard erase where the"
              + " store lives (MILVUS_URI or the job's data dir)");
    }
    return out;
  }
}
