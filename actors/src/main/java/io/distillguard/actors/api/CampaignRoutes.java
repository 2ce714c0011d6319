package io.distillguard.actors.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillguard.actors.StateDatabase;
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
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/campaigns} (the campaigns the effects projection knows, with level and members)
 * and {@code GET /v1/campaigns/{id}} (the campaign entity's state: members with their evidence
 * links, links between them, reasons and signals). Behind the API's bearer token, like the account
 * routes.
 */
public final class CampaignRoutes extends AllDirectives {

  private static final Logger LOG = LoggerFactory.getLogger(CampaignRoutes.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final BearerAuth auth;
  private final StateDatabase db;
  private final Function<String, CompletionStage<CampaignStatus>> campaign;
  private final Executor blocking;

  /**
   * @param campaign asks a campaign entity for its status
   * @param blocking where the database reads run
   */
  public CampaignRoutes(
      BearerAuth auth,
      StateDatabase db,
      Function<String, CompletionStage<CampaignStatus>> campaign,
      Executor blocking) {
    this.auth = auth;
    this.db = db;
    this.campaign = campaign;
    this.blocking = blocking;
  }

  public Route routes() {
    return pathPrefix(
        "v1",
        () ->
            pathPrefix(
                "campaigns",
                () ->
                    auth.require(
                        () ->
                            concat(
                                pathEnd(
                                    () ->
                                        get(
                                            () ->
                                                accepts(
                                                    ApiEndpoint.CAMPAIGNS,
                                                    () ->
                                                        parameterOptional(
                                                            "level",
                                                            level ->
                                                                parameterOptional(
                                                                    "limit",
                                                                    limit ->
                                                                        list(level, limit)))))),
                                path(
                                    PathMatchers.segment(),
                                    id ->
                                        get(
                                            () ->
                                                accepts(
                                                    ApiEndpoint.CAMPAIGN, () -> detail(id))))))));
  }

  private Route list(Optional<String> levelParam, Optional<String> limitParam) {
    Level level;
    int limit;
    try {
      level = levelParam.map(QueryParams::level).orElse(null);
      limit = QueryParams.limit(limitParam);
    } catch (IllegalArgumentException e) {
      return complete(json(StatusCodes.BAD_REQUEST, Map.of("error", e.getMessage())));
    }
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
            campaign
                .apply(id)
                .thenApply(
                    s ->
                        s.members().isEmpty()
                            ? json(
                                StatusCodes.NOT_FOUND,
                                Map.of("error", "unknown campaign", "campaign_id", id))
                            : json(StatusCodes.OK, detailJson(s))));
  }

  static Map<String, Object> detailJson(CampaignStatus s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("campaign_id", s.campaignId());
    m.put("level", s.level().name());
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
    Map<String, Double> signals = new TreeMap<>();
    if (s.signals() != null) {
      s.signals()
          .values()
          .forEach(
              (k, v) -> {
                if (Double.isFinite(v)) {
                  signals.put(k, v);
                }
              });
    }
    m.put("signals", signals);
    return m;
  }

  /** As the account routes: an unknown query parameter is refused with 400 and the accepted. */
  private Route accepts(ApiEndpoint endpoint, Supplier<Route> inner) {
    return parameterMap(
        params -> {
          List<String> unknown = endpoint.unknown(params.keySet());
          if (unknown.isEmpty()) {
            return inner.get();
          }
          Map<String, Object> body = new LinkedHashMap<>();
          body.put(
              "error",
              "unknown query parameter"
                  + (unknown.size() == 1 ? " " : "s ")
                  + String.join(", ", unknown)
                  + " for "
                  + endpoint
                  + "; accepted: "
                  + (endpoint.queryParameters().isEmpty()
                      ? "none"
                      : String.join(", ", endpoint.queryParameters())));
          body.put("accepted", endpoint.queryParameters());
          return complete(json(StatusCodes.BAD_REQUEST, body));
        });
  }

  private Route respond(Supplier<CompletionStage<HttpResponse>> work) {
    CompletionStage<HttpResponse> stage;
    try {
      stage = work.get();
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    return onComplete(
        stage,
        t -> {
          if (t.isSuccess()) {
            return complete(t.get());
          }
          LOG.warn("campaign API request failed", t.failed().get());
          return complete(
              json(StatusCodes.INTERNAL_SERVER_ERROR, Map.of("error", "internal error")));
        });
  }

  private static HttpResponse json(StatusCode status, Object body) {
    try {
      return HttpResponse.create()
          .withStatus(status)
          .withEntity(ContentTypes.APPLICATION_JSON, JSON.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
