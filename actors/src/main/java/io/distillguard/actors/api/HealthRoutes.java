package io.distillguard.actors.api;

import static io.distillguard.actors.api.GuardedRoutes.json;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /v1/health} (policy in force and why the file on disk is not, taxonomy, delivery
 * counts and how far the effects are behind the journal, for admins), {@code /v1/health/live} and
 * {@code /v1/health/ready} (public, for the orchestrator's probes).
 */
final class HealthRoutes extends AllDirectives {

  private final RouteContext api;

  HealthRoutes(RouteContext api) {
    this.api = api;
  }

  /** The routes below {@code /v1}. */
  Route route() {
    return pathPrefix(
        "health",
        () ->
            concat(
                pathEnd(() -> get(() -> api.endpoint(ApiEndpoint.HEALTH, w -> health()))),
                path("live", () -> get(() -> api.endpoint(ApiEndpoint.HEALTH_LIVE, w -> live()))),
                path(
                    "ready",
                    () -> get(() -> api.endpoint(ApiEndpoint.HEALTH_READY, w -> ready())))));
  }

  private Route health() {
    return api.respondBlocking(
        () -> {
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("status", "UP");
          body.put("policy_version", api.service().policyVersion());
          body.put("policy_error", api.service().policyError());
          body.put(
              "taxonomy",
              Map.of(
                  "version",
                  api.service().taxonomy().version(),
                  "observations_refused",
                  api.service().taxonomy().refused(),
                  "observations_translated",
                  api.service().taxonomy().translated()));
          Map<String, Long> counts = new TreeMap<>();
          api.service().deliveryCounts().forEach((k, v) -> counts.put(k.name(), v));
          body.put("deliveries", counts);
          body.put("effects", api.service().effects());
          return json(StatusCodes.OK, body);
        });
  }

  /** Liveness: 200 while the actor system runs, 503 once it has terminated. */
  private Route live() {
    boolean live = api.service().live();
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
    return api.respondBlocking(
        () -> {
          Map<String, Boolean> checks = api.service().readiness();
          boolean ready = checks.values().stream().allMatch(Boolean::booleanValue);
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("status", ready ? "UP" : "DOWN");
          body.put("checks", checks);
          return json(ready ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE, body);
        });
  }
}
