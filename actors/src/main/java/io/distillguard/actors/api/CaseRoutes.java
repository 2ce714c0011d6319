package io.distillguard.actors.api;

import static io.distillguard.actors.api.GuardedRoutes.badRequest;
import static io.distillguard.actors.api.GuardedRoutes.json;

import io.distillguard.actors.AccountStatus;
import io.distillguard.actors.account.AccountIndex;
import io.distillguard.actors.escalation.CampaignWebhooks;
import io.distillguard.policy.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /v1/cases}: the open cases, accounts at REVIEW or THROTTLE with a case of their own,
 * then each open campaign as one row with its member count; {@code members=true} lists the accounts
 * only their campaign made a case too (each with its {@code campaign_id}).
 */
final class CaseRoutes extends AllDirectives {

  private final RouteContext api;

  CaseRoutes(RouteContext api) {
    this.api = api;
  }

  /** The route below {@code /v1}. */
  Route route() {
    return path("cases", () -> get(() -> api.endpoint(ApiEndpoint.CASES, w -> cases())));
  }

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
    return api.respond(
        () ->
            CompletableFuture.supplyAsync(
                    () -> {
                      List<AccountIndex.Entry> open = new ArrayList<>();
                      open.addAll(
                          api.service()
                              .indexedCases(Level.REVIEW, campaignMembers, QueryParams.MAX_LIMIT));
                      open.addAll(
                          api.service()
                              .indexedCases(
                                  Level.THROTTLE, campaignMembers, QueryParams.MAX_LIMIT));
                      return open;
                    },
                    api.blocking())
                .thenCombine(
                    CompletableFuture.supplyAsync(
                        () -> api.service().openCampaigns(QueryParams.MAX_LIMIT), api.blocking()),
                    (entries, campaigns) -> Map.entry(entries, campaigns))
                .thenCompose(
                    open -> {
                      List<CompletableFuture<AccountStatus>> asks = new ArrayList<>();
                      for (AccountIndex.Entry e : open.getKey()) {
                        asks.add(api.service().status(e.accountId()).toCompletableFuture());
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
                                        new LinkedHashMap<>(ApiJson.statusJson(s));
                                    row.put("kind", "account");
                                    cases.add(row);
                                  }
                                }
                                for (CampaignWebhooks.Row r : open.getValue()) {
                                  Map<String, Object> row = new LinkedHashMap<>();
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
}
