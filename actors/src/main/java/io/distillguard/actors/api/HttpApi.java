package io.distillguard.actors.api;

import io.distillguard.actors.ActorSettings;
import io.distillguard.actors.StateDatabase;
import io.distillguard.actors.api.access.ApiAccess;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API of the actor side (pekko-http), described in {@code openapi.yaml}: health, accounts
 * and their signals, open cases, reviewer decisions, evidence from the vector store (newest first
 * or nearest to a text, paged), throttle directives for the gateway, deliveries, the audit log,
 * erasure and campaigns. JSON in snake_case. Every route passes {@link ApiAccess#guard} with the
 * role its {@link ApiEndpoint} declares; every evidence read and review is audited before it runs.
 * Binds to the configured host, 127.0.0.1 by default.
 *
 * <p>This class binds the API; {@link ApiRoutes} wires it from one route class per resource.
 */
public final class HttpApi implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

  private final Route routes;
  private ServerBinding binding;

  private HttpApi(Route routes) {
    this.routes = routes;
  }

  /**
   * Builds the routes and binds them; blocks until bound. {@code extraRoutes} (the console, {@code
   * /metrics}; may be null) are served beside the API and guard themselves (with {@link
   * BearerAuth}, the same tokens and roles).
   *
   * @param service the accounts, the shared database's reads and the audit log
   * @param campaigns the campaign entities
   * @param db the shared database, for the campaign list
   * @param blocking where the database reads and audit writes run
   */
  public static HttpApi bind(
      ActorSystem<?> system,
      ActorSettings settings,
      ApiBackend service,
      CampaignBackend campaigns,
      StateDatabase db,
      EvidenceSource evidence,
      Executor blocking,
      Route extraRoutes) {
    // Fails closed: no binding at all on a non-loopback address without tokens.
    ApiAccess access =
        ApiAccess.create(
            settings.http().host(), settings.http().access(), settings.http().bearerToken());
    Route api = ApiRoutes.build(access, service, campaigns, db, evidence, blocking);
    HttpApi http = new HttpApi(extraRoutes == null ? api : api.orElse(extraRoutes));
    try {
      http.binding =
          Http.get(system)
              .newServerAt(settings.http().host(), settings.http().port())
              .bind(http.routes())
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot bind the HTTP API to " + settings.http().host() + ":" + settings.http().port(),
          e);
    }
    LOG.info("HTTP API on {}", http.binding.localAddress());
    return http;
  }

  public int port() {
    return binding.localAddress().getPort();
  }

  /** The API's routes (also usable without binding, e.g. in a route test). */
  public Route routes() {
    return routes;
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
