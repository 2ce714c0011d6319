package io.distillguard.actors.api;

import io.distillguard.actors.StateDatabase;
import io.distillguard.actors.api.access.ApiAccess;
import java.util.concurrent.Executor;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Wires the HTTP API from one route class per resource, all behind one {@link GuardedRoutes}:
 * {@link HealthRoutes}, {@link AccountRoutes} (with {@link AccountReviewRoutes} and {@link
 * EvidenceRoutes} below an account), {@link CaseRoutes}, {@link EscalationRoutes} (throttles and
 * deliveries), {@link AuditRoutes} (audit log and quarantine) and {@link CampaignRoutes}. An
 * endpoint added later gets its {@link ApiEndpoint} and a place here.
 */
public final class ApiRoutes extends AllDirectives {

  private ApiRoutes() {}

  /**
   * The API's routes (usable without binding, e.g. in a route test).
   *
   * @param service the accounts, the shared database's reads and the audit log
   * @param campaigns the campaign entities
   * @param db the shared database, for the campaign list
   * @param blocking where the database reads and audit writes run
   */
  public static Route build(
      ApiAccess access,
      ApiBackend service,
      CampaignBackend campaigns,
      StateDatabase db,
      EvidenceSource evidence,
      Executor blocking) {
    GuardedRoutes guarded = new GuardedRoutes(access);
    RouteContext api = new RouteContext(guarded, service, blocking);
    AccountRoutes accounts =
        new AccountRoutes(api, new AccountReviewRoutes(api), new EvidenceRoutes(api, evidence));
    return new ApiRoutes()
        .belowV1(
            new HealthRoutes(api).route(),
            accounts.route(),
            new CaseRoutes(api).route(),
            new EscalationRoutes(api).route(),
            new AuditRoutes(api).route())
        .orElse(new CampaignRoutes(guarded, db, campaigns, blocking).routes());
  }

  /** The routes, tried in order, below {@code /v1}. */
  private Route belowV1(Route first, Route... more) {
    return pathPrefix("v1", () -> concat(first, more));
  }
}
