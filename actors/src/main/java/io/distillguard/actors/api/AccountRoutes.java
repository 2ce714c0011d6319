package io.distillguard.actors.api;

import static io.distillguard.actors.api.GuardedRoutes.json;

import io.distillguard.actors.account.AccountIndex;
import io.distillguard.actors.api.access.Principal;
import io.distillguard.actors.escalation.Escalations;
import io.distillguard.policy.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /v1/accounts} (the account index, by level), {@code GET /v1/accounts/{id}} (the
 * entity's status) and {@code DELETE /v1/accounts/{id}/data} (erasure); an account's review and
 * evidence are served by {@link AccountReviewRoutes} and {@link EvidenceRoutes} under the same
 * path.
 */
final class AccountRoutes extends AllDirectives {

  private final RouteContext api;
  private final AccountReviewRoutes review;
  private final EvidenceRoutes evidence;

  AccountRoutes(RouteContext api, AccountReviewRoutes review, EvidenceRoutes evidence) {
    this.api = api;
    this.review = review;
    this.evidence = evidence;
  }

  /** The routes below {@code /v1}. */
  Route route() {
    return pathPrefix(
        "accounts",
        () ->
            concat(
                pathEnd(
                    () ->
                        get(
                            () ->
                                api.endpoint(
                                    ApiEndpoint.ACCOUNTS,
                                    w -> ListQuery.levelAndLimit(this::list)))),
                pathPrefix(PathMatchers.segment(), this::accountRoutes)));
  }

  private Route accountRoutes(String id) {
    return concat(
        pathEnd(() -> get(() -> api.endpoint(ApiEndpoint.ACCOUNT, w -> account(id)))),
        path("review", () -> review.route(id)),
        path("evidence", () -> evidence.route(id)),
        path("data", () -> delete(() -> api.endpoint(ApiEndpoint.ERASE, w -> erase(id, w)))));
  }

  private Route list(Level level, int limit) {
    return api.respondBlocking(
        () -> {
          List<Map<String, Object>> rows = new ArrayList<>();
          for (AccountIndex.Entry e : api.service().indexedAccounts(level, limit)) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("account_id", e.accountId());
            row.put("level", e.level().name());
            row.put("queries_observed", e.queriesObserved());
            row.put("updated_at", Escalations.rfc3339(e.updatedAtMillis()));
            rows.add(row);
          }
          return json(StatusCodes.OK, Map.of("accounts", rows));
        });
  }

  private Route account(String id) {
    return api.respond(
        () ->
            api.service()
                .status(id)
                .thenApply(
                    s ->
                        s.queriesObserved() == 0
                            ? unknownAccount(id)
                            : json(StatusCodes.OK, ApiJson.statusJson(s))));
  }

  private Route erase(String id, Principal who) {
    return api.respond(
        () ->
            api.service()
                .erase(id, who.name())
                .thenApply(r -> json(StatusCodes.OK, ApiJson.erasureJson(id, r))));
  }

  /** 404 for an account the service has never observed. */
  static HttpResponse unknownAccount(String id) {
    return json(StatusCodes.NOT_FOUND, Map.of("error", "unknown account", "account_id", id));
  }
}
