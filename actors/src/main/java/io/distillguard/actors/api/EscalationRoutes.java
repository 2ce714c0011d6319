package io.distillguard.actors.api;

import static io.distillguard.actors.api.GuardedRoutes.json;

import io.distillguard.actors.escalation.Delivery;
import io.distillguard.actors.escalation.Escalations;
import io.distillguard.actors.escalation.Outbox;
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
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * What the escalations produced: {@code GET /v1/throttles} (the directives in force, for the
 * gateway), {@code GET /v1/deliveries} (the webhook deliveries and their counts by status) and
 * {@code POST /v1/deliveries/redeliver} (exhausted deliveries sent again, for admins).
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
        pathPrefix(
            "deliveries",
            () ->
                concat(
                    pathEnd(
                        () -> get(() -> api.endpoint(ApiEndpoint.DELIVERIES, w -> deliveries()))),
                    path(
                        "redeliver",
                        () ->
                            post(
                                () ->
                                    api.endpoint(
                                        ApiEndpoint.REDELIVER,
                                        w ->
                                            entity(
                                                Unmarshaller.entityToString(),
                                                body -> redeliver(body, w.name()))))))));
  }

  /**
   * Puts exhausted deliveries back in the outbox: {@code redelivered} (their ids), {@code skipped}
   * (each other id asked for, with its status or {@code unknown}) and {@code exhausted_left}.
   */
  private Route redeliver(String body, String actor) {
    RedeliveryRequest request;
    try {
      request = RedeliveryRequest.parse(body);
    } catch (IllegalArgumentException e) {
      return complete(GuardedRoutes.badRequest(RedeliveryRequest.USAGE));
    }
    return api.respondBlocking(
        () -> {
          List<String> ids =
              request.allExhausted()
                  ? api
                      .service()
                      .deliveries(Delivery.Status.EXHAUSTED, RedeliveryRequest.MAX_IDS)
                      .stream()
                      .map(Delivery::webhookId)
                      .toList()
                  : request.webhookIds();
          Outbox.Redelivery done = api.service().redeliver(ids, actor);
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("redelivered", done.requeued().stream().map(Delivery::webhookId).toList());
          out.put("skipped", done.skipped());
          out.put(
              "exhausted_left",
              api.service().deliveryCounts().getOrDefault(Delivery.Status.EXHAUSTED, 0L));
          return json(StatusCodes.OK, out);
        });
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
