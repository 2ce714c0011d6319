package io.distillguard.actors.api;

import static io.distillguard.actors.api.GuardedRoutes.json;

import io.distillguard.actors.escalation.Delivery;
import io.distillguard.actors.escalation.Escalations;
import io.distillguard.actors.throttle.ThrottleDirective;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * What the escalations produced: {@code GET /v1/throttles} (the directives in force, for the
 * gateway) and {@code GET /v1/deliveries} (the webhook deliveries and their counts by status).
 */
final class EscalationRoutes extends AllDirectives {

  private final RouteContext api;

  EscalationRoutes(RouteContext api) {
    this.api = api;
  }

  /** The routes below {@code /v1}. */
  Route route() {
    return concat(
        path("throttles", () -> get(() -> api.endpoint(ApiEndpoint.THROTTLES, w -> throttles()))),
        path(
            "deliveries",
            () -> get(() -> api.endpoint(ApiEndpoint.DELIVERIES, w -> deliveries()))));
  }

  private Route throttles() {
    return api.respondBlocking(
        () -> {
          List<Map<String, Object>> rows = new ArrayList<>();
          for (ThrottleDirective d : api.service().activeThrottles(System.currentTimeMillis())) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("account_id", d.accountId());
            row.put("webhook_id", d.webhookId());
            row.put("categories", new TreeMap<>(d.categories()));
            row.put("issued_at", Escalations.rfc3339(d.issuedAtMillis()));
            row.put("expires_at", Escalations.rfc3339(d.expiresAtMillis()));
            rows.add(row);
          }
          return json(StatusCodes.OK, Map.of("throttles", rows));
        });
  }

  private Route deliveries() {
    return ListQuery.withLimit(
        "status",
        v -> Delivery.Status.valueOf(v.trim().toUpperCase(Locale.ROOT)),
        null,
        (s, limit) ->
            api.respondBlocking(
                () -> {
                  List<Map<String, Object>> rows = new ArrayList<>();
                  for (Delivery d : api.service().deliveries(s, limit)) {
                    rows.add(ApiJson.deliveryJson(d));
                  }
                  Map<String, Long> counts = new TreeMap<>();
                  api.service().deliveryCounts().forEach((k, v) -> counts.put(k.name(), v));
                  Map<String, Object> out = new LinkedHashMap<>();
                  out.put("counts", counts);
                  out.put("deliveries", rows);
                  return json(StatusCodes.OK, out);
                }));
  }
}
