package io.distillguard.actors.api;

import io.distillguard.actors.AccountStatus;
import io.distillguard.actors.ActorSettings;
import io.distillguard.actors.account.AccountIndex;
import io.distillguard.actors.api.access.ApiAccess;
import io.distillguard.actors.api.access.Principal;
import io.distillguard.actors.audit.AuditEntry;
import io.distillguard.actors.audit.AuditLog;
import io.distillguard.actors.escalation.Delivery;
import io.distillguard.actors.escalation.Escalations;
import io.distillguard.actors.intake.Quarantine;
import io.distillguard.actors.throttle.ThrottleDirective;
import io.distillguard.policy.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.pattern.StatusReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API of the actor side (pekko-http), described in {@code openapi.yaml}: health, accounts
 * and their signals, open cases, reviewer decisions, evidence from the vector store (newest first
 * or nearest to a text, paged), throttle directives for the gateway, deliveries, the audit log and
 * erasure. JSON in snake_case. Every route passes {@link ApiAccess#guard} with the role its {@link
 * ApiEndpoint} declares; every evidence read and review is audited before it runs. Binds to the
 * configured host, 127.0.0.1 by default.
 */
public final class HttpApi extends AllDirectives implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

  private final ApiBackend service;
  private final EvidenceSource evidence;
  private final ApiAccess access;
  private final Executor blocking;
  private final Route extraRoutes;
  private final GuardedRoutes guarded;
  private ServerBinding binding;

  private HttpApi(
      ApiBackend service,
      EvidenceSource evidence,
      ApiAccess access,
      Executor blocking,
      Route extraRoutes) {
    this.service = service;
    this.evidence = evidence;
    this.access = access;
    this.blocking = blocking;
    this.extraRoutes = extraRoutes;
    this.guarded = new GuardedRoutes(access);
  }

  /** Builds the routes and binds them; blocks until bound. */
  public static HttpApi bind(
      ActorSystem<?> system,
      ApiBackend service,
      EvidenceSource evidence,
      ActorSettings settings,
      Executor blocking) {
    return bind(system, service, evidence, settings, blocking, null);
  }

  /**
   * Like {@link #bind(ActorSystem, ApiBackend, EvidenceSource, ActorSettings, Executor)}, serving
   * {@code extraRoutes} (the console, {@code /metrics}) beside the API; they guard themselves (with
   * {@link BearerAuth}, the same tokens and roles).
   */
  public static HttpApi bind(
      ActorSystem<?> system,
      ApiBackend service,
      EvidenceSource evidence,
      ActorSettings settings,
      Executor blocking,
      Route extraRoutes) {
    // Fails closed: no binding at all on a non-loopback address without tokens.
    ApiAccess access =
        ApiAccess.create(settings.httpHost(), settings.access(), settings.bearerToken());
    HttpApi api = new HttpApi(service, evidence, access, blocking, extraRoutes);
    try {
      api.binding =
          Http.get(system)
              .newServerAt(settings.httpHost(), settings.httpPort())
              .bind(api.routes())
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot bind the HTTP API to " + settings.httpHost() + ":" + settings.httpPort(), e);
    }
    LOG.info("HTTP API on {}", api.binding.localAddress());
    return api;
  }

  public int port() {
    return binding.localAddress().getPort();
  }

  /** The API's routes (also usable without binding, e.g. in a route test). */
  public Route routes() {
    Route api = apiRoutes();
    return extraRoutes == null ? api : concat(api, extraRoutes);
  }

  private Route apiRoutes() {
    return pathPrefix(
        "v1",
        () ->
            concat(
                pathPrefix(
                    "health",
                    () ->
                        concat(
                            pathEnd(() -> get(() -> endpoint(ApiEndpoint.HEALTH, w -> health()))),
                            path(
                                "live",
                                () -> get(() -> endpoint(ApiEndpoint.HEALTH_LIVE, w -> live()))),
                            path(
                                "ready",
                                () ->
                                    get(() -> endpoint(ApiEndpoint.HEALTH_READY, w -> ready()))))),
                pathPrefix("accounts", this::accountRoutes),
                path("cases", () -> get(() -> endpoint(ApiEndpoint.CASES, w -> cases()))),
                path(
                    "throttles",
                    () -> get(() -> endpoint(ApiEndpoint.THROTTLES, w -> throttles()))),
                path(
                    "deliveries",
                    () -> get(() -> endpoint(ApiEndpoint.DELIVERIES, w -> deliveries()))),
                path("audit", () -> get(() -> endpoint(ApiEndpoint.AUDIT, w -> auditLog()))),
                path(
                    "quarantine",
                    () -> get(() -> endpoint(ApiEndpoint.QUARANTINE, w -> quarantine())))));
  }

  /** The one way a route is served: see {@link GuardedRoutes#endpoint}. */
  private Route endpoint(ApiEndpoint e, Function<Principal, Route> inner) {
    return guarded.endpoint(e, inner);
  }

  private Route health() {
    return respond(
        () ->
            CompletableFuture.supplyAsync(
                () -> {
                  Map<String, Object> body = new LinkedHashMap<>();
                  body.put("status", "UP");
                  body.put("policy_version", service.policyVersion());
                  body.put(
                      "taxonomy",
                      Map.of(
                          "version",
                          service.taxonomy().version(),
                          "observations_refused",
                          service.taxonomy().refused(),
                          "observations_translated",
                          service.taxonomy().translated()));
                  Map<String, Long> counts = new TreeMap<>();
                  service.deliveryCounts().forEach((k, v) -> counts.put(k.name(), v));
                  body.put("deliveries", counts);
                  return json(StatusCodes.OK, body);
                },
                blocking));
  }

  /** Liveness: 200 while the actor system runs, 503 once it has terminated. */
  private Route live() {
    boolean live = service.live();
    return complete(
        json(
            live ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE,
            Map.of("status", live ? "UP" : "DOWN")));
  }

  /**
   * Readiness: 200 when every check of {@link ApiBackend#readiness()} holds (cluster member Up,
   * sharding started, the Kafka consumer running when there is one), 503 otherwise; the body names
   * each check.
   */
  private Route ready() {
    return respond(
        () ->
            CompletableFuture.supplyAsync(
                () -> {
                  Map<String, Boolean> checks = service.readiness();
                  boolean ready = checks.values().stream().allMatch(Boolean::booleanValue);
                  Map<String, Object> body = new LinkedHashMap<>();
                  body.put("status", ready ? "UP" : "DOWN");
                  body.put("checks", checks);
                  return json(ready ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE, body);
                },
                blocking));
  }

  private Route accountRoutes() {
    return concat(
        pathEnd(
            () ->
                get(
                    () ->
                        endpoint(
                            ApiEndpoint.ACCOUNTS,
                            w ->
                                parameterOptional(
                                    "level",
                                    level ->
                                        parameterOptional(
                                            "limit", limit -> listAccounts(level, limit)))))),
        pathPrefix(
            PathMatchers.segment(),
            id ->
                concat(
                    pathEnd(() -> get(() -> endpoint(ApiEndpoint.ACCOUNT, w -> account(id)))),
                    path(
                        "review",
                        () ->
                            post(
                                () ->
                                    endpoint(
                                        ApiEndpoint.REVIEW,
                                        w ->
                                            entity(
                                                Unmarshaller.entityToString(),
                                                body -> review(id, body, w))))),
                    path(
                        "evidence",
                        () -> get(() -> endpoint(ApiEndpoint.EVIDENCE, w -> evidence(id, w)))),
                    path(
                        "data",
                        () -> delete(() -> endpoint(ApiEndpoint.ERASE, w -> erase(id, w)))))));
  }

  private Route listAccounts(Optional<String> levelParam, Optional<String> limitParam) {
    Level level;
    int limit;
    try {
      level = levelParam.map(QueryParams::level).orElse(null);
      limit = QueryParams.limit(limitParam);
    } catch (IllegalArgumentException e) {
      return complete(badRequest(e.getMessage()));
    }
    return respond(
        () ->
            CompletableFuture.supplyAsync(
                () -> {
                  List<Map<String, Object>> rows = new ArrayList<>();
                  for (AccountIndex.Entry e : service.indexedAccounts(level, limit)) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("account_id", e.accountId());
                    row.put("level", e.level().name());
                    row.put("queries_observed", e.queriesObserved());
                    row.put("updated_at", Escalations.rfc3339(e.updatedAtMillis()));
                    rows.add(row);
                  }
                  return json(StatusCodes.OK, Map.of("accounts", rows));
                },
                blocking));
  }

  private Route account(String id) {
    return respond(
        () ->
            service
                .status(id)
                .thenApply(
                    s ->
                        s.queriesObserved() == 0
                            ? notFound(id)
                            : json(StatusCodes.OK, ApiJson.statusJson(s))));
  }

  /**
   * The open cases: accounts at REVIEW or THROTTLE with a case of their own, then each open
   * campaign as one row with its member count; {@code members=true} lists the accounts only their
   * campaign made a case too (each with its {@code campaign_id}).
   */
  private Route cases() {
    return parameterOptional(
        "members",
        members -> {
          if (members.isPresent()
              && !members.get().equals("true")
              && !members.get().equals("false")) {
            return complete(badRequest("members must be true or false"));
          }
          return cases(members.map(Boolean::parseBoolean).orElse(false));
        });
  }

  private Route cases(boolean campaignMembers) {
    return respond(
        () ->
            CompletableFuture.supplyAsync(
                    () -> {
                      List<AccountIndex.Entry> open = new ArrayList<>();
                      open.addAll(
                          service.indexedCases(
                              Level.REVIEW, campaignMembers, QueryParams.MAX_LIMIT));
                      open.addAll(
                          service.indexedCases(
                              Level.THROTTLE, campaignMembers, QueryParams.MAX_LIMIT));
                      return open;
                    },
                    blocking)
                .thenCombine(
                    CompletableFuture.supplyAsync(
                        () -> service.openCampaigns(QueryParams.MAX_LIMIT), blocking),
                    (entries, campaigns) -> Map.entry(entries, campaigns))
                .thenCompose(
                    open -> {
                      List<CompletableFuture<AccountStatus>> asks = new ArrayList<>();
                      for (AccountIndex.Entry e : open.getKey()) {
                        asks.add(service.status(e.accountId()).toCompletableFuture());
                      }
                      return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new))
                          .thenApply(
                              v -> {
                                List<Map<String, Object>> cases = new ArrayList<>();
                                for (CompletableFuture<AccountStatus> f : asks) {
                                  AccountStatus s = f.join();
                                  // The index may lag a review by a moment; the entity decides.
                                  if (s.openCase()) {
                                    Map<String, Object> row =
                                        new java.util.LinkedHashMap<>(ApiJson.statusJson(s));
                                    row.put("kind", "account");
                                    cases.add(row);
                                  }
                                }
                                for (io.distillguard.actors.escalation.CampaignWebhooks.Row r :
                                    open.getValue()) {
                                  Map<String, Object> row = new java.util.LinkedHashMap<>();
                                  row.put("kind", "campaign");
                                  row.put("campaign_id", r.campaignId());
                                  row.put("level", r.level().name());
                                  row.put("members", r.members().size());
                                  row.put("href", "/v1/campaigns/" + r.campaignId());
                                  cases.add(row);
                                }
                                return json(StatusCodes.OK, Map.of("cases", cases));
                              });
                    }));
  }

  private Route review(String id, String body, Principal who) {
    ReviewRequest review;
    try {
      review = ReviewRequest.parse(body);
    } catch (IllegalArgumentException e) {
      return complete(badRequest(ReviewRequest.USAGE));
    }
    Level verdict = review.verdict();
    String reviewer = review.reviewer();
    String note = review.note();
    return respond(
        () ->
            CompletableFuture.runAsync(
                    () -> service.audit(who.name(), AuditLog.REVIEW, id, review.auditDetail()),
                    blocking)
                .thenCompose(v -> service.review(id, verdict, reviewer, note))
                .handle(
                    (s, error) -> {
                      if (error == null) {
                        return json(StatusCodes.OK, ApiJson.statusJson(s));
                      }
                      Throwable cause = error.getCause() != null ? error.getCause() : error;
                      if (cause instanceof StatusReply.ErrorMessage m
                          && m.getMessage().startsWith("unknown account")) {
                        return notFound(id);
                      }
                      if (cause instanceof StatusReply.ErrorMessage m) {
                        return badRequest(m.getMessage());
                      }
                      throw new IllegalStateException(cause);
                    }));
  }

  private Route evidence(String id, Principal who) {
    if (evidence instanceof EvidenceSource.Unavailable u) {
      return complete(
          json(
              StatusCodes.SERVICE_UNAVAILABLE,
              Map.of("error", "evidence is not available: " + u.reason())));
    }
    EvidenceSource.Served served = (EvidenceSource.Served) evidence;
    return parameterMap(
        p -> {
          EvidencePage.Request request;
          try {
            request = EvidencePage.Request.parse(id, p);
          } catch (IllegalArgumentException e) {
            return complete(badRequest(e.getMessage()));
          }
          return respond(
              () ->
                  CompletableFuture.supplyAsync(
                      () -> {
                        // Audited before anything is read: no unaudited evidence leaves the API.
                        service.audit(
                            who.name(), AuditLog.EVIDENCE_READ, id, request.auditDetail());
                        return json(
                            StatusCodes.OK,
                            EvidencePage.read(request, served.store(), served.embedder()));
                      },
                      blocking));
        });
  }

  private Route erase(String id, Principal who) {
    return respond(
        () ->
            service
                .erase(id, who.name())
                .thenApply(r -> json(StatusCodes.OK, ApiJson.erasureJson(id, r))));
  }

  private Route auditLog() {
    return pagedAfter(
        (after, limit) -> service.auditEntries(after, limit), ApiJson::auditJson, AuditEntry::seq);
  }

  private Route quarantine() {
    return pagedAfter(
        (after, limit) -> service.quarantined(after, limit),
        ApiJson::quarantineJson,
        Quarantine.Entry::seq);
  }

  /** A page of rows after a sequence number ({@code ?after=&limit=}), with the next cursor. */
  private <T> Route pagedAfter(
      BiFunction<Long, Integer, List<T>> page,
      Function<T, Map<String, Object>> toJson,
      ToLongFunction<T> seqOf) {
    return parameterOptional(
        "after",
        afterParam ->
            parameterOptional(
                "limit",
                limitParam -> {
                  long after;
                  int limit;
                  try {
                    after = afterParam.map(QueryParams::after).orElse(0L);
                    limit = QueryParams.limit(limitParam);
                  } catch (IllegalArgumentException e) {
                    return complete(badRequest(e.getMessage()));
                  }
                  return respond(
                      () ->
                          CompletableFuture.supplyAsync(
                              () -> {
                                List<Map<String, Object>> rows = new ArrayList<>();
                                long last = after;
                                for (T e : page.apply(after, limit)) {
                                  rows.add(toJson.apply(e));
                                  last = seqOf.applyAsLong(e);
                                }
                                Map<String, Object> out = new LinkedHashMap<>();
                                out.put("entries", rows);
                                out.put("next_after", last);
                                return json(StatusCodes.OK, out);
                              },
                              blocking));
                }));
  }

  private Route throttles() {
    return respond(
        () ->
            CompletableFuture.supplyAsync(
                () -> {
                  List<Map<String, Object>> rows = new ArrayList<>();
                  for (ThrottleDirective d : service.activeThrottles(System.currentTimeMillis())) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("account_id", d.accountId());
                    row.put("webhook_id", d.webhookId());
                    row.put("categories", new TreeMap<>(d.categories()));
                    row.put("issued_at", Escalations.rfc3339(d.issuedAtMillis()));
                    row.put("expires_at", Escalations.rfc3339(d.expiresAtMillis()));
                    rows.add(row);
                  }
                  return json(StatusCodes.OK, Map.of("throttles", rows));
                },
                blocking));
  }

  private Route deliveries() {
    return parameterOptional(
        "status",
        status ->
            parameterOptional(
                "limit",
                limitParam -> {
                  Delivery.Status s;
                  int limit;
                  try {
                    s =
                        status
                            .map(
                                v ->
                                    Delivery.Status.valueOf(
                                        v.trim().toUpperCase(java.util.Locale.ROOT)))
                            .orElse(null);
                    limit = QueryParams.limit(limitParam);
                  } catch (IllegalArgumentException e) {
                    return complete(badRequest(e.getMessage()));
                  }
                  return respond(
                      () ->
                          CompletableFuture.supplyAsync(
                              () -> {
                                List<Map<String, Object>> rows = new ArrayList<>();
                                for (Delivery d : service.deliveries(s, limit)) {
                                  rows.add(ApiJson.deliveryJson(d));
                                }
                                Map<String, Long> counts = new TreeMap<>();
                                service.deliveryCounts().forEach((k, v) -> counts.put(k.name(), v));
                                Map<String, Object> out = new LinkedHashMap<>();
                                out.put("counts", counts);
                                out.put("deliveries", rows);
                                return json(StatusCodes.OK, out);
                              },
                              blocking));
                }));
  }

  private Route respond(Supplier<CompletionStage<HttpResponse>> work) {
    return guarded.respond(work);
  }

  private static HttpResponse notFound(String id) {
    return json(StatusCodes.NOT_FOUND, Map.of("error", "unknown account", "account_id", id));
  }

  private static HttpResponse badRequest(String message) {
    return GuardedRoutes.badRequest(message);
  }

  private static HttpResponse json(
      org.apache.pekko.http.javadsl.model.StatusCode status, Object body) {
    return GuardedRoutes.json(status, body);
  }

  @Override
  public void close() {
    if (binding != null) {
      try {
        binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("HTTP API unbind failed", e);
      }
    }
  }
}
