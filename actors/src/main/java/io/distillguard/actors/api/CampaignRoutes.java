package io.distillguard.actors.api;

import io.distillguard.actors.StateDatabase;
import io.distillguard.actors.api.access.Principal;
import io.distillguard.actors.audit.AuditLog;
import io.distillguard.actors.campaign.CampaignEntity.CampaignStatus;
import io.distillguard.actors.escalation.CampaignWebhooks;
import io.distillguard.actors.escalation.Escalations;
import io.distillguard.campaign.CampaignLink;
import io.distillguard.policy.Level;
import io.distillguard.policy.Reason;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * {@code GET /v1/campaigns} (the campaigns the effects projection knows, with level and members),
 * {@code GET /v1/campaigns/{id}} (the campaign entity's state: members with their evidence links,
 * links between them, reasons and signals) and {@code POST /v1/campaigns/{id}/review} (a reviewer's
 * CLEARED or CONFIRMED with a note, audited before it is sent). Guarded like every endpoint ({@link
 * GuardedRoutes}).
 */
final class CampaignRoutes extends AllDirectives {

  private final GuardedRoutes guarded;
  private final StateDatabase db;
  private final CampaignBackend campaigns;
  private final Executor blocking;

  /**
   * @param campaigns the campaign entities and the audit log
   * @param blocking where the database reads and audit writes run
   */
  CampaignRoutes(
      GuardedRoutes guarded, StateDatabase db, CampaignBackend campaigns, Executor blocking) {
    this.guarded = guarded;
    this.db = db;
    this.campaigns = campaigns;
    this.blocking = blocking;
  }

  Route routes() {
    return pathPrefix(
        "v1",
        () ->
            pathPrefix(
                "campaigns",
                () ->
                    concat(
                        pathEnd(
                            () -> get(() -> guarded.endpoint(ApiEndpoint.CAMPAIGNS, this::list))),
                        pathPrefix(PathMatchers.segment(), this::campaignRoutes))));
  }

  private Route campaignRoutes(String id) {
    return concat(
        pathEnd(() -> get(() -> guarded.endpoint(ApiEndpoint.CAMPAIGN, who -> detail(id)))),
        path(
            "review",
            () ->
                post(
                    () ->
                        guarded.endpoint(
                            ApiEndpoint.CAMPAIGN_REVIEW,
                            who ->
                                entity(
                                    Unmarshaller.entityToString(),
                                    body -> review(id, body, who))))));
  }

  private Route list(Principal who) {
    return ListQuery.levelAndLimit(this::list);
  }

  private Route list(Level level, int limit) {
    return respond(
        () ->
            CompletableFuture.supplyAsync(
                () -> {
                  List<Map<String, Object>> out = new ArrayList<>();
                  for (CampaignWebhooks.Row r :
                      db.transact(c -> CampaignWebhooks.list(c, level, limit))) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("campaign_id", r.campaignId());
                    m.put("level", r.level().name());
                    m.put("members", r.members().size());
                    m.put("accounts", r.members());
                    m.put("href", "/v1/campaigns/" + r.campaignId());
                    out.add(m);
                  }
                  return json(StatusCodes.OK, Map.of("campaigns", out));
                },
                blocking));
  }

  private Route detail(String id) {
    return respond(
        () ->
            campaigns
                .campaign(id)
                .thenApply(
                    s ->
                        s.members().isEmpty()
                            ? notFound(id)
                            : json(StatusCodes.OK, detailJson(s))));
  }

  static Map<String, Object> detailJson(CampaignStatus s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("campaign_id", s.campaignId());
    m.put("level", s.level().name());
    // Set once the campaign merged into another: its members and open case live on there.
    m.put("merged_into", s.mergedInto());
    m.put(
        "level_since",
        s.levelSinceMillis() == 0 ? null : Escalations.rfc3339(s.levelSinceMillis()));
    List<Map<String, Object>> members = new ArrayList<>();
    for (String a : s.members()) {
      members.add(Map.of("account_id", a, "evidence", Escalations.evidenceHref(a)));
    }
    m.put("members", members);
    List<Map<String, Object>> links = new ArrayList<>();
    for (CampaignLink l : s.links()) {
      Map<String, Object> lm = new LinkedHashMap<>();
      lm.put("kind", l.kind().name().toLowerCase(Locale.ROOT));
      lm.put("type", l.key().type().name().toLowerCase(Locale.ROOT));
      lm.put("value", l.key().value());
      lm.put("weight", l.weight());
      lm.put("members", l.members().size());
      links.add(lm);
    }
    m.put("links", links);
    List<Map<String, Object>> reasons = new ArrayList<>();
    for (Reason r : s.reasons()) {
      reasons.add(
          Map.of(
              "rule",
              r.rule(),
              "signal",
              r.signal(),
              "value",
              r.value(),
              "threshold",
              r.threshold()));
    }
    m.put("reasons", reasons);
    // The signals of its last decision (a recorded fact), and those over its members now.
    m.put("signals", s.signals() == null ? Map.of() : s.signals().finiteValues());
    m.put(
        "current_signals",
        s.currentSignals() == null ? Map.of() : s.currentSignals().finiteValues());
    return m;
  }

  private Route review(String id, String body, Principal who) {
    ReviewRequest review;
    try {
      review = ReviewRequest.parse(body);
    } catch (IllegalArgumentException e) {
      return complete(GuardedRoutes.badRequest(ReviewRequest.USAGE));
    }
    return respond(
        () ->
            CompletableFuture.runAsync(
                    // Audited before it is sent: no verdict without its entry.
                    () ->
                        campaigns.audit(
                            who.name(), AuditLog.CAMPAIGN_REVIEW, id, review.auditDetail()),
                    blocking)
                .thenCompose(
                    v ->
                        campaigns.reviewCampaign(
                            id, review.verdict(), review.reviewer(), review.note()))
                .handle(
                    (s, error) ->
                        ReviewRequest.answer(
                            error,
                            "no campaign",
                            () -> json(StatusCodes.OK, detailJson(s)),
                            () -> notFound(id))));
  }

  private Route respond(Supplier<CompletionStage<HttpResponse>> work) {
    return guarded.respond(work);
  }

  private static HttpResponse notFound(String id) {
    return json(StatusCodes.NOT_FOUND, Map.of("error", "unknown campaign", "campaign_id", id));
  }

  private static HttpResponse json(StatusCode status, Object body) {
    return GuardedRoutes.json(status, body);
  }
}
